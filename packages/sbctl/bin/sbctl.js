#!/usr/bin/env node
// The `sbctl` command that npm links into node_modules/.bin. npm links it when the workspace
// is installed, before anything is built, so this file lives in the repository and starts
// the compiled CLI, or says how to build it.

import { existsSync } from "node:fs";

const cli = new URL("../dist/main.js", import.meta.url);
if (!existsSync(cli)) {
  console.error("sbctl: not built yet; run `npm run build` (`npm start` builds too)");
  process.exit(1);
}
await import(cli.href);
