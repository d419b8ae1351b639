// `npm start` (scripts/start-stack.mjs), the README's command that runs the whole stack: it
// refuses what cannot work with one clear line, starts the three services so that a phone
// registers, and stops every one of them however it is told to stop.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { backingServices } from "./backing-services.js";
import { pollUntil, withDeadline } from "./deadline.js";
import { freeTcpPort, freeUdpPort, LOOPBACK } from "./free-port.js";
import { REPOSITORY_ROOT } from "./repository-root.js";
import { runSbctl, type SbctlTarget } from "./sbctl.js";
import { sipsakRegister } from "./sipsak.js";
import { StackDatabases } from "./stack-databases.js";
import { USER_1000 } from "./subscribers.js";

const SCRIPT = join(REPOSITORY_ROOT, "scripts", "start-stack.mjs");
// Includes the build it runs first, which is quick once the project is built.
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;

const dropAfterwards: StackDatabases[] = [];
const runs: StartStackRun[] = [];
after(async () => {
  // Whatever a failed test left running.
  for (const run of runs) await run.stop();
  for (const databases of dropAfterwards) await databases.drop();
});

/** A run of the script: its output so far, and how it ended. */
class StartStackRun {
  output = "";
  readonly exited: Promise<number | null>;
  #started: number[] = [];

  /**
   * @param starter - the process spawned: the script itself, or a shell that runs it.
   */
  constructor(readonly starter: ChildProcess) {
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString("utf8");
    };
    starter.stdout?.on("data", collect);
    starter.stderr?.on("data", collect);
    this.exited = once(starter, "exit").then(([code]) => code as number | null);
  }

  /**
   * Runs the script with `env` added to this process's PATH: as a command run from a shell
   * script, through `sh -c` as npm runs it, or as the foreground job of a terminal (a process
   * group of its own, which Ctrl-C signals as a whole).
   */
  static start(env: Record<string, string>, how: "direct" | "shell" | "terminal" = "direct") {
    const options = { cwd: REPOSITORY_ROOT, env: { PATH: process.env.PATH ?? "", ...env } };
    const command =
      how === "shell"
        ? // `; exit` keeps the shell as the script's parent, as npm's `sh -c` is.
          spawn("sh", ["-c", `"${process.execPath}" "${SCRIPT}"; exit $?`], options)
        : spawn(process.execPath, [SCRIPT], { ...options, detached: how === "terminal" });
    const run = new StartStackRun(command);
    runs.push(run);
    return run;
  }

  /** Ctrl-C in the terminal: SIGINT to every process of the foreground process group. */
  ctrlC(): void {
    process.kill(-(this.starter.pid as number), "SIGINT");
  }

  /**
   * Stops the run and everything it started: SIGTERM to the process spawned, SIGKILL to
   * whatever still runs after the stop timeout.
   */
  async stop(): Promise<void> {
    const pid = this.starter.pid as number;
    const running = this.starter.exitCode === null && this.starter.signalCode === null;
    // An exited starter's pid may belong to another process by now.
    const own = running ? [pid, ...(await descendantsOf(pid))] : [];
    const pids = [...new Set([...own, ...this.#started])];
    if (running) this.starter.kill("SIGTERM");
    await allGone(pids, "exit of npm start and its services").catch(() => {
      for (const pid of pids.filter(alive)) process.kill(pid, "SIGKILL");
    });
    this.starter.stdout?.destroy();
    this.starter.stderr?.destroy();
  }

  /** The processes it had started, their children included, when it was ready. */
  get started(): readonly number[] {
    return this.#started;
  }

  /** Resolves once the script has printed its ready line; fails if it exits first. */
  async ready(): Promise<void> {
    const exitedEarly = new AbortController();
    void this.exited.then((code) =>
      exitedEarly.abort(new Error(`npm start exited with ${code} before it was ready`)),
    );
    try {
      await pollUntil(() => (this.output.includes("switchboard: ready") ? true : undefined), {
        timeoutMs: READY_TIMEOUT_MS,
        intervalMs: 100,
        what: "ready line from npm start",
        signal: exitedEarly.signal,
      });
    } catch (error) {
      throw new Error(`${(error as Error).message}; its output:\n${this.output}`, { cause: error });
    }
    this.#started = await descendantsOf(this.starter.pid as number);
  }
}

/** The pids of the processes `pid` has started (Linux /proc); none once it has exited. */
async function childrenOf(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "");
  return text.split(" ").filter(Boolean).map(Number);
}

/** The children of `pid`, their children, and so on. */
async function descendantsOf(pid: number): Promise<number[]> {
  const children = await childrenOf(pid);
  const below = await Promise.all(children.map(descendantsOf));
  return [...children, ...below.flat()];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until none of `pids` is running. */
async function allGone(pids: readonly number[], what: string): Promise<void> {
  await pollUntil(() => (pids.some(alive) ? undefined : true), {
    timeoutMs: STOP_TIMEOUT_MS,
    intervalMs: 50,
    what,
  });
}

/** An environment for a stack of its own: ports, databases and NATS subjects nobody else uses. */
async function ownStackEnv() {
  const backing = await backingServices();
  const unique = randomBytes(4).toString("hex");
  const databases = { auth: `e2e_start_${unique}_auth`, location: `e2e_start_${unique}_location` };
  const mysql = new StackDatabases(backing.mysqlUrl, [databases.auth, databases.location]);
  dropAfterwards.push(mysql);
  const [authPort, locationPort, edgePort, sipPort] = await Promise.all([
    freeTcpPort(),
    freeTcpPort(),
    freeTcpPort(),
    freeUdpPort(),
  ]);
  const token = randomBytes(18).toString("base64url");
  const env = {
    MYSQL_URL: backing.mysqlUrl,
    NATS_URL: backing.natsUrl,
    NATS_SUBJECT_PREFIX: `e2e.start_${unique}`,
    AUTH_MYSQL_DATABASE: databases.auth,
    LOCATION_MYSQL_DATABASE: databases.location,
    AUTH_HTTP_PORT: String(authPort),
    LOCATION_HTTP_PORT: String(locationPort),
    EDGE_HTTP_PORT: String(edgePort),
    HTTP_HOST: LOOPBACK,
    SIP_LISTEN_HOST: LOOPBACK,
    SIP_PORT: String(sipPort),
    ADMIN_TOKEN: token,
    LOG_LEVEL: "warn",
  };
  const admin: SbctlTarget = {
    authUrl: `http://${LOOPBACK}:${authPort}`,
    locationUrl: `http://${LOOPBACK}:${locationPort}`,
    token,
    domain: "localhost",
  };
  return { env, admin, sip: { host: LOOPBACK, port: sipPort }, databases, mysql };
}

type OwnStack = Awaited<ReturnType<typeof ownStackEnv>>;

/** As the README has it: `sbctl add 1000 password1 …`, then a phone registers 1000. */
async function addAndRegister1000(stack: OwnStack, contact: string): Promise<void> {
  const { username, password, email } = USER_1000;
  const added = await runSbctl(stack.admin, ["add", username, password, email]);
  assert.equal(added.code, 0, added.stderr);
  const registered = await sipsakRegister({
    proxy: stack.sip,
    domain: "localhost",
    user: username,
    password,
    contact,
  });
  assert.equal(registered.exitCode, 0, registered.output);
}

describe("npm start", () => {
  it("MUST refuse with one line naming the variable when MySQL or NATS is unreachable", async () => {
    const closed = await freeTcpPort();
    const { env } = await ownStackEnv();
    const noMysql = StartStackRun.start({
      ...env,
      MYSQL_URL: `mysql://root@${LOOPBACK}:${closed}`,
    });
    assert.equal(await withDeadline(noMysql.exited, STOP_TIMEOUT_MS, "exit"), 1);
    assert.equal(
      noMysql.output,
      `switchboard: MySQL is not reachable at ${LOOPBACK}:${closed} (ECONNREFUSED); start it or set MYSQL_URL\n`,
    );
    const noNats = StartStackRun.start({ ...env, NATS_URL: `nats://${LOOPBACK}:${closed}` });
    assert.equal(await withDeadline(noNats.exited, STOP_TIMEOUT_MS, "exit"), 1);
    assert.equal(
      noNats.output,
      `switchboard: NATS is not reachable at ${LOOPBACK}:${closed} (ECONNREFUSED); start it or set NATS_URL\n`,
    );
  });

  it("MUST refuse one database for both data-owning services, which would mix their tables", async () => {
    const { env } = await ownStackEnv();
    const sharedDatabases: Record<string, string>[] = [
      { MYSQL_URL: `${env.MYSQL_URL}/switchboard` },
      { MYSQL_DATABASE: "switchboard" },
    ];
    for (const shared of sharedDatabases) {
      const run = StartStackRun.start({ ...env, ...shared });
      assert.equal(await withDeadline(run.exited, STOP_TIMEOUT_MS, "exit"), 1);
      assert.equal(
        run.output,
        'switchboard: auth and location each need a database of their own, so MYSQL_URL must name none and MYSQL_DATABASE must be unset (got "switchboard"); name them with AUTH_MYSQL_DATABASE and LOCATION_MYSQL_DATABASE\n',
      );
    }
  });

  it("MUST refuse with the variable to change when a port it needs is taken (another stack still running)", async () => {
    const { env } = await ownStackEnv();
    const holder = createServer();
    await new Promise<void>((resolve) =>
      holder.listen(Number(env.AUTH_HTTP_PORT), LOOPBACK, resolve),
    );
    try {
      const run = StartStackRun.start(env);
      assert.equal(await withDeadline(run.exited, STOP_TIMEOUT_MS, "exit"), 1);
      assert.equal(
        run.output,
        `switchboard: auth cannot listen on ${LOOPBACK}:${env.AUTH_HTTP_PORT} (EADDRINUSE); stop what holds it (another stack?) or set AUTH_HTTP_PORT\n`,
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
    const sipHolder = createSocket("udp4");
    await new Promise<void>((resolve) => sipHolder.bind(Number(env.SIP_PORT), LOOPBACK, resolve));
    try {
      const run = StartStackRun.start(env);
      assert.equal(await withDeadline(run.exited, STOP_TIMEOUT_MS, "exit"), 1);
      assert.equal(
        run.output,
        `switchboard: edge-proxy cannot bind SIP UDP ${LOOPBACK}:${env.SIP_PORT} (EADDRINUSE); stop what holds it (another stack?) or set SIP_PORT\n`,
      );
    } finally {
      await new Promise<void>((resolve) => sipHolder.close(resolve));
    }
  });

  it("MUST run the stack a phone registers with, in the databases named for it, and stop every service on SIGTERM", async () => {
    const stack = await ownStackEnv();
    const { env, admin, databases, mysql } = stack;
    const run = StartStackRun.start(env);
    await run.ready();
    const services = run.started;
    assert.equal(services.length, 3, `three services: ${run.output}`);

    await addAndRegister1000(stack, `sip:${USER_1000.username}@${LOOPBACK}:5999`);
    const shown = await runSbctl(admin, ["ul", "show", USER_1000.username]);
    assert.match(shown.stdout, /sip:1000@127\.0\.0\.1:5999/);
    const rows = await mysql.locationRows(databases.location, USER_1000.username, "localhost");
    assert.equal(rows.length, 1);

    run.starter.kill("SIGTERM");
    assert.equal(await withDeadline(run.exited, STOP_TIMEOUT_MS, "exit after SIGTERM"), 0);
    await allGone(services, "exit of every service after SIGTERM");
  });

  it("MUST let every service finish its shutdown on Ctrl-C: location's last write-back flush reaches MySQL", async () => {
    const stack = await ownStackEnv();
    const { env, databases, mysql } = stack;
    const run = StartStackRun.start(
      { ...env, LOCATION_DB_MODE: "write-back", FLUSH_INTERVAL_MS: "600000", LOG_LEVEL: "info" },
      "terminal",
    );
    await run.ready();
    await addAndRegister1000(stack, `sip:${USER_1000.username}@${LOOPBACK}:5998`);
    // Not written yet: only the shutdown's flush can write it.
    assert.deepEqual(
      await mysql.locationRows(databases.location, USER_1000.username, "localhost"),
      [],
    );

    run.ctrlC();
    assert.equal(await withDeadline(run.exited, STOP_TIMEOUT_MS, "exit after Ctrl-C"), 0);
    await allGone(run.started, "exit of every service after Ctrl-C");
    assert.doesNotMatch(run.output, /second signal during shutdown/);
    const rows = await mysql.locationRows(databases.location, USER_1000.username, "localhost");
    assert.deepEqual(
      rows.map((row) => row.contact),
      [`sip:${USER_1000.username}@${LOOPBACK}:5998`],
    );
  });

  it("MUST stop every service when the process that started it goes away (npm's shell on SIGTERM)", async () => {
    const { env } = await ownStackEnv();
    const run = StartStackRun.start(env, "shell");
    await run.ready();
    const pids = run.started;
    assert.equal(pids.length, 4, `the script and three services: ${run.output}`);
    // The shell exits on SIGTERM without passing it on, as it does under `npm start`.
    run.starter.kill("SIGTERM");
    await allGone(pids, "exit of the script and every service after its shell went away");
  });
});
