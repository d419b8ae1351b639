// `npm run docs:config`: writes docs/configuration.md from the processes' configuration specs.

import { writeFileSync } from "node:fs";
import { CONFIG_REFERENCE_FILE, renderConfigReference } from "./config-reference.js";
import { repoPath } from "./repo.js";

writeFileSync(repoPath(CONFIG_REFERENCE_FILE), renderConfigReference());
process.stdout.write(`wrote ${CONFIG_REFERENCE_FILE}\n`);
