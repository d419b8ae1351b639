import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, it } from "node:test";
import { spawnFailure } from "./external-tool.js";

describe("spawnFailure", () => {
  it("MUST say how to install a program that does not exist", async () => {
    const child = spawn("/nonexistent/sipp", [], { stdio: "ignore" });
    const error = await once(child, "exit").then(
      () => assert.fail("the spawn succeeded"),
      (failure: unknown) => spawnFailure(failure, "/nonexistent/sipp", "apt-get install it"),
    );
    assert.ok(error instanceof Error);
    assert.equal(error.message, "/nonexistent/sipp is not installed: apt-get install it");
  });

  it("MUST pass any other failure on as it is", () => {
    const other = Object.assign(new Error("spawn EACCES"), { code: "EACCES" });
    assert.equal(spawnFailure(other, "sipp", "apt-get install it"), other);
  });
});
