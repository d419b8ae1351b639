// The operator CLI as a real process, pointed at a stack's admin APIs through its
// environment variables (AUTH_ADMIN_URL, LOCATION_ADMIN_URL, ADMIN_TOKEN, SIP_DOMAIN).

import { spawn } from "node:child_process";
import { once } from "node:events";
import { REPOSITORY_ROOT } from "./repository-root.js";

const ENTRY = "packages/sbctl/src/main.ts";
const SBCTL_TIMEOUT_MS = 20_000;

export interface SbctlTarget {
  readonly authUrl: string;
  readonly locationUrl: string;
  readonly token: string;
  /** Domain of users given without `@domain`. */
  readonly domain: string;
}

export interface SbctlResult {
  /** Exit status; null when killed (it ran longer than 20 s). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `sbctl <args>` against `target` and resolves when it exits.
 * @param stdin - text written to its standard input (for `--password-stdin`).
 */
export async function runSbctl(
  target: SbctlTarget,
  args: readonly string[],
  stdin = "",
): Promise<SbctlResult> {
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", ENTRY, ...args],
    {
      cwd: REPOSITORY_ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        AUTH_ADMIN_URL: target.authUrl,
        LOCATION_ADMIN_URL: target.locationUrl,
        ADMIN_TOKEN: target.token,
        SIP_DOMAIN: target.domain,
      },
      stdio: ["pipe", "pipe", "pipe"],
      timeout: SBCTL_TIMEOUT_MS,
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
  child.stdin.end(stdin);
  const [code] = (await once(child, "close")) as [number | null];
  return { code, stdout, stderr };
}
