// NATS subject names of the Switchboard API. Every subject carries its major
// version ("v1"): a breaking change to a request or reply gets a new subject,
// so old and new services can run side by side during a rolling update.

/** The subject names without prefix, one per request/reply endpoint or event. */
export const SUBJECT_NAMES = {
  /** Request/reply: create digest challenges (auth service). */
  authChallenge: "auth.v1.challenge",
  /** Request/reply: verify Authorization / Proxy-Authorization credentials (auth service). */
  authVerify: "auth.v1.verify",
  /** Event (publish, no reply): a subscriber was added, changed or removed. */
  subscriberChanged: "auth.v1.events.subscriber-changed",
  /** Request/reply: apply a REGISTER to the bindings of an address-of-record (location service). */
  locationSave: "location.v1.save",
  /** Request/reply: the current contacts of an address-of-record (location service). */
  locationLookup: "location.v1.lookup",
  /** Request/reply: map an alias to the address-of-record it stands for (location service). */
  locationResolveAlias: "location.v1.resolve-alias",
  /** Event (publish, no reply): an alias was added or removed. */
  aliasChanged: "location.v1.events.alias-changed",
} as const;

/** The key of one subject in {@link SUBJECT_NAMES}. */
export type SubjectKey = keyof typeof SUBJECT_NAMES;

/** Full subject names, prefix applied. */
export type Subjects = { readonly [K in SubjectKey]: string };

/** Thrown by {@link subjects} when the prefix is not a valid run of NATS subject tokens. */
export class InvalidSubjectPrefixError extends Error {
  override name = "InvalidSubjectPrefixError";
  constructor(readonly prefix: string) {
    super(
      `invalid NATS subject prefix ${JSON.stringify(prefix)}: expected dot-separated tokens of letters, digits, "_" or "-"`,
    );
  }
}

// Tokens are restricted to characters that are safe in every NATS deployment:
// no wildcards ("*", ">"), no whitespace, no empty tokens.
const PREFIX_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** True when `prefix` may be put in front of the subject names ("" is valid: no prefix). */
export function isValidSubjectPrefix(prefix: string): boolean {
  return prefix === "" || PREFIX_PATTERN.test(prefix);
}

/**
 * The full subject names for a deployment.
 *
 * @param prefix - dot-separated tokens put in front of every name, e.g. `"staging"` gives
 *   `"staging.auth.v1.verify"`; `""` (the default) gives the bare names. Tests use a unique
 *   prefix so that concurrent test runs on one NATS server never see each other's messages.
 * @throws {@link InvalidSubjectPrefixError} when the prefix holds wildcards, spaces or empty tokens.
 */
export function subjects(prefix = ""): Subjects {
  if (!isValidSubjectPrefix(prefix)) throw new InvalidSubjectPrefixError(prefix);
  const entries = Object.entries(SUBJECT_NAMES).map(([key, name]) => [
    key,
    prefix === "" ? name : `${prefix}.${name}`,
  ]);
  return Object.freeze(Object.fromEntries(entries)) as Subjects;
}
