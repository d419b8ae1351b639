// Calls through the whole stack (seed route[3] and route[1]: proxy_authorize, check_from,
// lookup, t_relay with Record-Route): a complete call between two registered users from the
// test UA and from sipp, an unknown parties.callee, a forged From, and no open relay.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import { getRecordRoutes, getRoutes, parseDigestChallenge } from "@switchboard/sip";
import { completeCall, useCallSetup } from "./call-flow.js";
import { freeUdpPort } from "./free-port.js";
import { runSbctl } from "./sbctl.js";
import { describeSipp, runSipp, startSipp } from "./sipp.js";
import { USER_1000, USER_1001 } from "./subscribers.js";

const { current, uas, parties } = useCallSetup({ label: "call" });

describe("calls from the test UA", () => {
  it("MUST complete INVITE → 407 → authenticated INVITE → 180 → 200 → ACK → BYE → 200 with ACK and BYE following the Record-Route path", async () => {
    const { sip } = current();
    const { call, incoming, ackAtCallee, byeAtCallee } = await completeCall(
      parties.caller,
      parties.callee,
    );

    const challenge = parseDigestChallenge(call.challenge?.header("Proxy-Authenticate") ?? "");
    assert.equal(
      challenge.realm,
      current().domain,
      "the 407 challenges for the parties.caller's domain",
    );

    const recordRoutes = getRecordRoutes(incoming.invite);
    assert.equal(recordRoutes.length, 1, "the proxy record-routes the INVITE once");
    assert.equal(recordRoutes[0]?.uri.host, sip.host);
    assert.equal(recordRoutes[0]?.uri.port, sip.port);
    assert.ok(recordRoutes[0]?.uri.params.has("lr"), "a loose router's Record-Route has lr");
    assert.equal(
      incoming.invite.uriText,
      parties.callee.contactUri,
      "the INVITE reaches the registered contact",
    );
    assert.equal(
      incoming.invite.header("Proxy-Authorization"),
      undefined,
      "credentials are consumed",
    );
    assert.equal(incoming.invite.vias.length, 2, "the proxy adds its own Via");

    assert.deepEqual(call.routing?.destination, sip, "ACK and BYE go to the proxy (route set)");
    for (const request of [ackAtCallee, byeAtCallee]) {
      assert.equal(
        request.uriText,
        parties.callee.contactUri,
        `${request.method} targets the parties.callee's Contact`,
      );
      assert.equal(
        getRoutes(request).length,
        0,
        `the proxy pops its Route from the ${request.method}`,
      );
      assert.equal(request.vias.length, 2, `the ${request.method} came through the proxy`);
    }
  });

  it("MUST answer 404 to an authenticated INVITE for a user with no registered contact", async () => {
    const call = await parties.caller.invite(`sip:nobody@${current().domain}`);
    assert.equal(call.challenge?.status, 407);
    const final = await call.final();
    assert.equal(final.status, 404, `${final.status} ${final.reason}`);
  });

  it("MUST answer 403 to an INVITE whose From user is not the authenticated user (check_from)", async () => {
    const call = await parties.caller.invite(`sip:${USER_1001.username}@${current().domain}`, {
      from: `sip:${USER_1001.username}@${current().domain}`,
    });
    assert.equal(call.challenge?.status, 407);
    const final = await call.final();
    assert.equal(final.status, 403, `${final.status} ${final.reason}`);
  });

  it("MUST NOT relay an unauthenticated request to a foreign domain (no open relay)", async () => {
    const foreignHost = await uas.open(
      { username: "carol", password: "" },
      { domain: "foreign.example" },
    );
    const stranger = await uas.open({ username: "eve", password: "" }, { domain: "evil.example" });
    const target = `sip:carol@${foreignHost.address.host}:${foreignHost.address.port}`;

    const fromLocalUser = await parties.caller.invite(target, { answerChallenge: false });
    const localFinal = await fromLocalUser.final();
    assert.ok(
      [403, 407].includes(localFinal.status),
      `local user, no credentials: ${localFinal.status}`,
    );

    const fromStranger = await stranger.invite(target, { answerChallenge: false });
    const strangerFinal = await fromStranger.final();
    assert.ok([403, 407].includes(strangerFinal.status), `stranger: ${strangerFinal.status}`);

    // Anything relayed would have left the proxy before its answer to a later request.
    assert.equal((await parties.caller.options()).status, 200);
    await nextTurn();
    assert.deepEqual(
      foreignHost.inbox.received.map(
        (message) => message.toBuffer().toString("latin1").split("\r\n")[0],
      ),
      [],
      "nothing may reach the foreign host",
    );
  });
});

describe("calls from sipp", () => {
  it("call-with-digest-expect-200 and answer-call: sipp's authenticated call completes through the proxy", async () => {
    const { sip, domain } = current();
    // Only sipp's contact may answer for 1001.
    await runSbctl(current().admin, ["ul", "rm", USER_1001.username]);
    const calleePort = await freeUdpPort();
    const registration = await runSipp({
      scenario: "register-with-digest-expect-200.xml",
      remote: sip,
      localPort: calleePort,
      users: [USER_1001],
      keys: { domain },
      digestUri: `sip:${domain}`,
    });
    assert.equal(registration.exitCode, 0, describeSipp(registration));

    const answering = await startSipp({
      scenario: "answer-call.xml",
      localPort: calleePort,
      service: USER_1001.username,
      timeoutS: 15,
    });
    await answering.whenBound();
    const calling = await runSipp({
      scenario: "call-with-digest-expect-200.xml",
      remote: sip,
      service: USER_1001.username,
      users: [USER_1000],
      keys: { domain },
      digestUri: `sip:${USER_1001.username}@${domain}`,
    });
    if (calling.exitCode !== 0) answering.stop();
    const answered = await answering.done;
    assert.equal(calling.exitCode, 0, `caller: ${describeSipp(calling)}`);
    assert.equal(calling.successful, 1, `caller: ${describeSipp(calling)}`);
    assert.equal(answered.exitCode, 0, `callee: ${describeSipp(answered)}`);
    assert.equal(answered.successful, 1, `callee: ${describeSipp(answered)}`);
  });

  it("call-unknown-user-expect-404: sipp's authenticated INVITE for an unregistered user gets 404", async () => {
    const { sip, domain } = current();
    const result = await runSipp({
      scenario: "call-unknown-user-expect-404.xml",
      remote: sip,
      service: "nobody",
      users: [USER_1000],
      keys: { domain },
      digestUri: `sip:nobody@${domain}`,
    });
    assert.equal(result.exitCode, 0, describeSipp(result));
    assert.equal(result.successful, 1, describeSipp(result));
  });
});
