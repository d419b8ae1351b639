import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { ErrorReplySchema } from "@switchboard/contracts";
import { z } from "zod";
import { UnavailableError } from "./errors.js";
import { decodeJson, encodeJson } from "./json.js";
import type { Listener } from "./listener.js";
import { createLogger } from "./logger.js";
import { createMetricsRegistry } from "./metrics.js";
import { connectNats, type NatsConnection } from "./nats.js";
import { request } from "./rpc-client.js";
import {
  RpcInvalidReplyError,
  RpcInvalidRequestError,
  RpcNoRespondersError,
  RpcRemoteError,
  RpcTimeoutError,
} from "./rpc-errors.js";
import { createRpcMetrics } from "./rpc-metrics.js";
import { serve } from "./rpc-server.js";

const logger = createLogger({ service: "kit-test", level: "silent" });
const prefix = `kit_rpc_${randomUUID().slice(0, 8)}`;
let nextSubject = 0;
const subject = (name: string) => `${prefix}.${name}.${nextSubject++}`;

const SumRequest = z.object({ a: z.number(), b: z.number() });
const SumResponse = z.object({ sum: z.number() });

let nc: NatsConnection;
const listeners: Listener[] = [];

type Sum = { a: number; b: number };

function serveSum(
  name: string,
  handler: (r: Sum) => Promise<{ sum: number }> | { sum: number } = (r) => ({ sum: r.a + r.b }),
) {
  const listener = serve(nc, name, "sum", SumRequest, SumResponse, handler, { logger });
  listeners.push(listener);
  return listener;
}

/** Sends raw bytes and decodes the raw reply, to test what the server does with bad input. */
async function rawRequest(name: string, data: Uint8Array) {
  const reply = await nc.request(name, data, { timeout: 2000 });
  return ErrorReplySchema.parse(decodeJson(reply.data));
}

async function remoteErrorOf(promise: Promise<unknown>): Promise<RpcRemoteError> {
  const error = await promise.then(
    () => assert.fail("expected an error reply"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof RpcRemoteError, `expected RpcRemoteError, got ${String(error)}`);
  return error;
}

before(async () => {
  nc = await connectNats({ servers: "nats://127.0.0.1:4222", name: "kit-rpc-test", logger });
});

after(async () => {
  for (const listener of listeners) await listener.stop();
  await nc.drain();
});

describe("request and serve", () => {
  it("MUST deliver a validated request to the handler and return its validated reply", async () => {
    const name = subject("sum");
    const seen: unknown[] = [];
    serveSum(name, (r) => {
      seen.push(r);
      return { sum: r.a + r.b };
    });
    const payload = { a: 2, b: 3, extra: "dropped" } as Sum;
    const reply = await request(nc, name, SumRequest, SumResponse, payload, { timeoutMs: 2000 });
    assert.deepEqual(reply, { sum: 5 });
    assert.deepEqual(seen, [{ a: 2, b: 3 }]);
  });

  it("MUST refuse to send a payload that breaks the request schema", async () => {
    const name = subject("sum");
    let calls = 0;
    serveSum(name, (r) => {
      calls++;
      return { sum: r.a + r.b };
    });
    const bad = { a: 1, b: "2" } as unknown as Sum;
    await assert.rejects(
      request(nc, name, SumRequest, SumResponse, bad, { timeoutMs: 2000 }),
      (error) => {
        assert.ok(error instanceof RpcInvalidRequestError);
        assert.match(error.message, /b: Invalid input: expected number/);
        return true;
      },
    );
    await request(nc, name, SumRequest, SumResponse, { a: 1, b: 1 }, { timeoutMs: 2000 });
    assert.equal(calls, 1);
  });

  it("MUST answer malformed JSON with a bad-request error reply and keep serving", async () => {
    const name = subject("sum");
    serveSum(name);
    const reply = await rawRequest(name, new TextEncoder().encode("{not json"));
    assert.deepEqual(reply, { error: { code: "bad-request", message: "request is not JSON" } });
    const ok = await request(
      nc,
      name,
      SumRequest,
      SumResponse,
      { a: 1, b: 2 },
      { timeoutMs: 2000 },
    );
    assert.deepEqual(ok, { sum: 3 });
  });

  it("MUST answer a request that breaks the schema with bad-request naming the field", async () => {
    const name = subject("sum");
    serveSum(name);
    const reply = await rawRequest(name, encodeJson({ a: 1 }));
    assert.equal(reply.error.code, "bad-request");
    assert.match(reply.error.message, /^invalid request: b: Invalid input: expected number/);
  });

  /** A raw responder answering every request with `body`, bypassing serve()'s checks. */
  function respondWith(name: string, body: Uint8Array) {
    return nc.subscribe(name, { callback: (_error, msg) => msg.respond(body) });
  }

  it("MUST reject a reply that breaks the response schema with RpcInvalidReplyError", async () => {
    const name = subject("wrong");
    const sub = respondWith(name, encodeJson({ total: 1 }));
    try {
      await assert.rejects(
        request(nc, name, SumRequest, SumResponse, { a: 1, b: 2 }, { timeoutMs: 2000 }),
        (error) =>
          error instanceof RpcInvalidReplyError && /sum: Invalid input/.test(error.message),
      );
    } finally {
      sub.unsubscribe();
    }
  });

  it("MUST reject a reply that is not JSON with RpcInvalidReplyError", async () => {
    const name = subject("garbage");
    const sub = respondWith(name, new TextEncoder().encode("<html>"));
    try {
      await assert.rejects(
        request(nc, name, SumRequest, SumResponse, { a: 1, b: 2 }, { timeoutMs: 2000 }),
        (error) => error instanceof RpcInvalidReplyError && /is not JSON/.test(error.message),
      );
    } finally {
      sub.unsubscribe();
    }
  });

  it("MUST report a subject nobody serves as RpcNoRespondersError, not a timeout", async () => {
    const name = subject("nobody");
    await assert.rejects(
      request(nc, name, SumRequest, SumResponse, { a: 1, b: 2 }, { timeoutMs: 5000 }),
      (error) => error instanceof RpcNoRespondersError && error.subject === name,
    );
  });

  it("MUST report a responder that never answers as RpcTimeoutError", async () => {
    const name = subject("silent");
    const sub = nc.subscribe(name, { callback: () => {} });
    await nc.flush();
    try {
      await assert.rejects(
        request(nc, name, SumRequest, SumResponse, { a: 1, b: 2 }, { timeoutMs: 200 }),
        (error) => error instanceof RpcTimeoutError && error.timeoutMs === 200,
      );
    } finally {
      sub.unsubscribe();
    }
  });

  it("MUST turn a handler's exception into an internal error reply that hides its message", async () => {
    const name = subject("sum");
    serveSum(name, () => {
      throw new Error("secret table name in stack");
    });
    const error = await remoteErrorOf(
      request(nc, name, SumRequest, SumResponse, { a: 1, b: 2 }, { timeoutMs: 2000 }),
    );
    assert.equal(error.code, "internal");
    assert.equal(error.remoteMessage, "internal error");
  });

  it("MUST answer unavailable when the handler fails because a dependency is down", async () => {
    const name = subject("sum");
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:3306"), {
      code: "ECONNREFUSED",
    });
    const failures = [
      new UnavailableError("mysql down"),
      refused,
      new Error("query failed", { cause: refused }),
    ];
    let call = 0;
    serveSum(name, async () => {
      throw failures[call++];
    });
    for (const _failure of failures) {
      const error = await remoteErrorOf(
        request(nc, name, SumRequest, SumResponse, { a: 1, b: 2 }, { timeoutMs: 2000 }),
      );
      assert.equal(error.code, "unavailable");
    }
  });

  it("MUST answer internal when the handler's result breaks the declared response schema", async () => {
    const name = subject("sum");
    const handler = () => ({ sum: "three" }) as unknown as { sum: number };
    listeners.push(serve(nc, name, "sum", SumRequest, SumResponse, handler, { logger }));
    const error = await remoteErrorOf(
      request(nc, name, SumRequest, SumResponse, { a: 1, b: 2 }, { timeoutMs: 2000 }),
    );
    assert.equal(error.code, "internal");
  });

  it("MUST share the requests of a queue group between its members", async () => {
    const name = subject("sum");
    const counts = [0, 0];
    for (const index of [0, 1]) {
      serveSum(name, (r) => {
        counts[index] = (counts[index] ?? 0) + 1;
        return { sum: r.a + r.b };
      });
    }
    await nc.flush();
    const total = 40;
    await Promise.all(
      Array.from({ length: total }, (_, i) =>
        request(nc, name, SumRequest, SumResponse, { a: i, b: 0 }, { timeoutMs: 2000 }),
      ),
    );
    assert.equal((counts[0] ?? 0) + (counts[1] ?? 0), total, "each request handled exactly once");
    assert.ok(
      (counts[0] ?? 0) > 0 && (counts[1] ?? 0) > 0,
      `both members served: ${counts.join(", ")}`,
    );
  });

  it("MUST track in-flight handlers so that shutdown waits for them, and stop taking requests", async () => {
    const name = subject("sum");
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = () => {};
    const handlerStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const listener = serveSum(name, async (r) => {
      started();
      await gate;
      return { sum: r.a + r.b };
    });
    const pending = request(nc, name, SumRequest, SumResponse, { a: 4, b: 4 }, { timeoutMs: 5000 });
    await handlerStarted;
    assert.equal(listener.inFlight, 1);
    await listener.stop();
    assert.equal(await listener.settled(20), false, "a blocked handler is still running");
    release();
    assert.equal(await listener.settled(2000), true);
    assert.equal(listener.inFlight, 0);
    assert.deepEqual(await pending, { sum: 8 }, "the in-flight request still got its reply");
    await assert.rejects(
      request(nc, name, SumRequest, SumResponse, { a: 1, b: 1 }, { timeoutMs: 2000 }),
      RpcNoRespondersError,
    );
  });

  it("MUST count requests by role, subject and outcome", async () => {
    const name = subject("sum");
    const registry = createMetricsRegistry({ service: "kit-test", defaultMetrics: false });
    const metrics = createRpcMetrics(registry);
    listeners.push(
      serve(nc, name, "sum", SumRequest, SumResponse, (r) => ({ sum: r.a + r.b }), {
        logger,
        metrics,
      }),
    );
    await request(nc, name, SumRequest, SumResponse, { a: 1, b: 1 }, { timeoutMs: 2000, metrics });
    await rawRequest(name, encodeJson({}));
    await request(
      nc,
      subject("nobody"),
      SumRequest,
      SumResponse,
      { a: 1, b: 1 },
      { timeoutMs: 2000, metrics },
    ).catch(() => {});
    const text = await registry.metrics();
    const count = (role: string, outcome: string) =>
      new RegExp(
        `^switchboard_rpc_requests_total\\{role="${role}",subject="${name}",outcome="${outcome}",service="kit-test"\\} 1$`,
        "m",
      );
    assert.match(text, count("client", "ok"));
    assert.match(text, count("server", "ok"));
    assert.match(text, count("server", "bad-request"));
    assert.match(
      text,
      /^switchboard_rpc_requests_total\{role="client",subject="[^"]+nobody[^"]*",outcome="no-responders"/m,
    );
  });
});
