// The NATS connection of a service: reconnects forever, logs its state changes,
// and reports readiness.

import { connect, DebugEvents, Events, type NatsConnection } from "nats";
import type { ReadinessCheck } from "./http.js";
import type { Logger } from "./logger.js";

export type { NatsConnection };

export interface NatsConnectOptions {
  /** Server URLs (`config.NATS_URL`); the client fails over between them. */
  readonly servers: string | readonly string[];
  /** Client name shown by the NATS server's monitoring, e.g. `"auth"`. */
  readonly name: string;
  readonly logger: Logger;
  /** Pause between reconnect attempts; default 1000 ms (the client adds jitter). */
  readonly reconnectTimeWaitMs?: number;
}

/**
 * Connects to NATS. Once connected, the client reconnects without limit: while NATS is away
 * requests fail fast (the caller answers 503) and the service recovers by itself when NATS
 * returns. The first connection is not retried: a service started without NATS fails at
 * once with a clear message, and its supervisor (compose, Kubernetes) starts it again.
 *
 * Disconnects, reconnects and server errors are logged; close the connection with
 * `nc.drain()` at shutdown.
 */
export async function connectNats(options: NatsConnectOptions): Promise<NatsConnection> {
  const { logger } = options;
  const nc = await connect({
    servers: [...(typeof options.servers === "string" ? [options.servers] : options.servers)],
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: options.reconnectTimeWaitMs ?? 1000,
    waitOnFirstConnect: false,
    // nats.js otherwise captures a stack trace on every request: measurable on the SIP hot path.
    noAsyncTraces: true,
    // A server that stops answering is noticed after pingInterval × maxPingOut.
    pingInterval: 10_000,
    maxPingOut: 3,
  });
  logger.info({ server: nc.getServer() }, "connected to NATS");
  void logStatus(nc, logger);
  return nc;
}

async function logStatus(nc: NatsConnection, logger: Logger): Promise<void> {
  for await (const status of nc.status()) {
    switch (status.type) {
      case Events.Disconnect:
        logger.warn({ server: status.data }, "disconnected from NATS, reconnecting");
        break;
      case Events.Reconnect:
        logger.info({ server: status.data }, "reconnected to NATS");
        break;
      case Events.Error:
        logger.error({ error: status.data }, "NATS server error");
        break;
      case Events.LDM:
        logger.warn({ server: status.data }, "NATS server entering lame duck mode");
        break;
      case DebugEvents.StaleConnection:
        logger.warn("NATS connection is stale (no PONG), reconnecting");
        break;
    }
  }
}

/** Readiness: the connection is open and the server answers a PING. */
export function natsReadinessCheck(nc: NatsConnection): ReadinessCheck {
  return {
    name: "nats",
    async check() {
      if (nc.isClosed()) throw new Error("connection closed");
      try {
        await nc.rtt();
      } catch (error) {
        throw new Error("not connected", { cause: error });
      }
    },
  };
}
