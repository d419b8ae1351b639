// One object per NATS connection, made on first use and gone with the connection.

import type { NatsConnection } from "nats";

/** A function giving each connection its own `create(nc)`, the same one on every call. */
export function perConnection<T>(create: (nc: NatsConnection) => T): (nc: NatsConnection) => T {
  const made = new WeakMap<NatsConnection, T>();
  return (nc) => {
    let value = made.get(nc);
    if (value === undefined) {
      value = create(nc);
      made.set(nc, value);
    }
    return value;
  };
}
