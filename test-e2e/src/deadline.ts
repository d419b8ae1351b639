// Waiting with a deadline: polling a condition, or racing a promise against a timer.
// Tests never sleep to let something happen; they wait for it and fail with a message
// saying what did not happen in time.

/** Thrown when something awaited did not happen before its deadline. */
export class DeadlineError extends Error {
  override readonly name = "DeadlineError";
}

export interface PollOptions {
  /** Longest wait in milliseconds. */
  readonly timeoutMs: number;
  /** Pause between attempts in milliseconds (default 25). */
  readonly intervalMs?: number;
  /** What is awaited, for the error message ("auth /readyz answering 200"). */
  readonly what: string;
  /** Gives up early, rejecting with the signal's reason. */
  readonly signal?: AbortSignal;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `probe` until it returns a value other than undefined, and returns that value.
 * An exception thrown by `probe` counts as "not yet" and is reported if the deadline passes.
 * @throws DeadlineError when `timeoutMs` passes first; the signal's reason when it aborts.
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  options: PollOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
      throw new DeadlineError(`no ${options.what} within ${options.timeoutMs} ms${detail}`, {
        cause: lastError,
      });
    }
    await pause(options.intervalMs ?? 25);
  }
}

/**
 * `promise`, or a DeadlineError naming `what` if it has not settled within `timeoutMs`.
 * The timer is cleared as soon as the promise settles.
 */
export async function withDeadline<T>(
  promise: Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DeadlineError(`no ${what} within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
