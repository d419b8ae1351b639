// Parser throughput: messages per second on one core.
//   (a) parse an INVITE / a REGISTER and read what a proxy needs;
//   (b) parse an INVITE, edit it for forwarding and serialize it.
import type { SipMessage } from "../message.js";
import { newBranch } from "../message-build.js";
import { editMessage } from "../message-edit.js";
import { getContacts, getRoutes } from "../message-headers.js";
import { parseMessage } from "../parse-message.js";
import { createVia } from "../parse-via.js";
import { INVITE_LINES, REGISTER_LINES, sipBytes } from "../sample-messages.js";

const SECONDS_PER_CASE = 2;

function readProxyFields(message: SipMessage): number {
  let n = message.vias[0]?.branch?.length ?? 0;
  n += message.to.uri.host.length + message.from.params.size + message.callId.length;
  n += message.cseq.seq;
  if (message.kind === "request") n += message.maxForwards ?? 0;
  n += getRoutes(message).length;
  const contacts = getContacts(message);
  if (contacts !== undefined && !contacts.star) n += contacts.contacts.length;
  return n;
}

function forward(data: Buffer): Buffer {
  const message = parseMessage(data);
  if (message.kind !== "request") throw new Error("expected a request");
  return editMessage(message)
    .setViaReceived("198.51.100.23", 5060)
    .pushVia(createVia({ transport: "UDP", host: "203.0.113.1", port: 5060, branch: newBranch() }))
    .addRecordRoute("<sip:203.0.113.1;lr>")
    .decrementMaxForwards()
    .removeHeaders("Proxy-Authorization")
    .toBuffer();
}

/** Runs `work` for about SECONDS_PER_CASE after a short warm-up; prints messages/second. */
function measure(name: string, work: () => unknown): void {
  const warmUpUntil = performance.now() + 300;
  while (performance.now() < warmUpUntil) for (let i = 0; i < 1000; i++) work();
  let count = 0;
  const start = performance.now();
  const until = start + SECONDS_PER_CASE * 1000;
  let now = start;
  while (now < until) {
    for (let i = 0; i < 1000; i++) work();
    count += 1000;
    now = performance.now();
  }
  const perSecond = count / ((now - start) / 1000);
  const micros = (1e6 / perSecond).toFixed(2);
  console.log(
    `${name.padEnd(52)} ${Math.round(perSecond).toLocaleString("en-US").padStart(11)} msg/s  ${micros} µs/msg`,
  );
}

const invite = sipBytes(INVITE_LINES);
const register = sipBytes(REGISTER_LINES);
console.log(`INVITE ${invite.length} bytes, REGISTER ${register.length} bytes`);
measure("(a) parse INVITE + read proxy fields", () => readProxyFields(parseMessage(invite)));
measure("(a) parse REGISTER + read proxy fields", () => readProxyFields(parseMessage(register)));
measure("(b) parse INVITE + edit for forwarding + serialize", () => forward(invite));
measure("    parse INVITE only", () => parseMessage(invite));
