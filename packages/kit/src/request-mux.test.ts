import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { connect, type Msg, type NatsConnection } from "nats";
import { RequestMux } from "./request-mux.js";
import { RpcNoRespondersError, RpcTimeoutError, RpcTransportError } from "./rpc-errors.js";

const NATS_URL = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
const prefix = `kit_mux_${randomUUID().slice(0, 8)}`;
let nextSubject = 0;
const subject = (name: string) => `${prefix}.${name}.${nextSubject++}`;
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

let nc: NatsConnection;

before(async () => {
  nc = await connect({ servers: NATS_URL });
});

after(async () => {
  await nc.close();
});

/** A responder that holds every request until `release` answers them in reverse order. */
function reversingResponder(name: string, expected: number) {
  const held: Msg[] = [];
  const sub = nc.subscribe(name, {
    callback: (_error, msg) => {
      held.push(msg);
      if (held.length === expected) {
        for (const request of held.reverse()) request.respond(bytes(`echo ${text(request.data)}`));
      }
    },
  });
  return sub;
}

describe("RequestMux", () => {
  it("MUST give each request its own reply when replies come back in another order", async () => {
    const name = subject("reverse");
    const sub = reversingResponder(name, 50);
    await nc.flush();
    const mux = new RequestMux(nc);
    try {
      const replies = await Promise.all(
        Array.from({ length: 50 }, (_, i) => mux.send(name, bytes(`#${i}`), 5000)),
      );
      assert.deepEqual(
        replies.map(text),
        Array.from({ length: 50 }, (_, i) => `echo #${i}`),
      );
      assert.equal(mux.pending, 0);
    } finally {
      sub.unsubscribe();
    }
  });

  it("MUST time out a request by its own timeout while a longer one is still answered", async () => {
    const name = subject("slow");
    const held: Msg[] = [];
    const sub = nc.subscribe(name, { callback: (_error, msg) => held.push(msg) });
    await nc.flush();
    const mux = new RequestMux(nc);
    try {
      const long = mux.send(name, bytes("long"), 10_000);
      const started = performance.now();
      await assert.rejects(
        mux.send(name, bytes("short"), 150),
        (error) =>
          error instanceof RpcTimeoutError && error.timeoutMs === 150 && error.subject === name,
      );
      const waited = performance.now() - started;
      assert.ok(waited >= 145 && waited < 2000, `timed out after ${waited} ms`);
      // The late answer to the timed-out request is dropped; the long one still gets its own.
      for (const msg of held) msg.respond(bytes(`late ${text(msg.data)}`));
      assert.equal(text(await long), "late long");
      assert.equal(mux.pending, 0);
    } finally {
      sub.unsubscribe();
    }
  });

  it("MUST report a subject nobody serves as RpcNoRespondersError", async () => {
    const name = subject("nobody");
    await assert.rejects(
      new RequestMux(nc).send(name, bytes("x"), 5000),
      (error) => error instanceof RpcNoRespondersError && error.subject === name,
    );
  });

  it("MUST fail pending and later requests with RpcTransportError once the connection closes", async () => {
    const own = await connect({ servers: NATS_URL });
    const name = subject("closing");
    const sub = own.subscribe(name, { callback: () => {} });
    await own.flush();
    const mux = new RequestMux(own);
    const pending = mux.send(name, bytes("x"), 10_000);
    await own.close();
    assert.equal(sub.isClosed(), true);
    await assert.rejects(pending, (error) => error instanceof RpcTransportError);
    await assert.rejects(
      mux.send(name, bytes("y"), 10_000),
      (error) => error instanceof RpcTransportError && /CONNECTION_CLOSED/.test(error.message),
    );
    assert.equal(mux.pending, 0);
  });
});
