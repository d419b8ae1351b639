// Prints what the stack's services wrote during a test when that test fails, so a failure
// shows the proxy's and services' side of the story next to the assertion.

import { afterEach, beforeEach } from "node:test";
import type { Stack } from "./stack.js";

/**
 * Registers beforeEach/afterEach hooks in the calling test file: after a failed test, the
 * services' output since that test began goes to stderr.
 * @param stack - the file's stack (read when each test runs; undefined before it starts).
 */
export function printServiceOutputOnFailure(stack: () => Stack | undefined): void {
  let mark = 0;
  beforeEach(() => {
    mark = stack()?.log.mark() ?? 0;
  });
  afterEach((context) => {
    // Node 20.20 sets `passed` on the test's context once it has run.
    const { passed } = context as { passed?: boolean };
    const current = stack();
    if (passed !== false || current === undefined) return;
    process.stderr.write(
      `\n--- service output during "${context.name}" ---\n${current.log.since(mark)}--- end of service output ---\n`,
    );
  });
}
