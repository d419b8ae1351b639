// The relay over a real transaction layer with fake sockets and a manual clock.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import {
  createResponse,
  createVia,
  type Destination,
  ManualClock,
  parseMessage,
  type SipMessage,
  type SipRequest,
  type SipResponse,
  TransactionLayer,
} from "@switchboard/sip";
import { sipRequest, testContext } from "../testing/unit-support.js";
import { type ForwardedCopy, forwardedCopy } from "./forward-request.js";
import { branchWithLoopHash } from "./loop-detection.js";
import { RelaySession } from "./relay.js";

const TIMER_C_MS = 180_000;
const CANCEL_TIMEOUT_MS = 32_000;
const BROKEN: Destination = { transport: "UDP", host: "203.0.113.99", port: 5060 };

function destinationOf(index: number): Destination {
  return { transport: "UDP", host: `10.0.0.${index + 1}`, port: 5060 };
}

class Harness {
  readonly clock = new ManualClock();
  /** Everything the transactions sent, parsed, with where it went. */
  readonly sent: { message: SipMessage; destination: Destination }[] = [];
  readonly forwarded: SipResponse[] = [];
  finalsSent = 0;
  ended = false;
  readonly layer: TransactionLayer;
  readonly session: RelaySession;
  readonly copies: ForwardedCopy[];

  constructor(targets: number, method = "INVITE") {
    this.layer = new TransactionLayer({
      transport: {
        send: (data, destination) => {
          if (destination.host === BROKEN.host) throw new Error("unreachable");
          this.sent.push({ message: parseMessage(data), destination });
        },
      },
      clock: this.clock,
      user: {
        onRequest: () => {},
        onCancel: () => {},
        onAck: () => {},
        onStrayResponse: () => {},
        onServerTimeout: () => {},
        onServerTransportError: () => {},
      },
    });
    this.session = new RelaySession(
      {
        sendRequest: (request, destination, handlers) =>
          this.layer.sendRequest(request, destination, handlers),
        clock: this.clock,
        timerCMs: TIMER_C_MS,
        cancelTimeoutMs: CANCEL_TIMEOUT_MS,
        resolve: (nextHop) => ("address" in nextHop ? nextHop.address : BROKEN),
      },
      method,
      {
        forward: (response) => this.forwarded.push(response),
        finalSent: () => this.finalsSent++,
        ended: () => {
          this.ended = true;
        },
      },
    );
    const ctx = testContext(sipRequest(method, "sip:bob@example.com"));
    this.copies = Array.from({ length: targets }, (_, i) => {
      const via = createVia({
        transport: "UDP",
        host: "192.0.2.1",
        port: 5060,
        branch: branchWithLoopHash("0123456789abcdef"),
      });
      return forwardedCopy(
        ctx,
        { uri: `sip:bob@10.0.0.${i + 1}`, received: destinationOf(i) },
        via,
        undefined,
      );
    });
  }

  start(copies: readonly ForwardedCopy[] = this.copies): void {
    this.session.start(copies);
  }

  /** Branch `index` answers `status`. */
  answer(index: number, status: number, headers: { name: string; value: string }[] = []): void {
    const request = (this.copies[index] as ForwardedCopy).request;
    const response = createResponse(request, status, undefined, { toTag: `tag${index}`, headers });
    this.layer.handleResponse(response, destinationOf(index));
  }

  /** The requests with `method` sent to branch `index`. */
  sentTo(index: number, method: string): SipRequest[] {
    const { host } = destinationOf(index);
    return this.sent
      .filter(({ message, destination }) => destination.host === host && message.kind === "request")
      .map(({ message }) => message as SipRequest)
      .filter((request) => request.method === method);
  }

  get statuses(): number[] {
    return this.forwarded.map((response) => response.status);
  }
}

describe("RelaySession (RFC 3261 §16.7-§16.10)", () => {
  let h: Harness;
  beforeEach(() => {
    h = new Harness(2);
  });

  it("sends one copy per target, each with its own branch", () => {
    h.start();
    const [first] = h.sentTo(0, "INVITE");
    const [second] = h.sentTo(1, "INVITE");
    assert.ok(first && second);
    assert.notEqual(first.vias[0]?.branch, second.vias[0]?.branch);
  });

  it("MUST forward provisional responses other than 100, without its own Via", () => {
    h.start();
    h.answer(0, 100);
    h.answer(0, 180);
    assert.deepEqual(h.statuses, [180]);
    assert.equal(h.forwarded[0]?.vias.length, 1);
    assert.equal(h.forwarded[0]?.vias[0]?.host, "198.51.100.7");
  });

  it("MUST wait for every branch and forward the best final response (§16.7 step 6)", () => {
    h.start();
    h.answer(0, 486);
    assert.deepEqual(h.statuses, []);
    h.answer(1, 302);
    assert.deepEqual(h.statuses, [302]);
    assert.equal(h.finalsSent, 1);
    assert.equal(h.ended, true);
  });

  it("MUST forward a 2xx at once and CANCEL the other branches (§16.7 step 10)", () => {
    h.start();
    h.answer(1, 180);
    h.answer(0, 200);
    assert.deepEqual(h.statuses, [180, 200]);
    const [cancel] = h.sentTo(1, "CANCEL");
    assert.equal(cancel?.vias[0]?.branch, h.copies[1]?.request.vias[0]?.branch);
    h.answer(1, 487);
    assert.deepEqual(h.statuses, [180, 200], "nothing after the 2xx but 2xx");
    assert.equal(h.ended, true);
  });

  it("MUST forward every 2xx, also from a second fork (RFC 6026)", () => {
    h.start();
    h.answer(0, 200);
    h.answer(1, 200);
    assert.deepEqual(h.statuses, [200, 200]);
  });

  it("MUST NOT CANCEL a branch before its provisional response, and MUST once it comes (§9.1)", () => {
    h.start();
    h.session.cancel();
    assert.equal(h.sentTo(0, "CANCEL").length, 0);
    h.answer(0, 100);
    assert.equal(h.sentTo(0, "CANCEL").length, 1);
  });

  it("relays 487 after a CANCEL from the caller once the branches answer", () => {
    h.start();
    h.answer(0, 180);
    h.answer(1, 183);
    h.session.cancel();
    assert.equal(h.sentTo(0, "CANCEL").length, 1);
    assert.equal(h.sentTo(1, "CANCEL").length, 1);
    h.answer(0, 487);
    h.answer(1, 487);
    assert.deepEqual(h.statuses, [180, 183, 487]);
  });

  it("MUST acknowledge a non-2xx final response hop by hop (§17.1.1.3)", () => {
    h.start();
    h.answer(0, 486);
    assert.equal(h.sentTo(0, "ACK").length, 1);
  });

  it("MUST cancel the others and forward the 6xx (§16.7 step 5)", () => {
    h.start();
    h.answer(1, 180);
    h.answer(0, 603);
    assert.equal(h.sentTo(1, "CANCEL").length, 1);
    h.answer(1, 487);
    assert.deepEqual(h.statuses, [180, 603]);
  });

  it("MUST merge the challenges of 401 and 407 responses (§16.7 step 7)", () => {
    h.start();
    h.answer(0, 407, [{ name: "Proxy-Authenticate", value: 'Digest realm="a"' }]);
    h.answer(1, 401, [{ name: "WWW-Authenticate", value: 'Digest realm="b"' }]);
    const [best] = h.forwarded;
    assert.equal(best?.status, 407);
    assert.equal(best?.header("WWW-Authenticate"), 'Digest realm="b"');
  });

  it("SHOULD turn a 503 received from downstream into 500 (§16.7 step 6)", () => {
    h = new Harness(1);
    h.start();
    h.answer(0, 503);
    assert.deepEqual(h.statuses, [500]);
  });

  it("answers 503 when the copy cannot be sent (§16.9)", () => {
    h = new Harness(1);
    const [copy] = h.copies;
    assert.ok(copy);
    h.start([{ request: copy.request, nextHop: { address: BROKEN } }]);
    assert.deepEqual(h.statuses, [503]);
  });

  it("answers 408 when a branch gets no response before Timer B", () => {
    h = new Harness(1);
    h.start();
    h.clock.advance(64 * 500);
    assert.deepEqual(h.statuses, [408]);
  });

  it("MUST CANCEL a ringing branch when Timer C fires, and give it up 64·T1 later (§16.8)", () => {
    h = new Harness(1);
    h.start();
    h.answer(0, 180);
    h.clock.advance(TIMER_C_MS - 1);
    assert.equal(h.sentTo(0, "CANCEL").length, 0);
    h.clock.advance(1);
    assert.equal(h.sentTo(0, "CANCEL").length, 1);
    h.clock.advance(CANCEL_TIMEOUT_MS);
    assert.deepEqual(h.statuses, [180, 408]);
  });

  it("MUST reset Timer C on every provisional response other than 100", () => {
    h = new Harness(1);
    h.start();
    h.answer(0, 180);
    h.clock.advance(TIMER_C_MS - 1000);
    h.answer(0, 183);
    h.clock.advance(TIMER_C_MS - 1000);
    assert.equal(h.sentTo(0, "CANCEL").length, 0);
  });

  it("relays a non-INVITE without Timer C or CANCEL, 2xx at once", () => {
    h = new Harness(2, "MESSAGE");
    h.start();
    h.answer(0, 202);
    assert.deepEqual(h.statuses, [202]);
    assert.equal(h.sentTo(1, "CANCEL").length, 0);
  });
});
