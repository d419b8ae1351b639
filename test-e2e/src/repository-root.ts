// The repository root: services and the CLI are started from there with their TypeScript
// sources (`--conditions=source --import tsx`), so no build is needed.

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPOSITORY_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
