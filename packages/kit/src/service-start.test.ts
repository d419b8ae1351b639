import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createConnection, type RowDataPacket } from "mysql2/promise";
import { buildServiceApp } from "./http.js";
import { createLogger } from "./logger.js";
import { createMetricsRegistry } from "./metrics.js";
import { dropDatabase } from "./mysql.js";
import {
  connectServiceNats,
  listenHttp,
  openServiceDatabase,
  StartupError,
  startStep,
} from "./service-start.js";
import { testDatabaseUrl, testMysqlServerUrl, testNatsUrl, uniqueName } from "./testing.js";

const logger = createLogger({ service: "kit-test", level: "silent" });
const database = uniqueName("kit_start");
const config = {
  MYSQL_URL: testMysqlServerUrl(),
  MYSQL_DATABASE: database,
  MYSQL_TIMEOUT_MS: 2000,
  NODE_ENV: "development",
};
let migrationsDir: string;

before(async () => {
  migrationsDir = await mkdtemp(join(tmpdir(), "kit-start-"));
  await writeFile(join(migrationsDir, "0001_calls.sql"), "CREATE TABLE calls (id INT);\n");
});

after(async () => {
  await dropDatabase(testDatabaseUrl(database));
  await rm(migrationsDir, { recursive: true });
});

/** Asserts that `work` rejects with a StartupError whose message matches `message`. */
async function assertStartupError(work: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(error instanceof StartupError, `expected a StartupError, got ${String(error)}`);
    assert.match(error.message, message);
    assert.ok(error.cause !== undefined, "the underlying error is kept as cause");
    return true;
  });
}

describe("startStep", () => {
  it("MUST name the step and the reason, with URL passwords hidden", async () => {
    const failing = startStep("cannot reach it", async () => {
      throw new Error("refused by mysql://app:hunter2@db:3306");
    });
    await assertStartupError(failing, /^cannot reach it: refused by mysql:\/\/app:\*\*\*@db:3306$/);
  });

  it("MUST resolve with the step's result when it succeeds", async () => {
    assert.equal(await startStep("adding", async () => 42), 42);
  });
});

describe("openServiceDatabase", () => {
  it("MUST refuse to create the database in production, where it must exist", async () => {
    const production = { ...config, NODE_ENV: "production" };
    await assertStartupError(
      openServiceDatabase(production, { migrationsDir, logger }),
      new RegExp(`^cannot apply migrations to mysql://.*/${database}: .+`),
    );
    const server = await createConnection({ uri: testMysqlServerUrl() });
    try {
      const [rows] = await server.query<RowDataPacket[]>("SHOW DATABASES LIKE ?", [database]);
      assert.equal(rows.length, 0, "the database was not created");
    } finally {
      await server.end();
    }
  });

  it("MUST create the database outside production and apply the migrations once", async () => {
    const first = await openServiceDatabase(config, { migrationsDir, logger });
    try {
      assert.deepEqual(first.migrations, {
        applied: [{ version: 1, name: "calls" }],
        alreadyApplied: 0,
      });
      const [rows] = await first.pool.query<RowDataPacket[]>("SHOW TABLES LIKE 'calls'");
      assert.equal(rows.length, 1);
    } finally {
      await first.pool.end();
    }
    const second = await openServiceDatabase(config, { migrationsDir, logger });
    await second.pool.end();
    assert.deepEqual(second.migrations, { applied: [], alreadyApplied: 1 });
  });

  it("MUST fail naming the database, its password hidden, when MySQL is unreachable", async () => {
    const unreachable = { ...config, MYSQL_URL: "mysql://root:hunter2@127.0.0.1:1" };
    await assertStartupError(
      openServiceDatabase(unreachable, { migrationsDir, logger }),
      new RegExp(
        `^cannot create the database at mysql://root:\\*\\*\\*@127\\.0\\.0\\.1:1/${database}: .+`,
      ),
    );
  });

  it("MUST fail naming the migration that failed", async () => {
    const broken = await mkdtemp(join(tmpdir(), "kit-start-broken-"));
    await writeFile(join(broken, "0001_bad.sql"), "CREATE TABLE;\n");
    const brokenDatabase = uniqueName("kit_start");
    try {
      await assertStartupError(
        openServiceDatabase(
          { ...config, MYSQL_DATABASE: brokenDatabase },
          { migrationsDir: broken, logger },
        ),
        /^cannot apply migrations to .*: migration 0001_bad\.sql failed at statement 1/,
      );
    } finally {
      await dropDatabase(testDatabaseUrl(brokenDatabase));
      await rm(broken, { recursive: true });
    }
  });
});

describe("connectServiceNats", () => {
  it("MUST connect to a reachable NATS", async () => {
    const nc = await connectServiceNats(
      { NATS_URL: [testNatsUrl()] },
      { name: "kit-test", logger },
    );
    assert.equal(nc.isClosed(), false);
    await nc.close();
  });

  it("MUST fail naming the servers when NATS is unreachable", async () => {
    await assertStartupError(
      connectServiceNats({ NATS_URL: ["nats://127.0.0.1:1"] }, { name: "kit-test", logger }),
      /^cannot reach NATS at nats:\/\/127\.0\.0\.1:1: .+/,
    );
  });
});

describe("listenHttp", () => {
  const app = () =>
    buildServiceApp({ registry: createMetricsRegistry({ service: "kit-test" }), logger });

  it("MUST answer the base URL with the port actually taken", async () => {
    const server = app();
    try {
      const url = await listenHttp(server, { HTTP_HOST: "127.0.0.1", HTTP_PORT: 0 });
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
    } finally {
      await server.close();
    }
  });

  it("MUST fail naming the address when the port is taken", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const address = holder.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const server = app();
    try {
      await assertStartupError(
        listenHttp(server, { HTTP_HOST: "127.0.0.1", HTTP_PORT: port }),
        new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${port}: .+`),
      );
    } finally {
      await server.close();
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
