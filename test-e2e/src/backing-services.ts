// MySQL and NATS for a stack: containers (MySQL 8, NATS 2 with JetStream) when a Docker
// engine answers, else the servers named by MYSQL_URL and NATS_URL (default: the local
// ones). Containers are started with testcontainers' reuse, so the test files of one run
// share one MySQL and one NATS; each stack still gets its own databases and subject prefix.

import { dockerEngineAnswers } from "./docker-engine.js";

export const DEFAULT_MYSQL_URL = "mysql://root@127.0.0.1:3306";
export const DEFAULT_NATS_URL = "nats://127.0.0.1:4222";

const MYSQL_IMAGE = "mysql:8.4";
const NATS_IMAGE = "nats:2.10";
const CONTAINER_START_TIMEOUT_MS = 120_000;

export interface BackingServices {
  /** Server and credentials, no database: `mysql://root@host:port`. */
  readonly mysqlUrl: string;
  readonly natsUrl: string;
  readonly source: "containers" | "environment";
}

async function startContainers(): Promise<BackingServices> {
  const { GenericContainer, Wait } = await import("testcontainers");
  const [mysql, nats] = await Promise.all([
    new GenericContainer(MYSQL_IMAGE)
      .withEnvironment({ MYSQL_ALLOW_EMPTY_PASSWORD: "yes", MYSQL_ROOT_HOST: "%" })
      .withExposedPorts(3306)
      // The entrypoint runs a temporary server (port 0) before the real one.
      .withWaitStrategy(Wait.forLogMessage(/ready for connections.*port: 3306/))
      .withStartupTimeout(CONTAINER_START_TIMEOUT_MS)
      .withReuse()
      .start(),
    new GenericContainer(NATS_IMAGE)
      .withCommand(["-js"])
      .withExposedPorts(4222)
      .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
      .withStartupTimeout(CONTAINER_START_TIMEOUT_MS)
      .withReuse()
      .start(),
  ]);
  return {
    mysqlUrl: `mysql://root@${mysql.getHost()}:${mysql.getMappedPort(3306)}`,
    natsUrl: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`,
    source: "containers",
  };
}

/** Strips a database path from a MySQL URL: the stack names its own databases. */
function serverOnly(mysqlUrl: string): string {
  const url = new URL(mysqlUrl);
  url.pathname = "";
  return url.toString().replace(/\/$/, "");
}

let shared: Promise<BackingServices> | undefined;

/**
 * The MySQL and NATS servers this process's stacks use, decided once per process.
 * @param env - MYSQL_URL and NATS_URL are read from it when no Docker engine answers.
 */
export function backingServices(env: NodeJS.ProcessEnv = process.env): Promise<BackingServices> {
  shared ??= (async () => {
    if (await dockerEngineAnswers(env)) return startContainers();
    return {
      mysqlUrl: serverOnly(env.MYSQL_URL ?? DEFAULT_MYSQL_URL),
      natsUrl: env.NATS_URL ?? DEFAULT_NATS_URL,
      source: "environment",
    };
  })();
  return shared;
}
