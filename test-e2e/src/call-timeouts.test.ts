// Calls that do not complete: the parties.caller cancels while it rings (RFC 3261 §9, §16.10), the
// parties.callee never answers (Timer C, §16.8), the parties.callee never responds at all (§17.1.1.2). The
// stack runs with Timer C at 1 s so the timeouts come quickly.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { useCallSetup } from "./call-flow.js";
import { USER_1001 } from "./subscribers.js";

const TIMER_C_S = 1;
/** Timer C plus room for a CANCEL round trip and a loaded machine. */
const TIMEOUT_DEADLINE_MS = TIMER_C_S * 1000 + 4000;

const { current, parties } = useCallSetup({
  label: "timeouts",
  edgeEnv: { TIMER_C_S: String(TIMER_C_S), SIP_T1_MS: "100", SIP_T2_MS: "400" },
});

const target = () => `sip:${USER_1001.username}@${current().domain}`;

describe("calls that are not answered", () => {
  it("MUST answer 200 to the CANCEL, CANCEL the ringing branch and give the parties.caller 487 (RFC 3261 §16.10)", async () => {
    const call = await parties.caller.invite(target());
    const incoming = await parties.callee.incomingCall();
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
    const call = await parties.caller.invite(target());
    const incoming = await parties.callee.incomingCall();
    incoming.ring();
    await call.status(180);
    await incoming.cancelled(TIMEOUT_DEADLINE_MS);
    const final = await call.final(TIMEOUT_DEADLINE_MS);
    assert.ok([408, 480, 487].includes(final.status), `${final.status} ${final.reason}`);
    assert.ok(Date.now() - started >= TIMER_C_S * 1000, "not before Timer C");
  });

  it("MUST answer 408 when the parties.callee never responds (RFC 3261 §16.8, §17.1.1.2)", async () => {
    const call = await parties.caller.invite(target());
    const incoming = await parties.callee.incomingCall();
    assert.equal(incoming.callId, call.callId);
    const final = await call.final(TIMEOUT_DEADLINE_MS);
    assert.ok([408, 480].includes(final.status), `${final.status} ${final.reason}`);
  });
});
