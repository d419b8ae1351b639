// Header fields that parseMessage leaves unparsed, read on first use and
// remembered per message: Route, Record-Route, Path, Contact, Expires.
// Each throws SipParseError when the field is malformed (answer 400).
import { headerKey, lookupKey } from "./header-names.js";
import type { ContactList, NameAddr, SipMessage } from "./message.js";
import { MessageBase } from "./message-impl.js";
import { parseContactList } from "./parse-contact.js";
import { readingField } from "./parse-error.js";
import { parseNameAddrList } from "./parse-name-addr.js";
import { parseDeltaSeconds } from "./parse-scalar.js";

/** Messages of this package remember what was read; others are read each time. */
function remembered<T>(message: SipMessage, key: string, read: () => T): T {
  return message instanceof MessageBase ? message.remember(key, read) : read();
}

function nameAddrs(message: SipMessage, name: string): readonly NameAddr[] {
  const key = lookupKey(name);
  return remembered(message, name, () =>
    readingField(name, () => {
      const values: NameAddr[] = [];
      for (const field of message.headers) {
        if (headerKey(field.name) === key) parseNameAddrList(field.value, values);
      }
      return values;
    }),
  );
}

/** The Route set, topmost first (RFC 3261 §20.34); empty when there is none. */
export function getRoutes(message: SipMessage): readonly NameAddr[] {
  return nameAddrs(message, "Route");
}

/** Record-Route values, topmost first (RFC 3261 §20.30). */
export function getRecordRoutes(message: SipMessage): readonly NameAddr[] {
  return nameAddrs(message, "Record-Route");
}

/** Path values, topmost first (RFC 3327). */
export function getPath(message: SipMessage): readonly NameAddr[] {
  return nameAddrs(message, "Path");
}

/** The Contact fields (RFC 3261 §20.10); undefined when the message has none. */
export function getContacts(message: SipMessage): ContactList | undefined {
  return remembered(message, "Contact", () => {
    const values = message.headerValues("Contact");
    return values.length === 0
      ? undefined
      : readingField("Contact", () => parseContactList(values));
  });
}

/** The Expires field in seconds (RFC 3261 §20.19); undefined when absent. */
export function getExpires(message: SipMessage): number | undefined {
  return remembered(message, "Expires", () => {
    const value = message.header("Expires");
    return value === undefined ? undefined : parseDeltaSeconds(value, "Expires");
  });
}
