// Typed clients of the two admin HTTP APIs: subscribers (auth) and registered contacts and
// aliases (location). Every method throws AdminApiError on failure.

import type { Aor } from "@switchboard/contracts";
import { type AdminEndpoint, adminRequest, badReply, type HttpMethod } from "./admin-http.js";
import {
  type JsonObject,
  ReplyShapeError,
  readArray,
  readNumber,
  readObject,
  readOptionalNumber,
  readOptionalString,
  readOptionalStrings,
  readString,
} from "./reply-reader.js";

/** A subscriber as the auth admin API lists it; the password is never part of it. */
export interface Subscriber {
  readonly username: string;
  readonly domain: string;
  readonly email: string | null;
  /** ISO 8601 creation time, when the API reports it. */
  readonly createdAt: string | null;
}

export interface NewSubscriber extends Aor {
  readonly password: string;
  readonly email?: string;
}

/** An AOR with the number of its registered contacts. */
export interface AorSummary extends Aor {
  readonly contacts: number;
}

/** A registered contact of an AOR (RFC 3261 §10: one binding). */
export interface RegisteredContact {
  readonly uri: string;
  /** Seconds until the binding expires. */
  readonly expires: number;
  readonly q: number | null;
  readonly received: string | null;
  readonly path: readonly string[];
  readonly userAgent: string | null;
  readonly callId: string | null;
  readonly cseq: number | null;
  readonly instance: string | null;
  readonly regId: number | null;
}

export interface AorContacts extends Aor {
  readonly contacts: readonly RegisteredContact[];
}

export interface Alias {
  readonly alias: Aor;
  readonly target: Aor;
}

function pathOf(aor: Aor): string {
  return `${encodeURIComponent(aor.domain)}/${encodeURIComponent(aor.username)}`;
}

function readAor(object: JsonObject): Aor {
  return { username: readString(object, "username"), domain: readString(object, "domain") };
}

function readSubscriber(value: unknown): Subscriber {
  const object = readObject(value, "subscriber");
  return {
    ...readAor(object),
    email: readOptionalString(object, "email"),
    createdAt: readOptionalString(object, "createdAt"),
  };
}

function readContact(value: unknown): RegisteredContact {
  const object = readObject(value, "contact");
  return {
    uri: readString(object, "uri"),
    expires: readNumber(object, "expires"),
    q: readOptionalNumber(object, "q"),
    received: readOptionalString(object, "received"),
    path: readOptionalStrings(object, "path"),
    userAgent: readOptionalString(object, "userAgent"),
    callId: readOptionalString(object, "callId"),
    cseq: readOptionalNumber(object, "cseq"),
    instance: readOptionalString(object, "instance"),
    regId: readOptionalNumber(object, "regId"),
  };
}

function readAlias(value: unknown): Alias {
  const object = readObject(value, "alias entry");
  return {
    alias: readAor(readObject(object.alias, "alias")),
    target: readAor(readObject(object.target, "target")),
  };
}

/** Sends a request and reads its reply with `read`, turning a shape mismatch into `bad-reply`. */
async function call<T>(
  endpoint: AdminEndpoint,
  method: HttpMethod,
  path: string,
  read: (reply: unknown) => T,
  body?: unknown,
): Promise<T> {
  const reply = await adminRequest(endpoint, method, path, body);
  try {
    return read(reply);
  } catch (error) {
    if (error instanceof ReplyShapeError) throw badReply(endpoint, error.message);
    throw error;
  }
}

const ignoreReply = () => undefined;

function readList<T>(key: string, readItem: (value: unknown) => T) {
  return (reply: unknown): readonly T[] => readArray(readObject(reply, "reply"), key).map(readItem);
}

/** Client of the auth service's admin API (`/v1/subscribers`). */
export class AuthAdminClient {
  constructor(readonly endpoint: AdminEndpoint) {}

  /** Creates a subscriber. 409 (`conflict`) when it exists. */
  createSubscriber(subscriber: NewSubscriber): Promise<Subscriber> {
    const { username, domain, password, email } = subscriber;
    const body = { username, domain, password, email };
    return call(this.endpoint, "POST", "/v1/subscribers", readSubscriber, body);
  }

  /** Every subscriber, or those of one domain. */
  listSubscribers(domain?: string): Promise<readonly Subscriber[]> {
    const query = domain === undefined ? "" : `?domain=${encodeURIComponent(domain)}`;
    return call(
      this.endpoint,
      "GET",
      `/v1/subscribers${query}`,
      readList("subscribers", readSubscriber),
    );
  }

  /** One subscriber; 404 (`not-found`) when unknown. */
  getSubscriber(aor: Aor): Promise<Subscriber> {
    return call(this.endpoint, "GET", `/v1/subscribers/${pathOf(aor)}`, readSubscriber);
  }

  /** Deletes a subscriber; 404 (`not-found`) when unknown. */
  deleteSubscriber(aor: Aor): Promise<void> {
    return call(this.endpoint, "DELETE", `/v1/subscribers/${pathOf(aor)}`, ignoreReply);
  }

  /** Replaces a subscriber's password; 404 (`not-found`) when unknown. */
  setPassword(aor: Aor, password: string): Promise<void> {
    const path = `/v1/subscribers/${pathOf(aor)}/password`;
    return call(this.endpoint, "PUT", path, ignoreReply, { password });
  }
}

function readAorSummary(value: unknown): AorSummary {
  const object = readObject(value, "AOR");
  return { ...readAor(object), contacts: readNumber(object, "contacts") };
}

function readAorContacts(reply: unknown): AorContacts {
  const object = readObject(reply, "reply");
  return { ...readAor(object), contacts: readArray(object, "contacts").map(readContact) };
}

/** Client of the location service's admin API (`/v1/aors`, `/v1/aliases`). */
export class LocationAdminClient {
  constructor(readonly endpoint: AdminEndpoint) {}

  /** Every AOR with at least one binding, with its contact count. */
  listAors(): Promise<readonly AorSummary[]> {
    return call(this.endpoint, "GET", "/v1/aors", readList("aors", readAorSummary));
  }

  /** The contacts of one AOR; 404 (`not-found`) when it has none. */
  getAor(aor: Aor): Promise<AorContacts> {
    return call(this.endpoint, "GET", `/v1/aors/${pathOf(aor)}`, readAorContacts);
  }

  /** Removes every binding of an AOR; 404 (`not-found`) when it has none. */
  deleteAor(aor: Aor): Promise<void> {
    return call(this.endpoint, "DELETE", `/v1/aors/${pathOf(aor)}`, ignoreReply);
  }

  /** Makes `alias` stand for `target`; 409 (`conflict`) when the alias exists. */
  createAlias(alias: Alias): Promise<void> {
    const body = { alias: alias.alias, target: alias.target };
    return call(this.endpoint, "POST", "/v1/aliases", ignoreReply, body);
  }

  listAliases(): Promise<readonly Alias[]> {
    return call(this.endpoint, "GET", "/v1/aliases", readList("aliases", readAlias));
  }

  /** Removes an alias; 404 (`not-found`) when unknown. */
  deleteAlias(alias: Aor): Promise<void> {
    return call(this.endpoint, "DELETE", `/v1/aliases/${pathOf(alias)}`, ignoreReply);
  }
}
