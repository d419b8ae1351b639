import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { connect } from "nats";
import { perConnection } from "./per-connection.js";

const NATS_URL = process.env.NATS_URL ?? "nats://127.0.0.1:4222";

describe("perConnection", () => {
  it("makes one object per connection, on first use", async () => {
    const [first, second] = await Promise.all([
      connect({ servers: NATS_URL }),
      connect({ servers: NATS_URL }),
    ]);
    try {
      let made = 0;
      const stateOf = perConnection(() => ({ serial: ++made }));
      assert.equal(made, 0);
      assert.equal(stateOf(first), stateOf(first));
      assert.notEqual(stateOf(second), stateOf(first));
      assert.equal(made, 2);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
