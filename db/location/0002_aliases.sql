-- Aliases of addresses-of-record, like Kamailio's alias_db `dbaliases` table: a request
-- for alias_username@alias_domain is routed to username@domain.
CREATE TABLE IF NOT EXISTS aliases (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  alias_username VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  alias_domain VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  username VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  domain VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  PRIMARY KEY (id),
  UNIQUE KEY alias_user_idx (alias_username, alias_domain),
  KEY target_idx (username, domain)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
