// REGISTER-with-digest throughput through the whole path: the edge proxy, auth and
// location started in this process on the real MySQL and NATS, and the load from a child
// process over UDP. Each simulated phone keeps one REGISTER in flight: credentials with the
// next nonce-count of its nonce, the same Call-ID and a rising CSeq (a refresh).
//   closed loop, CLIENTS phones for DURATION_MS → REGISTERs/s, p50, p99.
// All three services share this process's event loop: the figure is what one core does for
// the whole path, a floor for an edge instance with auth and location elsewhere.

import { fork } from "node:child_process";
import { createSocket } from "node:dgram";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { loadAuthConfig, startAuthService } from "@switchboard/auth";
import { percentile } from "@switchboard/kit/testing";
import { loadLocationConfig, startLocationService } from "@switchboard/location";
import {
  buildDigestAuthorization,
  createRequest,
  type DigestChallenge,
  parseDigestChallenge,
  parseMessage,
  type SipRequest,
  type SipResponse,
} from "@switchboard/sip";
import { startTestStack, TEST_DOMAIN } from "../testing/stack.js";

const CLIENTS = 64;
const DURATION_MS = 5000;
const PASSWORD = "bench-password";
const LOAD_ROLE = "--drive-load";

interface LoadPlan {
  readonly port: number;
  readonly users: readonly string[];
}

interface RunResult {
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
}

/** One phone: its AOR, its Call-ID, and the challenge it answers. */
class Phone {
  cseq = 1;
  nonceCount = 0;
  challenge: DigestChallenge | undefined;
  readonly callId: string;
  constructor(
    readonly user: string,
    readonly localPort: number,
  ) {
    this.callId = `bench-${user}-${process.pid}`;
  }

  register(): SipRequest {
    const aor = `sip:${this.user}@${TEST_DOMAIN}`;
    const uri = `sip:${TEST_DOMAIN}`;
    const cseq = this.cseq++;
    const headers = [
      {
        name: "Via",
        value: `SIP/2.0/UDP 127.0.0.1:${this.localPort};branch=z9hG4bK${this.user}x${cseq};rport`,
      },
      { name: "From", value: `<${aor}>;tag=${this.user}` },
      { name: "To", value: `<${aor}>` },
      { name: "Call-ID", value: this.callId },
      { name: "CSeq", value: `${cseq} REGISTER` },
      { name: "Contact", value: `<sip:${this.user}@127.0.0.1:${this.localPort}>` },
      { name: "Expires", value: "3600" },
    ];
    if (this.challenge !== undefined) {
      const value = buildDigestAuthorization(this.challenge, {
        username: this.user,
        password: PASSWORD,
        method: "REGISTER",
        uri,
        nc: ++this.nonceCount,
      });
      headers.push({ name: "Authorization", value });
    }
    return createRequest({ method: "REGISTER", uri, headers });
  }
}

async function driveLoad(plan: LoadPlan): Promise<RunResult> {
  const socket = createSocket("udp4");
  socket.bind(0, "127.0.0.1");
  await once(socket, "listening");
  const localPort = socket.address().port;
  const phones = new Map(
    plan.users.map((user) => [`bench-${user}-${process.pid}`, new Phone(user, localPort)]),
  );
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let failed = 0;
  let measuring = false;
  let stopped = false;
  const send = (phone: Phone) => {
    const request = phone.register();
    sentAt.set(`${phone.callId}/${request.cseq.seq}`, performance.now());
    socket.send(request.toBuffer(), plan.port, "127.0.0.1");
  };
  socket.on("message", (data) => {
    const response = parseMessage(data) as SipResponse;
    if (response.status < 200) return;
    const phone = phones.get(response.callId);
    const started = sentAt.get(`${response.callId}/${response.cseq.seq}`);
    if (phone === undefined || started === undefined) return;
    sentAt.delete(`${response.callId}/${response.cseq.seq}`);
    if (response.status === 401) {
      phone.challenge = parseDigestChallenge(response.header("WWW-Authenticate") ?? "");
      phone.nonceCount = 0;
    } else if (measuring && response.status === 200) {
      latencies.push(performance.now() - started);
    } else if (measuring) {
      failed++;
    }
    if (!stopped) send(phone);
  });
  for (const phone of phones.values()) send(phone);
  // Warm up (challenges, first bindings, JIT), then measure.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  measuring = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, DURATION_MS));
  const elapsed = performance.now() - started;
  measuring = false;
  stopped = true;
  socket.close();
  latencies.sort((a, b) => a - b);
  return {
    rate: latencies.length / (elapsed / 1000),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    failed,
  };
}

async function main(): Promise<void> {
  const stack = await startTestStack({
    startAuth: (env) => startAuthService(loadAuthConfig(env).config),
    startLocation: (env) => startLocationService(loadLocationConfig(env)),
  });
  try {
    const users = Array.from({ length: CLIENTS }, (_, i) => `bench${i}`);
    for (const user of users) await stack.addSubscriber(user, PASSWORD);
    const child = fork(fileURLToPath(import.meta.url), [LOAD_ROLE]);
    child.send({ port: stack.sip.port, users } satisfies LoadPlan);
    const [result] = (await once(child, "message")) as [RunResult];
    console.log(
      `REGISTER with digest, ${CLIENTS} phones, ${DURATION_MS / 1000} s: ${Math.round(result.rate)} /s, ` +
        `p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ${result.failed} not 200`,
    );
  } finally {
    await stack.close();
  }
}

if (process.argv.includes(LOAD_ROLE)) {
  process.once("message", async (plan: LoadPlan) => {
    process.send?.(await driveLoad(plan));
    process.disconnect?.();
  });
} else {
  await main();
}
