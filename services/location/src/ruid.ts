// Record ids of bindings (usrloc's ruid): unique across restarts and across instances that
// share a database.

import { randomBytes } from "node:crypto";

/** A generator of ruids: `uloc-<random instance id>-<counter>`, at most 40 characters. */
export function ruidGenerator(): () => string {
  const prefix = `uloc-${randomBytes(8).toString("hex")}-`;
  let counter = 0;
  // Concatenation gives a rope of several heap objects; a registrar keeps one ruid per
  // binding, so each is copied into one flat string.
  return () => Buffer.from(prefix + (++counter).toString(36), "latin1").toString("latin1");
}
