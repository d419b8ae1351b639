import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { ConfigError, type ConfigOf, describeConfig, loadConfig } from "./config.js";
import { adminTokenConfig, commonConfig, mysqlConfig } from "./config-common.js";
import { envValue } from "./config-values.js";

const spec = {
  ...commonConfig({ httpPort: 9101 }),
  ...mysqlConfig("switchboard_test"),
  ...adminTokenConfig(),
  NONCE_TTL_SECONDS: {
    schema: envValue.integer(1, 3600),
    default: "30",
    description: "How long a nonce stays fresh.",
  },
};
const token = { ADMIN_TOKEN: "0123456789abcdef" };

function problemOf(env: Record<string, string>): string {
  try {
    loadConfig(spec, { ...token, ...env });
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail("expected the configuration to be refused");
}

describe("loadConfig", () => {
  it("MUST give the documented developer-machine defaults when nothing is set", () => {
    const config: ConfigOf<typeof spec> = loadConfig(spec, token);
    assert.deepEqual(
      { ...config },
      {
        LOG_LEVEL: "info",
        NODE_ENV: "development",
        HTTP_HOST: "0.0.0.0",
        HTTP_PORT: 9101,
        NATS_URL: ["nats://127.0.0.1:4222"],
        NATS_SUBJECT_PREFIX: "",
        MYSQL_URL: "mysql://root@127.0.0.1:3306/switchboard_test",
        ADMIN_TOKEN: "0123456789abcdef",
        NONCE_TTL_SECONDS: 30,
      },
    );
  });

  it("MUST parse set values into typed fields and treat an empty value as unset", () => {
    const config = loadConfig(spec, {
      ...token,
      HTTP_PORT: "8080",
      LOG_LEVEL: "",
      NATS_URL: "nats://a:4222, tls://b:4222",
      NONCE_TTL_SECONDS: "600",
    });
    assert.equal(config.HTTP_PORT, 8080);
    assert.equal(config.LOG_LEVEL, "info");
    assert.deepEqual(config.NATS_URL, ["nats://a:4222", "tls://b:4222"]);
    assert.equal(config.NONCE_TTL_SECONDS, 600);
  });

  it("MUST name the variable, the rule and the value in one line", () => {
    assert.equal(
      problemOf({ MYSQL_URL: "foo" }),
      'Invalid configuration: MYSQL_URL must be a mysql:// URL naming a database (mysql://user:password@host:3306/db) (got "foo")',
    );
    assert.match(
      problemOf({ HTTP_PORT: "70000" }),
      /^Invalid configuration: HTTP_PORT must be a port number from 1 to 65535 \(got "70000"\)$/,
    );
    assert.match(
      problemOf({ LOG_LEVEL: "loud" }),
      /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)/,
    );
    assert.match(
      problemOf({ NONCE_TTL_SECONDS: "1.5" }),
      /NONCE_TTL_SECONDS must be an integer from 1 to 3600/,
    );
    assert.match(
      problemOf({ NATS_SUBJECT_PREFIX: "a.*" }),
      /NATS_SUBJECT_PREFIX must be dot-separated tokens/,
    );
  });

  it("MUST list every bad variable in the same single line", () => {
    const message = problemOf({ HTTP_PORT: "x", NATS_URL: "http://nats:4222" });
    assert.equal(message.includes("\n"), false);
    assert.match(
      message,
      /HTTP_PORT must be .*; NATS_URL must be a comma-separated list of nats:\/\/ or tls:\/\/ URLs/,
    );
  });

  it("MUST report a required variable that is missing", () => {
    assert.throws(() => loadConfig(spec, {}), {
      name: "ConfigError",
      message: "Invalid configuration: ADMIN_TOKEN is required but not set",
    });
  });

  it("MUST NOT echo secrets or URL passwords in the error", () => {
    const secret = problemOf({ ADMIN_TOKEN: "short-secret" });
    assert.equal(secret.includes("short-secret"), false);
    assert.match(secret, /ADMIN_TOKEN must be at least 16 characters \(value hidden\)/);
    const url = problemOf({ MYSQL_URL: "mysql://app:hunter2@db:3306/bad-name" });
    assert.equal(url.includes("hunter2"), false);
    assert.match(url, /got "mysql:\/\/app:\*\*\*@db:3306\/bad-name"/);
  });

  it("MUST return a frozen object so that no one changes the configuration later", () => {
    assert.equal(Object.isFrozen(loadConfig(spec, token)), true);
  });
});

describe("describeConfig", () => {
  it("MUST list every variable with its default, required and secret flags, in order", () => {
    const rows = describeConfig(spec);
    assert.deepEqual(
      rows.map((row) => row.name),
      [
        "LOG_LEVEL",
        "NODE_ENV",
        "HTTP_HOST",
        "HTTP_PORT",
        "NATS_URL",
        "NATS_SUBJECT_PREFIX",
        "MYSQL_URL",
        "ADMIN_TOKEN",
        "NONCE_TTL_SECONDS",
      ],
    );
    const port = rows.find((row) => row.name === "HTTP_PORT");
    assert.deepEqual(port && { ...port, description: undefined }, {
      name: "HTTP_PORT",
      description: undefined,
      default: "9101",
      required: false,
      secret: false,
    });
    const admin = rows.find((row) => row.name === "ADMIN_TOKEN");
    assert.equal(admin?.required, true);
    assert.equal(admin?.secret, true);
    assert.ok(rows.every((row) => row.description.length > 0));
  });
});

describe("loadConfigOrExit", () => {
  it("MUST print one line to stderr and exit with status 78 on a bad value", () => {
    const script = `
      import { loadConfigOrExit, commonConfig } from ${JSON.stringify(new URL("./index.ts", import.meta.url).href)};
      loadConfigOrExit(commonConfig({ httpPort: 1 }), { HTTP_PORT: "nope" });
      console.log("not reached");
    `;
    const child = spawnSync(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "--input-type=module", "-e", script],
      {
        encoding: "utf8",
      },
    );
    assert.equal(child.status, 78);
    assert.equal(child.stdout, "");
    assert.equal(
      child.stderr,
      'Invalid configuration: HTTP_PORT must be a port number from 1 to 65535 (got "nope")\n',
    );
  });
});
