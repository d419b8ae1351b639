// The auth service goes away under a running stack: the edge proxy must answer 503 with
// Retry-After quickly (within its RPC timeout, never hang), and serve again by itself once a
// new auth process runs (DESIGN.md: every dependency failure has a SIP answer).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { completeCall, useCallSetup } from "./call-flow.js";

const RPC_TIMEOUT_MS = 500;
/** The RPC timeout plus room for a loaded machine: "quickly", not "eventually". */
const QUICK_MS = RPC_TIMEOUT_MS + 1500;

const { current, parties } = useCallSetup({
  label: "authdown",
  edgeEnv: { RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS), RETRY_AFTER_S: "5" },
});

describe("auth unavailable", () => {
  it("MUST answer 503 with Retry-After within the RPC timeout while auth is down, and serve again once a new auth process runs", async () => {
    // A challenge issued while auth runs, answered while it is down: the verification fails.
    const challenged = await parties.caller.invite(
      `sip:${parties.callee.user}@${parties.callee.domain}`,
      {
        answerChallenge: false,
      },
    );
    const challenge = await challenged.final();
    assert.equal(challenge.status, 407);

    await current().auth.stop();

    // With credentials first: the edge may still hold challenges issued before auth stopped,
    // and drops them once a verification finds auth away; from then on a REGISTER without
    // credentials is answered 503 as well.
    for (const attempt of ["REGISTER with credentials", "REGISTER without credentials"] as const) {
      const started = Date.now();
      const { response } =
        attempt === "REGISTER without credentials"
          ? await parties.caller.register({ answerChallenge: false })
          : await parties.caller.register();
      const elapsed = Date.now() - started;
      assert.equal(response.status, 503, `${attempt}: ${response.status} ${response.reason}`);
      assert.equal(response.header("Retry-After")?.trim(), "5", `${attempt}: Retry-After`);
      assert.ok(elapsed < QUICK_MS, `${attempt}: 503 after ${elapsed} ms, expected < ${QUICK_MS}`);
    }

    const invite = parties.caller.createRequest("INVITE", {
      uri: challenged.invite.uriText,
      callId: challenged.callId,
      cseq: 2,
      headers: [parties.caller.credentials(challenged.invite, challenge)],
    });
    const started = Date.now();
    const verifyFailure = await parties.caller.transaction(invite).final(QUICK_MS + 1000);
    assert.equal(
      verifyFailure.status,
      503,
      `authenticated INVITE: ${verifyFailure.status} ${verifyFailure.reason}`,
    );
    assert.ok(Date.now() - started < QUICK_MS, "the INVITE's 503 comes quickly");

    await current().auth.start();
    assert.equal((await parties.caller.register()).response.status, 200, "REGISTER works again");
    await completeCall(parties.caller, parties.callee);
  });
});
