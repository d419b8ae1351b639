-- Subscribers and their digest secrets. Table and column names follow the SER /
-- Kamailio `subscriber` schema so that existing data can be used as is; ha1_sha256
-- adds the RFC 7616 / RFC 8760 SHA-256 HA1.
--   ha1        = MD5(username ":" domain ":" password)             (realm = domain)
--   ha1b       = MD5(username "@" domain ":" domain ":" password)  (Kamailio ha1b)
--   ha1_sha256 = SHA-256(username ":" domain ":" password)
-- `password` holds the plain password only when AUTH_CALCULATE_HA1=true; otherwise "".
-- username compares byte-exact (utf8mb4_bin); domain is stored lower-cased and
-- compares case-insensitively (RFC 3261 §19.1.4). Works on MariaDB >= 10.5 and MySQL 8.
CREATE TABLE IF NOT EXISTS subscriber (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  username VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  domain VARCHAR(190) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL,
  password VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  ha1 VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ha1b VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  ha1_sha256 VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  email_address VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL DEFAULT '',
  datetime_created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  datetime_modified DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY account_idx (username, domain),
  KEY username_idx (username)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
