import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { ConfigError } from "./config.js";
import { entryPointFailure } from "./service-main.js";
import { StartupError } from "./service-start.js";

/** Runs `body` as an ES module with kit's index imported as `kit`. */
function runScript(body: string) {
  const script = `import * as kit from ${JSON.stringify(new URL("./index.ts", import.meta.url).href)};\n${body}`;
  return spawnSync(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "--input-type=module", "-e", script],
    { encoding: "utf8" },
  );
}

describe("entryPointFailure", () => {
  it("MUST give 78 for a wrong configuration and 1 for a failed start", () => {
    const config = new ConfigError([{ variable: "HTTP_PORT", problem: "must be a port" }]);
    assert.deepEqual(entryPointFailure(config), {
      message: "Invalid configuration: HTTP_PORT must be a port",
      status: 78,
    });
    assert.deepEqual(entryPointFailure(new StartupError("cannot reach NATS at x: refused")), {
      message: "cannot reach NATS at x: refused",
      status: 1,
    });
  });

  it("MUST NOT treat any other error as expected", () => {
    assert.equal(entryPointFailure(new TypeError("bug")), undefined);
  });
});

describe("runOrExit", () => {
  it("MUST write `<service>: <message>` to stderr and exit 78 on a ConfigError", () => {
    const child = runScript(`
      await kit.runOrExit("svc", () => kit.loadConfig(kit.commonConfig({ httpPort: 1 }), { HTTP_PORT: "x" }));
      console.log("not reached");
    `);
    assert.equal(child.status, 78);
    assert.equal(child.stdout, "");
    assert.equal(
      child.stderr,
      'svc: Invalid configuration: HTTP_PORT must be a port number from 1 to 65535 (got "x")\n',
    );
  });

  it("MUST write `<service>: <message>` to stderr and exit 1 on a StartupError", () => {
    const child = runScript(`
      await kit.runOrExit("svc", () => kit.startStep("cannot reach it", () => Promise.reject(new Error("refused"))));
    `);
    assert.equal(child.status, 1);
    assert.equal(child.stderr, "svc: cannot reach it: refused\n");
  });

  it("MUST resolve with the work's result when it succeeds", () => {
    const child = runScript(`console.log(await kit.runOrExit("svc", async () => 42));`);
    assert.equal(child.status, 0);
    assert.equal(child.stdout, "42\n");
  });
});
