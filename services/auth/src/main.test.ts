// The process entry point: one clear line and a non-zero status when it cannot start.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { runEntryPoint } from "@switchboard/kit/testing";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

/** Runs main.ts with `env` added to a clean environment; resolves with its status and stderr. */
const runMain = (env: Record<string, string>) =>
  runEntryPoint(MAIN, { LOG_LEVEL: "silent", HTTP_PORT: "1", ...env });

describe("main", () => {
  it("MUST exit non-zero with one line naming MySQL when MySQL is unreachable at start", async () => {
    const { status, stderr } = await runMain({ MYSQL_URL: "mysql://root:hunter2@127.0.0.1:1" });
    assert.equal(status, 1);
    assert.match(
      stderr,
      /^auth: cannot create the database at mysql:\/\/root:\*\*\*@127\.0\.0\.1:1\/switchboard_auth: .+\n$/,
    );
    assert.doesNotMatch(stderr, /hunter2/);
  });

  it("MUST exit with status 78 and one line for a wrong configuration", async () => {
    const { status, stderr } = await runMain({ NODE_ENV: "production", NONCE_LIFETIME_S: "0" });
    assert.equal(status, 78);
    assert.match(
      stderr,
      /^auth: Invalid configuration: NONCE_LIFETIME_S must be an integer from 1 to 3600 \(got "0"\)\n$/,
    );
  });

  it("MUST refuse to start in production with the development secrets", async () => {
    const { status, stderr } = await runMain({ NODE_ENV: "production" });
    assert.equal(status, 78);
    assert.match(
      stderr,
      /ADMIN_TOKEN must be set in production; NONCE_SECRET must be set in production\n$/,
    );
  });
});
