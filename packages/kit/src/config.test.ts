import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { type ConfigOf, describeConfig, loadConfig } from "./config.js";
import { commonConfig } from "./config-common.js";
import { mysqlConfig } from "./config-mysql.js";
import { adminTokenConfig, DEV_ADMIN_TOKEN } from "./config-secrets.js";
import { envValue } from "./config-values.js";
import { configRefusal } from "./testing.js";

const spec = {
  ...commonConfig({ httpPort: 9101 }),
  ...mysqlConfig("switchboard_test"),
  ...adminTokenConfig(),
  NONCE_TTL_SECONDS: {
    schema: envValue.integer(1, 3600),
    default: "30",
    description: "How long a nonce stays fresh.",
  },
  NONCE_SECRET: {
    schema: envValue.text(16),
    description: "Key signing nonces.",
    secret: true,
  },
};
const required = { NONCE_SECRET: "0123456789abcdef" };

const problemOf = (env: Record<string, string>) =>
  configRefusal(() => loadConfig(spec, { ...required, ...env }));

describe("loadConfig", () => {
  it("MUST give the documented developer-machine defaults when nothing is set", () => {
    const config: ConfigOf<typeof spec> = loadConfig(spec, required);
    assert.deepEqual(
      { ...config },
      {
        LOG_LEVEL: "info",
        NODE_ENV: "development",
        HTTP_HOST: "0.0.0.0",
        HTTP_PORT: 9101,
        NATS_URL: ["nats://127.0.0.1:4222"],
        NATS_SUBJECT_PREFIX: "",
        MYSQL_URL: "mysql://root@127.0.0.1:3306",
        MYSQL_DATABASE: "switchboard_test",
        MYSQL_TIMEOUT_MS: 1000,
        ADMIN_TOKEN: DEV_ADMIN_TOKEN,
        NONCE_TTL_SECONDS: 30,
        NONCE_SECRET: "0123456789abcdef",
      },
    );
  });

  it("MUST parse set values into typed fields and treat an empty value as unset", () => {
    const config = loadConfig(spec, {
      ...required,
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
      'Invalid configuration: MYSQL_URL must be a mysql:// URL (mysql://user:password@host:3306, optionally followed by /database) (got "foo")',
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
      message: "Invalid configuration: NONCE_SECRET is required but not set",
    });
  });

  it("MUST NOT echo secrets or URL passwords in the error", () => {
    const secret = problemOf({ NONCE_SECRET: "short-secret" });
    assert.equal(secret.includes("short-secret"), false);
    assert.match(secret, /NONCE_SECRET must be at least 16 characters \(value hidden\)/);
    const url = problemOf({ MYSQL_URL: "mysql://app:hunter2@db:3306/bad-name" });
    assert.equal(url.includes("hunter2"), false);
    assert.match(url, /got "mysql:\/\/app:\*\*\*@db:3306\/bad-name"/);
  });

  it("MUST return a frozen object so that no one changes the configuration later", () => {
    assert.equal(Object.isFrozen(loadConfig(spec, required)), true);
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
        "MYSQL_DATABASE",
        "MYSQL_TIMEOUT_MS",
        "ADMIN_TOKEN",
        "NONCE_TTL_SECONDS",
        "NONCE_SECRET",
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
    assert.deepEqual([admin?.required, admin?.secret], [false, true]);
    const nonceSecret = rows.find((row) => row.name === "NONCE_SECRET");
    assert.deepEqual([nonceSecret?.required, nonceSecret?.secret], [true, true]);
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
