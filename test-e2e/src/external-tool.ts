// The real SIP clients the tests run (sipp, sipsak) are external programs: when one is not
// installed, say which package has it rather than "spawn sipp ENOENT".

/** `error` from spawning `binary`, or, when the program does not exist, how to install it. */
export function spawnFailure(error: unknown, binary: string, install: string): unknown {
  if ((error as NodeJS.ErrnoException | undefined)?.code !== "ENOENT") return error;
  return new Error(`${binary} is not installed: ${install}`, { cause: error });
}
