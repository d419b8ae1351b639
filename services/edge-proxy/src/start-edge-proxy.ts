// Wiring of the edge proxy: config → logger → NATS → UDP socket → transaction layer →
// proxy core → HTTP. main.ts runs it; tests start it in-process the same way.

import { lookup } from "node:dns/promises";
import { subjects } from "@switchboard/contracts";
import {
  connectNats,
  createLogger,
  createMetricsRegistry,
  type Logger,
  type NatsConnection,
  natsReadinessCheck,
  runShutdownSteps,
  type ShutdownStep,
  withTimeout,
} from "@switchboard/kit";
import {
  type Destination,
  nonInviteProvisionalDelay,
  systemClock,
  TransactionLayer,
  transactionTimers,
  UdpTransport,
} from "@switchboard/sip";
import { buildEdgeApp, sipReadinessCheck } from "./app.js";
import { type EdgeConfig, isWildcardAddress } from "./config.js";
import { batchDatagrams } from "./datagram-batch.js";
import { LocalIdentity } from "./local-identity.js";
import { createEdgeMetrics } from "./metrics.js";
import { ProxyCore } from "./proxy/core.js";
import { type HostResolver, resolveNextHop } from "./proxy/next-hop.js";
import { SipEndpoint } from "./sip-endpoint.js";
import { natsUpstream } from "./upstream.js";
import { warmUpSipCode } from "./warm-up.js";

const NATS_CONNECT_TIMEOUT_MS = 10_000;

/** The proxy could not start: NATS unreachable or the SIP port taken. */
export class EdgeStartupError extends Error {
  override readonly name = "EdgeStartupError";
}

export interface EdgeProxyOptions {
  /** Default: a JSON logger on stdout at config.LOG_LEVEL. */
  readonly logger?: Logger;
  /** Host name lookup for next hops; default the system resolver (A records). */
  readonly resolveHost?: HostResolver;
}

export interface EdgeProxy {
  /** Where the SIP socket is bound (the real port when SIP_PORT asked for any). */
  readonly sipAddress: Destination;
  /** The base URL of the HTTP server, e.g. `http://0.0.0.0:8080`. */
  readonly httpAddress: string;
  /** The address written in Via and Record-Route. */
  readonly advertised: { readonly host: string; readonly port: number };
  /** What to run at shutdown, in order (main.ts hands them to the signal handler). */
  readonly shutdownSteps: readonly ShutdownStep[];
  /** Runs the shutdown steps once. */
  stop(): Promise<void>;
}

async function startStep<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const reason = error instanceof Error ? error.message || error.name : String(error);
    throw new EdgeStartupError(`${what}: ${reason}`, { cause: error });
  }
}

function systemResolver(family: 4 | 6): HostResolver {
  return async (host) => (await lookup(host, { family })).address;
}

/** Starts the SIP and HTTP sides; on failure closes what was opened and throws EdgeStartupError. */
export async function startEdgeProxy(
  config: EdgeConfig,
  options: EdgeProxyOptions = {},
): Promise<EdgeProxy> {
  const logger = options.logger ?? createLogger({ service: "edge-proxy", level: config.LOG_LEVEL });
  if (config.WARM_UP_ROUNDS > 0) {
    const started = performance.now();
    warmUpSipCode(config.WARM_UP_ROUNDS);
    const ms = Math.round(performance.now() - started);
    logger.debug({ rounds: config.WARM_UP_ROUNDS, ms }, "SIP code warmed up");
  }
  const nc = await startStep(`cannot reach NATS at ${config.NATS_URL.join(",")}`, () =>
    withTimeout(
      connectNats({ servers: config.NATS_URL, name: "edge-proxy", logger }),
      NATS_CONNECT_TIMEOUT_MS,
      "connecting",
    ),
  );
  try {
    return await wire(config, logger, nc, options);
  } catch (error) {
    await nc.close().catch(() => {});
    throw error;
  }
}

async function wire(
  config: EdgeConfig,
  logger: Logger,
  nc: NatsConnection,
  options: EdgeProxyOptions,
): Promise<EdgeProxy> {
  const registry = createMetricsRegistry({ service: "edge-proxy" });
  let endpoint: SipEndpoint | undefined;
  const udp = await startStep(
    `cannot bind SIP UDP ${config.SIP_LISTEN_HOST}:${config.SIP_PORT}`,
    () =>
      UdpTransport.listen({
        host: config.SIP_LISTEN_HOST,
        port: config.SIP_PORT,
        receiveBufferBytes: config.SIP_RECEIVE_BUFFER_BYTES,
        onDatagram: batchDatagrams((data, source) => endpoint?.receive(data, source)),
        onSendError: (error) => logger.debug({ err: error }, "UDP send failed"),
      }),
  );
  let state: "serving" | "draining" | "closed" = "serving";
  const bound = udp.address;
  const identity = new LocalIdentity({
    listenHost: config.SIP_LISTEN_HOST,
    listenPort: bound.port,
    advertisedHost:
      config.SIP_ADVERTISED_HOST ??
      (isWildcardAddress(config.SIP_LISTEN_HOST) ? "127.0.0.1" : config.SIP_LISTEN_HOST),
    advertisedPort: config.SIP_ADVERTISED_PORT ?? bound.port,
    domains: config.SIP_DOMAINS,
    fullLr: config.ENABLE_FULL_LR,
    routeSecret: config.ROUTE_SECRET,
  });

  const timers = { t1: config.SIP_T1_MS, t2: config.SIP_T2_MS, t4: config.SIP_T4_MS };
  // Built below; the metrics read its stats only when scraped.
  let layer: TransactionLayer | undefined;
  const metrics = createEdgeMetrics(registry, () => (layer as TransactionLayer).stats);
  const resolveHost = options.resolveHost ?? systemResolver(bound.host.includes(":") ? 6 : 4);
  const send = (data: Buffer, destination: Destination) => udp.send(data, destination);
  const core = new ProxyCore({
    routeDeps: {
      identity,
      upstream: natsUpstream({
        nc,
        subjects: subjects(config.NATS_SUBJECT_PREFIX),
        timeoutMs: config.RPC_TIMEOUT_MS,
        metrics,
      }),
      maxForwardsLimit: config.MAX_FORWARDS_LIMIT,
      maxMessageBytes: config.MAX_MESSAGE_BYTES,
      qop: config.AUTH_QOP,
      logger,
    },
    sendRequest: (request, destination, handlers) =>
      (layer as TransactionLayer).sendRequest(request, destination, handlers),
    send,
    sizeOf: (request) => endpoint?.sizeOf(request) ?? request.toBuffer().length,
    resolve: (nextHop) => resolveNextHop(nextHop, resolveHost),
    clock: systemClock,
    timerCMs: config.TIMER_C_S * 1000,
    nonInviteProvisionalDelayMs: nonInviteProvisionalDelay(timers),
    cancelTimeoutMs: transactionTimers(timers, false).b,
    retryAfterSeconds: config.RETRY_AFTER_S,
    metrics,
    logger,
  });
  // RFC 3261 §17.2.1: 100 Trying for every INVITE at once (tryingAfterMs 0).
  const transactions = new TransactionLayer({
    transport: udp,
    clock: systemClock,
    user: core,
    timers,
    tryingAfterMs: 0,
  });
  layer = transactions;
  endpoint = new SipEndpoint({ transactions, send, metrics, logger });

  const app = buildEdgeApp({
    registry,
    logger,
    readinessChecks: [natsReadinessCheck(nc), sipReadinessCheck(() => state)],
  });
  let httpAddress: string;
  try {
    httpAddress = await startStep(
      `cannot listen for HTTP on ${config.HTTP_HOST}:${config.HTTP_PORT}`,
      () => app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT }),
    );
  } catch (error) {
    await udp.close();
    throw error;
  }

  const graceMs = config.SHUTDOWN_GRACE_S * 1000;
  const shutdownSteps: ShutdownStep[] = [
    {
      name: "finish running SIP transactions",
      timeoutMs: graceMs + 1000,
      run: async () => {
        state = "draining";
        core.startDraining();
        try {
          await withTimeout(core.whenIdle(), graceMs, "running SIP transactions");
        } catch (error) {
          logger.warn({ err: error, running: core.running }, "grace period over");
        }
      },
    },
    {
      name: "close SIP socket",
      run: async () => {
        state = "closed";
        transactions.close();
        await udp.close();
      },
    },
    { name: "drain NATS", run: () => nc.drain() },
    {
      name: "flush logs",
      run: () =>
        new Promise<void>((resolve, reject) =>
          logger.flush((error) => (error ? reject(error) : resolve())),
        ),
    },
    { name: "close HTTP server", run: () => app.close() },
  ];
  let stopping: Promise<void> | undefined;
  return {
    sipAddress: { transport: "UDP", host: bound.host, port: bound.port },
    httpAddress,
    advertised: { host: identity.advertisedHost, port: identity.advertisedPort },
    shutdownSteps,
    stop: () => {
      stopping ??= runShutdownSteps(shutdownSteps, logger).then(({ failed }) => {
        if (failed.length > 0) throw new Error(`shutdown steps failed: ${failed.join(", ")}`);
      });
      return stopping;
    },
  };
}
