// The edge proxy: the SIP side of Switchboard (transport, transactions, the routing
// script and the stateful relay). main.ts runs it; tests start it with startEdgeProxy.

export { buildEdgeApp, type EdgeAppDeps } from "./app.js";
export {
  type EdgeConfig,
  edgeConfigSpec,
  type LoadedEdgeConfig,
  loadEdgeConfig,
} from "./config.js";
export {
  type EdgeProxy,
  type EdgeProxyOptions,
  EdgeStartupError,
  startEdgeProxy,
} from "./start-edge-proxy.js";
