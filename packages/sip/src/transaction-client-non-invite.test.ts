import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type NonInviteClientState,
  NonInviteClientTransaction,
} from "./transaction-client-non-invite.js";
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

function startRequest(method = "OPTIONS", destination = GATEWAY) {
  const setup = testLayer();
  const sent = request({ method });
  const handlers = new RecordingHandlers();
  const transaction = setup.layer.sendRequest(sent, destination, handlers);
  assert.ok(transaction instanceof NonInviteClientTransaction);
  return { ...setup, sent, handlers, transaction };
}

describe("non-INVITE client transaction (RFC 3261 §17.1.2)", () => {
  it("MUST start in Trying and send the request", () => {
    const { transaction, transport } = startRequest("REGISTER");
    assert.equal(transaction.state, "Trying");
    assert.deepEqual(transport.startLines, ["REGISTER sip:bob@example.com SIP/2.0"]);
  });

  it("MUST retransmit on Timer E, doubling from T1 and capped at T2, until Timer F reports a timeout", () => {
    const { clock, transport, handlers, transaction, layer } = startRequest();
    clock.advance(31_999);
    assert.deepEqual(
      transport.times,
      [0, 500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500],
    );
    assert.equal(handlers.timeouts, 0);
    clock.advance(1);
    assert.equal(handlers.timeouts, 1);
    assert.equal(transaction.state, "Terminated");
    assert.equal(layer.stats.retransmissionsSent, 10);
    assert.equal(clock.pendingTimers, 0);
    assert.equal(layer.stats.inFlight["client-non-invite"], 0);
  });

  it("MUST retransmit every T2 in Proceeding, and Timer F still ends the transaction", () => {
    const { clock, transport, handlers, transaction, sent, layer } = startRequest();
    clock.advance(600);
    layer.handleResponse(responseTo(sent, 100), GATEWAY);
    assert.equal(transaction.state, "Proceeding");
    assert.deepEqual(handlers.statuses, [100]);
    clock.advance(31_399);
    // Timer E armed in Trying (1 s) fires at 1.5 s; from then on it is T2.
    assert.deepEqual(
      transport.times,
      [0, 500, 1_500, 5_500, 9_500, 13_500, 17_500, 21_500, 25_500, 29_500],
    );
    clock.advance(1);
    assert.equal(handlers.timeouts, 1, "Timer F fires in Proceeding too");
    assert.equal(transaction.state, "Terminated");
  });

  it("MUST NOT retransmit over a reliable transport", () => {
    const { clock, transport, handlers } = startRequest("OPTIONS", TCP_GATEWAY);
    clock.advance(32_000);
    assert.equal(transport.sent.length, 1);
    assert.equal(handlers.timeouts, 1);
  });

  it("MUST move to Completed on a final response, pass it up once and absorb its retransmissions", () => {
    const { clock, transport, handlers, transaction, sent, layer } = startRequest();
    layer.handleResponse(responseTo(sent, 180), GATEWAY);
    layer.handleResponse(responseTo(sent, 404, "x"), GATEWAY);
    assert.equal(transaction.state, "Completed");
    layer.handleResponse(responseTo(sent, 404, "x"), GATEWAY);
    assert.deepEqual(handlers.statuses, [180, 404]);
    assert.equal(layer.stats.retransmissionsAbsorbed, 1);
    clock.advance(60_000);
    assert.deepEqual(transport.times, [0], "no retransmission after the final response");
    assert.equal(handlers.timeouts, 0);
  });

  it("lets go of the request and the TU's handlers in Completed", () => {
    const { handlers, transaction, sent, layer } = startRequest();
    layer.handleResponse(responseTo(sent, 180), GATEWAY);
    assert.equal(transaction.request, sent, "Proceeding still retransmits the request");
    layer.handleResponse(responseTo(sent, 200, "x"), GATEWAY);
    assert.equal(transaction.request, undefined);
    layer.handleResponse(responseTo(sent, 500, "x"), GATEWAY);
    assert.deepEqual(handlers.statuses, [180, 200]);
  });

  it("MUST stay Completed for Timer K (T4 over UDP) and then terminate", () => {
    const { clock, transaction, sent, layer } = startRequest();
    layer.handleResponse(responseTo(sent, 200, "x"), GATEWAY);
    clock.advance(4_999);
    assert.equal(transaction.state, "Completed");
    clock.advance(1);
    assert.equal(transaction.state, "Terminated");
    assert.equal(clock.pendingTimers, 0);
    assert.equal(layer.handleResponse(responseTo(sent, 200, "x"), GATEWAY), "stray");
  });

  it("MUST terminate on the final response over a reliable transport (Timer K = 0)", () => {
    const { clock, transaction, sent, layer } = startRequest("OPTIONS", TCP_GATEWAY);
    layer.handleResponse(responseTo(sent, 200, "x"), TCP_GATEWAY);
    assert.equal(transaction.state, "Terminated");
    assert.equal(clock.pendingTimers, 0);
  });

  it("MUST report a transport error and terminate (RFC 3261 §17.1.4)", () => {
    const { clock, transport, handlers, transaction } = startRequest();
    transport.throwOnSend = new Error("ENETUNREACH");
    clock.advance(500);
    assert.equal(handlers.transportErrors.length, 1);
    assert.ok(handlers.transportErrors[0] instanceof TransactionTransportError);
    assert.equal(transaction.state, "Terminated");
    assert.equal(clock.pendingTimers, 0);
  });

  it("throws on a move its state machine does not have", () => {
    class Probe extends NonInviteClientTransaction {
      move(to: NonInviteClientState): void {
        this.transition(to);
      }
    }
    const probe = new Probe(
      probeContext(),
      "probe",
      request({ method: "BYE" }),
      GATEWAY,
      new RecordingHandlers(),
    );
    probe.move("Proceeding");
    assert.throws(() => probe.move("Trying"), IllegalTransitionError);
    probe.move("Completed");
    assert.throws(() => probe.move("Proceeding"), IllegalTransitionError);
  });
});
