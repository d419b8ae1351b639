// `npm start`: builds the project, then runs auth, location and edge-proxy as child
// processes against the MySQL and NATS named by MYSQL_URL and NATS_URL (default: the
// local servers). Prints where SIP and HTTP listen once every service is ready; stops
// everything on Ctrl-C / SIGTERM / SIGHUP, when one service dies, or when the process that
// started it goes away.
import { spawn, spawnSync } from "node:child_process";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tcpPortProblem, udpPortProblem } from "./port-check.mjs";
import { serviceEnv, sharedDatabaseProblem } from "./service-databases.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = process.env;

/** The HTTP port a service gets: the variable that sets it, and its value. */
const httpPortFrom = (variable, fallback) => ({
  portVariable: variable,
  httpPort: env[variable] || fallback,
});
const SERVICES = [
  { name: "auth", entry: "services/auth/dist/main.js", ...httpPortFrom("AUTH_HTTP_PORT", "8081") },
  {
    name: "location",
    entry: "services/location/dist/main.js",
    ...httpPortFrom("LOCATION_HTTP_PORT", "8082"),
  },
  {
    name: "edge-proxy",
    entry: "services/edge-proxy/dist/main.js",
    ...httpPortFrom("EDGE_HTTP_PORT", "8080"),
  },
];
const httpHost = env.HTTP_HOST || "0.0.0.0";
const sipHost = env.SIP_LISTEN_HOST || "0.0.0.0";
const sipPort = env.SIP_PORT || "5060";

function fail(message) {
  console.error(`switchboard: ${message}`);
  process.exit(1);
}

function endpointOf(url, fallbackPort) {
  try {
    const parsed = new URL(url);
    return {
      host: parsed.hostname.replace(/^\[|\]$/g, ""),
      port: Number(parsed.port || fallbackPort),
    };
  } catch {
    return undefined;
  }
}

function reachable({ host, port }) {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve("timed out");
    });
    socket.once("error", (error) => resolve(error.code ?? error.message));
  });
}

async function checkDependency(name, variable, url, fallbackPort) {
  const endpoint = endpointOf(url, fallbackPort);
  if (!endpoint) fail(`${variable} is not a valid URL (got "${url}")`);
  const problem = await reachable(endpoint);
  if (problem) {
    fail(
      `${name} is not reachable at ${endpoint.host}:${endpoint.port} (${problem}); start it or set ${variable}`,
    );
  }
}

async function waitReady(service, deadline) {
  const url = `http://127.0.0.1:${service.httpPort}/readyz`;
  while (Date.now() < deadline) {
    if (service.exited) return false;
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

await checkDependency("MySQL", "MYSQL_URL", env.MYSQL_URL || "mysql://127.0.0.1:3306", 3306);
const sharedDatabase = sharedDatabaseProblem(env);
if (sharedDatabase) fail(sharedDatabase);
await checkDependency("NATS", "NATS_URL", env.NATS_URL || "nats://127.0.0.1:4222", 4222);

// Taken ports fail here, with the variable to change, rather than in a service; and the
// readiness probes cannot be answered by another stack still holding them.
for (const service of SERVICES) {
  const problem = await tcpPortProblem(httpHost, Number(service.httpPort));
  if (problem) {
    fail(
      `${service.name} cannot listen on ${httpHost}:${service.httpPort} (${problem}); ` +
        `stop what holds it (another stack?) or set ${service.portVariable}`,
    );
  }
}
const sipProblem = await udpPortProblem(sipHost, Number(sipPort));
if (sipProblem) {
  fail(
    `edge-proxy cannot bind SIP UDP ${sipHost}:${sipPort} (${sipProblem}); ` +
      "stop what holds it (another stack?) or set SIP_PORT",
  );
}

console.log("switchboard: building…");
const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
if (build.status !== 0) fail("the build failed");

// The flags production starts the services with (the build has just made them importable).
const { SERVICE_NODE_FLAGS } = await import("@switchboard/kit/service-node-flags");

let stopping = false;
const children = [];
for (const service of SERVICES) {
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, join(root, service.entry)], {
    cwd: root,
    env: { ...serviceEnv(service.name, env), HTTP_PORT: service.httpPort },
    stdio: ["ignore", "inherit", "inherit"],
    // A process group of its own: Ctrl-C and a closed terminal signal only this script,
    // which stops each service with one SIGTERM. Signalled by the terminal as well, a
    // service would take this script's SIGTERM as a second signal and exit at once,
    // skipping its shutdown (location's last flush).
    detached: true,
  });
  child.on("exit", (code, signal) => {
    service.exited = true;
    if (stopping) return;
    console.error(`switchboard: ${service.name} exited (${signal ?? `code ${code}`}); stopping`);
    stopAll(1);
  });
  children.push(child);
}

function stopAll(exitCode) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  Promise.all(
    children.map((child) =>
      child.exitCode === null ? new Promise((resolve) => child.once("exit", resolve)) : undefined,
    ),
  ).then(() => process.exit(exitCode));
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => stopAll(0));
// `npm start` runs this script through a shell that does not pass on a SIGTERM sent to npm:
// the shell exits and leaves this process to init. A new parent means the starter is gone.
const starter = process.ppid;
setInterval(() => {
  if (process.ppid !== starter && !stopping) stopAll(0);
}, 500).unref();

const deadline = Date.now() + 60_000;
for (const service of SERVICES) {
  if (!(await waitReady(service, deadline))) {
    if (!stopping) {
      console.error(`switchboard: ${service.name} did not become ready`);
      stopAll(1);
    }
    break;
  }
}
if (!stopping) {
  console.log(
    `switchboard: ready — SIP on udp ${sipHost}:${sipPort}; HTTP (metrics, health, admin): ` +
      SERVICES.map((s) => `${s.name} :${s.httpPort}`).join(", "),
  );
}
