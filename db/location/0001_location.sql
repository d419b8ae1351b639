-- Registered contacts (RFC 3261 §10): one row per binding of an address-of-record.
-- Column names, types and defaults follow Kamailio's usrloc `location` table, so either
-- system can read the other's rows. Differences: longer contact/path/domain columns to
-- hold what the location.v1.save contract admits, and binary (exact) user names.
-- `expires` and `last_modified` are written with FROM_UNIXTIME (the session time zone).
CREATE TABLE IF NOT EXISTS location (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  ruid VARCHAR(64) NOT NULL DEFAULT '',
  username VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  domain VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL,
  contact VARCHAR(2048) NOT NULL DEFAULT '',
  received VARCHAR(128) DEFAULT NULL,
  path TEXT DEFAULT NULL,
  expires DATETIME NOT NULL DEFAULT '2030-05-28 21:32:15',
  q DECIMAL(10,2) NOT NULL DEFAULT 1.00,
  callid VARCHAR(255) NOT NULL DEFAULT 'Default-Call-ID',
  cseq INT NOT NULL DEFAULT 1,
  last_modified DATETIME NOT NULL DEFAULT '2000-01-01 00:00:01',
  flags INT NOT NULL DEFAULT 0,
  cflags INT NOT NULL DEFAULT 0,
  user_agent VARCHAR(255) NOT NULL DEFAULT '',
  socket VARCHAR(128) DEFAULT NULL,
  methods INT DEFAULT NULL,
  instance VARCHAR(255) DEFAULT NULL,
  reg_id INT NOT NULL DEFAULT 0,
  server_id INT NOT NULL DEFAULT 0,
  connection_id INT NOT NULL DEFAULT 0,
  keepalive INT NOT NULL DEFAULT 0,
  `partition` INT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY ruid_idx (ruid),
  KEY account_idx (username, domain),
  KEY expires_idx (expires)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
