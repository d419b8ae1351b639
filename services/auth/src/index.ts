// The auth service: digest challenges and credential verification over NATS, the
// subscriber store and its admin API. main.ts runs it; tests and tools start it
// in-process with startAuthService.

export { type AdminAppDeps, buildAdminApp } from "./app.js";
export {
  type AuthConfig,
  authConfigSpec,
  type LoadedAuthConfig,
  loadAuthConfig,
} from "./config.js";
export { type AuthService, type AuthServiceOptions, startAuthService } from "./service.js";
