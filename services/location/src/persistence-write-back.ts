// db_mode write-back: memory is authoritative and a save is answered at once; changed
// bindings are marked dirty and written to MySQL in one transaction every flush interval,
// or as soon as 1,000 of them wait: at thousands of REGISTERs per second MySQL then gets
// small batches at an even pace instead of a burst every interval, which would take both
// cores of a small machine from everything else for a while.
// A failed flush keeps its changes for the next one, so nothing is lost while MySQL is down;
// after a failure only the interval flushes, so a dead MySQL is not retried at every save.

import type { Clock } from "@switchboard/kit";
import type { AorName } from "./binding.js";
import type { AorBinding, BindingWrites, LocationRepository } from "./location-repository.js";
import type { FlushObserver, Persistence } from "./persistence.js";
import type { RegisterChanges } from "./registrar.js";

/** The latest unwritten state of one ruid: the binding to write, or null to delete it. */
type DirtyEntry = AorBinding | null;

const RESOLVED = Promise.resolve();

/** Waiting bindings that start a flush before the interval is up. */
export const EARLY_FLUSH_BINDINGS = 1000;

export class WriteBackPersistence implements Persistence {
  readonly #repository: LocationRepository;
  readonly #clock: Clock;
  readonly #observer: FlushObserver;
  readonly #timer: NodeJS.Timeout;
  readonly #earlyFlushBindings: number;
  #dirty = new Map<string, DirtyEntry>();
  #lastFlushFailed = false;
  #oldestDirtyAt: number | undefined;
  #flushing: Promise<void> | undefined;

  constructor(
    repository: LocationRepository,
    clock: Clock,
    observer: FlushObserver,
    flushIntervalMs: number,
    earlyFlushBindings = EARLY_FLUSH_BINDINGS,
  ) {
    this.#repository = repository;
    this.#earlyFlushBindings = earlyFlushBindings;
    this.#clock = clock;
    this.#observer = observer;
    this.#timer = setInterval(() => this.flush().catch(() => {}), flushIntervalMs);
    this.#timer.unref();
  }

  persist(aor: AorName, changes: RegisterChanges): Promise<void> {
    for (const ruid of changes.removals) this.#dirty.set(ruid, null);
    for (const binding of changes.upserts) this.#dirty.set(binding.ruid, { aor, binding });
    if (this.#dirty.size > 0) this.#oldestDirtyAt ??= this.#clock.now();
    const early =
      this.#dirty.size >= this.#earlyFlushBindings &&
      this.#flushing === undefined &&
      !this.#lastFlushFailed;
    if (early) this.flush().catch(() => {});
    return RESOLVED;
  }

  /** Writes every dirty binding; rejects (keeping them dirty) when MySQL fails. */
  flush(): Promise<void> {
    // One flush at a time; a flush asked for meanwhile runs after it, to include new changes.
    const previous = this.#flushing ?? RESOLVED;
    const next = previous.catch(() => {}).then(() => this.#flushOnce());
    this.#flushing = next;
    void next
      .catch(() => {})
      .then(() => {
        if (this.#flushing === next) this.#flushing = undefined;
      });
    return next;
  }

  async #flushOnce(): Promise<void> {
    if (this.#dirty.size === 0) return;
    const taken = this.#dirty;
    const takenSince = this.#oldestDirtyAt;
    this.#dirty = new Map();
    this.#oldestDirtyAt = undefined;
    const started = performance.now();
    try {
      await this.#repository.applyWrites(this.#writesOf(taken));
      this.#lastFlushFailed = false;
      this.#observer.flushed((performance.now() - started) / 1000);
    } catch (error) {
      this.#lastFlushFailed = true;
      this.#observer.flushFailed(error);
      // Changes made since the flush began are newer than the ones it failed to write.
      for (const [ruid, entry] of taken) if (!this.#dirty.has(ruid)) this.#dirty.set(ruid, entry);
      this.#oldestDirtyAt = takenSince;
      throw error;
    }
  }

  #writesOf(entries: ReadonlyMap<string, DirtyEntry>): BindingWrites {
    const now = this.#clock.now();
    const upserts: AorBinding[] = [];
    const removals: string[] = [];
    for (const [ruid, entry] of entries) {
      // A binding that expired before it was written only needs to be gone.
      if (entry === null || entry.binding.expiresAt <= now) removals.push(ruid);
      else upserts.push(entry);
    }
    return { upserts, removals };
  }

  lagSeconds(): number {
    return this.#oldestDirtyAt === undefined
      ? 0
      : Math.max(0, this.#clock.now() - this.#oldestDirtyAt) / 1000;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }
}
