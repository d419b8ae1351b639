// REGISTER against the whole stack (seed route[2]: www_authorize, check_to, save), from the
// test UA, sipp and sipsak: challenges, digest, the binding reaching location's MySQL table
// and sbctl, wrong passwords and To mismatches refused.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { getContacts, parseDigestChallenge } from "@switchboard/sip";
import { UaPool } from "./call-flow.js";
import { printServiceOutputOnFailure } from "./failure-log.js";
import { runSbctl } from "./sbctl.js";
import { describeSipp, runSipp } from "./sipp.js";
import { sipsakRegister } from "./sipsak.js";
import { Stack } from "./stack.js";
import { addWithSbctl, USER_1000, USER_1001 } from "./subscribers.js";

let stack: Stack | undefined;
const current = (): Stack => {
  if (stack === undefined) throw new Error("the stack did not start");
  return stack;
};
const uas = new UaPool(current);

before(async () => {
  stack = await Stack.start({ label: "register" });
  await addWithSbctl(stack, [USER_1000, USER_1001]);
});

after(async () => {
  await uas.closeAll();
  await stack?.stop();
});

printServiceOutputOnFailure(() => stack);

/** `sbctl ul show <user>`: its standard output, asserting exit 0. */
async function contactsShownBySbctl(user: string): Promise<string> {
  const result = await runSbctl(current().admin, ["ul", "show", user]);
  assert.equal(result.code, 0, `sbctl ul show ${user}: ${result.stderr}`);
  return result.stdout;
}

describe("REGISTER from the test UA", () => {
  it("MUST challenge a REGISTER without credentials with 401 and a Digest WWW-Authenticate for the domain (RFC 3261 §22.2)", async () => {
    const ua = await uas.open(USER_1000);
    const { response } = await ua.register({ answerChallenge: false });
    assert.equal(response.status, 401);
    const challenge = parseDigestChallenge(response.header("WWW-Authenticate") ?? "");
    assert.equal(challenge.realm, current().domain);
    assert.notEqual(challenge.nonce, "");
  });

  it("MUST answer 200 listing the binding once the digest is right, and store it in location's MySQL table and sbctl (RFC 3261 §10.3)", async () => {
    const ua = await uas.open(USER_1000);
    const { challenge, response } = await ua.register({ expires: 600 });
    assert.equal(challenge?.status, 401);
    assert.equal(response.status, 200, `${response.status} ${response.reason}`);
    const contacts = getContacts(response);
    assert.ok(contacts !== undefined && !contacts.star, "the 200 must list the bindings");
    const mine = contacts.contacts.find((contact) => contact.uriText === ua.contactUri);
    assert.ok(mine, `the 200 must list ${ua.contactUri}`);
    const expires = Number(mine.params.get("expires"));
    assert.ok(expires > 0 && expires <= 600, `expires param ${expires} must be in (0, 600]`);

    const rows = await current().locationRows(USER_1000.username);
    const row = rows.find((candidate) => candidate.contact === ua.contactUri);
    assert.ok(row, `location table must hold ${ua.contactUri}: ${JSON.stringify(rows)}`);
    assert.ok(row.expires.getTime() > Date.now(), "the row must not be expired");

    assert.match(await contactsShownBySbctl(USER_1000.username), new RegExp(ua.contactUri));
  });

  it("MUST store the source address as `received` when the Contact is not where the REGISTER came from (NAT)", async () => {
    const ua = await uas.open(USER_1000);
    const privateContact = `sip:${USER_1000.username}@192.0.2.10:5060`;
    const { response } = await ua.register({ contact: privateContact });
    assert.equal(response.status, 200, `${response.status} ${response.reason}`);
    const rows = await current().locationRows(USER_1000.username);
    const row = rows.find((candidate) => candidate.contact === privateContact);
    assert.ok(row, `location table must hold ${privateContact}: ${JSON.stringify(rows)}`);
    assert.equal(row.received, `udp:127.0.0.1:${ua.address.port}`);
  });

  it("MUST challenge again and never accept a REGISTER whose digest was made with a wrong password", async () => {
    const ua = await uas.open(USER_1001);
    const { challenge, response } = await ua.register({ password: "not-password2" });
    assert.equal(challenge?.status, 401);
    assert.equal(response.status, 401, `${response.status} ${response.reason}`);
    assert.ok(response.header("WWW-Authenticate"), "the new 401 must carry a fresh challenge");
    const rows = await current().locationRows(USER_1001.username);
    assert.equal(rows.filter((row) => row.contact === ua.contactUri).length, 0);
  });

  it("MUST answer 403 to a REGISTER whose To user is not the authenticated user (check_to)", async () => {
    const ua = await uas.open(USER_1000);
    const { challenge, response } = await ua.register({ toUser: USER_1001.username });
    assert.equal(challenge?.status, 401);
    assert.equal(response.status, 403, `${response.status} ${response.reason}`);
    const rows = await current().locationRows(USER_1001.username);
    assert.equal(rows.filter((row) => row.contact === ua.contactUri).length, 0);
  });

  it("MUST remove the binding when the phone registers again with Expires 0 (RFC 3261 §10.2.2)", async () => {
    const ua = await uas.open(USER_1001);
    assert.equal((await ua.register()).response.status, 200);
    const before = await current().locationRows(USER_1001.username);
    assert.equal(before.filter((row) => row.contact === ua.contactUri).length, 1);
    const { response } = await ua.register({ expires: 0 });
    assert.equal(response.status, 200, `${response.status} ${response.reason}`);
    const rows = await current().locationRows(USER_1001.username);
    assert.equal(rows.filter((row) => row.contact === ua.contactUri).length, 0);
  });
});

describe("REGISTER from sipp", () => {
  /** The `[domain]` keyword and the digest-uri of a REGISTER (its Request-URI). */
  const registerTo = () => ({
    keys: { domain: current().domain },
    digestUri: `sip:${current().domain}`,
  });

  it("register-no-credentials-expect-401: sipp's REGISTER without credentials gets 401", async () => {
    const result = await runSipp({
      scenario: "register-no-credentials-expect-401.xml",
      remote: current().sip,
      users: [USER_1000],
      ...registerTo(),
    });
    assert.equal(result.exitCode, 0, describeSipp(result));
    assert.equal(result.successful, 1, describeSipp(result));
  });

  it("register-with-digest-expect-200: sipp answers the 401 with digest credentials and gets 200; the binding is stored", async () => {
    const result = await runSipp({
      scenario: "register-with-digest-expect-200.xml",
      remote: current().sip,
      users: [USER_1001],
      ...registerTo(),
    });
    assert.equal(result.exitCode, 0, describeSipp(result));
    assert.equal(result.successful, 1, describeSipp(result));
    const rows = await current().locationRows(USER_1001.username);
    assert.ok(
      rows.some((row) => row.contact.startsWith(`sip:${USER_1001.username}@127.0.0.1:`)),
      `sipp's contact must be stored: ${JSON.stringify(rows)}`,
    );
  });

  it("register-wrong-password-expect-401: sipp's REGISTER with a wrong password is challenged again", async () => {
    const result = await runSipp({
      scenario: "register-wrong-password-expect-401.xml",
      remote: current().sip,
      users: [{ username: USER_1000.username, password: "wrong" }],
      ...registerTo(),
    });
    assert.equal(result.exitCode, 0, describeSipp(result));
    assert.equal(result.successful, 1, describeSipp(result));
  });

  it("register-other-user-expect-403: sipp registering another user's AOR with its own credentials gets 403", async () => {
    const result = await runSipp({
      scenario: "register-other-user-expect-403.xml",
      remote: current().sip,
      service: USER_1001.username,
      users: [USER_1000],
      ...registerTo(),
    });
    assert.equal(result.exitCode, 0, describeSipp(result));
    assert.equal(result.successful, 1, describeSipp(result));
  });
});

describe("REGISTER from sipsak", () => {
  it("MUST accept sipsak's digest REGISTER and list the contact it bound", async () => {
    const contact = "sip:1000@127.0.0.1:5999";
    const result = await sipsakRegister({
      proxy: current().sip,
      domain: current().domain,
      user: USER_1000.username,
      password: USER_1000.password,
      contact,
    });
    assert.equal(result.exitCode, 0, result.output);
    assert.match(await contactsShownBySbctl(USER_1000.username), /sip:1000@127\.0\.0\.1:5999/);
  });
});
