// Contracts of the location service: registrar bindings (RFC 3261 §10.3) and aliases.

import { z } from "zod";
import { AorSchema, lineText } from "./common.js";

/** A SIP URI as written in a Contact, without angle brackets or header parameters. */
export const ContactUriSchema = lineText(2048);

/** RFC 3261 §20.19 / §20.10: delta-seconds, at most 2^32-1. */
export const DeltaSecondsSchema = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1);

/** RFC 3261 §20.10: qvalue, 0 to 1 (at most three decimals on the wire). */
export const QValueSchema = z.number().min(0).max(1);

/**
 * A transport address `<transport>:<host>:<port>` in lower case, IPv6 hosts in brackets:
 * `"udp:203.0.113.5:5062"`, `"tcp:[2001:db8::1]:5060"`.
 */
export const TransportAddressSchema = z
  .string()
  .max(128)
  .regex(
    /^(udp|tcp|tls|sctp|ws|wss):(\[[0-9a-f:.]+\]|[a-z0-9.-]+):\d{1,5}$/,
    'must look like "udp:203.0.113.5:5062"',
  );

/** RFC 5626 §4.2: `+sip.instance`, the value without its surrounding double quotes. */
export const InstanceIdSchema = lineText(255);

/** RFC 5626 §4.2: reg-id, 1 to 2^31-1. */
export const RegIdSchema = z
  .number()
  .int()
  .min(1)
  .max(2 ** 31 - 1);

/** One Contact of a REGISTER, as the edge parsed it. */
export const SaveContactSchema = z.object({
  uri: ContactUriSchema,
  /** The Contact's `expires` parameter, when present (RFC 3261 §10.2.1.1). */
  expires: DeltaSecondsSchema.optional(),
  /** The Contact's `q` parameter, when present; the location service stores 1 when absent. */
  q: QValueSchema.optional(),
  instance: InstanceIdSchema.optional(),
  regId: RegIdSchema.optional(),
});
export type SaveContact = z.infer<typeof SaveContactSchema>;

/**
 * Request of `location.v1.save`: a REGISTER that passed authentication (RFC 3261 §10.3 steps
 * 1–5 done by the edge). The location service applies steps 6–8.
 */
export const LocationSaveRequestSchema = z.object({
  /** The address-of-record from the To header, already checked against the credentials. */
  aor: AorSchema,
  /**
   * The Contact header values; `"*"` for `Contact: *` (remove all bindings, valid only with
   * `headerExpires: 0` — the service answers `invalid` otherwise, RFC 3261 §10.3 step 6); an
   * empty array for a REGISTER without Contact, which only queries the bindings (§10.2.3).
   */
  contacts: z.union([z.literal("*"), z.array(SaveContactSchema).max(64)]),
  /** The request's Expires header, when present; applies to contacts without `expires`. */
  headerExpires: DeltaSecondsSchema.optional(),
  /** Call-ID and CSeq number: a binding is updated only by a higher CSeq of the same Call-ID. */
  callId: lineText(255),
  cseq: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  /** Where the REGISTER came from, when it differs from the Contact (NAT; RFC 3581). */
  received: TransportAddressSchema.optional(),
  /** The Path header values in order (RFC 3327 §5.3), kept to route requests to the contacts. */
  path: z.array(lineText(2048)).max(16).optional(),
  userAgent: lineText(255).optional(),
  /** The edge's local socket the REGISTER arrived on; requests to the contact leave from it. */
  socket: TransportAddressSchema.optional(),
});
export type LocationSaveRequest = z.infer<typeof LocationSaveRequestSchema>;

/** A current binding as listed in a 200 OK to REGISTER (RFC 3261 §10.3 step 8). */
export const BindingSchema = z.object({
  uri: ContactUriSchema,
  /** Seconds until the binding expires, rounded up; always at least 1. */
  expires: DeltaSecondsSchema,
  q: QValueSchema,
  instance: InstanceIdSchema.optional(),
  regId: RegIdSchema.optional(),
});
export type Binding = z.infer<typeof BindingSchema>;

/**
 * Response of `location.v1.save`: every current binding of the AOR after the update, or why
 * the REGISTER was refused (no binding changed then):
 * - `interval-too-brief`: an expiration below the minimum; the edge answers 423 Interval Too
 *   Brief with `Min-Expires: minExpires` (RFC 3261 §10.3 step 7);
 * - `out-of-order`: a binding exists for the same Call-ID with a CSeq not lower than this
 *   one, so the update is aborted (RFC 3261 §10.3 step 7);
 * - `too-many-contacts`: the AOR would have more than `max` bindings;
 * - `invalid`: the request breaks a registrar rule (e.g. `*` with a non-zero expiration);
 *   `message` is fit for a 400 reason phrase.
 */
export const LocationSaveResponseSchema = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), bindings: z.array(BindingSchema) }),
  z.discriminatedUnion("reason", [
    z.object({
      ok: z.literal(false),
      reason: z.literal("interval-too-brief"),
      minExpires: DeltaSecondsSchema,
    }),
    z.object({ ok: z.literal(false), reason: z.literal("out-of-order") }),
    z.object({
      ok: z.literal(false),
      reason: z.literal("too-many-contacts"),
      max: z.number().int().min(0),
    }),
    z.object({ ok: z.literal(false), reason: z.literal("invalid"), message: lineText(200) }),
  ]),
]);
export type LocationSaveResponse = z.infer<typeof LocationSaveResponseSchema>;

/** Request of `location.v1.lookup`. */
export const LocationLookupRequestSchema = z.object({ aor: AorSchema });
export type LocationLookupRequest = z.infer<typeof LocationLookupRequestSchema>;

/** One reachable contact of an AOR, with what the edge needs to forward to it. */
export const LookupContactSchema = z.object({
  uri: ContactUriSchema,
  q: QValueSchema,
  /** Seconds until the binding expires. */
  expires: DeltaSecondsSchema,
  /** Send to this address instead of resolving the URI (the REGISTER's source). */
  received: TransportAddressSchema.optional(),
  /** Route set to reach the contact: the Path values saved with it (RFC 3327 §5.3). */
  path: z.array(lineText(2048)).optional(),
  instance: InstanceIdSchema.optional(),
  regId: RegIdSchema.optional(),
  /** The edge socket the REGISTER arrived on. */
  socket: TransportAddressSchema.optional(),
});
export type LookupContact = z.infer<typeof LookupContactSchema>;

/**
 * Response of `location.v1.lookup`: the unexpired contacts ordered by q, highest first
 * (RFC 3261 §16.6 forwards in that order); empty when the AOR has none (the edge answers 404).
 */
export const LocationLookupResponseSchema = z.object({ contacts: z.array(LookupContactSchema) });
export type LocationLookupResponse = z.infer<typeof LocationLookupResponseSchema>;

/** Request of `location.v1.resolve-alias`: the user and domain of a Request-URI. */
export const ResolveAliasRequestSchema = AorSchema;
export type ResolveAliasRequest = z.infer<typeof ResolveAliasRequestSchema>;

/** Response of `location.v1.resolve-alias`: the AOR the alias stands for, or null when none. */
export const ResolveAliasResponseSchema = z.object({ target: AorSchema.nullable() });
export type ResolveAliasResponse = z.infer<typeof ResolveAliasResponseSchema>;

/**
 * Event on `location.v1.events.alias-changed`: the alias (user and domain) that was added or
 * removed. Every location instance drops what it cached for it. Published without a queue
 * group: all instances receive it.
 */
export const AliasChangedEventSchema = AorSchema;
export type AliasChangedEvent = z.infer<typeof AliasChangedEventSchema>;
