export {
  type Alias,
  type AorContacts,
  type AorSummary,
  AuthAdminClient,
  LocationAdminClient,
  type NewSubscriber,
  type RegisteredContact,
  type Subscriber,
} from "./admin-client.js";
export {
  AdminApiError,
  type AdminEndpoint,
  type AdminErrorKind,
  type AdminService,
} from "./admin-http.js";
export { ArgumentError, formatAddress, parseAorArgument, parseUserAddress } from "./args.js";
export { type CliIo, COMMANDS, runCli } from "./cli.js";
export { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "./errors.js";
export {
  DEFAULT_ADMIN_TOKEN,
  DEFAULT_AUTH_URL,
  DEFAULT_DOMAIN,
  DEFAULT_LOCATION_URL,
  DEFAULT_TIMEOUT_MS,
} from "./settings.js";
