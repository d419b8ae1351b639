// sipsak as a third real SIP client: an OPTIONS ping and a REGISTER with digest
// authentication (usrloc mode), from 127.0.0.1. Exit code 0 means a 200 was received
// (1: another final response; 3: no answer). The proxy's address goes in -p/-r rather than
// in the URI: sipsak 0.9.8 cuts a 5-digit port short in the URIs it builds.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { spawnFailure } from "./external-tool.js";
import { LOOPBACK } from "./free-port.js";
import type { SipAddress } from "./stack.js";

export const SIPSAK_BINARY = process.env.SIPSAK ?? "sipsak";
const SIPSAK_INSTALL = "apt-get install sipsak (.ci/run does), or set SIPSAK to its path";
const SIPSAK_TIMEOUT_MS = 15_000;

export interface SipsakResult {
  readonly exitCode: number | null;
  /** Standard output and error (with -vv: the replies received). */
  readonly output: string;
}

async function runSipsak(args: readonly string[]): Promise<SipsakResult> {
  const child = spawn(SIPSAK_BINARY, ["-H", LOOPBACK, "--local-ip", LOOPBACK, "-vv", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    timeout: SIPSAK_TIMEOUT_MS,
  });
  let output = "";
  const append = (chunk: Buffer) => {
    output += chunk.toString("latin1");
  };
  child.stdout.on("data", append);
  child.stderr.on("data", append);
  const [exitCode] = (await once(child, "close").catch((error: unknown) => {
    throw spawnFailure(error, SIPSAK_BINARY, SIPSAK_INSTALL);
  })) as [number | null];
  return { exitCode, output };
}

/** `-p <host> -r <port>`: send to the proxy whatever the URI names. */
const towards = (proxy: SipAddress) => ["-p", proxy.host, "-r", String(proxy.port)];

/** OPTIONS to the proxy's domain: `sipsak -s sip:<domain>`. */
export function sipsakPing(proxy: SipAddress, domain: string): Promise<SipsakResult> {
  return runSipsak(["-s", `sip:${domain}`, ...towards(proxy)]);
}

export interface SipsakRegistration {
  readonly proxy: SipAddress;
  readonly domain: string;
  readonly user: string;
  readonly password: string;
  /** The contact to bind. */
  readonly contact: string;
  readonly expires?: number;
}

/**
 * REGISTER of `user@domain` binding `contact`, answering the 401 with the password:
 * `sipsak -U -C <contact> -u <user> -a <password> -s sip:<user>@<domain>`.
 */
export function sipsakRegister(registration: SipsakRegistration): Promise<SipsakResult> {
  const { proxy, domain, user, password, contact } = registration;
  return runSipsak([
    "-U",
    "-C",
    contact,
    "-x",
    String(registration.expires ?? 3600),
    "-u",
    user,
    "-a",
    password,
    "-s",
    `sip:${user}@${domain}`,
    ...towards(proxy),
  ]);
}
