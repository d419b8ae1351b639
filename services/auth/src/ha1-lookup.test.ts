import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AorCache } from "@switchboard/kit";
import { ManualClock } from "@switchboard/kit/testing";
import { computeHa1 } from "@switchboard/sip";
import {
  type CacheLookupResult,
  Ha1Lookup,
  type Ha1Set,
  type SecretsReader,
  type StoredSecrets,
} from "./ha1-lookup.js";

const STORED_MD5 = computeHa1("MD5", "alice", "example.com", "stored");
const STORED_SHA256 = computeHa1("SHA-256", "alice", "example.com", "stored");

/** A store holding alice with the given columns, counting reads. */
class AliceStore implements SecretsReader {
  reads = 0;
  constructor(readonly secrets: StoredSecrets) {}
  async findSecrets(username: string, domain: string): Promise<StoredSecrets | undefined> {
    this.reads++;
    return username === "alice" && domain === "example.com" ? this.secrets : undefined;
  }
}

function setup(secrets: StoredSecrets, calculateHa1: boolean) {
  const store = new AliceStore(secrets);
  const lookups: CacheLookupResult[] = [];
  const cache = new AorCache<Ha1Set>({
    maxEntries: 10,
    positiveTtlMs: 1000,
    negativeTtlMs: 100,
    clock: new ManualClock(),
  });
  const lookup = new Ha1Lookup({
    cache,
    store,
    calculateHa1,
    onLookup: (result) => lookups.push(result),
  });
  return { store, lookups, lookup };
}

describe("Ha1Lookup", () => {
  it("returns the stored HA1s, reading the store once and the cache after", async () => {
    const { store, lookups, lookup } = setup(
      { password: "", ha1: STORED_MD5.toUpperCase(), ha1Sha256: STORED_SHA256 },
      false,
    );
    assert.deepEqual(await lookup.find("alice", "example.com"), {
      md5: STORED_MD5,
      sha256: STORED_SHA256,
    });
    await lookup.find("alice", "example.com");
    assert.equal(store.reads, 1);
    assert.deepEqual(lookups, ["miss", "hit"]);
  });

  it("caches an unknown subscriber as null", async () => {
    const { store, lookup } = setup(
      { password: "", ha1: STORED_MD5, ha1Sha256: STORED_SHA256 },
      false,
    );
    assert.equal(await lookup.find("mallory", "example.com"), null);
    assert.equal(await lookup.find("mallory", "example.com"), null);
    assert.equal(store.reads, 1);
  });

  it("computes the HA1s from the plain password with AUTH_CALCULATE_HA1", async () => {
    const { lookup } = setup(
      { password: "plain", ha1: STORED_MD5, ha1Sha256: STORED_SHA256 },
      true,
    );
    assert.deepEqual(await lookup.find("alice", "example.com"), {
      md5: computeHa1("MD5", "alice", "example.com", "plain"),
      sha256: computeHa1("SHA-256", "alice", "example.com", "plain"),
    });
  });

  it("MUST NOT turn an empty password column into a valid HA1 of the empty password", async () => {
    const { lookup } = setup({ password: "", ha1: STORED_MD5, ha1Sha256: STORED_SHA256 }, true);
    assert.deepEqual(await lookup.find("alice", "example.com"), {
      md5: STORED_MD5,
      sha256: STORED_SHA256,
    });
  });

  it("answers a name longer than the columns as unknown without reading or caching it", async () => {
    const { store, lookups, lookup } = setup(
      { password: "", ha1: STORED_MD5, ha1Sha256: STORED_SHA256 },
      false,
    );
    assert.equal(await lookup.find("a".repeat(65), "example.com"), null);
    assert.equal(await lookup.find("alice", `${"d".repeat(187)}.com`), null);
    assert.equal(store.reads, 0);
    assert.deepEqual(lookups, []);
  });
});
