// Where the admin APIs are and how to talk to them: from flags, else the environment, else
// the development defaults of the services.

import { ArgumentError, normalizeDomain } from "./args.js";
import { UsageError } from "./errors.js";
import type { OptionValues } from "./options.js";

export interface Settings {
  readonly authUrl: string;
  readonly locationUrl: string;
  readonly token: string;
  /** Lower-cased domain of users and AORs given without `@domain`. */
  readonly defaultDomain: string;
  readonly timeoutMs: number;
  readonly json: boolean;
}

export const DEFAULT_AUTH_URL = "http://127.0.0.1:8081";
export const DEFAULT_LOCATION_URL = "http://127.0.0.1:8082";
/** The services' development default of ADMIN_TOKEN; production services refuse it. */
export const DEFAULT_ADMIN_TOKEN = "dev-admin-token";
export const DEFAULT_DOMAIN = "localhost";
export const DEFAULT_TIMEOUT_MS = 5000;
const MAX_TIMEOUT_MS = 600_000;

export type Environment = Readonly<Record<string, string | undefined>>;

/** The flag's value, else the variable's when set and non-empty, else the default. */
function pick(flag: string | undefined, env: Environment, name: string, fallback: string) {
  if (flag !== undefined) return flag;
  const fromEnv = env[name];
  return fromEnv === undefined || fromEnv === "" ? fallback : fromEnv;
}

function httpUrl(text: string, option: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${option}: not a URL: ${text}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`${option}: not an http:// or https:// URL: ${text}`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new UsageError(`${option}: the URL must not carry credentials (use --token)`);
  }
  if (url.search !== "" || url.hash !== "") {
    throw new UsageError(`${option}: the URL must have no query or fragment: ${text}`);
  }
  return text.replace(/\/+$/, "");
}

function timeoutMs(text: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 1 && value <= MAX_TIMEOUT_MS)) {
    throw new UsageError(`--timeout: expected milliseconds from 1 to ${MAX_TIMEOUT_MS}: ${text}`);
  }
  return value;
}

function domain(text: string): string {
  try {
    return normalizeDomain(text);
  } catch (error) {
    if (error instanceof ArgumentError)
      throw new UsageError(`--domain (SIP_DOMAIN): ${error.message}`);
    throw error;
  }
}

/**
 * The settings of one run.
 * @throws {@link UsageError} for a malformed URL, timeout or domain.
 */
export function resolveSettings(values: OptionValues, env: Environment): Settings {
  const token = pick(values.token, env, "ADMIN_TOKEN", DEFAULT_ADMIN_TOKEN);
  if (token === "") throw new UsageError("--token: the admin token is empty");
  return {
    authUrl: httpUrl(
      pick(values["auth-url"], env, "AUTH_ADMIN_URL", DEFAULT_AUTH_URL),
      "--auth-url (AUTH_ADMIN_URL)",
    ),
    locationUrl: httpUrl(
      pick(values["location-url"], env, "LOCATION_ADMIN_URL", DEFAULT_LOCATION_URL),
      "--location-url (LOCATION_ADMIN_URL)",
    ),
    token,
    defaultDomain: domain(pick(values.domain, env, "SIP_DOMAIN", DEFAULT_DOMAIN)),
    timeoutMs: timeoutMs(values.timeout ?? String(DEFAULT_TIMEOUT_MS)),
    json: values.json === true,
  };
}
