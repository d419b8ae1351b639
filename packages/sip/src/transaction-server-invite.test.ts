import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createAck, createResponse } from "./message-build.js";
import { IllegalTransitionError } from "./transaction-machine.js";
import { type InviteServerState, InviteServerTransaction } from "./transaction-server-invite.js";
import {
  PHONE,
  probeContext,
  RecordingUser,
  request,
  testLayer,
} from "./transaction-test-support.js";

const TCP_PHONE = { ...PHONE, transport: "TCP" } as const;

function receiveInvite(options: Parameters<typeof testLayer>[0] = {}, source = PHONE) {
  const setup = testLayer(options);
  const invite = request({ method: "INVITE", transport: source.transport });
  assert.equal(setup.layer.handleRequest(invite, source), "new-transaction");
  const transaction = setup.user.requests[0];
  assert.ok(transaction instanceof InviteServerTransaction);
  return { ...setup, invite, transaction };
}

describe("INVITE server transaction (RFC 3261 §17.2.1, RFC 6026 §7.1, §8.7)", () => {
  it("MUST start in Proceeding and hand the INVITE to the TU without sending anything", () => {
    const { transaction, transport, invite } = receiveInvite();
    assert.equal(transaction.state, "Proceeding");
    assert.equal(transaction.request, invite);
    assert.equal(transport.sent.length, 0);
  });

  it("MUST absorb a retransmitted INVITE and answer it with the last provisional response", () => {
    const { transaction, transport, invite, layer, user } = receiveInvite();
    assert.equal(layer.handleRequest(invite, PHONE), "retransmission");
    assert.equal(transport.sent.length, 0, "nothing to resend before a provisional response");
    transaction.respond(createResponse(invite, 100, "Trying"));
    transaction.respond(createResponse(invite, 180, "Ringing", { toTag: "uas1" }));
    transport.drain();
    assert.equal(layer.handleRequest(invite, PHONE), "retransmission");
    assert.deepEqual(transport.startLines, ["SIP/2.0 180 Ringing"]);
    assert.deepEqual(transport.sent[0]?.destination, PHONE);
    assert.equal(user.requests.length, 1, "retransmissions never reach the TU");
    assert.equal(layer.stats.retransmissionsAbsorbed, 2);
    assert.equal(layer.stats.retransmissionsSent, 1);
  });

  it("sends 100 Trying for the TU once, and not after another response", () => {
    const { transaction, transport, invite } = receiveInvite();
    assert.equal(transaction.sendTrying(), true);
    assert.equal(transaction.sendTrying(), false);
    transaction.respond(createResponse(invite, 180, "Ringing", { toTag: "uas1" }));
    assert.equal(transaction.sendTrying(), false);
    assert.deepEqual(transport.startLines, ["SIP/2.0 100 Trying", "SIP/2.0 180 Ringing"]);
  });

  it("SHOULD send 100 Trying itself when the TU is silent for tryingAfterMs", () => {
    const { clock, transport } = receiveInvite({ tryingAfterMs: 200 });
    clock.advance(199);
    assert.equal(transport.sent.length, 0);
    clock.advance(1);
    assert.deepEqual(transport.startLines, ["SIP/2.0 100 Trying"]);
  });

  it("sends 100 Trying before handing the INVITE over when tryingAfterMs is 0", () => {
    const { transport, transaction } = receiveInvite({ tryingAfterMs: 0 });
    assert.deepEqual(transport.startLines, ["SIP/2.0 100 Trying"]);
    assert.equal(transaction.lastStatus, 100);
  });

  it("does not send its own 100 Trying when the TU answered first", () => {
    const { clock, transport, transaction, invite } = receiveInvite({ tryingAfterMs: 200 });
    transaction.respond(createResponse(invite, 183, "Session Progress", { toTag: "uas1" }));
    clock.advance(1_000);
    assert.deepEqual(transport.startLines, ["SIP/2.0 183 Session Progress"]);
  });

  it("MUST move to Completed on a 300–699 response and retransmit it on Timer G (T1 doubling, capped at T2)", () => {
    const { clock, transport, transaction, invite } = receiveInvite();
    assert.equal(
      transaction.respond(createResponse(invite, 486, "Busy Here", { toTag: "uas1" })),
      true,
    );
    assert.equal(transaction.state, "Completed");
    clock.advance(31_999);
    assert.deepEqual(
      transport.times,
      [0, 500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500],
    );
    assert.ok(transport.startLines.every((line) => line === "SIP/2.0 486 Busy Here"));
  });

  it("MUST terminate on Timer H (64·T1) without an ACK and report the failure to the TU", () => {
    const { clock, transaction, invite, user, layer } = receiveInvite();
    transaction.respond(createResponse(invite, 480, "Temporarily Unavailable", { toTag: "uas1" }));
    clock.advance(31_999);
    assert.deepEqual(user.timeouts, []);
    clock.advance(1);
    assert.deepEqual(user.timeouts, [transaction]);
    assert.equal(transaction.state, "Terminated");
    assert.equal(clock.pendingTimers, 0);
    assert.equal(layer.stats.inFlight["server-invite"], 0);
  });

  it("MUST answer a retransmitted INVITE in Completed with the final response", () => {
    const { transport, transaction, invite, layer } = receiveInvite();
    transaction.respond(createResponse(invite, 404, "Not Found", { toTag: "uas1" }));
    transport.drain();
    assert.equal(layer.handleRequest(invite, PHONE), "retransmission");
    assert.deepEqual(transport.startLines, ["SIP/2.0 404 Not Found"]);
  });

  it("releases the INVITE with the final response and still matches its ACK", () => {
    const { transaction, invite, layer } = receiveInvite();
    transaction.respond(
      createResponse(invite, 407, "Proxy Authentication Required", { toTag: "t" }),
    );
    assert.equal(transaction.request, undefined);
    const ack = request({ method: "ACK", toTag: "t", branch: invite.vias[0]?.branch });
    assert.equal(layer.handleRequest(ack, PHONE), "ack-absorbed");
    assert.equal(transaction.state, "Confirmed");
  });

  it("MUST move to Confirmed on the ACK, stop Timer G, absorb ACKs for Timer I (T4), then terminate", () => {
    const { clock, transport, transaction, invite, layer, user } = receiveInvite();
    const response = createResponse(invite, 486, "Busy Here", { toTag: "uas1" });
    transaction.respond(response);
    clock.advance(600);
    transport.drain();
    const ack = createAck(invite, response);
    assert.equal(layer.handleRequest(ack, PHONE), "ack-absorbed");
    assert.equal(transaction.state, "Confirmed");
    assert.equal(layer.handleRequest(ack, PHONE), "ack-absorbed");
    assert.equal(layer.handleRequest(invite, PHONE), "retransmission");
    assert.deepEqual(user.acks, [], "ACKs for a non-2xx never reach the TU");
    clock.advance(4_999);
    assert.equal(transport.sent.length, 0, "Confirmed sends nothing");
    assert.equal(transaction.state, "Confirmed");
    clock.advance(1);
    assert.equal(transaction.state, "Terminated");
    assert.equal(clock.pendingTimers, 0);
    assert.equal(layer.stats.retransmissionsAbsorbed, 2);
  });

  it("MUST NOT retransmit over a reliable transport and terminates on the ACK (Timer I = 0)", () => {
    const { clock, transport, transaction, invite, layer } = receiveInvite({}, TCP_PHONE);
    const response = createResponse(invite, 486, "Busy Here", { toTag: "uas1" });
    transaction.respond(response);
    clock.advance(10_000);
    assert.equal(transport.sent.length, 1);
    assert.deepEqual(
      transport.sent[0]?.destination,
      TCP_PHONE,
      "responses go back on the connection",
    );
    layer.handleRequest(createAck(invite, response), TCP_PHONE);
    assert.equal(transaction.state, "Terminated");
    assert.equal(clock.pendingTimers, 0);
  });

  it("MUST enter Accepted on a 2xx, absorb retransmitted INVITEs silently and pass the TU's 2xx retransmissions", () => {
    const { clock, transport, transaction, invite, layer, user } = receiveInvite();
    const ok = createResponse(invite, 200, "OK", { toTag: "uas1" });
    assert.equal(transaction.respond(ok), true);
    assert.equal(transaction.state, "Accepted");
    clock.advance(500);
    assert.equal(layer.handleRequest(invite, PHONE), "retransmission");
    assert.equal(user.requests.length, 1);
    assert.equal(
      transaction.respond(ok),
      true,
      "the TU retransmits its 2xx through the transaction",
    );
    assert.deepEqual(
      transport.times,
      [0, 500],
      "only the TU's sends: the transaction never retransmits a 2xx",
    );
    assert.equal(
      transaction.respond(createResponse(invite, 500, "Server Error", { toTag: "uas1" })),
      false,
    );
    const ack = request({ method: "ACK", toTag: "uas1" });
    assert.equal(
      layer.handleRequest(ack, PHONE),
      "ack-to-tu",
      "the ACK for a 2xx is its own transaction",
    );
    assert.deepEqual(user.acks, [ack]);
  });

  it("MUST stay Accepted until Timer L (64·T1), then terminate", () => {
    const { clock, transaction, invite, layer, user } = receiveInvite();
    transaction.respond(createResponse(invite, 200, "OK", { toTag: "uas1" }));
    clock.advance(31_999);
    assert.equal(transaction.state, "Accepted");
    clock.advance(1);
    assert.equal(transaction.state, "Terminated");
    assert.equal(clock.pendingTimers, 0);
    assert.equal(
      layer.handleRequest(invite, PHONE),
      "new-transaction",
      "a later copy is a new request",
    );
    assert.equal(user.requests.length, 2);
  });

  it("passes an ACK that matches it in Accepted to the TU (RFC 6026 §7.1)", () => {
    const { transaction, invite, layer, user } = receiveInvite();
    const ok = createResponse(invite, 200, "OK", { toTag: "uas1" });
    transaction.respond(ok);
    const ack = createAck(invite, ok);
    assert.equal(layer.handleRequest(ack, PHONE), "ack-to-tu");
    assert.deepEqual(user.acks, [ack]);
    assert.equal(transaction.state, "Accepted");
  });

  it("discards responses after the final one", () => {
    const { transport, transaction, invite } = receiveInvite();
    transaction.respond(createResponse(invite, 486, "Busy Here", { toTag: "uas1" }));
    assert.equal(transaction.respond(createResponse(invite, 200, "OK", { toTag: "uas1" })), false);
    assert.equal(
      transaction.respond(createResponse(invite, 180, "Ringing", { toTag: "uas1" })),
      false,
    );
    assert.equal(transport.sent.length, 1);
  });

  it("MUST report a transport error to the TU and keep its state (RFC 6026 §8.8)", () => {
    const { clock, transport, transaction, invite, user } = receiveInvite();
    transaction.respond(createResponse(invite, 486, "Busy Here", { toTag: "uas1" }));
    transport.throwOnSend = new Error("EPERM");
    clock.advance(500);
    assert.equal(user.transportErrors.length, 1);
    assert.equal(user.transportErrors[0]?.transaction, transaction);
    assert.equal(transaction.state, "Completed");
    clock.advance(31_500);
    assert.equal(transaction.state, "Terminated", "Timer H still ends it");
    assert.equal(clock.pendingTimers, 0);
  });

  it("throws on a move its state machine does not have", () => {
    class Probe extends InviteServerTransaction {
      move(to: InviteServerState): void {
        this.transition(to);
      }
    }
    const probe = new Probe(probeContext(), "probe", request(), PHONE, PHONE, new RecordingUser());
    assert.throws(
      () => probe.move("Confirmed"),
      IllegalTransitionError,
      "Confirmed only follows Completed",
    );
    probe.move("Accepted");
    assert.throws(() => probe.move("Completed"), IllegalTransitionError);
    probe.move("Terminated");
    assert.throws(() => probe.move("Terminated"), IllegalTransitionError);
  });
});
