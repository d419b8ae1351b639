// Datagrams read in one turn of the event loop are handled together, once the reads are
// done. Handling a datagram starts its RPCs at once, and the NATS client writes what was
// published in one go when the microtask queue runs: handled one by one from the socket's
// callbacks, every datagram costs its own write to NATS; handled in a batch, the requests
// of a whole burst share one.

import type { Destination } from "@switchboard/sip";

export type DatagramHandler = (data: Buffer, source: Destination) => void;

/** A handler that queues datagrams and passes them to `handle` in order, in setImmediate. */
export function batchDatagrams(handle: DatagramHandler): DatagramHandler {
  let queue: { data: Buffer; source: Destination }[] = [];
  const drain = (): void => {
    const batch = queue;
    queue = [];
    for (const { data, source } of batch) handle(data, source);
  };
  return (data, source) => {
    if (queue.length === 0) setImmediate(drain);
    queue.push({ data, source });
  };
}
