// REGISTER through the whole path (seed route[2]): the edge proxy with real auth and
// location instances, MariaDB and NATS, driven by test UAs over UDP.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadAuthConfig, startAuthService } from "@switchboard/auth";
import { loadLocationConfig, startLocationService } from "@switchboard/location";
import { getContacts, type SipResponse } from "@switchboard/sip";
import { type StackServices, startTestStack, type TestStack } from "../testing/stack.js";
import { answers } from "../testing/test-ua.js";

const services: StackServices = {
  startAuth: (env) => startAuthService(loadAuthConfig(env).config),
  startLocation: (env) => startLocationService(loadLocationConfig(env)),
};

function bindingExpires(response: SipResponse, contact: string): number | undefined {
  const contacts = getContacts(response);
  if (contacts === undefined || contacts.star) return undefined;
  const binding = contacts.contacts.find((candidate) => candidate.uriText === contact);
  return binding === undefined ? undefined : Number(binding.params.get("expires"));
}

describe("REGISTER through the edge proxy", () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack(services);
    await stack.addSubscriber("1000", "password1");
    await stack.addSubscriber("1001", "password2");
  });
  after(() => stack.close());

  it("MUST challenge with 401 and WWW-Authenticate for the domain, with no 100 before it over UDP (RFC 4320 §4.1)", async () => {
    const ua = await stack.ua("1000", "password1");
    const request = ua.request("REGISTER", "sip:localhost", { to: `<${ua.aor}>` });
    ua.send(request);
    const response = (await ua.receive(answers(request))) as SipResponse;
    assert.equal(response.status, 401, "the first answer is the challenge, not a 100");
    const challenge = response.header("WWW-Authenticate") ?? "";
    assert.match(challenge, /^Digest /);
    assert.match(challenge, /realm="localhost"/);
  });

  it("MUST answer an authenticated REGISTER with 200 listing the binding, its expires and a Date", async () => {
    const ua = await stack.ua("1000", "password1");
    const response = await ua.register([{ name: "Expires", value: "600" }]);
    assert.equal(response.status, 200);
    const expires = bindingExpires(response, ua.contact);
    assert.ok(expires !== undefined && expires > 590 && expires <= 600, `expires ${expires}`);
    assert.ok(response.header("Date"), "Date header present");
  });

  it("MUST challenge again when the password is wrong", async () => {
    const ua = await stack.ua("1000", "not-the-password");
    assert.equal((await ua.register()).status, 401);
  });

  it("MUST answer an unknown user exactly like a wrong password (no enumeration)", async () => {
    const ua = await stack.ua("nobody", "whatever");
    const response = await ua.register();
    assert.equal(response.status, 401);
    assert.match(response.header("WWW-Authenticate") ?? "", /realm="localhost"/);
  });

  it("MUST refuse with 403 a registration of another user's AOR (check_to)", async () => {
    const ua = await stack.ua("1000", "password1");
    const request = ua.request("REGISTER", "sip:localhost", { to: "<sip:1001@localhost>" });
    const { response } = await ua.transactWithAuth(request);
    assert.equal(response.status, 403);
  });

  it("MUST answer 423 with Min-Expires for an interval below the minimum", async () => {
    const ua = await stack.ua("1001", "password2");
    const response = await ua.register([{ name: "Expires", value: "5" }]);
    assert.equal(response.status, 423);
    assert.equal(response.header("Min-Expires"), "60");
  });

  it("MUST remove every binding for Contact: * with Expires: 0", async () => {
    const ua = await stack.ua("1001", "password2");
    assert.equal((await ua.register()).status, 200);
    const request = ua.request("REGISTER", "sip:localhost", {
      to: `<${ua.aor}>`,
      noContact: true,
      headers: [
        { name: "Contact", value: "*" },
        { name: "Expires", value: "0" },
      ],
    });
    const { response } = await ua.transactWithAuth(request);
    assert.equal(response.status, 200);
    assert.equal(getContacts(response), undefined, "no binding left");
  });

  it("MUST challenge a retransmitted REGISTER anew, keeping no state for it, with the same To tag (RFC 3261 §8.2.7)", async () => {
    const ua = await stack.ua("1000", "password1");
    const request = ua.request("REGISTER", "sip:localhost", { to: `<${ua.aor}>` });
    const first = await ua.transact(request);
    const again = await ua.transact(request);
    assert.equal(first.status, 401);
    assert.equal(again.status, 401);
    assert.equal(again.to.params.get("tag"), first.to.params.get("tag"));
    assert.notEqual(
      again.header("WWW-Authenticate"),
      first.header("WWW-Authenticate"),
      "a new challenge (new nonce), not a stored response",
    );
  });

  it("MUST answer a retransmitted authenticated REGISTER with the same 200 (a registrar is stateful, RFC 3261 §8.2.7)", async () => {
    const ua = await stack.ua("1000", "password1");
    const { request, response } = await ua.transactWithAuth(
      ua.request("REGISTER", "sip:localhost", { to: `<${ua.aor}>` }),
    );
    assert.equal(response.status, 200);
    const again = await ua.transact(request);
    assert.equal(again.status, 200);
    assert.equal(again.to.params.get("tag"), response.to.params.get("tag"));
    assert.equal(again.header("Contact"), response.header("Contact"));
  });
});
