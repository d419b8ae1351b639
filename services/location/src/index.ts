// The location service: registrar rules, binding stores and the service wiring.

export { type AdminAppDeps, buildAdminApp } from "./app.js";
export type { AorName, StoredBinding } from "./binding.js";
export {
  DB_MODES,
  type DbMode,
  type LocationConfig,
  loadLocationConfig,
  locationConfigSpec,
} from "./config.js";
export { contactKey } from "./contact-key.js";
export type { AorSummary, LocationStore, SaveResult } from "./location-store.js";
export { StorageUnavailableError } from "./persistence.js";
export {
  applyRegister,
  type RegisterOutcome,
  type RegisterRequest,
  type RegistrarLimits,
} from "./registrar.js";
export {
  type LocationServiceHandle,
  type LocationServiceOptions,
  MIGRATIONS_DIR,
  startLocationService,
} from "./service.js";
