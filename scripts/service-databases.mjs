// The databases of auth and location when one script runs both with one environment
// (`npm start`, `npm run migrate`): one MySQL server, MYSQL_URL, and a database each, named
// by AUTH_MYSQL_DATABASE and LOCATION_MYSQL_DATABASE (unset: the service's default,
// switchboard_auth and switchboard_location).

const DATABASE_VARIABLES = { auth: "AUTH_MYSQL_DATABASE", location: "LOCATION_MYSQL_DATABASE" };

/**
 * Why `env` would give auth and location one database, which would mix their tables; or
 * undefined when each gets its own.
 */
export function sharedDatabaseProblem(env) {
  let named = "";
  try {
    named = new URL(env.MYSQL_URL || "mysql://127.0.0.1:3306").pathname.replace(/^\/+/, "");
  } catch {
    // Not a URL: the services name the variable when they check their configuration.
  }
  const shared = env.MYSQL_DATABASE || named;
  if (!shared) return undefined;
  return (
    `auth and location each need a database of their own, so MYSQL_URL must name none and ` +
    `MYSQL_DATABASE must be unset (got "${shared}"); name them with ` +
    `${DATABASE_VARIABLES.auth} and ${DATABASE_VARIABLES.location}`
  );
}

/** The environment `service` ("auth", "location" or another) runs with under `env`. */
export function serviceEnv(service, env) {
  const database = env[DATABASE_VARIABLES[service]];
  return database ? { ...env, MYSQL_DATABASE: database } : env;
}
