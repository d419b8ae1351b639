import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type InviteClientState, InviteClientTransaction } from "./transaction-client-invite.js";
import { IllegalTransitionError, TransactionTransportError } from "./transaction-machine.js";
import {
  GATEWAY,
  probeContext,
  RecordingHandlers,
  request,
  responseTo,
  testLayer,
} from "./transaction-test-support.js";

const TCP_GATEWAY = { ...GATEWAY, transport: "TCP" } as const;

function startInvite(destination = GATEWAY) {
  const setup = testLayer();
  const invite = request({ method: "INVITE" });
  const handlers = new RecordingHandlers();
  const transaction = setup.layer.sendRequest(invite, destination, handlers);
  assert.ok(transaction instanceof InviteClientTransaction);
  return { ...setup, invite, handlers, transaction };
}

describe("INVITE client transaction (RFC 3261 §17.1.1, RFC 6026 §8.4)", () => {
  it("MUST start in Calling and send the INVITE to the destination", () => {
    const { transaction, transport, invite } = startInvite();
    assert.equal(transaction.state, "Calling");
    assert.deepEqual(transport.startLines, ["INVITE sip:bob@example.com SIP/2.0"]);
    assert.deepEqual(transport.sent[0]?.destination, GATEWAY);
    assert.equal(transport.sent[0]?.text, invite.toBuffer().toString("utf8"));
  });

  it("MUST retransmit over UDP on Timer A, doubling from T1, until Timer B reports a timeout at 64·T1", () => {
    const { clock, transport, handlers, transaction, layer } = startInvite();
    clock.advance(31_999);
    assert.deepEqual(transport.times, [0, 500, 1_500, 3_500, 7_500, 15_500, 31_500]);
    assert.equal(handlers.timeouts, 0);
    clock.advance(1);
    assert.equal(handlers.timeouts, 1, "Timer B fires at 64·T1");
    assert.equal(transaction.state, "Terminated");
    assert.equal(layer.stats.retransmissionsSent, 6);
    assert.equal(layer.stats.inFlight["client-invite"], 0);
    assert.equal(clock.pendingTimers, 0);
  });

  it("MUST NOT retransmit over a reliable transport, and Timer B still applies", () => {
    const { clock, transport, handlers, transaction } = startInvite(TCP_GATEWAY);
    clock.advance(31_999);
    assert.equal(transport.sent.length, 1);
    clock.advance(1);
    assert.equal(handlers.timeouts, 1);
    assert.equal(transaction.state, "Terminated");
  });

  it("MUST move to Proceeding on a provisional response, pass it up and stop retransmitting", () => {
    const { clock, transport, handlers, transaction, invite, layer } = startInvite();
    clock.advance(600);
    assert.equal(layer.handleResponse(responseTo(invite, 100), GATEWAY), "matched");
    assert.equal(transaction.state, "Proceeding");
    layer.handleResponse(responseTo(invite, 180, "b1"), GATEWAY);
    assert.deepEqual(handlers.statuses, [100, 180]);
    clock.advance(120_000);
    assert.deepEqual(transport.times, [0, 500], "no retransmission after a provisional response");
    assert.equal(handlers.timeouts, 0, "Timer B only matters in Calling");
    assert.equal(transaction.state, "Proceeding");
    assert.equal(clock.pendingTimers, 0);
  });

  it("MUST move to Completed on a 300–699 response, pass it up and ACK it to the same destination", () => {
    const { handlers, transaction, invite, layer, transport } = startInvite(GATEWAY);
    layer.handleResponse(responseTo(invite, 180, "b1"), GATEWAY);
    transport.drain();
    layer.handleResponse(responseTo(invite, 486, "b1"), GATEWAY);
    assert.equal(transaction.state, "Completed");
    assert.deepEqual(handlers.statuses, [180, 486]);
    const [ack] = transport.sent;
    assert.equal(ack?.startLine, "ACK sip:bob@example.com SIP/2.0");
    assert.deepEqual(ack?.destination, GATEWAY);
    assert.match(
      ack?.text ?? "",
      new RegExp(`branch=${invite.vias[0]?.branch}`),
      "ACK keeps the INVITE's branch",
    );
    assert.match(ack?.text ?? "", /CSeq: 314159 ACK/);
    assert.match(ack?.text ?? "", /tag=b1/, "ACK carries the To tag of the response");
  });

  it("MUST answer each retransmitted final response with the same ACK, without passing it up", () => {
    const { handlers, invite, layer, transport } = startInvite();
    const busy = responseTo(invite, 486, "b1");
    layer.handleResponse(busy, GATEWAY);
    const firstAck = transport.sent.at(-1)?.text;
    transport.drain();
    layer.handleResponse(busy, GATEWAY);
    layer.handleResponse(busy, GATEWAY);
    assert.deepEqual(handlers.statuses, [486]);
    assert.deepEqual(transport.startLines, [
      "ACK sip:bob@example.com SIP/2.0",
      "ACK sip:bob@example.com SIP/2.0",
    ]);
    assert.equal(transport.sent[0]?.text, firstAck);
    assert.equal(layer.stats.retransmissionsAbsorbed, 2);
    assert.equal(layer.stats.retransmissionsSent, 2);
  });

  it("MUST stay Completed for Timer D (32 s over UDP) and then terminate", () => {
    const { clock, transaction, invite, layer, user } = startInvite();
    layer.handleResponse(responseTo(invite, 603, "b1"), GATEWAY);
    clock.advance(31_999);
    assert.equal(transaction.state, "Completed");
    clock.advance(1);
    assert.equal(transaction.state, "Terminated");
    assert.equal(clock.pendingTimers, 0);
    assert.equal(layer.handleResponse(responseTo(invite, 603, "b1"), GATEWAY), "stray");
    assert.equal(
      user.strayResponses.length,
      1,
      "after termination the response matches no transaction",
    );
  });

  it("MUST terminate at once after the ACK over a reliable transport (Timer D = 0)", () => {
    const { clock, transaction, invite, layer, transport } = startInvite(TCP_GATEWAY);
    layer.handleResponse(responseTo(invite, 404, "b1"), TCP_GATEWAY);
    assert.equal(transport.startLines.at(-1), "ACK sip:bob@example.com SIP/2.0");
    assert.equal(transaction.state, "Terminated");
    assert.equal(clock.pendingTimers, 0);
  });

  it("MUST enter Accepted on a 2xx and pass up every 2xx, from every fork, until Timer M fires", () => {
    const { clock, handlers, transaction, invite, layer, transport } = startInvite();
    layer.handleResponse(responseTo(invite, 200, "fork1"), GATEWAY);
    assert.equal(transaction.state, "Accepted");
    clock.advance(1_000);
    layer.handleResponse(responseTo(invite, 200, "fork1"), GATEWAY);
    layer.handleResponse(responseTo(invite, 200, "fork2"), GATEWAY);
    layer.handleResponse(responseTo(invite, 486, "fork3"), GATEWAY);
    assert.deepEqual(handlers.statuses, [200, 200, 200], "2xx pass through; non-2xx are dropped");
    assert.deepEqual(
      handlers.responses.map((response) => response.to.params.get("tag")),
      ["fork1", "fork1", "fork2"],
    );
    assert.deepEqual(
      transport.startLines,
      ["INVITE sip:bob@example.com SIP/2.0"],
      "the TU ACKs a 2xx, not the transaction",
    );
    assert.deepEqual(transport.times, [0], "no retransmission after a 2xx");
    clock.advance(30_999);
    assert.equal(transaction.state, "Accepted");
    clock.advance(1);
    assert.equal(transaction.state, "Terminated");
    assert.equal(clock.pendingTimers, 0);
    assert.equal(layer.handleResponse(responseTo(invite, 200, "fork1"), GATEWAY), "stray");
  });

  it("lets go of the INVITE once a final response came, and ACKs retransmissions without it", () => {
    const accepted = startInvite();
    accepted.layer.handleResponse(responseTo(accepted.invite, 200, "uas"), GATEWAY);
    assert.equal(accepted.transaction.request, undefined);
    const rejected = startInvite();
    rejected.layer.handleResponse(responseTo(rejected.invite, 486, "uas"), GATEWAY);
    assert.equal(rejected.transaction.request, undefined);
    rejected.transport.drain();
    rejected.layer.handleResponse(responseTo(rejected.invite, 486, "uas"), GATEWAY);
    assert.deepEqual(rejected.transport.startLines, ["ACK sip:bob@example.com SIP/2.0"]);
    assert.deepEqual(rejected.handlers.statuses, [486]);
  });

  it("MUST report a transport error on the INVITE and terminate (RFC 3261 §17.1.4)", () => {
    const setup = testLayer();
    const failure = new Error("EHOSTUNREACH");
    setup.transport.throwOnSend = failure;
    const handlers = new RecordingHandlers();
    const transaction = setup.layer.sendRequest(request(), GATEWAY, handlers);
    assert.equal(transaction.state, "Terminated");
    assert.equal(handlers.transportErrors.length, 1);
    const [error] = handlers.transportErrors;
    assert.ok(error instanceof TransactionTransportError);
    assert.equal(error.cause, failure);
    assert.deepEqual(error.destination, GATEWAY);
    assert.equal(setup.clock.pendingTimers, 0);
    assert.equal(setup.layer.stats.inFlight["client-invite"], 0);
  });

  it("MUST report a transport error that the transport reports later, on a retransmission", async () => {
    const { clock, transport, handlers, transaction } = startInvite();
    transport.rejectOnSend = new Error("ECONNREFUSED");
    clock.advance(500);
    await Promise.resolve();
    assert.equal(handlers.transportErrors.length, 1);
    assert.equal(transaction.state, "Terminated");
    assert.equal(clock.pendingTimers, 0);
  });

  it("MUST report a transport error while sending the ACK and terminate", () => {
    const { invite, layer, transport, handlers, transaction, clock } = startInvite();
    transport.throwOnSend = new Error("ENOBUFS");
    layer.handleResponse(responseTo(invite, 500), GATEWAY);
    assert.deepEqual(handlers.statuses, [500]);
    assert.equal(handlers.transportErrors.length, 1);
    assert.equal(transaction.state, "Terminated");
    assert.equal(clock.pendingTimers, 0);
  });

  it("leaves the table and disarms every timer when the TU terminates it", () => {
    const { clock, transaction, layer, invite } = startInvite();
    layer.handleResponse(responseTo(invite, 180, "b1"), GATEWAY);
    transaction.terminate();
    assert.equal(transaction.state, "Terminated");
    assert.equal(clock.pendingTimers, 0);
    assert.equal(layer.stats.inFlight["client-invite"], 0);
  });

  it("throws on a move its state machine does not have", () => {
    class Probe extends InviteClientTransaction {
      move(to: InviteClientState): void {
        this.transition(to);
      }
    }
    const probe = new Probe(probeContext(), "probe", request(), GATEWAY, new RecordingHandlers());
    probe.move("Completed");
    assert.throws(() => probe.move("Proceeding"), IllegalTransitionError);
    assert.throws(
      () => probe.move("Accepted"),
      /client-invite transaction cannot go from Completed to Accepted/,
    );
    probe.move("Terminated");
    assert.throws(() => probe.move("Calling"), IllegalTransitionError);
  });
});
