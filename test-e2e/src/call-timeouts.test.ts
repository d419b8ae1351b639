// Calls that do not complete: the caller cancels while it rings (RFC 3261 §9, §16.10), the
// callee never answers (Timer C, §16.8), the callee never responds at all (§17.1.1.2). The
// stack runs with Timer C at 1 s so the timeouts come quickly.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { UaPool } from "./call-flow.js";
import { printServiceOutputOnFailure } from "./failure-log.js";
import { Stack } from "./stack.js";
import { addWithSbctl, USER_1000, USER_1001 } from "./subscribers.js";
import type { TestUa } from "./ua.js";

const TIMER_C_S = 1;
/** Timer C plus room for a CANCEL round trip and a loaded machine. */
const TIMEOUT_DEADLINE_MS = TIMER_C_S * 1000 + 4000;

let stack: Stack | undefined;
const current = (): Stack => {
  if (stack === undefined) throw new Error("the stack did not start");
  return stack;
};
const uas = new UaPool(current);
let caller: TestUa;
let callee: TestUa;

before(async () => {
  stack = await Stack.start({
    label: "timeouts",
    edgeEnv: { TIMER_C_S: String(TIMER_C_S), SIP_T1_MS: "100", SIP_T2_MS: "400" },
  });
  await addWithSbctl(stack, [USER_1000, USER_1001]);
  [caller, callee] = await Promise.all([uas.registered(USER_1000), uas.registered(USER_1001)]);
});

after(async () => {
  await uas.closeAll();
  await stack?.stop();
});

printServiceOutputOnFailure(() => stack);

const target = () => `sip:${USER_1001.username}@${current().domain}`;

describe("calls that are not answered", () => {
  it("MUST answer 200 to the CANCEL, CANCEL the ringing branch and give the caller 487 (RFC 3261 §16.10)", async () => {
    const call = await caller.invite(target());
    const incoming = await callee.incomingCall();
    incoming.ring();
    await call.status(180);
    const cancelledAtCallee = incoming.cancelled();
    cancelledAtCallee.catch(() => undefined);
    const cancelResponse = await call.cancel();
    assert.equal(cancelResponse.status, 200, "the proxy answers the CANCEL itself");
    const cancel = await cancelledAtCallee;
    assert.equal(cancel.callId, incoming.callId);
    assert.equal(
      cancel.vias[0]?.branch,
      incoming.invite.vias[0]?.branch,
      "the CANCEL matches the relayed INVITE's branch",
    );
    const final = await call.final();
    assert.equal(final.status, 487, `${final.status} ${final.reason}`);
  });

  it("MUST CANCEL a branch that rings past Timer C and end the call with a failure (RFC 3261 §16.8)", async () => {
    const started = Date.now();
    const call = await caller.invite(target());
    const incoming = await callee.incomingCall();
    incoming.ring();
    await call.status(180);
    await incoming.cancelled(TIMEOUT_DEADLINE_MS);
    const final = await call.final(TIMEOUT_DEADLINE_MS);
    assert.ok([408, 480, 487].includes(final.status), `${final.status} ${final.reason}`);
    assert.ok(Date.now() - started >= TIMER_C_S * 1000, "not before Timer C");
  });

  it("MUST answer 408 when the callee never responds (RFC 3261 §16.8, §17.1.1.2)", async () => {
    const call = await caller.invite(target());
    const incoming = await callee.incomingCall();
    assert.equal(incoming.callId, call.callId);
    const final = await call.final(TIMEOUT_DEADLINE_MS);
    assert.ok([408, 480].includes(final.status), `${final.status} ${final.reason}`);
  });
});
