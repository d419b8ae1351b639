// Calls through the whole path (seed route[3] and route[1]): authentication of the
// caller, aliases, location, the stateful relay of INVITE and its responses, the ACK
// and BYE along the Record-Route, CANCEL, and the no-open-relay rules.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadAuthConfig, startAuthService } from "@switchboard/auth";
import { loadLocationConfig, startLocationService } from "@switchboard/location";
import {
  createAck,
  createCancel,
  editMessage,
  newBranch,
  type SipRequest,
  type SipResponse,
} from "@switchboard/sip";
import { type StackServices, startTestStack, type TestStack } from "../testing/stack.js";
import { answers, type TestUa } from "../testing/test-ua.js";

const services: StackServices = {
  startAuth: (env) => startAuthService(loadAuthConfig(env).config),
  startLocation: (env) => startLocationService(loadLocationConfig(env)),
};

const SDP = Buffer.from(
  "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n",
);
const SDP_HEADERS = [{ name: "Content-Type", value: "application/sdp" }];

/** Sends an INVITE, answers the 407 with credentials; returns the authenticated INVITE sent. */
async function sendAuthenticatedInvite(
  caller: TestUa,
  uri: string,
  options: { from?: string } = {},
): Promise<SipRequest> {
  const invite = caller.request("INVITE", uri, { ...options, body: SDP, headers: SDP_HEADERS });
  const challenge = await caller.transact(invite);
  assert.equal(challenge.status, 407, "the first INVITE is challenged");
  const authenticated = caller.retry(invite, [caller.credentials(invite, challenge)]);
  caller.send(authenticated);
  return authenticated;
}

describe("calls through the edge proxy", () => {
  let stack: TestStack;
  let callee: TestUa;
  before(async () => {
    stack = await startTestStack(services);
    await stack.addSubscriber("1000", "password1");
    await stack.addSubscriber("1001", "password2");
    callee = await stack.ua("1001", "password2");
    assert.equal((await callee.register()).status, 200);
  });
  after(() => stack.close());

  it("MUST send 100 Trying and challenge an INVITE from a local user with 407 and Proxy-Authenticate", async () => {
    const caller = await stack.ua("1000", "password1");
    const invite = caller.request("INVITE", "sip:1001@localhost");
    caller.send(invite);
    const trying = (await caller.receive(answers(invite))) as SipResponse;
    assert.equal(trying.status, 100);
    const response = await caller.finalResponse(invite);
    caller.send(createAck(invite, response));
    assert.equal(response.status, 407);
    assert.match(response.header("Proxy-Authenticate") ?? "", /^Digest .*realm="localhost"/);
  });

  it("MUST answer an INVITE's 407 through its transaction, which had its 100: a retransmission gets the same 407, the ACK is absorbed", async () => {
    const strayAcks = async () => {
      const metrics = await fetch(`${stack.edge.httpAddress}/metrics`).then((r) => r.text());
      const line = metrics
        .split("\n")
        .find((text) => text.startsWith('switchboard_edge_sip_dropped_total{reason="stray-ack"'));
      return line === undefined ? 0 : Number(line.split(" ").at(-1));
    };
    const before = await strayAcks();
    const caller = await stack.ua("1000", "password1");
    const invite = caller.request("INVITE", "sip:1001@localhost");
    caller.send(invite);
    const first = await caller.finalResponse(invite);
    const again = await caller.transact(invite); // sends the ACK for the 407
    assert.equal(first.status, 407);
    assert.equal(again.status, 407);
    assert.equal(again.to.params.get("tag"), first.to.params.get("tag"));
    assert.equal(again.header("Proxy-Authenticate"), first.header("Proxy-Authenticate"));
    // A later exchange: the ACK, sent before it, has been handled by then.
    assert.equal((await caller.transact(caller.request("OPTIONS", "sip:localhost"))).status, 200);
    assert.equal(await strayAcks(), before, "the ACK matched the INVITE's transaction");
  });

  it("MUST relay an authenticated call: INVITE, 180, 200, ACK end to end, BYE via Record-Route", async () => {
    const caller = await stack.ua("1000", "password1");
    const invite = await sendAuthenticatedInvite(caller, "sip:1001@localhost");

    const forwarded = await callee.receiveRequest("INVITE", invite.callId);
    assert.equal(forwarded.uriText, callee.contact, "Request-URI is the registered contact");
    const recordRoute = new RegExp(`^<sip:127\\.0\\.0\\.1:${stack.sip.port};lr;sbd=[0-9a-f]{24}>$`);
    assert.match(forwarded.header("Record-Route") ?? "", recordRoute, "signed Record-Route");
    assert.equal(forwarded.maxForwards, 10, "Max-Forwards 70 decremented, capped at the limit");
    assert.equal(forwarded.header("Proxy-Authorization"), undefined, "credentials consumed");
    assert.equal(forwarded.vias.length, 2);
    assert.equal(forwarded.vias[0]?.port, stack.sip.port);
    assert.deepEqual(forwarded.body, SDP, "body forwarded unchanged");

    callee.respond(forwarded, 180, "callee-tag");
    const ringing = (await caller.receive(answers(invite, 180))) as SipResponse;
    assert.equal(ringing.vias.length, 1, "the proxy's Via is removed from responses");
    callee.respond(forwarded, 200, "callee-tag");
    const ok = await caller.finalResponse(invite);
    assert.equal(ok.status, 200);

    caller.send(caller.inDialog("ACK", invite, ok));
    const ack = await callee.receiveRequest("ACK", invite.callId);
    assert.equal(ack.uriText, callee.contact);
    assert.equal(ack.header("Route"), undefined, "the proxy's Route is consumed");

    const bye = caller.inDialog("BYE", invite, ok);
    caller.send(bye);
    const byeAtCallee = await callee.receiveRequest("BYE", invite.callId);
    callee.respond(byeAtCallee, 200);
    assert.equal((await caller.finalResponse(bye)).status, 200);
  });

  it("MUST answer 404 User Not Found for a callee without bindings", async () => {
    const caller = await stack.ua("1000", "password1");
    const invite = await sendAuthenticatedInvite(caller, "sip:9999@localhost");
    const response = await caller.finalResponse(invite);
    assert.equal(response.status, 404);
    assert.equal(response.reason, "User Not Found");
  });

  it("MUST refuse with 403 Use From=ID a caller presenting another user's identity", async () => {
    const caller = await stack.ua("1000", "password1");
    const invite = await sendAuthenticatedInvite(caller, "sip:1001@localhost", {
      from: "<sip:1001@localhost>",
    });
    const response = await caller.finalResponse(invite);
    assert.equal(response.status, 403);
    assert.equal(response.reason, "Use From=ID");
  });

  it("MUST answer the CANCEL with 200, cancel the branch, and relay 487", async () => {
    const caller = await stack.ua("1000", "password1");
    const invite = await sendAuthenticatedInvite(caller, "sip:1001@localhost");
    const forwarded = await callee.receiveRequest("INVITE", invite.callId);
    callee.respond(forwarded, 180, "cancel-tag");
    await caller.receive(answers(invite, 180));

    const cancel = createCancel(invite);
    caller.send(cancel);
    assert.equal((await caller.finalResponse(cancel)).status, 200);
    const cancelAtCallee = await callee.receiveRequest("CANCEL", invite.callId);
    assert.equal(
      cancelAtCallee.vias[0]?.branch,
      forwarded.vias[0]?.branch,
      "same branch as the INVITE",
    );
    callee.respond(cancelAtCallee, 200);
    callee.respond(forwarded, 487, "cancel-tag");
    await callee.receiveRequest("ACK", invite.callId);

    const response = await caller.finalResponse(invite);
    caller.send(createAck(invite, response));
    assert.equal(response.status, 487);
  });

  it("MUST resolve an alias to its AOR before the location lookup", async () => {
    await stack.addAlias("2000", "1001");
    const caller = await stack.ua("1000", "password1");
    const invite = await sendAuthenticatedInvite(caller, "sip:2000@localhost");
    const forwarded = await callee.receiveRequest("INVITE", invite.callId);
    assert.equal(forwarded.uriText, callee.contact);
    callee.respond(forwarded, 486, "busy-tag");
    assert.equal((await caller.finalResponse(invite)).status, 486);
  });

  it("MUST serve callers from other domains calling local users without authentication", async () => {
    const caller = await stack.ua("alice");
    const invite = caller.request("INVITE", "sip:1001@localhost", {
      from: "<sip:alice@example.com>",
    });
    caller.send(invite);
    const forwarded = await callee.receiveRequest("INVITE", invite.callId);
    callee.respond(forwarded, 486, "busy-tag");
    assert.equal((await caller.finalResponse(invite)).status, 486);
    // RFC 3261 §17.1.1.3: the proxy's client transaction acknowledges the 486 hop by hop.
    await callee.receiveRequest("ACK", invite.callId);
  });

  it("MUST refuse with 403 Relaying Denied a foreign caller to a foreign domain", async () => {
    const caller = await stack.ua("alice");
    const invite = caller.request("INVITE", "sip:bob@example.org", {
      from: "<sip:alice@example.com>",
    });
    const response = await caller.transact(invite);
    assert.equal(response.status, 403);
    assert.equal(response.reason, "Relaying Denied");
  });

  it("MUST refuse with 403 an in-dialog request on a Route naming the proxy it did not sign, relaying nothing", async () => {
    const foreign = await stack.ua("victim");
    const mallory = await stack.ua("mallory");
    for (const route of [
      `<sip:127.0.0.1:${stack.sip.port};lr>`,
      `<sip:127.0.0.1:${stack.sip.port};lr;sbd=000000000000000000000000>`,
    ]) {
      const forged = mallory.request("INVITE", `sip:victim@127.0.0.1:${foreign.port}`, {
        from: "<sip:mallory@example.com>",
        toTag: "made-up-tag",
        headers: [{ name: "Route", value: route }],
      });
      const response = await mallory.transact(forged);
      assert.equal(response.status, 403, route);
      assert.equal(response.reason, "Invalid Route");
      await assert.rejects(
        foreign.receive(() => true, 200),
        /nothing matching/,
      );
      assert.deepEqual(foreign.unclaimed, [], "the foreign host received nothing");
    }
  });

  it("MUST relay an authenticated local user to a foreign destination", async () => {
    const remote = await stack.ua("bob");
    const caller = await stack.ua("1000", "password1");
    const invite = await sendAuthenticatedInvite(caller, `sip:bob@127.0.0.1:${remote.port}`);
    const forwarded = await remote.receiveRequest("INVITE", invite.callId);
    remote.respond(forwarded, 603, "decline-tag");
    assert.equal((await caller.finalResponse(invite)).status, 603);
  });

  it("MUST answer 482 Loop Detected when a forwarded request comes back unchanged", async () => {
    const remote = await stack.ua("bob");
    const caller = await stack.ua("1000", "password1");
    const invite = await sendAuthenticatedInvite(caller, `sip:bob@127.0.0.1:${remote.port}`);
    const forwarded = await remote.receiveRequest("INVITE", invite.callId);
    // The remote element routes the request straight back, adding only its own Via.
    const looped = editMessage(forwarded)
      .pushVia(`SIP/2.0/UDP 127.0.0.1:${remote.port};branch=${newBranch()}`)
      .toMessage();
    remote.send(looped);
    const isLoopAnswer = (message: { kind: string }) =>
      message.kind === "response" && (message as SipResponse).status === 482;
    const answer = (await remote.receive(isLoopAnswer)) as SipResponse;
    assert.equal(answer.callId, invite.callId);
    remote.send(createAck(looped, answer));
    remote.respond(forwarded, 603, "decline-tag");
    assert.equal((await caller.finalResponse(invite)).status, 603);
  });

  it("MUST answer OPTIONS to the proxy itself with 200, Allow and Accept", async () => {
    const ua = await stack.ua("1000", "password1");
    const response = await ua.transact(ua.request("OPTIONS", "sip:localhost"));
    assert.equal(response.status, 200);
    const allowed = response.headerValues("Allow");
    assert.ok(allowed.includes("INVITE") && allowed.includes("REGISTER"), allowed.join(", "));
    assert.equal(response.header("Accept"), "application/sdp");
  });
});
