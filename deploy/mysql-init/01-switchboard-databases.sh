#!/usr/bin/env bash
# Creates one database and one user per Switchboard service, each user allowed into its own
# database only. The MySQL image runs this once, when it initialises an empty data directory
# (docker-entrypoint-initdb.d); the Kubernetes dev overlay mounts the same file.
#
# Passwords come from the environment of the MySQL container. The services run their schema
# migrations themselves (at start and in their migrate entry), so each user may create and
# alter tables in its own database, and may touch nothing else.
#
#   AUTH_DB_PASSWORD, LOCATION_DB_PASSWORD   required
#   AUTH_DB_NAME, AUTH_DB_USER               default switchboard_auth
#   LOCATION_DB_NAME, LOCATION_DB_USER       default switchboard_location
#   MYSQL_ROOT_PASSWORD                      the administrator's password (the image's variable)
set -euo pipefail

: "${AUTH_DB_PASSWORD:?AUTH_DB_PASSWORD must be set}"
: "${LOCATION_DB_PASSWORD:?LOCATION_DB_PASSWORD must be set}"
AUTH_DB_NAME="${AUTH_DB_NAME:-switchboard_auth}"
AUTH_DB_USER="${AUTH_DB_USER:-switchboard_auth}"
LOCATION_DB_NAME="${LOCATION_DB_NAME:-switchboard_location}"
LOCATION_DB_USER="${LOCATION_DB_USER:-switchboard_location}"

# Database and user names are used as identifiers: letters, digits and "_" only.
for name in "$AUTH_DB_NAME" "$AUTH_DB_USER" "$LOCATION_DB_NAME" "$LOCATION_DB_USER"; do
  if [[ ! "$name" =~ ^[A-Za-z0-9_]{1,32}$ ]]; then
    echo "switchboard: invalid database or user name: $name" >&2
    exit 1
  fi
done

# A password as an SQL string literal: backslashes and quotes doubled.
sql_string() {
  local value="${1//\\/\\\\}"
  printf "'%s'" "${value//\'/\'\'}"
}

# The privileges a service needs on its own database: data, plus its migrations' DDL.
SERVICE_PRIVILEGES="SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES"

database_and_user() {
  local database="$1" user="$2" password
  password="$(sql_string "$3")"
  cat <<SQL
CREATE DATABASE IF NOT EXISTS \`$database\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY $password;
ALTER USER '$user'@'%' IDENTIFIED BY $password;
GRANT $SERVICE_PRIVILEGES ON \`$database\`.* TO '$user'@'%';
SQL
}

{
  database_and_user "$AUTH_DB_NAME" "$AUTH_DB_USER" "$AUTH_DB_PASSWORD"
  database_and_user "$LOCATION_DB_NAME" "$LOCATION_DB_USER" "$LOCATION_DB_PASSWORD"
  echo "FLUSH PRIVILEGES;"
} | MYSQL_PWD="${MYSQL_ROOT_PASSWORD:-}" mysql --protocol=socket --user=root

echo "switchboard: databases $AUTH_DB_NAME, $LOCATION_DB_NAME and their users are ready"
