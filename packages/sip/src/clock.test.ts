import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock, systemClock } from "./clock.js";

describe("ManualClock", () => {
  it("fires due timers in due-time order, first-armed first on a tie", () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.setTimer(300, () => fired.push("c"));
    clock.setTimer(100, () => fired.push("a"));
    clock.setTimer(100, () => fired.push("b"));
    clock.setTimer(301, () => fired.push("late"));
    clock.advance(300);
    assert.deepEqual(fired, ["a", "b", "c"]);
    assert.equal(clock.now(), 300);
    assert.equal(clock.pendingTimers, 1);
  });

  it("shows each timer its own due time as now()", () => {
    const clock = new ManualClock(1_000);
    const seen: number[] = [];
    clock.setTimer(250, () => seen.push(clock.now()));
    clock.setTimer(700, () => seen.push(clock.now()));
    clock.advance(5_000);
    assert.deepEqual(seen, [1_250, 1_700]);
    assert.equal(clock.now(), 6_000);
  });

  it("fires timers armed by firing timers when they fall due within the advance", () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    const rearm = (interval: number): void => {
      clock.setTimer(interval, () => {
        fired.push(clock.now());
        rearm(interval * 2);
      });
    };
    rearm(500);
    clock.advance(4_000);
    assert.deepEqual(fired, [500, 1_500, 3_500]);
    assert.equal(clock.pendingTimers, 1);
  });

  it("never fires a cleared timer and tolerates clearing twice", () => {
    const clock = new ManualClock();
    let fired = false;
    const handle = clock.setTimer(10, () => {
      fired = true;
    });
    clock.clearTimer(handle);
    clock.clearTimer(handle);
    clock.advance(100);
    assert.equal(fired, false);
    assert.equal(clock.pendingTimers, 0);
  });

  it("fires a zero-delay timer on advance(0)", () => {
    const clock = new ManualClock();
    let fired = 0;
    clock.setTimer(0, () => fired++);
    clock.advance(0);
    assert.equal(fired, 1);
  });

  it("refuses to go backwards", () => {
    assert.throws(() => new ManualClock().advance(-1), RangeError);
  });
});

describe("systemClock", () => {
  it("fires a timer after its delay and can clear one", async () => {
    const start = systemClock.now();
    const cleared = systemClock.setTimer(1, () => assert.fail("a cleared timer fired"));
    systemClock.clearTimer(cleared);
    // The test's own pending promise keeps the loop alive: the clock's timers are unref'd.
    const keepAlive = setTimeout(() => {}, 1_000);
    await new Promise<void>((resolve) => systemClock.setTimer(5, resolve));
    clearTimeout(keepAlive);
    assert.ok(systemClock.now() - start >= 4, "the timer fired before its delay");
  });
});
