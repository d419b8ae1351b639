// Parsers for environment variable values, each with an error message that reads
// after the variable name ("HTTP_PORT must be …").

import { isValidSubjectPrefix } from "@switchboard/contracts";
import { z } from "zod";
import { isDatabaseName, isMysqlServerUrl } from "./mysql-url.js";

function hasProtocol(value: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const protocolList = (protocols: readonly string[]) =>
  protocols.map((protocol) => `${protocol}//`).join(" or ");

/** Builders of {@link ConfigVar} schemas for the usual kinds of values. */
export const envValue = {
  /** Any string of at least `minLength` characters (default 1). */
  text(minLength = 1) {
    return z
      .string()
      .min(
        minLength,
        minLength === 1 ? "must not be empty" : `must be at least ${minLength} characters`,
      );
  },

  /** A decimal integer from `min` to `max`. */
  integer(min: number, max: number) {
    const message = `must be an integer from ${min} to ${max}`;
    return z
      .string()
      .regex(/^-?\d+$/, message)
      .transform(Number)
      .refine((n) => n >= min && n <= max, message);
  },

  /** A TCP/UDP port, 1 to 65535. */
  port() {
    const message = "must be a port number from 1 to 65535";
    return z
      .string()
      .regex(/^\d{1,5}$/, message)
      .transform(Number)
      .refine((n) => n >= 1 && n <= 65535, message);
  },

  /** One of the listed words, exactly. */
  oneOf<const T extends readonly [string, ...string[]]>(values: T) {
    return z.enum(values, { error: `must be one of ${values.join(", ")}` });
  },

  /** `true`/`false` (also `1`/`0`, `yes`/`no`, any case). */
  boolean() {
    return z
      .string()
      .transform((value) => value.toLowerCase())
      .refine((value) => ["true", "false", "1", "0", "yes", "no"].includes(value), {
        message: "must be true or false",
      })
      .transform((value) => value === "true" || value === "1" || value === "yes");
  },

  /** A URL with one of the given protocols, e.g. `["http:", "https:"]`. */
  url(protocols: readonly string[]) {
    return z.string().refine((value) => hasProtocol(value, protocols), {
      message: `must be a ${protocolList(protocols)} URL`,
    });
  },

  /** A comma-separated list of URLs with one of the given protocols, parsed into an array. */
  urlList(protocols: readonly string[]) {
    return z
      .string()
      .transform((value) => value.split(",").map((url) => url.trim()))
      .refine((urls) => urls.every((url) => hasProtocol(url, protocols)), {
        message: `must be a comma-separated list of ${protocolList(protocols)} URLs`,
      });
  },

  /**
   * `mysql://user:password@host:port`, optionally with `/database` (a plain name: letters,
   * digits, _).
   */
  mysqlUrl() {
    return z.string().refine(isMysqlServerUrl, {
      message:
        "must be a mysql:// URL (mysql://user:password@host:3306, optionally followed by /database)",
    });
  },

  /** A database name that needs no quoting: letters, digits and _, at most 64 characters. */
  mysqlDatabase() {
    return z.string().refine(isDatabaseName, {
      message: "must be letters, digits and _ (at most 64)",
    });
  },

  /** Dot-separated NATS subject tokens, or empty for none. */
  subjectPrefix() {
    return z.string().refine(isValidSubjectPrefix, {
      message: 'must be dot-separated tokens of letters, digits, "_" or "-"',
    });
  },
};
