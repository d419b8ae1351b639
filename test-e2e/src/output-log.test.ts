// The services' captured output: lines prefixed with their source, read from a mark.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OutputLog } from "./output-log.js";

describe("OutputLog", () => {
  it("MUST prefix each complete line with its source, keeping sources' partial lines apart", () => {
    const log = new OutputLog();
    log.append("auth", "one\ntw");
    log.append("edge-proxy", "x\n");
    log.append("auth", "o\n");
    assert.equal(log.since(), "[auth] one\n[edge-proxy] x\n[auth] two\n");
  });

  it("MUST return only what was appended after a mark, plus unfinished lines", () => {
    const log = new OutputLog();
    log.append("location", "before\n");
    const mark = log.mark();
    log.append("location", "after\npartial");
    assert.equal(log.since(mark), "[location] after\n[location] partial\n");
  });
});
