// sbctl: the operator CLI of Switchboard. See `sbctl --help`.

import { runCli } from "./cli.js";
import { EXIT_FAILED, EXIT_OK } from "./errors.js";

// A reader that stops early (`sbctl user list | head -1`) closes the pipe: stop quietly. Any
// other failure of the output streams leaves nowhere to report it, so just fail.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    process.exit(error.code === "EPIPE" ? (process.exitCode ?? EXIT_OK) : EXIT_FAILED);
  });
}

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
});
