// The Node.js flags every service process starts with, wherever it runs: the Dockerfile,
// docker-compose.yml, the Kubernetes manifests, `npm start` and the end-to-end test stack.
//
// --initial-old-space-size=128: V8 starts a process with a small old-generation limit and
//   runs a full (mark-compact) collection each time the heap outgrows it, raising the limit
//   a step each time. A service that has just started under load grows its heap for tens
//   of seconds (the edge keeps each completed transaction 32 s to absorb retransmissions),
//   so it would run a full collection every second or two. Each one has the collector's
//   threads compete with every process on the box for some 10 ms, and the requests of that
//   moment wait in every service they pass through: at 2,500 REGISTER/s on two cores those
//   moments made the p99 of REGISTER→200. Starting with 128 MB, a fresh service runs no
//   full collection until its heap has reached its working size.
// --v8-pool-size=1: one V8 worker thread for background collection and compilation. The
//   default of four, in each of several services on a machine of two cores, has the
//   collectors of one service take CPU from the others at once.
export const SERVICE_NODE_FLAGS: readonly string[] = [
  "--initial-old-space-size=128",
  "--v8-pool-size=1",
];
