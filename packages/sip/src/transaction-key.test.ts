import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ackKeys,
  ackMatchesResponse,
  cancelledInviteKey,
  clientTransactionKey,
  hasMagicCookie,
  serverTransactionKey,
} from "./transaction-key.js";
import { request, responseTo } from "./transaction-test-support.js";

describe("server transaction key (RFC 3261 §17.2.3)", () => {
  it("MUST match a retransmission: same branch, sent-by and method", () => {
    const first = request({ branch: "z9hG4bK1" });
    const again = request({ branch: "z9hG4bK1" });
    assert.equal(serverTransactionKey(first), serverTransactionKey(again));
  });

  it("MUST NOT match the same branch from a different sent-by", () => {
    const key = serverTransactionKey(request({ branch: "z9hG4bK1", sentBy: "192.0.2.10:5060" }));
    assert.notEqual(
      key,
      serverTransactionKey(request({ branch: "z9hG4bK1", sentBy: "192.0.2.11:5060" })),
    );
    assert.notEqual(
      key,
      serverTransactionKey(request({ branch: "z9hG4bK1", sentBy: "192.0.2.10:5062" })),
    );
  });

  it("MUST NOT match a different branch or a different method", () => {
    const key = serverTransactionKey(request({ branch: "z9hG4bK1" }));
    assert.notEqual(key, serverTransactionKey(request({ branch: "z9hG4bK2" })));
    assert.notEqual(key, serverTransactionKey(request({ branch: "z9hG4bK1", method: "OPTIONS" })));
  });

  it("treats a sent-by without a port as the transport's default port", () => {
    const udp = (sentBy: string) => serverTransactionKey(request({ branch: "z9hG4bK1", sentBy }));
    assert.equal(udp("192.0.2.10"), udp("192.0.2.10:5060"));
    const tls = (sentBy: string) =>
      serverTransactionKey(request({ branch: "z9hG4bK1", sentBy, transport: "TLS" }));
    assert.equal(tls("proxy.example.com"), tls("proxy.example.com:5061"));
    assert.notEqual(tls("proxy.example.com"), tls("proxy.example.com:5060"));
  });

  it("compares the branch case-insensitively (RFC 3261 §7.3.1)", () => {
    assert.equal(
      serverTransactionKey(request({ branch: "z9hG4bKAbC" })),
      serverTransactionKey(request({ branch: "z9hG4bKabc" })),
    );
  });

  it("MUST match an ACK to its INVITE's transaction", () => {
    const invite = request({ branch: "z9hG4bK1" });
    const ack = request({ branch: "z9hG4bK1", method: "ACK", toTag: "uas" });
    assert.equal(serverTransactionKey(ack), serverTransactionKey(invite));
    assert.deepEqual(ackKeys(ack), [serverTransactionKey(invite)]);
    assert.equal(ackMatchesResponse(ack, undefined), true, "with the magic cookie the key decides");
  });

  it("gives a CANCEL its own key and finds the INVITE it cancels (RFC 3261 §9.2)", () => {
    const invite = request({ branch: "z9hG4bK1" });
    const cancel = request({ branch: "z9hG4bK1", method: "CANCEL" });
    assert.notEqual(serverTransactionKey(cancel), serverTransactionKey(invite));
    assert.equal(cancelledInviteKey(cancel), serverTransactionKey(invite));
    const elsewhere = request({ branch: "z9hG4bK1", method: "CANCEL", sentBy: "192.0.2.99" });
    assert.notEqual(cancelledInviteKey(elsewhere), serverTransactionKey(invite));
  });

  it("recognises the magic cookie", () => {
    assert.equal(hasMagicCookie(request({ branch: "z9hG4bK1" }).vias[0]), true);
    assert.equal(hasMagicCookie(request({ branch: "1234" }).vias[0]), false);
    assert.equal(hasMagicCookie(request({ branch: null }).vias[0]), false);
  });
});

describe("server transaction key, RFC 2543 fallback (RFC 3261 §17.2.3)", () => {
  const legacy = (spec: Parameters<typeof request>[0] = {}) => request({ branch: null, ...spec });

  it("MUST match on Request-URI, tags, Call-ID, CSeq and top Via", () => {
    const key = serverTransactionKey(legacy());
    assert.equal(key, serverTransactionKey(legacy()));
    assert.notEqual(key, serverTransactionKey(legacy({ uri: "sip:carol@example.com" })));
    assert.notEqual(key, serverTransactionKey(legacy({ fromTag: "other" })));
    assert.notEqual(key, serverTransactionKey(legacy({ toTag: "other" })));
    assert.notEqual(key, serverTransactionKey(legacy({ callId: "other@example.com" })));
    assert.notEqual(key, serverTransactionKey(legacy({ cseq: 2 })));
    assert.notEqual(key, serverTransactionKey(legacy({ sentBy: "192.0.2.11" })));
    assert.notEqual(key, serverTransactionKey(legacy({ method: "OPTIONS" })));
  });

  it("uses the fallback for a branch without the magic cookie", () => {
    assert.notEqual(
      serverTransactionKey(request({ branch: "1234", callId: "x@example.com" })),
      serverTransactionKey(request({ branch: "1234", callId: "y@example.com" })),
    );
  });

  it("ignores the received and rport parameters the receiving transport adds", () => {
    assert.equal(
      serverTransactionKey(legacy()),
      serverTransactionKey(legacy({ viaParams: ";received=203.0.113.9;rport=40000" })),
    );
  });

  it("MUST match an ACK by the To tag of the response the transaction sent", () => {
    const invite = legacy();
    const busy = responseTo(invite, 486, "uas1");
    const ack = legacy({ method: "ACK", toTag: "uas1" });
    assert.ok(ackKeys(ack).includes(serverTransactionKey(invite) ?? ""));
    assert.equal(ackMatchesResponse(ack, busy), true);
    assert.equal(ackMatchesResponse(legacy({ method: "ACK", toTag: "other" }), busy), false);
    assert.equal(ackMatchesResponse(ack, undefined), false);
  });

  it("matches an ACK within a dialog, whose INVITE already had the To tag", () => {
    const reinvite = legacy({ toTag: "uas1" });
    const ack = legacy({ method: "ACK", toTag: "uas1" });
    assert.equal(ackKeys(ack)[0], serverTransactionKey(reinvite));
  });

  it("finds the INVITE a CANCEL cancels", () => {
    assert.equal(cancelledInviteKey(legacy({ method: "CANCEL" })), serverTransactionKey(legacy()));
  });
});

describe("client transaction key (RFC 3261 §17.1.3)", () => {
  it("MUST match a response by top Via branch and CSeq method", () => {
    const invite = request({ branch: "z9hG4bKc1" });
    assert.equal(clientTransactionKey(responseTo(invite, 180)), clientTransactionKey(invite));
    const cancel = request({ branch: "z9hG4bKc1", method: "CANCEL" });
    assert.equal(clientTransactionKey(responseTo(cancel, 200)), clientTransactionKey(cancel));
    assert.notEqual(clientTransactionKey(cancel), clientTransactionKey(invite));
  });

  it("has no key without a branch", () => {
    assert.equal(clientTransactionKey(request({ branch: null })), undefined);
  });
});
