// Restarts of single services under a running stack: location keeps every registration
// (it persists to MySQL; durable mode survives even a SIGKILL) and the edge proxy keeps no
// state of its own, so after either restarts, registrations are still there and calls
// still complete.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { completeCall, UaPool } from "./call-flow.js";
import { printServiceOutputOnFailure } from "./failure-log.js";
import { runSbctl } from "./sbctl.js";
import { Stack } from "./stack.js";
import { addWithSbctl, USER_1000, USER_1001 } from "./subscribers.js";
import type { TestUa } from "./ua.js";

let stack: Stack | undefined;
const current = (): Stack => {
  if (stack === undefined) throw new Error("the stack did not start");
  return stack;
};
const uas = new UaPool(current);
let caller: TestUa;
let callee: TestUa;

before(async () => {
  stack = await Stack.start({ label: "restart", locationEnv: { LOCATION_DB_MODE: "durable" } });
  await addWithSbctl(stack, [USER_1000, USER_1001]);
  [caller, callee] = await Promise.all([uas.registered(USER_1000), uas.registered(USER_1001)]);
});

after(async () => {
  await uas.closeAll();
  await stack?.stop();
});

printServiceOutputOnFailure(() => stack);

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
    await assertStillRegistered(caller);
    await assertStillRegistered(callee);
    await completeCall(caller, callee);
  });

  it("MUST keep every answered registration after location is killed (SIGKILL, durable mode)", async () => {
    const { response } = await callee.register({ expires: 1800 });
    assert.equal(response.status, 200);
    await current().location.restart({ crash: true });
    await assertStillRegistered(callee);
    const [row] = await current().locationRows(callee.user);
    assert.ok(
      row !== undefined && row.expires.getTime() > Date.now() + 1700_000,
      "the refreshed expiry survives",
    );
    await completeCall(caller, callee);
  });

  it("MUST serve registrations and calls after the edge proxy restarts (SIGTERM)", async () => {
    await current().edge.restart();
    await assertStillRegistered(callee);
    await completeCall(caller, callee);
    assert.equal((await caller.register()).response.status, 200);
  });

  it("MUST serve registrations and calls after the edge proxy is killed (SIGKILL)", async () => {
    await current().edge.restart({ crash: true });
    await completeCall(caller, callee);
    assert.equal((await callee.register()).response.status, 200);
  });
});
