// Structured JSON logs on stdout, one object per line (pino).

import { type DestinationStream, type Logger, pino } from "pino";
import type { LogLevel } from "./config-common.js";

export type { Logger };

/** Fields whose values never reach a log line, wherever they appear. */
const REDACTED_PATHS = [
  "password",
  "ha1",
  "ha1b",
  "token",
  "authorization",
  "*.password",
  "*.ha1",
  "*.ha1b",
  "*.token",
  "*.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
];

export interface LoggerOptions {
  /** Written as `service` on every line. */
  readonly service: string;
  readonly level: LogLevel;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  readonly destination?: DestinationStream;
}

/**
 * A pino logger writing JSON lines with `level` as a word (`"info"`), an ISO `time`, the
 * `service` name, and secrets (passwords, HA1s, tokens, Authorization headers) censored.
 */
export function createLogger(options: LoggerOptions): Logger {
  const pinoOptions = {
    level: options.level,
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}
