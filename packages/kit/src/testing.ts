// Support for the services' tests and benchmarks (the `@switchboard/kit/testing` entry): a
// clock that moves when told, the message of a refused configuration, unique names for
// databases and subject prefixes on the shared servers, a TCP relay that takes a server away,
// running a Node.js script or entry point as a child process, and the percentiles
// benchmarks report.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import type { Clock } from "./clock.js";
import { ConfigError } from "./config.js";

/** A wall clock that moves only when told to. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start = 1_700_000_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}

/**
 * The one-line message of the ConfigError that `load` throws; fails the test when `load`
 * accepts the configuration or throws anything else.
 */
export function configRefusal(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail("expected the configuration to be refused");
}

/**
 * A name unique to this process and call, `sbtest_<label>_<pid>_<random>`, usable as a
 * database name and as a NATS subject token. `label`: letters, digits and _.
 */
export function uniqueName(label: string): string {
  return `sbtest_${label}_${process.pid}_${randomBytes(4).toString("hex")}`;
}

/** The MySQL server tests use: MYSQL_URL without its database, else the local one. */
export function testMysqlServerUrl(): string {
  const url = new URL(process.env.MYSQL_URL || "mysql://root@127.0.0.1:3306");
  url.pathname = "/";
  return url.toString();
}

/** The URL of `database` on the server tests use. */
export function testDatabaseUrl(database: string): string {
  const url = new URL(testMysqlServerUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

/** The NATS server tests use: NATS_URL, else the local one. */
export function testNatsUrl(): string {
  return process.env.NATS_URL || "nats://127.0.0.1:4222";
}

/**
 * A TCP relay on 127.0.0.1 to `target`, through which the code under test reaches a shared
 * server, so that a test can take the server away without touching it: `cut()` drops every
 * connection and refuses new ones, `stall()` keeps connections open but passes no byte,
 * `start()` relays again (on the same port).
 */
export class TcpRelay {
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #stalled = false;
  #port = 0;

  constructor(readonly target: { readonly host: string; readonly port: number }) {}

  /** The port the relay listens on; chosen at the first start. */
  get port(): number {
    return this.#port;
  }

  /** Relays again: listens unless already listening, and ends a stall. */
  async start(): Promise<void> {
    this.#stalled = false;
    if (this.#server !== undefined) return;
    const server = createServer((client) => this.#relay(client));
    await new Promise<void>((resolve) => server.listen(this.#port, "127.0.0.1", resolve));
    const address = server.address();
    if (typeof address === "object" && address !== null) this.#port = address.port;
    this.#server = server;
  }

  /** Refuses new connections and drops the open ones. */
  async cut(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** Keeps every connection open but passes no byte either way, until the next start. */
  stall(): void {
    this.#stalled = true;
  }

  #relay(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.#sockets.add(from);
      from.on("data", (chunk) => {
        if (!this.#stalled) to.write(chunk);
      });
      from.on("close", () => {
        this.#sockets.delete(from);
        to.destroy();
      });
      from.on("error", () => to.destroy());
    }
  }
}

/** A {@link TcpRelay} to the MySQL server tests use ({@link testMysqlServerUrl}), not started. */
export function testMysqlRelay(): TcpRelay {
  const server = new URL(testMysqlServerUrl());
  return new TcpRelay({ host: server.hostname, port: Number(server.port || 3306) });
}

/** `url` (credentials, path and all) pointed at `relay` instead of its own host and port. */
export function throughRelay(url: string, relay: TcpRelay): string {
  const relayed = new URL(url);
  relayed.hostname = "127.0.0.1";
  relayed.port = String(relay.port);
  return relayed.toString();
}

/** How a process run by {@link runNode} ended. */
export interface NodeRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface NodeRunOptions {
  /** Its whole environment, plus PATH. */
  readonly env?: Record<string, string>;
  /** Arguments after the file. */
  readonly args?: readonly string[];
  /** Node.js options before the file. */
  readonly nodeArgs?: readonly string[];
  readonly cwd?: string;
}

/** Runs `node [nodeArgs] file [args]` in a child process and resolves once it exits. */
export function runNode(file: string, options: NodeRunOptions = {}): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...(options.nodeArgs ?? []), file, ...(options.args ?? [])],
      {
        cwd: options.cwd,
        env: { PATH: process.env.PATH ?? "", ...options.env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * Runs the TypeScript entry point `file` in a child Node process (workspace packages from
 * their sources, as `npm test` runs), with `env` as its whole environment plus PATH, and
 * resolves once it exits.
 */
export function runEntryPoint(file: string, env: Record<string, string>): Promise<NodeRun> {
  return runNode(file, { env, nodeArgs: ["--conditions=source", "--import", "tsx"] });
}

/**
 * The nearest-rank percentile of `sorted` (ascending): the smallest value that at least
 * `fraction` of the values do not exceed (0.99 of 1,000 values: the 990th). NaN when empty.
 */
export function percentile(sorted: readonly number[], fraction: number): number {
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? Number.NaN;
}
