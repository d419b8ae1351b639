import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isUnavailableError, UnavailableError } from "./errors.js";
import {
  RpcInvalidReplyError,
  RpcNoRespondersError,
  RpcRemoteError,
  RpcTimeoutError,
} from "./rpc-errors.js";

describe("isUnavailableError", () => {
  it("MUST recognise dependency failures, also as the cause of another error", () => {
    const lost = Object.assign(new Error("Connection lost: The server closed the connection."), {
      code: "PROTOCOL_CONNECTION_LOST",
      fatal: true,
    });
    const unavailable = [
      new UnavailableError("mysql down"),
      lost,
      Object.assign(new Error("handshake"), { fatal: true }),
      new RpcTimeoutError("location.v1.lookup", 500),
      new RpcNoRespondersError("location.v1.lookup"),
      new Error("save failed", { cause: new Error("query failed", { cause: lost }) }),
    ];
    for (const error of unavailable) assert.equal(isUnavailableError(error), true, String(error));
  });

  it("MUST NOT take bugs, bad data or remote refusals for an unavailable dependency", () => {
    const bugs = [
      new TypeError("x is undefined"),
      Object.assign(new Error("Duplicate entry"), { code: "ER_DUP_ENTRY", fatal: false }),
      new RpcInvalidReplyError("bad reply", "auth.v1.verify"),
      new RpcRemoteError("auth.v1.verify", "bad-request", "invalid request"),
      "a string",
      undefined,
    ];
    for (const error of bugs) assert.equal(isUnavailableError(error), false, String(error));
  });
});
