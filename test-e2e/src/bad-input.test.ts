// Sanity checks and bad input against the running edge proxy (seed: mf_process_maxfwd_header,
// msg:len > max_len; DESIGN.md "robust on bad input"): 483, 513, 400 or silence for broken
// datagrams, and the next good request always served. Also OPTIONS pings from sipp and sipsak.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { newBranch, newCallId, type SipMessage } from "@switchboard/sip";
import { UaPool } from "./call-flow.js";
import { printServiceOutputOnFailure } from "./failure-log.js";
import { describeSipp, runSipp } from "./sipp.js";
import { sipsakPing } from "./sipsak.js";
import { Stack } from "./stack.js";
import { addWithSbctl, USER_1000, USER_1001 } from "./subscribers.js";
import type { TestUa } from "./ua.js";
import { isResponse } from "./ua-messages.js";

const MAX_MESSAGE_BYTES = 2048;

let stack: Stack | undefined;
const current = (): Stack => {
  if (stack === undefined) throw new Error("the stack did not start");
  return stack;
};
const uas = new UaPool(current);
let ua: TestUa;

before(async () => {
  stack = await Stack.start({
    label: "badinput",
    edgeEnv: { MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES) },
  });
  await addWithSbctl(stack, [USER_1000, USER_1001]);
  ua = await uas.open(USER_1000);
});

after(async () => {
  await uas.closeAll();
  await stack?.stop();
});

printServiceOutputOnFailure(() => stack);

/** An OPTIONS for a user of the domain as raw text, with `extra` header lines and `body`. */
function optionsText(
  callId: string,
  extra: readonly string[] = [],
  body = "",
  contentLength?: number,
) {
  const { address } = ua;
  const domain = current().domain;
  return [
    `OPTIONS sip:${USER_1001.username}@${domain} SIP/2.0`,
    `Via: SIP/2.0/UDP ${address.host}:${address.port};branch=${newBranch()};rport`,
    "Max-Forwards: 70",
    `From: <sip:${USER_1000.username}@${domain}>;tag=bad1`,
    `To: <sip:${USER_1001.username}@${domain}>`,
    `Call-ID: ${callId}`,
    "CSeq: 1 OPTIONS",
    ...extra,
    `Content-Length: ${contentLength ?? Buffer.byteLength(body)}`,
    "",
    body,
  ].join("\r\n");
}

/** Responses received for `callId`. */
const responsesFor = (callId: string) =>
  ua.inbox.received.filter(
    (message: SipMessage) => isResponse(message) && message.callId === callId,
  );

/** Proves the proxy still serves: an OPTIONS to the proxy itself answered 200. */
async function stillServing(): Promise<void> {
  const response = await ua.options();
  assert.equal(response.status, 200, `the next good request must be served: ${response.status}`);
  assert.ok(current().edge.running, "the edge proxy must still run");
}

describe("sanity checks", () => {
  it("MUST answer 483 Too Many Hops to a request whose Max-Forwards is 0 (RFC 3261 §16.3 step 3)", async () => {
    const invite = ua.createRequest("INVITE", {
      uri: `sip:${USER_1001.username}@${current().domain}`,
      headers: [{ name: "Max-Forwards", value: "0" }],
    });
    const response = await ua.transaction(invite).final(5000);
    assert.equal(response.status, 483, `${response.status} ${response.reason}`);
  });

  it("options-max-forwards-0-expect-483: sipp's OPTIONS with Max-Forwards 0 gets 483", async () => {
    const result = await runSipp({
      scenario: "options-max-forwards-0-expect-483.xml",
      remote: current().sip,
      service: USER_1001.username,
      keys: { domain: current().domain },
    });
    assert.equal(result.exitCode, 0, describeSipp(result));
    assert.equal(result.successful, 1, describeSipp(result));
  });

  it("MUST answer 513 to a request longer than MAX_MESSAGE_BYTES (seed: msg:len > max_len)", async () => {
    const callId = newCallId();
    const padding = `X-Padding: ${"a".repeat(MAX_MESSAGE_BYTES)}`;
    ua.sendRaw(optionsText(callId, [padding]));
    const response = await ua.inbox.take(
      (message): message is SipMessage => isResponse(message) && message.callId === callId,
      5000,
      "response to the oversized request",
    );
    assert.ok(isResponse(response));
    assert.equal(response.status, 513, `${response.status} ${response.reason}`);
    await stillServing();
  });
});

describe("bad datagrams", () => {
  it("MUST NOT answer garbage with anything but 400, and MUST serve the next request", async () => {
    const before = ua.inbox.received.length;
    for (const garbage of [
      randomBytes(512),
      Buffer.from("\r\n\r\n"),
      Buffer.from("NOT SIP AT ALL\r\n\r\n"),
      Buffer.from("INVITE sip:1001@localhost SIP/2.0\r\nVia: \u0000\u0001\r\n\r\n", "latin1"),
      Buffer.alloc(0),
    ]) {
      ua.sendRaw(garbage);
    }
    await stillServing();
    const unexpected = ua.inbox.received
      .slice(before)
      .filter(
        (message) =>
          isResponse(message) && message.status !== 400 && message.cseq.method !== "OPTIONS",
      );
    assert.deepEqual(
      unexpected.map((message) => message.toBuffer().toString("latin1").split("\r\n")[0]),
      [],
    );
  });

  it("MUST answer 400 to a request whose body is shorter than its Content-Length (RFC 3261 §18.3)", async () => {
    const callId = newCallId();
    ua.sendRaw(optionsText(callId, ["Content-Type: text/plain"], "short body", 100));
    const response = await ua.inbox.take(
      (message): message is SipMessage => isResponse(message) && message.callId === callId,
      5000,
      "response to the truncated request",
    );
    assert.ok(isResponse(response));
    assert.equal(response.status, 400, `${response.status} ${response.reason}`);
    await stillServing();
  });

  it("MUST answer 400 or stay silent on a datagram cut inside its header, and serve the next request", async () => {
    const callId = newCallId();
    const whole = optionsText(callId);
    ua.sendRaw(whole.slice(0, whole.indexOf("CSeq:") + 3));
    await stillServing();
    const answers = responsesFor(callId);
    assert.ok(
      answers.every((message) => isResponse(message) && message.status === 400),
      `only 400 may answer: ${answers.map((message) => (isResponse(message) ? message.status : "?"))}`,
    );
  });
});

describe("OPTIONS pings from other clients", () => {
  it("options-expect-200: sipp's OPTIONS to the proxy gets 200", async () => {
    const result = await runSipp({ scenario: "options-expect-200.xml", remote: current().sip });
    assert.equal(result.exitCode, 0, describeSipp(result));
    assert.equal(result.successful, 1, describeSipp(result));
  });

  it("sipsak's OPTIONS ping to the proxy gets 200", async () => {
    const result = await sipsakPing(current().sip, current().domain);
    assert.equal(result.exitCode, 0, result.output);
  });
});
