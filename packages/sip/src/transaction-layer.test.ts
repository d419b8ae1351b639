import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAck, createResponse, statelessTag } from "./message-build.js";
import { InviteClientTransaction } from "./transaction-client-invite.js";
import { NonInviteClientTransaction } from "./transaction-client-non-invite.js";
import { InviteServerTransaction } from "./transaction-server-invite.js";
import { NonInviteServerTransaction } from "./transaction-server-non-invite.js";
import {
  GATEWAY,
  PHONE,
  RecordingHandlers,
  request,
  responseTo,
  testLayer,
} from "./transaction-test-support.js";

describe("TransactionLayer: requests (RFC 3261 §17.2.3)", () => {
  it("hands each new request to the TU in a server transaction of the right kind", () => {
    const { layer, user } = testLayer();
    assert.equal(layer.handleRequest(request({ method: "INVITE" }), PHONE), "new-transaction");
    assert.equal(layer.handleRequest(request({ method: "REGISTER" }), PHONE), "new-transaction");
    assert.ok(user.requests[0] instanceof InviteServerTransaction);
    assert.ok(user.requests[1] instanceof NonInviteServerTransaction);
    assert.deepEqual(layer.stats.inFlight, {
      "client-invite": 0,
      "client-non-invite": 0,
      "server-invite": 1,
      "server-non-invite": 1,
    });
  });

  it("lets completed transactions wait out Timer J on one clock timer between them", () => {
    const { layer, user, clock } = testLayer();
    for (let i = 0; i < 1000; i++) layer.handleRequest(request({ method: "REGISTER" }), PHONE);
    for (const transaction of user.requests) {
      const received = transaction.request;
      assert.ok(received);
      transaction.respond(createResponse(received, 200, "OK", { toTag: "t" }));
    }
    assert.equal(layer.stats.inFlight["server-non-invite"], 1000);
    assert.equal(clock.pendingTimers, 1);
    clock.advance(32_000);
    assert.equal(layer.stats.inFlight["server-non-invite"], 0);
    assert.ok(user.requests.every((transaction) => transaction.state === "Terminated"));
  });

  it("MUST treat the same branch from another sent-by as a new request", () => {
    const { layer, user } = testLayer();
    layer.handleRequest(request({ branch: "z9hG4bKsame", sentBy: "192.0.2.10" }), PHONE);
    const other = request({ branch: "z9hG4bKsame", sentBy: "192.0.2.77" });
    assert.equal(layer.handleRequest(other, { ...PHONE, host: "192.0.2.77" }), "new-transaction");
    assert.equal(user.requests.length, 2);
  });

  it("passes an ACK matching no transaction to the TU as a stray ACK", () => {
    const { layer, user } = testLayer();
    const ack = request({ method: "ACK", toTag: "uas1" });
    assert.equal(layer.handleRequest(ack, PHONE), "ack-to-tu");
    assert.deepEqual(user.acks, [ack]);
    assert.equal(layer.stats.acksToTu, 1);
  });

  it("gives a CANCEL its own transaction and the INVITE server transaction it cancels (RFC 3261 §9.2)", () => {
    const { layer, user, transport } = testLayer();
    layer.handleRequest(request({ branch: "z9hG4bKinv" }), PHONE);
    const cancel = request({ branch: "z9hG4bKinv", method: "CANCEL" });
    assert.equal(layer.handleRequest(cancel, PHONE), "new-transaction");
    const [entry] = user.cancels;
    assert.ok(entry);
    assert.equal(entry.target, user.requests[0]);
    assert.equal(entry.cancel.request, cancel);
    assert.equal(user.requests.length, 1, "the CANCEL goes to onCancel only");
    entry.cancel.respond(createResponse(cancel, 200, "OK", { toTag: "t" }));
    transport.drain();
    assert.equal(layer.handleRequest(cancel, PHONE), "retransmission");
    assert.deepEqual(
      transport.startLines,
      ["SIP/2.0 200 OK"],
      "a retransmitted CANCEL gets the CANCEL's response",
    );
  });

  it("finds no INVITE for a CANCEL from another sent-by, or for one with no INVITE", () => {
    const { layer, user } = testLayer();
    layer.handleRequest(request({ branch: "z9hG4bKinv" }), PHONE);
    layer.handleRequest(
      request({ branch: "z9hG4bKinv", method: "CANCEL", sentBy: "192.0.2.66" }),
      PHONE,
    );
    layer.handleRequest(request({ branch: "z9hG4bKnone", method: "CANCEL" }), PHONE);
    assert.deepEqual(
      user.cancels.map((entry) => entry.target),
      [undefined, undefined],
    );
  });

  it("MUST absorb an RFC 2543 INVITE retransmission and match its ACK by the response's To tag", () => {
    const { layer, user, transport } = testLayer();
    const invite = request({ branch: null });
    layer.handleRequest(invite, PHONE);
    const transaction = user.requests[0];
    assert.ok(transaction instanceof InviteServerTransaction);
    const busy = createResponse(invite, 486, "Busy Here", { toTag: "uas1" });
    transaction.respond(busy);
    assert.equal(layer.handleRequest(request({ branch: null }), PHONE), "retransmission");
    assert.equal(transport.startLines.at(-1), "SIP/2.0 486 Busy Here");
    const strangerAck = request({ branch: null, method: "ACK", toTag: "someone-else" });
    assert.equal(
      layer.handleRequest(strangerAck, PHONE),
      "ack-to-tu",
      "another To tag is not this ACK",
    );
    assert.equal(layer.handleRequest(createAck(invite, busy), PHONE), "ack-absorbed");
    assert.equal(transaction.state, "Confirmed");
  });

  it("sends responses to the address in received and rport (RFC 3581 §4), or the sent-by port", () => {
    const { layer, user, transport } = testLayer();
    const natted = request({ viaParams: ";received=203.0.113.9;rport=40000" });
    layer.handleRequest(natted, { transport: "UDP", host: "203.0.113.9", port: 40000 });
    const plain = request({ sentBy: "192.0.2.10:5070", viaParams: ";received=203.0.113.8" });
    layer.handleRequest(plain, { transport: "UDP", host: "203.0.113.8", port: 33333 });
    user.requests[0]?.respond(createResponse(natted, 100, "Trying"));
    user.requests[1]?.respond(createResponse(plain, 100, "Trying"));
    assert.deepEqual(
      transport.sent.map((sent) => sent.destination),
      [
        { transport: "UDP", host: "203.0.113.9", port: 40000 },
        { transport: "UDP", host: "203.0.113.8", port: 5070 },
      ],
    );
  });
});

describe("TransactionLayer: responses and client transactions (RFC 3261 §17.1.3)", () => {
  it("creates the client transaction kind the method needs", () => {
    const { layer } = testLayer();
    const handlers = new RecordingHandlers();
    assert.ok(
      layer.sendRequest(request({ method: "INVITE" }), GATEWAY, handlers) instanceof
        InviteClientTransaction,
    );
    assert.ok(
      layer.sendRequest(request({ method: "BYE" }), GATEWAY, handlers) instanceof
        NonInviteClientTransaction,
    );
    assert.equal(layer.stats.inFlight["client-invite"], 1);
    assert.equal(layer.stats.inFlight["client-non-invite"], 1);
  });

  it("delivers a response to the client transaction with its branch and CSeq method only", () => {
    const { layer, user } = testLayer();
    const invite = request({ branch: "z9hG4bKout" });
    const inviteHandlers = new RecordingHandlers();
    layer.sendRequest(invite, GATEWAY, inviteHandlers);
    const cancel = request({ branch: "z9hG4bKout", method: "CANCEL" });
    const cancelHandlers = new RecordingHandlers();
    layer.sendRequest(cancel, GATEWAY, cancelHandlers);
    layer.handleResponse(responseTo(cancel, 200, "t"), GATEWAY);
    layer.handleResponse(responseTo(invite, 487, "t"), GATEWAY);
    assert.deepEqual(cancelHandlers.statuses, [200]);
    assert.deepEqual(inviteHandlers.statuses, [487]);
    assert.deepEqual(user.strayResponses, []);
  });

  it("passes a response matching no client transaction to the TU as stray (RFC 3261 §16.7)", () => {
    const { layer, user } = testLayer();
    const response = responseTo(request(), 200, "t");
    assert.equal(layer.handleResponse(response, GATEWAY), "stray");
    assert.deepEqual(user.strayResponses, [response]);
    assert.equal(layer.stats.strayResponses, 1);
  });

  it("refuses an ACK, a request without a branch, and a branch already in use", () => {
    const { layer } = testLayer();
    const handlers = new RecordingHandlers();
    assert.throws(
      () => layer.sendRequest(request({ method: "ACK" }), GATEWAY, handlers),
      TypeError,
    );
    assert.throws(() => layer.sendRequest(request({ branch: null }), GATEWAY, handlers), TypeError);
    layer.sendRequest(request({ branch: "z9hG4bKdup" }), GATEWAY, handlers);
    assert.throws(
      () => layer.sendRequest(request({ branch: "z9hG4bKdup" }), GATEWAY, handlers),
      /exists/,
    );
  });
});

describe("TransactionLayer: lifetime", () => {
  it("leaves no transaction and no timer behind once every transaction has run its course", () => {
    const { layer, user, clock } = testLayer();
    const handlers = new RecordingHandlers();
    const outgoing = request({ method: "INVITE" });
    layer.sendRequest(outgoing, GATEWAY, handlers);
    layer.sendRequest(request({ method: "OPTIONS" }), GATEWAY, handlers);
    const incoming = request({ method: "INVITE" });
    layer.handleRequest(incoming, PHONE);
    layer.handleRequest(request({ method: "MESSAGE" }), PHONE);
    layer.handleResponse(responseTo(outgoing, 486, "t"), GATEWAY);
    user.requests[0]?.respond(createResponse(incoming, 200, "OK", { toTag: "t" }));
    const message = user.requests[1]?.request;
    assert.ok(message);
    user.requests[1]?.respond(createResponse(message, 202, "Accepted", { toTag: "t" }));
    clock.advance(64_000);
    assert.deepEqual(Object.values(layer.stats.inFlight), [0, 0, 0, 0]);
    assert.equal(clock.pendingTimers, 0);
  });

  it("close() terminates every transaction and disarms every timer", () => {
    const { layer, clock } = testLayer();
    layer.sendRequest(request({ method: "INVITE" }), GATEWAY, new RecordingHandlers());
    layer.handleRequest(request({ method: "SUBSCRIBE" }), PHONE);
    assert.ok(clock.pendingTimers > 0);
    layer.close();
    assert.equal(clock.pendingTimers, 0);
    assert.deepEqual(Object.values(layer.stats.inFlight), [0, 0, 0, 0]);
  });
});

describe("stateless answers (RFC 3261 §8.2.7)", () => {
  const NONE_IN_FLIGHT = {
    "client-invite": 0,
    "client-non-invite": 0,
    "server-invite": 0,
    "server-non-invite": 0,
  };

  it("sends the final response once and keeps no transaction: a retransmission is new", () => {
    const { layer, user, transport, clock } = testLayer();
    const register = request({ method: "REGISTER" });
    layer.handleRequest(register, PHONE);
    const transaction = user.requests[0];
    assert.ok(transaction);
    const challenge = createResponse(register, 401, "Unauthorized", {
      toTag: statelessTag(register),
    });
    assert.equal(transaction.respondStatelessly(challenge), true);
    assert.deepEqual(transport.startLines, ["SIP/2.0 401 Unauthorized"]);
    assert.deepEqual(layer.stats.inFlight, NONE_IN_FLIGHT);
    assert.equal(clock.pendingTimers, 0);
    assert.equal(transaction.respond(challenge), false, "nothing more is sent on it");
    assert.equal(layer.handleRequest(register, PHONE), "new-transaction");
    assert.equal(user.requests.length, 2);
  });

  it("leaves the ACK of a stateless answer to an INVITE unmatched, with the tag it was given", () => {
    const { layer, user } = testLayer();
    const invite = request({ method: "INVITE" });
    layer.handleRequest(invite, PHONE);
    const tag = statelessTag(invite);
    user.requests[0]?.respondStatelessly(createResponse(invite, 407, "Proxy Auth", { toTag: tag }));
    assert.deepEqual(layer.stats.inFlight, NONE_IN_FLIGHT);
    const ack = createAck(invite, responseTo(invite, 407, tag));
    assert.equal(layer.handleRequest(ack, PHONE), "ack-to-tu");
    assert.equal(statelessTag(ack), tag);
  });

  it("derives the same tag for a retransmission and another tag for another request", () => {
    const first = request({ method: "REGISTER", branch: "z9hG4bK1", cseq: 1 });
    assert.equal(
      statelessTag(first),
      statelessTag(request({ method: "REGISTER", branch: "z9hG4bK1", cseq: 1 })),
    );
    assert.notEqual(
      statelessTag(first),
      statelessTag(request({ method: "REGISTER", branch: "z9hG4bK2", cseq: 2 })),
    );
  });

  it("answers through the state machine once a provisional response went out", () => {
    const { layer, user, transport } = testLayer();
    const invite = request({ method: "INVITE" });
    layer.handleRequest(invite, PHONE);
    const transaction = user.requests[0];
    assert.ok(transaction);
    transaction.respond(createResponse(invite, 100, "Trying"));
    const challenge = createResponse(invite, 407, "Proxy Auth", { toTag: statelessTag(invite) });
    assert.equal(transaction.respondStatelessly(challenge), true);
    assert.equal(layer.stats.inFlight["server-invite"], 1, "kept, to retransmit the 407");
    transport.drain();
    assert.equal(layer.handleRequest(invite, PHONE), "retransmission");
    assert.deepEqual(transport.startLines, ["SIP/2.0 407 Proxy Auth"]);
  });

  it("refuses a provisional response", () => {
    const { layer, user } = testLayer();
    const register = request({ method: "REGISTER" });
    layer.handleRequest(register, PHONE);
    assert.throws(
      () => user.requests[0]?.respondStatelessly(createResponse(register, 100, "Trying")),
      RangeError,
    );
  });
});
