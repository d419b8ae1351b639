// Is a Docker engine answering? Decided in well under a second: no socket, no engine; a
// socket or DOCKER_HOST address gets one `GET /_ping` with a short timeout.

import { existsSync } from "node:fs";
import { request } from "node:http";
import { homedir } from "node:os";
import { join } from "node:path";

const PROBE_TIMEOUT_MS = 300;

type EngineAddress = { readonly socketPath: string } | { readonly host: string; port: number };

/** Where the engine would listen: DOCKER_HOST, else the usual socket paths that exist. */
function engineAddresses(env: NodeJS.ProcessEnv): EngineAddress[] {
  const dockerHost = env.DOCKER_HOST;
  if (dockerHost !== undefined && dockerHost !== "") {
    if (dockerHost.startsWith("unix://")) return [{ socketPath: dockerHost.slice(7) }];
    if (dockerHost.startsWith("tcp://")) {
      const url = new URL(dockerHost.replace(/^tcp:/, "http:"));
      return [{ host: url.hostname, port: Number(url.port || 2375) }];
    }
    return [];
  }
  const candidates = [
    "/var/run/docker.sock",
    join(homedir(), ".docker/run/docker.sock"),
    env.XDG_RUNTIME_DIR === undefined ? undefined : join(env.XDG_RUNTIME_DIR, "docker.sock"),
  ];
  return candidates
    .filter((path): path is string => path !== undefined && existsSync(path))
    .map((socketPath) => ({ socketPath }));
}

function pings(address: EngineAddress): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { ...address, path: "/_ping", method: "GET", timeout: PROBE_TIMEOUT_MS },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

/** True when a Docker engine answers `/_ping` at DOCKER_HOST or a default socket. */
export async function dockerEngineAnswers(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  for (const address of engineAddresses(env)) {
    if (await pings(address)) return true;
  }
  return false;
}
