// The `sbctl` command npm links at install time: bin/sbctl.js, a launcher for the built CLI.

import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { runNode } from "@switchboard/kit/testing";

const PACKAGE = fileURLToPath(new URL("..", import.meta.url));
const LAUNCHER = join(PACKAGE, "bin", "sbctl.js");

describe("the sbctl command", () => {
  it("is a file of the repository, not of the build, so that installing links it", async () => {
    // npm links a package's bin when the workspace is installed, which is before the build:
    // a bin under dist/ is missing then, so npm links nothing and `npx sbctl` goes to the
    // registry for a package of that name.
    const manifest = JSON.parse(await readFile(join(PACKAGE, "package.json"), "utf8"));
    assert.equal(manifest.bin.sbctl, "bin/sbctl.js");
    assert.ok(manifest.files.includes("bin"));
    assert.match(await readFile(LAUNCHER, "utf8"), /^#!\/usr\/bin\/env node\n/);
  });

  describe("launcher", () => {
    let copy: string;
    beforeEach(async () => {
      // A package of its own: the launcher beside a dist/ the test controls.
      copy = await mkdtemp(join(tmpdir(), "sbctl-bin-"));
      await mkdir(join(copy, "bin"));
      await copyFile(LAUNCHER, join(copy, "bin", "sbctl.js"));
      await writeFile(join(copy, "package.json"), JSON.stringify({ type: "module" }));
    });
    afterEach(() => rm(copy, { recursive: true, force: true }));

    it("says how to build the CLI when it is not built, and fails", async () => {
      const result = await runNode(join(copy, "bin", "sbctl.js"), { args: ["user", "list"] });
      assert.equal(result.status, 1);
      assert.equal(
        result.stderr,
        "sbctl: not built yet; run `npm run build` (`npm start` builds too)\n",
      );
    });

    it("runs the built CLI with the command line it was given", async () => {
      await mkdir(join(copy, "dist"));
      await writeFile(
        join(copy, "dist", "main.js"),
        "console.log(JSON.stringify(process.argv.slice(2)));\n",
      );
      const result = await runNode(join(copy, "bin", "sbctl.js"), {
        args: ["add", "1000", "password1"],
      });
      assert.equal(result.status, 0);
      assert.deepEqual(JSON.parse(result.stdout), ["add", "1000", "password1"]);
    });
  });
});
