import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { describe, it } from "node:test";
import { z } from "zod";
import { buildServiceApp } from "./http.js";
import { createLogger } from "./logger.js";
import { createMetricsRegistry } from "./metrics.js";
import { createMysqlPool, dropDatabase, ensureDatabase } from "./mysql.js";
import { connectNats } from "./nats.js";
import { request } from "./rpc-client.js";
import { serve } from "./rpc-server.js";
import {
  installShutdownHandler,
  runShutdownSteps,
  type ShutdownStep,
  standardShutdownSteps,
  stopOnce,
} from "./shutdown.js";

const logger = createLogger({ service: "kit-test", level: "silent" });
const Echo = z.object({ n: z.number() });

function recorder() {
  const ran: string[] = [];
  const step = (name: string, run: () => unknown = () => undefined): ShutdownStep => ({
    name,
    run: () => {
      ran.push(name);
      return run();
    },
  });
  return { ran, step };
}

/** An exit function that records its codes, and a promise for the first call. */
function exitSpy() {
  const codes: number[] = [];
  let first = (_code: number) => {};
  const exited = new Promise<number>((resolve) => {
    first = resolve;
  });
  return {
    codes,
    exited,
    exit: (code: number) => {
      codes.push(code);
      first(code);
    },
  };
}

describe("runShutdownSteps", () => {
  it("MUST run the steps in order and keep going after one fails", async () => {
    const { ran, step } = recorder();
    const report = await runShutdownSteps(
      [
        step("stop"),
        step("drain", () => Promise.reject(new Error("boom"))),
        step("throw", () => {
          throw new Error("sync boom");
        }),
        step("close"),
      ],
      logger,
    );
    assert.deepEqual(ran, ["stop", "drain", "throw", "close"]);
    assert.deepEqual(report.failed, ["drain", "throw"]);
  });

  it("MUST give up on a step that exceeds its time bound and run the next", async () => {
    const { ran, step } = recorder();
    const hung = { ...step("hung", () => new Promise(() => {})), timeoutMs: 20 };
    const report = await runShutdownSteps([hung, step("after")], logger);
    assert.deepEqual(ran, ["hung", "after"]);
    assert.deepEqual(report.failed, ["hung"]);
  });
});

describe("stopOnce", () => {
  it("MUST run the steps once however often it is called", async () => {
    const { ran, step } = recorder();
    const stop = stopOnce([step("drain"), step("close")], logger);
    await Promise.all([stop(), stop()]);
    await stop();
    assert.deepEqual(ran, ["drain", "close"]);
  });

  it("MUST reject naming the steps that failed, after running them all", async () => {
    const { ran, step } = recorder();
    const stop = stopOnce(
      [step("drain", () => Promise.reject(new Error("boom"))), step("close")],
      logger,
    );
    await assert.rejects(stop(), { message: "shutdown steps failed: drain" });
    assert.deepEqual(ran, ["drain", "close"]);
  });
});

describe("installShutdownHandler", () => {
  it("MUST run the steps on SIGTERM and exit 0", async () => {
    const source = new EventEmitter();
    const { ran, step } = recorder();
    const spy = exitSpy();
    const steps: ShutdownStep[] = [step("first")];
    installShutdownHandler({ steps, logger, source, exit: spy.exit });
    steps.push(step("added later"));
    source.emit("SIGTERM", "SIGTERM");
    assert.equal(await spy.exited, 0);
    assert.deepEqual(ran, ["first", "added later"]);
  });

  it("MUST exit 1 when a step failed", async () => {
    const source = new EventEmitter();
    const spy = exitSpy();
    const failing: ShutdownStep = { name: "bad", run: () => Promise.reject(new Error("no")) };
    installShutdownHandler({ steps: [failing], logger, source, exit: spy.exit });
    source.emit("SIGINT", "SIGINT");
    assert.equal(await spy.exited, 1);
  });

  it("MUST exit at once with 1 on a second signal while the steps run", async () => {
    const source = new EventEmitter();
    const spy = exitSpy();
    let release = () => {};
    const blocked: ShutdownStep = {
      name: "blocked",
      run: () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    };
    installShutdownHandler({ steps: [blocked], logger, source, exit: spy.exit });
    source.emit("SIGTERM", "SIGTERM");
    source.emit("SIGTERM", "SIGTERM");
    assert.equal(await spy.exited, 1);
    assert.deepEqual(spy.codes, [1]);
    release();
  });

  it("MUST remove its handlers when disposed", () => {
    const source = new EventEmitter();
    const dispose = installShutdownHandler({ steps: [], logger, source, exit: () => {} });
    assert.equal(source.listenerCount("SIGTERM"), 1);
    dispose();
    assert.equal(source.listenerCount("SIGTERM") + source.listenerCount("SIGINT"), 0);
  });
});

describe("standardShutdownSteps", () => {
  it("MUST let a running request finish, then drain NATS and close the pool and HTTP server", async () => {
    const url = `mysql://root@127.0.0.1:3306/kit_shutdown_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
    await ensureDatabase(url);
    const pool = createMysqlPool(url);
    const nats = await connectNats({
      servers: "nats://127.0.0.1:4222",
      name: "kit-shutdown-test",
      logger,
    });
    const client = await connectNats({
      servers: "nats://127.0.0.1:4222",
      name: "kit-shutdown-client",
      logger,
    });
    const app = buildServiceApp({
      registry: createMetricsRegistry({ service: "t", defaultMetrics: false }),
      logger,
    });
    try {
      const subject = `kit_shutdown_${randomUUID().slice(0, 8)}.echo`;
      let started = () => {};
      const handlerStarted = new Promise<void>((resolve) => {
        started = resolve;
      });
      let release = () => {};
      const listener = serve(
        nats,
        subject,
        "echo",
        Echo,
        Echo,
        async ({ n }) => {
          started();
          await new Promise<void>((resolve) => {
            release = resolve;
          });
          return { n };
        },
        { logger },
      );
      const reply = request(client, subject, Echo, Echo, { n: 7 }, { timeoutMs: 5000 });
      await handlerStarted;

      const steps = standardShutdownSteps({ listeners: [listener], nats, logger, pool, app });
      assert.deepEqual(
        steps.map((step) => step.name),
        [
          "stop taking requests",
          "wait for running handlers",
          "drain NATS",
          "flush logs",
          "close MySQL pool",
          "close HTTP server",
        ],
      );
      // The handler is released only once the shutdown has stopped taking requests, so the
      // "wait for running handlers" step really has something to wait for.
      const watcher = createLogger({
        service: "kit-test",
        level: "info",
        destination: {
          write: (line: string) => {
            const entry = JSON.parse(line);
            if (entry.step === "stop taking requests") {
              assert.equal(listener.inFlight, 1);
              release();
            }
          },
        },
      });
      assert.deepEqual(await runShutdownSteps(steps, watcher), { failed: [] });
      assert.deepEqual(await reply, { n: 7 }, "the request running at shutdown got its reply");
      assert.equal(nats.isClosed(), true);
      await assert.rejects(pool.query("SELECT 1"), /closed/i);
    } finally {
      await client.close();
      await dropDatabase(url);
    }
  });
});
