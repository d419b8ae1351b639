// Bounding a promise by a deadline.

/** Thrown by {@link withTimeout} when the deadline passes first. */
export class DeadlineExceededError extends Error {
  override name = "DeadlineExceededError";
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super(`${what} did not finish within ${timeoutMs} ms`);
  }
}

/**
 * Settles like `work` when it settles within `timeoutMs`, else rejects with
 * {@link DeadlineExceededError}. The timer is cleared as soon as `work` settles.
 */
export async function withTimeout<T>(
  work: Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(what, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
