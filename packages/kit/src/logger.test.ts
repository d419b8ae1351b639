import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLogger } from "./logger.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = { write: (line: string) => void lines.push(JSON.parse(line)) };
  return { lines, destination };
}

describe("createLogger", () => {
  it("MUST write one JSON object per line with the level as a word, an ISO time and the service", () => {
    const { lines, destination } = capture();
    createLogger({ service: "auth", level: "info", destination }).info({ user: "1000" }, "hello");
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.equal(line?.level, "info");
    assert.equal(line?.service, "auth");
    assert.equal(line?.msg, "hello");
    assert.match(String(line?.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("MUST drop lines below the configured level", () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: "auth", level: "warn", destination });
    log.info("quiet");
    log.warn("loud");
    assert.deepEqual(
      lines.map((line) => line.msg),
      ["loud"],
    );
  });

  it("MUST censor passwords, HA1s, tokens and Authorization headers", () => {
    const { lines, destination } = capture();
    createLogger({ service: "auth", level: "info", destination }).info({
      password: "p1",
      subscriber: { ha1: "h1", token: "t1" },
      req: { headers: { authorization: "Bearer t2" } },
    });
    const text = JSON.stringify(lines);
    for (const secret of ["p1", "h1", "t1", "Bearer t2"]) {
      assert.equal(text.includes(secret), false, `${secret} leaked: ${text}`);
    }
  });
});
