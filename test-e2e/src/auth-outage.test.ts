// The auth service goes away under a running stack: the edge proxy must answer 503 with
// Retry-After quickly (within its RPC timeout, never hang), and serve again by itself once a
// new auth process runs (DESIGN.md: every dependency failure has a SIP answer).

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { completeCall, UaPool } from "./call-flow.js";
import { printServiceOutputOnFailure } from "./failure-log.js";
import { Stack } from "./stack.js";
import { addWithSbctl, USER_1000, USER_1001 } from "./subscribers.js";
import type { TestUa } from "./ua.js";

const RPC_TIMEOUT_MS = 500;
/** The RPC timeout plus room for a loaded machine: "quickly", not "eventually". */
const QUICK_MS = RPC_TIMEOUT_MS + 1500;

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
    label: "authdown",
    edgeEnv: { RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS), RETRY_AFTER_S: "5" },
  });
  await addWithSbctl(stack, [USER_1000, USER_1001]);
  [caller, callee] = await Promise.all([uas.registered(USER_1000), uas.registered(USER_1001)]);
});

after(async () => {
  await uas.closeAll();
  await stack?.stop();
});

printServiceOutputOnFailure(() => stack);

describe("auth unavailable", () => {
  it("MUST answer 503 with Retry-After within the RPC timeout while auth is down, and serve again once a new auth process runs", async () => {
    // A challenge issued while auth runs, answered while it is down: the verification fails.
    const challenged = await caller.invite(`sip:${callee.user}@${callee.domain}`, {
      answerChallenge: false,
    });
    const challenge = await challenged.final();
    assert.equal(challenge.status, 407);

    await current().auth.stop();

    for (const attempt of ["REGISTER without credentials", "REGISTER with credentials"] as const) {
      const started = Date.now();
      const { response } =
        attempt === "REGISTER without credentials"
          ? await caller.register({ answerChallenge: false })
          : await caller.register();
      const elapsed = Date.now() - started;
      assert.equal(response.status, 503, `${attempt}: ${response.status} ${response.reason}`);
      assert.equal(response.header("Retry-After")?.trim(), "5", `${attempt}: Retry-After`);
      assert.ok(elapsed < QUICK_MS, `${attempt}: 503 after ${elapsed} ms, expected < ${QUICK_MS}`);
    }

    const invite = caller.createRequest("INVITE", {
      uri: challenged.invite.uriText,
      callId: challenged.callId,
      cseq: 2,
      headers: [caller.credentials(challenged.invite, challenge)],
    });
    const started = Date.now();
    const verifyFailure = await caller.transaction(invite).final(QUICK_MS + 1000);
    assert.equal(
      verifyFailure.status,
      503,
      `authenticated INVITE: ${verifyFailure.status} ${verifyFailure.reason}`,
    );
    assert.ok(Date.now() - started < QUICK_MS, "the INVITE's 503 comes quickly");

    await current().auth.start();
    assert.equal((await caller.register()).response.status, 200, "REGISTER works again");
    await completeCall(caller, callee);
  });
});
