import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type AdminStub, startAdminStub } from "./test-support/admin-stub.js";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

/** Runs sbctl as its own process; `firstChunkOnly` closes its stdout after the first read. */
async function runProcess(
  argv: readonly string[],
  env: Record<string, string>,
  firstChunkOnly = false,
) {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", MAIN, ...argv], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    if (firstChunkOnly) child.stdout.destroy();
  });
  const [code] = await once(child, "exit");
  return { code: code as number, stdout, stderr };
}

describe("sbctl as a process", () => {
  let stub: AdminStub;
  before(async () => {
    const subscribers = Array.from({ length: 20_000 }, (_, index) => ({
      username: `user${index}`,
      domain: "localhost",
      email: null,
      createdAt: null,
    }));
    stub = await startAdminStub(() => ({ status: 200, body: { subscribers } }));
  });
  after(() => stub.close());

  it("exits 0 without a stack trace when the reader of its output goes away", async () => {
    const run = await runProcess(["user", "list"], { AUTH_ADMIN_URL: stub.url }, true);
    assert.equal(run.stderr, "");
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^USERNAME +DOMAIN/);
  });

  it("exits 2 on a usage error and 1 when the service is unreachable", async () => {
    assert.equal((await runProcess(["user", "rm"], {})).code, 2);
    const down = await runProcess(["user", "list"], { AUTH_ADMIN_URL: "http://127.0.0.1:1" });
    assert.equal(down.code, 1);
    assert.match(down.stderr, /^sbctl: cannot reach auth admin API at http:\/\/127\.0\.0\.1:1 /);
  });
});
