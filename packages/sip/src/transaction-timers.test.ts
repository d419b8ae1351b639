import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DEFAULT_TIMER_SETTINGS,
  doubledInterval,
  nonInviteProvisionalDelay,
  transactionTimers,
  validateTimerSettings,
} from "./transaction-timers.js";

describe("transactionTimers (RFC 3261 Table 4, RFC 6026)", () => {
  it("uses T1 = 500 ms, T2 = 4 s, T4 = 5 s by default", () => {
    assert.deepEqual(DEFAULT_TIMER_SETTINGS, { t1: 500, t2: 4_000, t4: 5_000 });
  });

  it("MUST use the Table 4 values over UDP", () => {
    assert.deepEqual(transactionTimers(DEFAULT_TIMER_SETTINGS, false), {
      a: 500,
      b: 32_000,
      d: 32_000,
      e: 500,
      f: 32_000,
      g: 500,
      h: 32_000,
      i: 5_000,
      j: 32_000,
      k: 5_000,
      l: 32_000,
      m: 32_000,
      retransmitCap: 4_000,
    });
  });

  it("MUST NOT retransmit and MUST use D = I = J = K = 0 over a reliable transport", () => {
    const timers = transactionTimers(DEFAULT_TIMER_SETTINGS, true);
    assert.equal(timers.a, undefined);
    assert.equal(timers.e, undefined);
    assert.equal(timers.g, undefined);
    assert.deepEqual([timers.d, timers.i, timers.j, timers.k], [0, 0, 0, 0]);
    assert.deepEqual(
      [timers.b, timers.f, timers.h, timers.l, timers.m],
      [32_000, 32_000, 32_000, 32_000, 32_000],
    );
  });

  it("derives every timer from configured T1, T2, T4", () => {
    const timers = transactionTimers({ t1: 1_000, t2: 8_000, t4: 10_000 }, false);
    assert.equal(timers.b, 64_000);
    assert.equal(timers.j, 64_000);
    assert.equal(timers.i, 10_000);
    assert.equal(timers.k, 10_000);
    assert.equal(timers.retransmitCap, 8_000);
    assert.equal(timers.d, 64_000, "Timer D covers the peer's 64·T1");
  });

  it("keeps Timer D at least 32 s over UDP even with a small T1", () => {
    assert.equal(transactionTimers({ t1: 100, t2: 4_000, t4: 5_000 }, false).d, 32_000);
  });

  it("doubles an interval up to the cap", () => {
    assert.equal(doubledInterval(500), 1_000);
    assert.equal(doubledInterval(16_000), 32_000);
    assert.equal(doubledInterval(2_000, 4_000), 4_000);
    assert.equal(doubledInterval(4_000, 4_000), 4_000);
  });

  it("rejects settings that are not positive or have T1 above T2", () => {
    assert.throws(() => validateTimerSettings({ t1: 0, t2: 4_000, t4: 5_000 }), /T1/);
    assert.throws(() => validateTimerSettings({ t1: 500, t2: Number.NaN, t4: 5_000 }), /T2/);
    assert.throws(() => validateTimerSettings({ t1: 5_000, t2: 4_000, t4: 5_000 }), /exceed/);
    assert.deepEqual(validateTimerSettings(DEFAULT_TIMER_SETTINGS), DEFAULT_TIMER_SETTINGS);
  });
});

describe("nonInviteProvisionalDelay (RFC 4320 §4.1)", () => {
  it("is when Timer E has doubled up to T2: 3.5 s with the default timers", () => {
    assert.equal(nonInviteProvisionalDelay(DEFAULT_TIMER_SETTINGS), 500 + 1000 + 2000);
  });

  it("is 0 when T1 already reaches T2", () => {
    assert.equal(nonInviteProvisionalDelay({ t1: 4000, t2: 4000, t4: 5000 }), 0);
  });
});
