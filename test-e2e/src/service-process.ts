// One service of the stack as a real process, started with the flags of production
// (SERVICE_NODE_FLAGS): `node … --conditions=source --import tsx services/<name>/src/main.ts`,
// so no build is needed, or its compiled main.js. Started, awaited until /readyz
// answers 200, stopped with SIGTERM or SIGKILL, started again on the same ports and
// database. Its stdout and stderr go to the stack's OutputLog.

import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { SERVICE_NODE_FLAGS } from "@switchboard/kit/service-node-flags";
import { pollUntil } from "./deadline.js";
import type { OutputLog } from "./output-log.js";

export type ServiceName = "auth" | "location" | "edge-proxy";

const READY_TIMEOUT_MS = 30_000;
const READY_POLL_MS = 50;
const STOP_TIMEOUT_MS = 15_000;

/** Environment variables a child inherits from the test process; everything else is set. */
const INHERITED = ["PATH", "HOME", "TMPDIR", "LANG", "TZ"];

/**
 * Extra node options for every service process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
 * to profile the services under the stack benchmark (NODE_OPTIONS refuses --cpu-prof).
 */
const NODE_ARGS = (process.env.E2E_SERVICE_NODE_ARGS ?? "").split(" ").filter(Boolean);

/** Children still running when the test process exits are killed, never left behind. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export interface ServiceSpec {
  readonly name: ServiceName;
  /** Repository root (the child's working directory). */
  readonly root: string;
  readonly httpPort: number;
  /** The service's environment (HTTP_HOST/HTTP_PORT included). */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Run the compiled `dist/main.js` (as in production; `npm run build` first) instead of
   * the TypeScript sources through tsx.
   */
  readonly compiled?: boolean;
}

/** Thrown when a service exits or fails to become ready. */
export class ServiceStartError extends Error {
  override readonly name = "ServiceStartError";
}

export class ServiceProcess {
  readonly name: ServiceName;
  readonly httpUrl: string;
  readonly #spec: ServiceSpec;
  readonly #log: OutputLog;
  #env: Readonly<Record<string, string>>;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();

  constructor(spec: ServiceSpec, log: OutputLog) {
    this.name = spec.name;
    this.httpUrl = `http://127.0.0.1:${spec.httpPort}`;
    this.#spec = spec;
    this.#env = spec.env;
    this.#log = log;
  }

  /** The process id while running. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    const child = this.#child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** The environment of the next start. */
  get env(): Readonly<Record<string, string>> {
    return this.#env;
  }

  /**
   * Starts the process and resolves once `/readyz` answers 200.
   * @param overrides - variables changed for this start and the following ones.
   * @throws ServiceStartError when the process exits first or is not ready in 30 s.
   */
  async start(overrides: Readonly<Record<string, string>> = {}): Promise<void> {
    if (this.running) throw new ServiceStartError(`${this.name} is already running`);
    this.#env = { ...this.#env, ...overrides };
    const inherited = Object.fromEntries(
      INHERITED.flatMap((name) =>
        process.env[name] === undefined ? [] : [[name, process.env[name]]],
      ),
    );
    const command = this.#spec.compiled
      ? [`services/${this.name}/dist/main.js`]
      : ["--conditions=source", "--import", "tsx", `services/${this.name}/src/main.ts`];
    const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...NODE_ARGS, ...command], {
      cwd: this.#spec.root,
      env: { ...inherited, ...this.#env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#child = child;
    running.add(child);
    child.stdout
      ?.setEncoding("utf8")
      .on("data", (chunk: string) => this.#log.append(this.name, chunk));
    child.stderr
      ?.setEncoding("utf8")
      .on("data", (chunk: string) => this.#log.append(this.name, chunk));
    const exited = once(child, "exit").then(([code, signal]) => {
      running.delete(child);
      this.#log.append(this.name, `(process ${child.pid} exited: ${signal ?? code})\n`);
    });
    this.#exited = exited;
    const gone = new AbortController();
    void exited.then(() =>
      gone.abort(new ServiceStartError(`${this.name} exited before it was ready`)),
    );
    try {
      await pollUntil(
        async () => {
          const response = await fetch(`${this.httpUrl}/readyz`, {
            signal: AbortSignal.timeout(1000),
          });
          await response.arrayBuffer();
          return response.status === 200 ? true : undefined;
        },
        {
          timeoutMs: READY_TIMEOUT_MS,
          intervalMs: READY_POLL_MS,
          what: `${this.name} /readyz 200`,
          signal: gone.signal,
        },
      );
    } catch (error) {
      child.kill("SIGKILL");
      const reason = error instanceof Error ? error.message : String(error);
      throw new ServiceStartError(`${this.name} did not start: ${reason}`, { cause: error });
    }
  }

  /**
   * Sends `signal` and resolves once the process has exited (SIGKILL after 15 s if a
   * SIGTERM is not enough). Does nothing when it is not running.
   */
  async stop(signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<void> {
    const child = this.#child;
    if (child === undefined || !this.running) return;
    child.kill(signal);
    const forced = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    try {
      await this.#exited;
    } finally {
      clearTimeout(forced);
    }
  }

  /** SIGKILL: the process gets no chance to clean up (a crash). */
  kill(): Promise<void> {
    return this.stop("SIGKILL");
  }

  /** Stops the process (SIGTERM, or SIGKILL when `crash`) and starts it again. */
  async restart(options: { crash?: boolean; env?: Record<string, string> } = {}): Promise<void> {
    await this.stop(options.crash === true ? "SIGKILL" : "SIGTERM");
    await this.start(options.env);
  }
}
