import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createResponse } from "./message-build.js";
import { IllegalTransitionError, TransactionTransportError } from "./transaction-machine.js";
import {
  type NonInviteServerState,
  NonInviteServerTransaction,
} from "./transaction-server-non-invite.js";
import {
  PHONE,
  probeContext,
  RecordingUser,
  request,
  testLayer,
} from "./transaction-test-support.js";

const TCP_PHONE = { ...PHONE, transport: "TCP" } as const;

function receiveRequest(method = "REGISTER", source = PHONE) {
  const setup = testLayer();
  const received = request({ method, transport: source.transport });
  assert.equal(setup.layer.handleRequest(received, source), "new-transaction");
  const transaction = setup.user.requests[0];
  assert.ok(transaction instanceof NonInviteServerTransaction);
  return { ...setup, received, transaction };
}

describe("non-INVITE server transaction (RFC 3261 §17.2.2)", () => {
  it("MUST start in Trying and discard retransmissions there", () => {
    const { transaction, transport, received, layer, user } = receiveRequest();
    assert.equal(transaction.state, "Trying");
    assert.equal(layer.handleRequest(received, PHONE), "retransmission");
    assert.equal(transport.sent.length, 0);
    assert.equal(user.requests.length, 1);
    assert.equal(layer.stats.retransmissionsAbsorbed, 1);
  });

  it("MUST move to Proceeding on a provisional response and answer retransmissions with it", () => {
    const { transaction, transport, received, layer } = receiveRequest();
    transaction.respond(createResponse(received, 100, "Trying"));
    assert.equal(transaction.state, "Proceeding");
    transaction.respond(createResponse(received, 183, "Progress"));
    transport.drain();
    layer.handleRequest(received, PHONE);
    assert.deepEqual(transport.startLines, ["SIP/2.0 183 Progress"]);
    assert.equal(layer.stats.retransmissionsSent, 1);
  });

  it("MUST move to Completed on a final response and answer retransmissions with it", () => {
    const { transaction, transport, received, layer } = receiveRequest();
    assert.equal(
      transaction.respond(createResponse(received, 401, "Unauthorized", { toTag: "t" })),
      true,
    );
    assert.equal(transaction.state, "Completed");
    transport.drain();
    layer.handleRequest(received, PHONE);
    layer.handleRequest(received, PHONE);
    assert.deepEqual(transport.startLines, [
      "SIP/2.0 401 Unauthorized",
      "SIP/2.0 401 Unauthorized",
    ]);
    assert.deepEqual(transport.sent[0]?.destination, PHONE);
  });

  it("keeps only the final response's bytes in Completed: the request is released", () => {
    const { transaction, transport, received, layer } = receiveRequest();
    transaction.respond(createResponse(received, 100, "Trying"));
    assert.equal(transaction.request, received, "the TU may still answer in Proceeding");
    transaction.respond(createResponse(received, 200, "OK", { toTag: "t" }));
    assert.equal(transaction.request, undefined);
    assert.equal(transaction.lastStatus, 200);
    transport.drain();
    layer.handleRequest(received, PHONE);
    assert.deepEqual(transport.startLines, ["SIP/2.0 200 OK"]);
  });

  it("MUST discard further final responses from the TU in Completed", () => {
    const { transaction, transport, received } = receiveRequest();
    transaction.respond(createResponse(received, 200, "OK", { toTag: "t" }));
    assert.equal(transaction.respond(createResponse(received, 500, "Oops", { toTag: "t" })), false);
    assert.deepEqual(transport.startLines, ["SIP/2.0 200 OK"]);
  });

  it("MUST stay Completed for Timer J (64·T1 over UDP), then terminate", () => {
    const { clock, transaction, received, layer } = receiveRequest();
    transaction.respond(createResponse(received, 200, "OK", { toTag: "t" }));
    clock.advance(31_999);
    assert.equal(transaction.state, "Completed");
    clock.advance(1);
    assert.equal(transaction.state, "Terminated");
    assert.equal(clock.pendingTimers, 0);
    assert.equal(layer.stats.inFlight["server-non-invite"], 0);
  });

  it("MUST terminate on the final response over a reliable transport (Timer J = 0)", () => {
    const { clock, transaction, received, transport } = receiveRequest("OPTIONS", TCP_PHONE);
    transaction.respond(createResponse(received, 200, "OK", { toTag: "t" }));
    assert.equal(transaction.state, "Terminated");
    assert.deepEqual(transport.sent[0]?.destination, TCP_PHONE);
    assert.equal(clock.pendingTimers, 0);
  });

  it("MUST report a transport error to the TU and terminate (RFC 3261 §17.2.4)", () => {
    const { clock, transaction, received, transport, user, layer } = receiveRequest();
    transport.throwOnSend = new Error("EMSGSIZE");
    transaction.respond(createResponse(received, 200, "OK", { toTag: "t" }));
    assert.equal(user.transportErrors.length, 1);
    assert.ok(user.transportErrors[0]?.error instanceof TransactionTransportError);
    assert.equal(transaction.state, "Terminated");
    assert.equal(clock.pendingTimers, 0);
    assert.equal(layer.stats.inFlight["server-non-invite"], 0);
  });

  it("throws on a move its state machine does not have", () => {
    class Probe extends NonInviteServerTransaction {
      move(to: NonInviteServerState): void {
        this.transition(to);
      }
    }
    const probe = new Probe(
      probeContext(),
      "probe",
      request({ method: "BYE" }),
      PHONE,
      PHONE,
      new RecordingUser(),
    );
    probe.move("Completed");
    assert.throws(() => probe.move("Proceeding"), IllegalTransitionError);
    assert.throws(() => probe.move("Trying"), IllegalTransitionError);
  });
});
