import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { posix } from "node:path";
import { describe, it } from "node:test";
import { validate } from "dockerfile-utils";
import { loadCompose } from "./compose-file.js";
import {
  copies,
  dockerfileStages,
  dockerfileText,
  execForm,
  healthcheckCommand,
  instructionsOf,
  isIgnored,
  runLine,
  stage,
} from "./dockerfile.js";
import {
  packageOfBuiltFile,
  readRepoFile,
  repoFileExists,
  repoPath,
  sourceOfBuiltFile,
} from "./repo.js";
import { containerCommand, ENTRY_POINT_FILES } from "./service-configs.js";
import {
  mainExportSource,
  packageManifest,
  reachableSources,
  typeScriptFiles,
  workspaceDirs,
} from "./source-imports.js";

const stages = dockerfileStages();
const runtime = stage(stages, "runtime");
const RUNNABLE = ["services/auth", "services/location", "services/edge-proxy", "packages/sbctl"];

const workspaces = workspaceDirs();
const workspaceByName = new Map(workspaces.map((dir) => [packageManifest(dir).name, dir]));

/** The workspace packages `dirs` need at run time, themselves included. */
function runtimeClosure(dirs: readonly string[]): Set<string> {
  const needed = new Set<string>();
  const visit = (dir: string) => {
    if (needed.has(dir)) return;
    needed.add(dir);
    for (const name of Object.keys(packageManifest(dir).dependencies ?? {})) {
      const workspace = workspaceByName.get(name);
      if (workspace !== undefined) visit(workspace);
    }
  };
  for (const dir of dirs) visit(dir);
  return needed;
}

/** `projects` and every project their tsconfig.json references, transitively. */
function referencedProjects(projects: readonly string[]): Set<string> {
  const found = new Set<string>();
  const visit = (dir: string) => {
    if (found.has(dir)) return;
    found.add(dir);
    const config = JSON.parse(readRepoFile(`${dir}/tsconfig.json`)) as {
      references?: { path: string }[];
    };
    for (const reference of config.references ?? []) {
      visit(posix.normalize(posix.join(dir, reference.path)));
    }
  };
  for (const project of projects) visit(project);
  return found;
}

/** Runs a probe's exec-form command (node → this node) and returns its exit code. */
function runProbe(command: readonly string[], env: Record<string, string>): Promise<number> {
  const [program, ...args] = command;
  assert.equal(program, "node");
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env: { ...env }, timeout: 10_000 }, (error) =>
      resolve(error === null ? 0 : typeof error.code === "number" ? error.code : -1),
    );
  });
}

/** An HTTP server answering `status[path]` (404 elsewhere) on a free loopback port. */
async function statusServer(status: Record<string, number>) {
  const server = createServer((request, response) => {
    response.statusCode = status[request.url ?? ""] ?? 404;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: String((server.address() as AddressInfo).port),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe("Dockerfile", () => {
  it("has no problem the Dockerfile linter reports", () => {
    const diagnostics = validate(dockerfileText()).map(
      (d) => `line ${d.range.start.line + 1}: ${d.message}`,
    );
    assert.deepEqual(diagnostics, []);
  });

  it("builds and runs on node:20-bookworm-slim", () => {
    assert.deepEqual(
      stages.map((s) => `${s.name}<-${s.base}`),
      [
        "manifests<-node:20-bookworm-slim",
        "build<-manifests",
        "production-dependencies<-manifests",
        "runtime<-node:20-bookworm-slim",
      ],
    );
  });

  it("copies from the build context only paths that exist and .dockerignore keeps", () => {
    for (const s of stages) {
      for (const copy of copies(s).filter((c) => c.from === undefined)) {
        for (const source of copy.sources) {
          assert.ok(repoFileExists(source), `${s.name}: COPY ${source} must exist`);
          assert.equal(isIgnored(source), false, `${s.name}: COPY ${source} is in .dockerignore`);
        }
      }
    }
  });

  it("keeps node_modules, dist, tests, benchmarks and .git out of the build context", () => {
    for (const path of [
      "node_modules/zod/package.json",
      "packages/kit/node_modules/x/index.js",
      "services/auth/dist/main.js",
      "services/auth/src/app.test.ts",
      "packages/sip/src/bench/parse.bench.ts",
      "test-e2e/src/stack.ts",
      "services/edge-proxy/src/testing/test-ua.ts",
      "packages/kit/src/testing.ts",
      "packages/sbctl/src/test-support/cli-harness.ts",
      ".git/HEAD",
      ".env",
    ]) {
      assert.equal(isIgnored(path), true, path);
    }
    for (const path of ["services/auth/src/main.ts", "db/auth/0001_subscriber.sql"]) {
      assert.equal(isIgnored(path), false, path);
    }
  });

  it("leaves out test support, sources no entry point reaches, and nothing one imports", () => {
    const packages = workspaces.filter((dir) => /^(packages|services)\//.test(dir));
    const roots = [
      ...ENTRY_POINT_FILES.map(sourceOfBuiltFile),
      ...packages.flatMap((dir) => mainExportSource(dir) ?? []),
    ];
    const reached = reachableSources(roots);
    assert.deepEqual([...reached].filter(isIgnored), [], "imported at run time, yet left out");
    const kept = packages
      .flatMap((dir) => typeScriptFiles(`${dir}/src`))
      .filter((f) => !isIgnored(f));
    assert.deepEqual(
      kept.filter((file) => !reached.has(file)),
      [],
      "in the build context, reached by no entry point",
    );
  });

  it("gives npm every workspace's package.json and the lockfile before installing", () => {
    const copied = copies(stage(stages, "manifests")).flatMap((c) => c.sources);
    assert.ok(copied.includes("package.json") && copied.includes("package-lock.json"));
    for (const dir of workspaces) {
      assert.ok(copied.includes(`${dir}/package.json`), `${dir}/package.json is copied`);
    }
  });

  it("compiles every runnable package and what it depends on", () => {
    const build = stage(stages, "build");
    const commands = instructionsOf(build, "RUN").map(runLine);
    assert.ok(
      commands.some((c) => c.startsWith("npm ci ")),
      commands.join("\n"),
    );
    const buildCommand = commands.find((c) => c.startsWith("npm run build -- "));
    assert.ok(buildCommand, "npm run build -- <projects>");
    const projects = buildCommand.slice("npm run build -- ".length).split(" ");
    assert.deepEqual([...projects].sort(), [...RUNNABLE].sort());
    // npm appends the projects to the build script: they reach tsc only if it ends the script
    // (the root project also names the test workspaces, which the image does not hold).
    assert.equal(packageManifest(".").scripts?.build, "tsc -b");
    const compiled = referencedProjects(projects);
    for (const dir of runtimeClosure(RUNNABLE)) {
      assert.ok(compiled.has(dir), `${dir} is built (a project or one of its references)`);
    }
  });

  it("installs only the runnable workspaces' production dependencies for the runtime", () => {
    const [install] = instructionsOf(stage(stages, "production-dependencies"), "RUN").map(runLine);
    assert.match(install ?? "", /^npm ci --omit=dev /);
    const selected = [...(install ?? "").matchAll(/--workspace=(\S+)/g)].map((m) => m[1]);
    const expected = RUNNABLE.map((dir) => packageManifest(dir).name);
    assert.deepEqual([...selected].sort(), [...expected].sort());
  });

  it("puts in the runtime the compiled code of every package the entry points need", () => {
    const fromBuild = copies(runtime)
      .filter((c) => c.from === "build")
      .flatMap((c) => c.sources);
    for (const dir of runtimeClosure(RUNNABLE)) {
      assert.ok(fromBuild.includes(`/app/${dir}/dist/`), `runtime copies ${dir}/dist`);
    }
    const fromContext = copies(runtime).filter((c) => c.from === undefined);
    assert.ok(
      fromContext.some((c) => c.sources.includes("db/") && c.destination === "db/"),
      "the migrations (db/) are in the image",
    );
    assert.ok(copies(runtime).some((c) => c.from === "production-dependencies"));
  });

  it("has a source file for every entry point the deployments start", () => {
    const missing = ENTRY_POINT_FILES.map(sourceOfBuiltFile).filter((src) => !repoFileExists(src));
    assert.deepEqual(missing, [], "entry points without a source file");
    for (const entry of ENTRY_POINT_FILES) {
      assert.ok(RUNNABLE.includes(packageOfBuiltFile(entry)), `${entry} is built`);
    }
  });

  it("runs as an unprivileged numeric user in production mode", () => {
    const [user] = instructionsOf(runtime, "USER").map((u) => u.getArgumentsContent() ?? "");
    assert.match(user ?? "", /^[1-9]\d*(:[1-9]\d*)?$/, "USER uid:gid, not root, numeric");
    const env = instructionsOf(runtime, "ENV").map((e) => e.getArgumentsContent());
    assert.ok(env.includes("NODE_ENV=production"), env.join(", "));
  });

  it("runs node under tini, installed in the runtime stage, with a built default command and the services' flags", () => {
    const [entrypoint] = instructionsOf(runtime, "ENTRYPOINT").map(execForm);
    assert.deepEqual(entrypoint, ["/usr/bin/tini", "--"]);
    const installs = instructionsOf(runtime, "RUN").map(runLine);
    assert.ok(
      installs.some((line) => /apt-get install .*\btini\b/.test(line)),
      "tini installed",
    );
    const [command] = instructionsOf(runtime, "CMD").map(execForm);
    const entry = command?.at(-1) ?? "";
    assert.ok(ENTRY_POINT_FILES.includes(entry), `CMD runs ${entry}`);
    assert.deepEqual(command, containerCommand(entry), "with the services' Node.js flags");
  });

  it("has a HEALTHCHECK that passes while /healthz answers 200 on HTTP_PORT, fails otherwise", async () => {
    const [instruction] = instructionsOf(runtime, "HEALTHCHECK");
    assert.ok(instruction, "the runtime stage has a HEALTHCHECK");
    const command = healthcheckCommand(instruction);
    const healthy = await statusServer({ "/healthz": 200 });
    const sick = await statusServer({ "/healthz": 500 });
    try {
      assert.equal(await runProbe(command, { HTTP_PORT: healthy.port }), 0);
      assert.equal(await runProbe(command, { HTTP_PORT: sick.port }), 1);
    } finally {
      await healthy.close();
      await sick.close();
    }
    const closedPort = sick.port;
    assert.equal(await runProbe(command, { HTTP_PORT: closedPort }), 1, "nothing listening");
  });

  it("has a compose readiness check that passes only while /readyz answers 200", async () => {
    const check = loadCompose().services.auth?.healthcheck?.test;
    assert.ok(Array.isArray(check) && check[0] === "CMD");
    const ready = await statusServer({ "/readyz": 200, "/healthz": 200 });
    const notReady = await statusServer({ "/readyz": 503, "/healthz": 200 });
    try {
      assert.equal(await runProbe(check.slice(1), { HTTP_PORT: ready.port }), 0);
      assert.equal(await runProbe(check.slice(1), { HTTP_PORT: notReady.port }), 1);
    } finally {
      await ready.close();
      await notReady.close();
    }
  });

  it("names an existing directory for every workspace it copies", () => {
    for (const dir of workspaces) assert.ok(existsSync(repoPath(dir)), dir);
  });
});
