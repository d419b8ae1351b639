// Bad input, timeouts, dependency failures and shutdown, through the whole path. The
// stack runs with short timers (T1 = 20 ms, Timer C = 1 s) so that timeouts come fast.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadAuthConfig, startAuthService } from "@switchboard/auth";
import { loadLocationConfig, startLocationService } from "@switchboard/location";
import { createAck, type SipRequest, type SipResponse } from "@switchboard/sip";
import { type StackServices, startTestStack, type TestStack } from "../testing/stack.js";
import { answers, type TestUa } from "../testing/test-ua.js";

const services: StackServices = {
  startAuth: (env) => startAuthService(loadAuthConfig(env).config),
  startLocation: (env) => startLocationService(loadLocationConfig(env)),
};

const RPC_TIMEOUT_MS = 500;

/** Sends an INVITE from `caller` and answers the 407; returns the authenticated INVITE. */
async function sendAuthenticatedInvite(caller: TestUa, uri: string): Promise<SipRequest> {
  const invite = caller.request("INVITE", uri);
  const challenge = await caller.transact(invite);
  assert.equal(challenge.status, 407);
  const authenticated = caller.retry(invite, [caller.credentials(invite, challenge)]);
  caller.send(authenticated);
  return authenticated;
}

function rawOptions(ua: TestUa, maxForwards: string, callId: string): Buffer {
  const lines = [
    "OPTIONS sip:localhost SIP/2.0",
    `Via: SIP/2.0/UDP 127.0.0.1:${ua.port};branch=z9hG4bK${callId};rport`,
    `Max-Forwards: ${maxForwards}`,
    "From: <sip:probe@localhost>;tag=1",
    "To: <sip:localhost>",
    `Call-ID: ${callId}`,
    "CSeq: 1 OPTIONS",
    "Content-Length: 0",
    "",
    "",
  ];
  return Buffer.from(lines.join("\r\n"), "latin1");
}

describe("failures through the edge proxy", () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack(services, {
      SIP_T1_MS: "20",
      TIMER_C_S: "1",
      RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS),
      RETRY_AFTER_S: "7",
    });
    await stack.addSubscriber("1000", "password1");
    await stack.addSubscriber("1002", "password3");
    await stack.addSubscriber("1003", "password4");
  });
  after(() => stack.close());

  it("MUST answer 483 Too Many Hops to a request with Max-Forwards 0", async () => {
    const ua = await stack.ua("1000");
    const request = ua.request("OPTIONS", "sip:1002@localhost", {
      headers: [{ name: "Max-Forwards", value: "0" }],
    });
    assert.equal((await ua.transact(request)).status, 483);
  });

  it("MUST answer 513 to a request longer than MAX_MESSAGE_BYTES", async () => {
    const ua = await stack.ua("1000");
    const request = ua.request("OPTIONS", "sip:localhost", {
      headers: [{ name: "X-Padding", value: "x".repeat(9000) }],
    });
    const response = await ua.transact(request);
    assert.equal(response.status, 513);
  });

  it("MUST answer 400 with the reason to a malformed request whose answer can be routed", async () => {
    const ua = await stack.ua("1000");
    ua.send(rawOptions(ua, "many", "bad-max-forwards"));
    const response = (await ua.receive(
      (message) => message.callId === "bad-max-forwards",
    )) as SipResponse;
    assert.equal(response.status, 400);
    assert.match(response.reason, /Max-Forwards/);
  });

  it("MUST drop garbage silently and serve the next request", async () => {
    const ua = await stack.ua("1000");
    ua.send(Buffer.from("\x00\x01 this is not SIP \xff\r\n\r\n", "latin1"));
    ua.send(Buffer.from("INVITE\r\n\r\n", "latin1"));
    const options = ua.request("OPTIONS", "sip:localhost");
    assert.equal((await ua.transact(options)).status, 200);
    assert.deepEqual(ua.unclaimed, [], "nothing answered the garbage");
  });

  it("MUST answer 408 when the callee never answers", async () => {
    const silent = await stack.ua("1002", "password3");
    assert.equal((await silent.register()).status, 200);
    const caller = await stack.ua("1000", "password1");
    const invite = await sendAuthenticatedInvite(caller, "sip:1002@localhost");
    await silent.receiveRequest("INVITE", invite.callId);
    const response = await caller.finalResponse(invite);
    caller.send(createAck(invite, response));
    assert.equal(response.status, 408);
  });

  it("MUST cancel a ringing branch when Timer C fires, and answer 408 when the CANCEL is ignored", async () => {
    const ringing = await stack.ua("1003", "password4");
    assert.equal((await ringing.register()).status, 200);
    const caller = await stack.ua("1000", "password1");
    const invite = await sendAuthenticatedInvite(caller, "sip:1003@localhost");
    const forwarded = await ringing.receiveRequest("INVITE", invite.callId);
    ringing.respond(forwarded, 180, "ringing-tag");
    await caller.receive(answers(invite, 180));
    const cancel = await ringing.receiveRequest("CANCEL", invite.callId, 3000);
    assert.equal(cancel.vias[0]?.branch, forwarded.vias[0]?.branch);
    const response = await caller.finalResponse(invite, 5000);
    caller.send(createAck(invite, response));
    assert.equal(response.status, 408);
  });

  it("MUST answer 503 with Retry-After within the RPC timeout while auth is down, and recover", async () => {
    const ua = await stack.ua("1000", "password1");
    await stack.stopAuth();
    const started = performance.now();
    const response = await ua.register();
    assert.equal(response.status, 503);
    assert.equal(response.header("Retry-After"), "7");
    assert.ok(performance.now() - started < RPC_TIMEOUT_MS + 1000, "answered within the timeout");

    await stack.startAuth();
    const deadline = performance.now() + 5000;
    let status = 0;
    while (status !== 200 && performance.now() < deadline) status = (await ua.register()).status;
    assert.equal(status, 200, "registration works again once auth is back");
  });

  it("MUST count requests, responses and parse errors in /metrics and be ready", async () => {
    const metrics = await (await fetch(`${stack.edge.httpAddress}/metrics`)).text();
    assert.match(metrics, /switchboard_edge_sip_requests_total\{method="REGISTER"[^}]*\} [1-9]/);
    assert.match(
      metrics,
      /switchboard_edge_sip_responses_total\{class="5xx",code="503"[^}]*\} [1-9]/,
    );
    assert.match(metrics, /switchboard_edge_sip_parse_errors_total\{[^}]*\} [1-9]/);
    assert.match(
      metrics,
      /switchboard_edge_sip_upstream_rpc_errors_total\{[^}]*kind="no-responders"/,
    );
    assert.match(metrics, /switchboard_edge_sip_transactions\{kind="server-invite"/);
    // T1 = 20 ms: the INVITE to the silent callee was retransmitted.
    assert.match(
      metrics,
      /switchboard_edge_sip_retransmissions_total\{direction="sent"[^}]*\} [1-9]/,
    );
    assert.equal((await fetch(`${stack.edge.httpAddress}/readyz`)).status, 200);
  });
});

describe("graceful shutdown of the edge proxy", () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack(services, { SHUTDOWN_GRACE_S: "10" });
    await stack.addSubscriber("1000", "password1");
    await stack.addSubscriber("1001", "password2");
  });
  after(() => stack.close());

  it("MUST answer new requests 503 while running calls finish, then stop", async () => {
    const callee = await stack.ua("1001", "password2");
    assert.equal((await callee.register()).status, 200);
    const caller = await stack.ua("1000", "password1");
    const invite = await sendAuthenticatedInvite(caller, "sip:1001@localhost");
    const forwarded = await callee.receiveRequest("INVITE", invite.callId);

    const stopped = stack.edge.stop();
    const late = await stack.ua("1000");
    const refused = await late.transact(late.request("OPTIONS", "sip:localhost"));
    assert.equal(refused.status, 503);
    assert.ok(refused.header("Retry-After"));
    assert.equal((await fetch(`${stack.edge.httpAddress}/readyz`)).status, 503);

    callee.respond(forwarded, 486, "busy-tag");
    assert.equal((await caller.finalResponse(invite)).status, 486);
    await stopped;
  });
});
