import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AuthChallengeRequest } from "@switchboard/contracts";
import { ChallengePool } from "./challenge-pool.js";

const REQUEST: AuthChallengeRequest = { realm: "example.com", qop: "auth", proxy: false };

/** A challenge source that numbers its challenges and records what it was asked. */
function source() {
  let issued = 0;
  const asked: AuthChallengeRequest[] = [];
  let failure: Error | undefined;
  return {
    asked,
    failWith(error: Error | undefined) {
      failure = error;
    },
    fetch: async (request: AuthChallengeRequest) => {
      asked.push(request);
      if (failure) throw failure;
      return Array.from({ length: request.count ?? 1 }, () => [`challenge ${++issued}`]);
    },
  };
}

function pool(batch = 4, maxAgeMs = 5000) {
  const challenges = source();
  let now = 0;
  const instance = new ChallengePool({ fetch: challenges.fetch, batch, maxAgeMs, now: () => now });
  return {
    challenges,
    pool: instance,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe("ChallengePool", () => {
  it("hands out each challenge of a batch once, asking again when half are used", async () => {
    const { pool: challenges, challenges: auth } = pool(4);
    const taken = [];
    for (let i = 0; i < 3; i++) taken.push((await challenges.take(REQUEST))[0]);
    assert.equal(new Set(taken).size, 3);
    assert.deepEqual(
      auth.asked.map((request) => request.count),
      [4, 4],
      "one batch, then a refill once fewer than half were left",
    );
    assert.deepEqual(auth.asked[0], { ...REQUEST, count: 4 });
  });

  it("never hands out a challenge older than the age limit", async () => {
    const { pool: challenges, challenges: auth, advance } = pool(4, 5000);
    const first = await challenges.take(REQUEST);
    advance(5001);
    const second = await challenges.take(REQUEST);
    assert.notDeepEqual(second, first);
    assert.equal(auth.asked.length, 2);
    assert.deepEqual(second, ["challenge 8"], "the newest batch's newest challenge");
  });

  it("keeps 401 and 407 challenges, and each realm's, apart", async () => {
    const { pool: challenges, challenges: auth } = pool(4);
    await challenges.take(REQUEST);
    await challenges.take({ ...REQUEST, proxy: true });
    await challenges.take({ ...REQUEST, realm: "other.example" });
    assert.deepEqual(
      auth.asked.map((request) => [request.realm, request.proxy]),
      [
        ["example.com", false],
        ["example.com", true],
        ["other.example", false],
      ],
    );
  });

  it("asks for a stale challenge one at a time, outside the pool", async () => {
    const { pool: challenges, challenges: auth } = pool(4);
    await challenges.take({ ...REQUEST, stale: true });
    await challenges.take({ ...REQUEST, stale: true });
    assert.deepEqual(
      auth.asked.map((request) => [request.count, request.stale]),
      [
        [1, true],
        [1, true],
      ],
    );
  });

  it("lets callers with nothing in hand share batches: one request per batch of them", async () => {
    const { pool: challenges, challenges: auth } = pool(2);
    const taken = await Promise.all([1, 2, 3, 4, 5].map(() => challenges.take(REQUEST)));
    assert.equal(new Set(taken.map((headers) => headers[0])).size, 5, "each challenge once");
    assert.deepEqual(
      auth.asked.map((request) => request.count),
      [2, 2, 2],
      "five callers, batches of two: three requests, not one per caller",
    );
    assert.deepEqual(await challenges.take(REQUEST), ["challenge 1"], "the one left over");
  });

  it("refuses to wait for ever when auth answers no challenge", async () => {
    const challenges = new ChallengePool({ fetch: async () => [], batch: 4, maxAgeMs: 5000 });
    await assert.rejects(challenges.take(REQUEST), /answered no challenge/);
  });

  it("drops the challenges in hand when a fetch fails or when told auth is away", async () => {
    const { pool: challenges, challenges: auth } = pool(4);
    await challenges.take(REQUEST); // 3 left
    challenges.clear();
    assert.deepEqual(await challenges.take(REQUEST), ["challenge 8"], "a new batch");
    await challenges.take(REQUEST); // 2 left
    auth.failWith(new Error("auth away"));
    await challenges.take(REQUEST); // 1 left: a refill starts, and fails

    await assert.rejects(challenges.take(REQUEST), /auth away/, "nothing kept to hand out");
  });

  it("passes the failure to a caller it has nothing for, and recovers", async () => {
    const { pool: challenges, challenges: auth } = pool(4);
    auth.failWith(new Error("auth away"));
    await assert.rejects(challenges.take(REQUEST), /auth away/);
    auth.failWith(undefined);
    assert.deepEqual(await challenges.take(REQUEST), ["challenge 4"]);
  });
});
