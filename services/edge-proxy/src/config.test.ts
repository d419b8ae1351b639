import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "@switchboard/kit";
import { loadEdgeConfig } from "./config.js";

const REAL_ROUTE_SECRET = "a-real-route-secret-0123456789abcdef";

describe("loadEdgeConfig", () => {
  it("has defaults for every variable", () => {
    const { config, warnings } = loadEdgeConfig({});
    assert.equal(config.SIP_PORT, 5060);
    assert.equal(config.HTTP_PORT, 8080);
    assert.deepEqual(config.SIP_DOMAINS, ["localhost"]);
    assert.equal(config.MAX_FORWARDS_LIMIT, 10);
    assert.equal(config.MAX_MESSAGE_BYTES, 8192);
    assert.equal(config.ENABLE_FULL_LR, false);
    assert.equal(config.AUTH_QOP, "auth");
    assert.equal(config.RPC_TIMEOUT_MS, 2000);
    assert.equal(config.TIMER_C_S, 180);
    assert.equal(config.SHUTDOWN_GRACE_S, 32);
    assert.equal(config.WARM_UP_ROUNDS, 2000);
    assert.equal(config.SIP_ADVERTISED_HOST, undefined);
    assert.equal(config.SIP_ADVERTISED_PORT, undefined);
    assert.deepEqual(
      warnings.map((warning) => warning.split(" ")[0]),
      ["ROUTE_SECRET", "SIP_ADVERTISED_HOST"],
      "the development ROUTE_SECRET and advertising 127.0.0.1 for a wildcard are warned",
    );
  });

  it("reads domains lower-cased, and advertised host and port", () => {
    const { config, warnings } = loadEdgeConfig({
      SIP_DOMAINS: "Example.COM, sip.example.net,[2001:db8::1]",
      SIP_ADVERTISED_HOST: "SIP.Example.com",
      SIP_ADVERTISED_PORT: "5080",
      ROUTE_SECRET: REAL_ROUTE_SECRET,
    });
    assert.deepEqual(config.SIP_DOMAINS, ["example.com", "sip.example.net", "2001:db8::1"]);
    assert.equal(config.SIP_ADVERTISED_HOST, "sip.example.com");
    assert.equal(config.SIP_ADVERTISED_PORT, 5080);
    assert.deepEqual(warnings, []);
  });

  it("names every wrong variable in one error", () => {
    assert.throws(
      () =>
        loadEdgeConfig({
          SIP_LISTEN_HOST: "not-an-ip",
          SIP_DOMAINS: "bad domain",
          AUTH_QOP: "sometimes",
          SIP_ADVERTISED_PORT: "99999",
          WARM_UP_ROUNDS: "-1",
        }),
      (error: unknown) =>
        error instanceof ConfigError &&
        [
          "SIP_LISTEN_HOST",
          "SIP_DOMAINS",
          "AUTH_QOP",
          "SIP_ADVERTISED_PORT",
          "WARM_UP_ROUNDS",
        ].every((name) => error.message.includes(name)),
    );
  });

  it("MUST refuse in production a ROUTE_SECRET left at its development default or too short", () => {
    for (const secret of [undefined, "short-route-secret"]) {
      assert.throws(
        () =>
          loadEdgeConfig({
            NODE_ENV: "production",
            SIP_ADVERTISED_HOST: "192.0.2.1",
            ...(secret === undefined ? {} : { ROUTE_SECRET: secret }),
          }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.problems.some((problem) => problem.variable === "ROUTE_SECRET"),
        String(secret),
      );
    }
    const { config, warnings } = loadEdgeConfig({
      NODE_ENV: "production",
      SIP_ADVERTISED_HOST: "192.0.2.1",
      ROUTE_SECRET: REAL_ROUTE_SECRET,
    });
    assert.equal(config.ROUTE_SECRET, REAL_ROUTE_SECRET);
    assert.deepEqual(warnings, []);
  });

  it("refuses T1 above T2", () => {
    assert.throws(() => loadEdgeConfig({ SIP_T1_MS: "5000", SIP_T2_MS: "4000" }), ConfigError);
  });
});
