// The service as a real process: a SIGKILL in durable mode loses no answered registration,
// and a SIGTERM in write-back mode flushes before exiting.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { createTestEnv, locationClient, registerOf, type TestEnv } from "./test-harness.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const MAIN = "services/location/src/main.ts";
const START_DEADLINE_MS = 30_000;

let env: TestEnv;
const children = new Set<ChildProcess>();

before(async () => {
  env = await createTestEnv("process");
});

after(async () => {
  for (const child of children) child.kill("SIGKILL");
  await env?.cleanup();
});

/** Starts the service as a child process and resolves once it says where HTTP listens. */
async function startChild(vars: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", MAIN], {
    cwd: ROOT,
    env: { ...process.env, ...(await env.childEnv(vars)) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let output = "";
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no start line within ${START_DEADLINE_MS} ms: ${output}`)),
      START_DEADLINE_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("location: HTTP on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`location exited with ${code} before it was ready: ${output}`));
    });
  });
  await ready;
  return child;
}

async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const [code] = (await once(child, "exit")) as [number | null];
  return code;
}

describe("location as a process", () => {
  it("MUST keep every answered binding through a SIGKILL in durable mode", async () => {
    const client = locationClient(env.nc, env.prefix);
    const first = await startChild({ LOCATION_DB_MODE: "durable" });
    const users = Array.from({ length: 200 }, (_, index) => `kill-${index}`);
    const replies = await Promise.all(
      users.map((user) => client.save(registerOf(user, `sip:${user}@192.0.2.1`))),
    );
    assert.ok(replies.every((reply) => reply.ok));
    first.kill("SIGKILL");
    await exitOf(first);

    const second = await startChild({ LOCATION_DB_MODE: "durable" });
    try {
      for (const user of users) {
        const { contacts } = await client.lookup({ username: user, domain: "example.com" });
        assert.deepEqual(
          contacts.map((contact) => contact.uri),
          [`sip:${user}@192.0.2.1`],
          `${user} was answered, so it must survive`,
        );
      }
    } finally {
      second.kill("SIGTERM");
      assert.equal(await exitOf(second), 0);
    }
  });

  it("MUST flush unwritten bindings on SIGTERM in write-back mode", async () => {
    const client = locationClient(env.nc, env.prefix);
    // No timed flush during the test: only the SIGTERM writes the bindings.
    const vars = { LOCATION_DB_MODE: "write-back", FLUSH_INTERVAL_MS: "600000" };
    const first = await startChild(vars);
    const users = Array.from({ length: 50 }, (_, index) => `term-${index}`);
    for (const user of users) {
      assert.equal((await client.save(registerOf(user, `sip:${user}@192.0.2.2`))).ok, true);
    }
    const [rows] = await env.pool.query(
      "SELECT COUNT(*) AS n FROM location WHERE username LIKE 'term-%'",
    );
    assert.equal(Number((rows as { n: number }[])[0]?.n), 0, "nothing is written before the flush");
    first.kill("SIGTERM");
    assert.equal(await exitOf(first), 0);

    const second = await startChild(vars);
    try {
      for (const user of users) {
        const { contacts } = await client.lookup({ username: user, domain: "example.com" });
        assert.equal(contacts.length, 1, `${user} must survive the SIGTERM`);
      }
    } finally {
      second.kill("SIGTERM");
      await exitOf(second);
    }
  });
});
