import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Clock, ManualClock, type TimerHandle } from "./clock.js";
import { LingerQueue } from "./transaction-linger.js";

class Finished {
  terminated = false;
  terminations = 0;
  terminate(): void {
    this.terminated = true;
    this.terminations++;
  }
}

describe("LingerQueue", () => {
  it("terminates each transaction once its duration has passed, oldest first", () => {
    const clock = new ManualClock();
    const queue = new LingerQueue(clock);
    const first = new Finished();
    const second = new Finished();
    queue.add(32_000, first);
    clock.advance(10);
    queue.add(32_000, second);
    clock.advance(31_989);
    assert.deepEqual([first.terminated, second.terminated], [false, false]);
    clock.advance(1);
    assert.deepEqual([first.terminated, second.terminated], [true, false]);
    clock.advance(10);
    assert.deepEqual([first.terminated, second.terminated], [true, true]);
    assert.equal(clock.pendingTimers, 0);
  });

  it("keeps one clock timer per duration, however many transactions wait", () => {
    const clock = new ManualClock();
    const queue = new LingerQueue(clock);
    const waiting = Array.from({ length: 5000 }, () => new Finished());
    for (const [index, transaction] of waiting.entries()) {
      queue.add(index % 2 === 0 ? 32_000 : 5000, transaction);
    }
    assert.equal(clock.pendingTimers, 2);
    clock.advance(5000);
    assert.equal(waiting.filter((transaction) => transaction.terminated).length, 2500);
    assert.equal(clock.pendingTimers, 1);
    clock.advance(27_000);
    assert.ok(waiting.every((transaction) => transaction.terminations === 1));
    assert.equal(clock.pendingTimers, 0);
  });

  it("terminates at once for a duration of 0 (a reliable transport), arming nothing", () => {
    const clock = new ManualClock();
    const transaction = new Finished();
    new LingerQueue(clock).add(0, transaction);
    assert.equal(transaction.terminated, true);
    assert.equal(clock.pendingTimers, 0);
  });

  it("leaves alone a transaction that terminated while it waited", () => {
    const clock = new ManualClock();
    const queue = new LingerQueue(clock);
    const transaction = new Finished();
    queue.add(5000, transaction);
    transaction.terminate();
    clock.advance(5000);
    assert.equal(transaction.terminations, 1);
  });

  it("serves entries added after the queue emptied with a fresh timer", () => {
    const clock = new ManualClock();
    const queue = new LingerQueue(clock);
    queue.add(5000, new Finished());
    clock.advance(5000);
    const later = new Finished();
    queue.add(5000, later);
    clock.advance(4999);
    assert.equal(later.terminated, false);
    clock.advance(1);
    assert.equal(later.terminated, true);
  });

  it("waits on when its timer fires before the oldest entry is due", () => {
    const armed: { ms: number; fire: () => void }[] = [];
    let now = 0;
    const earlyClock: Clock = {
      now: () => now,
      setTimer(ms, fire) {
        armed.push({ ms, fire });
        return armed.length as unknown as TimerHandle;
      },
      clearTimer() {},
    };
    const queue = new LingerQueue(earlyClock);
    const transaction = new Finished();
    queue.add(5000, transaction);
    now = 4999.6;
    armed[0]?.fire();
    assert.equal(transaction.terminated, false);
    assert.equal(armed[1]?.ms, 1);
    now = 5000.6;
    armed[1]?.fire();
    assert.equal(transaction.terminated, true);
    assert.equal(armed.length, 2);
  });

  it("disarms its timers on close", () => {
    const clock = new ManualClock();
    const queue = new LingerQueue(clock);
    const transaction = new Finished();
    queue.add(5000, transaction);
    queue.close();
    assert.equal(clock.pendingTimers, 0);
    clock.advance(5000);
    assert.equal(transaction.terminated, false);
  });
});
