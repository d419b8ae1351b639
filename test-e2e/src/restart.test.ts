// Restarts of single services under a running stack: location keeps every registration
// (it persists to MySQL; durable mode survives even a SIGKILL) and the edge proxy keeps no
// state of its own, so after either restarts, registrations are still there and calls
// still complete.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { completeCall, useCallSetup } from "./call-flow.js";
import { runSbctl } from "./sbctl.js";
import type { TestUa } from "./ua.js";

const { current, parties } = useCallSetup({
  label: "restart",
  locationEnv: { LOCATION_DB_MODE: "durable" },
});

/** Asserts `sbctl ul show` lists the UA's contact. */
async function assertStillRegistered(ua: TestUa): Promise<void> {
  const result = await runSbctl(current().admin, ["ul", "show", ua.user]);
  assert.equal(result.code, 0, `sbctl ul show ${ua.user}: ${result.stderr}`);
  assert.ok(
    result.stdout.includes(ua.contactUri),
    `${ua.contactUri} must still be registered:\n${result.stdout}`,
  );
}

describe("restarting one service", () => {
  it("MUST keep registrations and complete calls after location restarts (SIGTERM)", async () => {
    await current().location.restart();
    await assertStillRegistered(parties.caller);
    await assertStillRegistered(parties.callee);
    await completeCall(parties.caller, parties.callee);
  });

  it("MUST keep every answered registration after location is killed (SIGKILL, durable mode)", async () => {
    const { response } = await parties.callee.register({ expires: 1800 });
    assert.equal(response.status, 200);
    await current().location.restart({ crash: true });
    await assertStillRegistered(parties.callee);
    const [row] = await current().locationRows(parties.callee.user);
    assert.ok(
      row !== undefined && row.expires.getTime() > Date.now() + 1700_000,
      "the refreshed expiry survives",
    );
    await completeCall(parties.caller, parties.callee);
  });

  it("MUST serve registrations and calls after the edge proxy restarts (SIGTERM)", async () => {
    await current().edge.restart();
    await assertStillRegistered(parties.callee);
    await completeCall(parties.caller, parties.callee);
    assert.equal((await parties.caller.register()).response.status, 200);
  });

  it("MUST serve registrations and calls after the edge proxy is killed (SIGKILL)", async () => {
    await current().edge.restart({ crash: true });
    await completeCall(parties.caller, parties.callee);
    assert.equal((await parties.callee.register()).response.status, 200);
  });
});
