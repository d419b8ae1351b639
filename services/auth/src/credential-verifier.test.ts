import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "@switchboard/kit/testing";
import {
  buildDigestAuthorization,
  computeHa1,
  type DigestAlgorithm,
  type DigestClientInput,
  type DigestQop,
  parseDigestChallenge,
} from "@switchboard/sip";
import { CredentialVerifier, type Ha1Source } from "./credential-verifier.js";
import type { Ha1Set } from "./ha1-lookup.js";
import { NonceCodec } from "./nonce.js";
import { NonceCountTracker } from "./nonce-count-tracker.js";

const REALM = "example.com";
const REQUEST_URI = "sip:registrar.example.com";
const LIFETIME_MS = 300_000;

function ha1sOf(username: string, password: string): Ha1Set {
  return {
    md5: computeHa1("MD5", username, REALM, password),
    sha256: computeHa1("SHA-256", username, REALM, password),
  };
}

/** An HA1 source holding one subscriber, counting lookups. */
class OneSubscriber implements Ha1Source {
  lookups = 0;
  constructor(
    readonly username: string,
    readonly ha1s: Ha1Set,
  ) {}
  async find(username: string, domain: string): Promise<Ha1Set | null> {
    this.lookups++;
    return username === this.username && domain === REALM ? this.ha1s : null;
  }
}

function setup(
  algorithms: DigestAlgorithm[] = ["MD5", "SHA-256"],
  aliceHa1s: Ha1Set = ha1sOf("alice", "secret"),
) {
  const clock = new ManualClock();
  const nonces = new NonceCodec({ secret: "verifier-test-secret", lifetimeMs: LIFETIME_MS, clock });
  const store = new OneSubscriber("alice", aliceHa1s);
  const verifier = new CredentialVerifier({
    nonces,
    nonceCounts: new NonceCountTracker({ maxEntries: 100, clock }),
    ha1s: store,
    algorithms,
  });
  const nonce = nonces.issue();
  /** Credentials answering a challenge with this setup's nonce. */
  function authorization(
    overrides: Partial<DigestClientInput> & {
      algorithm?: DigestAlgorithm;
      qopOffer?: DigestQop[];
      realm?: string;
    } = {},
  ): string {
    const {
      algorithm = "MD5",
      qopOffer = ["auth", "auth-int"],
      realm = REALM,
      ...input
    } = overrides;
    const challenge = parseDigestChallenge(
      `Digest realm="${realm}", nonce="${nonce}", algorithm=${algorithm}${qopOffer.length > 0 ? `, qop="${qopOffer.join(",")}"` : ""}`,
    );
    return buildDigestAuthorization(challenge, {
      username: "alice",
      password: "secret",
      method: "REGISTER",
      uri: REQUEST_URI,
      ...input,
    });
  }
  const request = (value: string, extra: { body?: Uint8Array; method?: string } = {}) => ({
    authorization: value,
    method: extra.method ?? "REGISTER",
    realm: REALM,
    requestUri: REQUEST_URI,
    body: extra.body,
  });
  return { clock, verifier, store, authorization, request };
}

describe("CredentialVerifier", () => {
  it("accepts a correct MD5 qop=auth response and names the subscriber", async () => {
    const { verifier, authorization, request } = setup();
    assert.deepEqual(await verifier.verify(request(authorization())), {
      ok: true,
      username: "alice",
      domain: REALM,
    });
  });

  it("accepts SHA-256 (RFC 7616 §3.4, RFC 8760) and RFC 2069-style responses without qop", async () => {
    const { verifier, authorization, request } = setup();
    assert.equal(
      (await verifier.verify(request(authorization({ algorithm: "SHA-256" })))).ok,
      true,
    );
    assert.equal((await verifier.verify(request(authorization({ qopOffer: [] })))).ok, true);
  });

  it("accepts qop=auth-int over the request body, and refuses it when the body differs", async () => {
    const { verifier, authorization, request } = setup();
    const body = new TextEncoder().encode("v=0\r\n");
    const credentials = authorization({ qop: "auth-int", body });
    assert.equal((await verifier.verify(request(credentials, { body }))).ok, true);
    const tampered = new TextEncoder().encode("v=1\r\n");
    assert.deepEqual(
      await verifier.verify(
        request(authorization({ qop: "auth-int", body, nc: 2 }), { body: tampered }),
      ),
      {
        ok: false,
        reason: "bad-password",
      },
    );
  });

  it("answers a wrong password with bad-password", async () => {
    const { verifier, authorization, request } = setup();
    assert.deepEqual(await verifier.verify(request(authorization({ password: "wrong" }))), {
      ok: false,
      reason: "bad-password",
    });
  });

  it("answers an unknown user with unknown-user after looking it up like a known one", async () => {
    const { verifier, store, authorization, request } = setup();
    const result = await verifier.verify(request(authorization({ username: "mallory" })));
    assert.deepEqual(result, { ok: false, reason: "unknown-user" });
    assert.equal(store.lookups, 1);
  });

  it("answers a right response with an expired nonce as stale-nonce (RFC 7616 §3.3)", async () => {
    const { clock, verifier, authorization, request } = setup();
    const credentials = authorization();
    clock.advance(LIFETIME_MS + 1);
    assert.deepEqual(await verifier.verify(request(credentials)), {
      ok: false,
      reason: "stale-nonce",
    });
  });

  it("answers a wrong response with an expired nonce as bad-password, not stale", async () => {
    const { clock, verifier, authorization, request } = setup();
    const credentials = authorization({ password: "wrong" });
    clock.advance(LIFETIME_MS + 1);
    assert.deepEqual(await verifier.verify(request(credentials)), {
      ok: false,
      reason: "bad-password",
    });
  });

  it("MUST refuse a replayed nonce-count and accept the next one", async () => {
    const { verifier, authorization, request } = setup();
    const first = authorization({ nc: 1 });
    assert.equal((await verifier.verify(request(first))).ok, true);
    assert.deepEqual(await verifier.verify(request(first)), { ok: false, reason: "nonce-reused" });
    assert.equal((await verifier.verify(request(authorization({ nc: 2 })))).ok, true);
  });

  it("does not let a forged response burn a nonce-count", async () => {
    const { verifier, authorization, request } = setup();
    await verifier.verify(request(authorization({ nc: 5, password: "wrong" })));
    assert.equal((await verifier.verify(request(authorization({ nc: 1 })))).ok, true);
  });

  it("refuses a nonce this deployment did not issue as bad-nonce, without a lookup", async () => {
    const { verifier, store, authorization, request } = setup();
    const forged = authorization().replace(/nonce="[^"]+"/, `nonce="${"A".repeat(48)}"`);
    assert.deepEqual(await verifier.verify(request(forged)), { ok: false, reason: "bad-nonce" });
    assert.equal(store.lookups, 0);
  });

  it("refuses credentials for another realm (RFC 3261 §22.4)", async () => {
    const { verifier, authorization, request } = setup();
    assert.deepEqual(await verifier.verify(request(authorization({ realm: "other.example" }))), {
      ok: false,
      reason: "realm-mismatch",
    });
  });

  it("refuses a digest-uri other than the Request-URI, but not one differing in host case", async () => {
    const { verifier, authorization, request } = setup();
    assert.deepEqual(
      await verifier.verify(request(authorization({ uri: "sip:other.example.com" }))),
      {
        ok: false,
        reason: "uri-mismatch",
      },
    );
    assert.equal(
      (await verifier.verify(request(authorization({ uri: "sip:Registrar.Example.COM" })))).ok,
      true,
    );
  });

  it("refuses an algorithm the deployment does not offer", async () => {
    const { verifier, authorization, request } = setup(["MD5"]);
    assert.deepEqual(await verifier.verify(request(authorization({ algorithm: "SHA-256" }))), {
      ok: false,
      reason: "unsupported-algorithm",
    });
  });

  it("classifies unparsable credentials as malformed and other schemes as no-credentials", async () => {
    const { verifier, request } = setup();
    assert.deepEqual(await verifier.verify(request('Digest username="alice", realm=')), {
      ok: false,
      reason: "malformed",
    });
    assert.deepEqual(await verifier.verify(request("Basic YWxpY2U6c2VjcmV0")), {
      ok: false,
      reason: "no-credentials",
    });
  });

  it("refuses a subscriber with no HA1 for the algorithm as a bad password", async () => {
    const withoutSha256 = { md5: ha1sOf("alice", "secret").md5, sha256: "" };
    const { verifier, authorization, request } = setup(["MD5", "SHA-256"], withoutSha256);
    assert.deepEqual(await verifier.verify(request(authorization({ algorithm: "SHA-256" }))), {
      ok: false,
      reason: "bad-password",
    });
  });
});
