// The registrar's data: addresses-of-record and the bindings stored for them. Binding
// objects are plain and flat (no closures, no timers) because a registrar holds many.

/** An address-of-record (RFC 3261 §10.2.1): the user is exact, the domain lower-case. */
export interface AorName {
  readonly username: string;
  readonly domain: string;
}

/** One binding of an AOR to a contact address (RFC 3261 §10), as the registrar keeps it. */
export interface StoredBinding {
  /** Unique record id; stays the same while the binding is refreshed or replaced. */
  readonly ruid: string;
  /** The Contact URI as the UA wrote it. */
  readonly contact: string;
  /** When the binding expires, ms since the epoch. */
  readonly expiresAt: number;
  readonly q: number;
  readonly callId: string;
  readonly cseq: number;
  /** Source transport address of the REGISTER, e.g. "udp:203.0.113.5:5062". */
  readonly received: string | null;
  /** RFC 3327: the Path header values, first hop first. */
  readonly path: readonly string[] | null;
  readonly userAgent: string | null;
  /** The edge socket the REGISTER arrived on. */
  readonly socket: string | null;
  /** RFC 5626 §4.2: the `+sip.instance` value and the reg-id of the flow. */
  readonly instance: string | null;
  readonly regId: number | null;
  /** When the binding was last written by a REGISTER, ms since the epoch. */
  readonly lastModified: number;
}

/** The canonical form of an AOR: the domain compares case-insensitively (RFC 3261 §19.1.4). */
export function canonicalAor(aor: AorName): AorName {
  return { username: aor.username, domain: aor.domain.toLowerCase() };
}

/** Seconds until a binding expires, rounded up; 0 once it has expired. */
export function remainingSeconds(binding: StoredBinding, now: number): number {
  return Math.max(0, Math.ceil((binding.expiresAt - now) / 1000));
}

export function isLive(binding: StoredBinding, now: number): boolean {
  return binding.expiresAt > now;
}

/**
 * The live bindings in the order a proxy tries them: q descending (RFC 3261 §16.6 step 1
 * and §8.1.3.4), ties broken by the most recently refreshed first.
 */
export function contactsInPreferenceOrder(
  bindings: readonly StoredBinding[],
  now: number,
): StoredBinding[] {
  return bindings
    .filter((binding) => isLive(binding, now))
    .sort((a, b) => b.q - a.q || b.lastModified - a.lastModified);
}
