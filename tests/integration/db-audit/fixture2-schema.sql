-- Second fixture for db-audit, different in shape from the first: a seller-payout marketplace
-- with Laravel's own tables. PLANTED problems (two of each class) are listed in
-- fixture2-expected.ts; tables and queries marked CLEAN must not be flagged.

-- PLANTED: country_code holds ISO codes (-> CHAR(2)), is_verified is a 0/1 flag (-> TINYINT(1)),
-- idx_sellers_created is never read. CLEAN: slug is free text (unique per row), never narrowed.
CREATE TABLE sellers (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  email VARCHAR(191) NOT NULL,
  phone VARCHAR(32) NOT NULL,
  name VARCHAR(120) NOT NULL,
  slug VARCHAR(255) NOT NULL,
  country_code VARCHAR(255) NOT NULL,
  is_verified INT NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_sellers_slug (slug),
  KEY idx_sellers_email (email),
  KEY idx_sellers_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- PLANTED (query): filtered by status and category, sorted by price, only a low-selectivity
-- index on status. idx_products_seller is unused but the foreign key needs it.
CREATE TABLE products (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  seller_id BIGINT UNSIGNED NOT NULL,
  sku VARCHAR(64) NOT NULL,
  title VARCHAR(255) NOT NULL,
  category VARCHAR(32) NOT NULL,
  status VARCHAR(16) NOT NULL,
  price DECIMAL(10,2) NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY idx_products_seller (seller_id),
  KEY idx_products_sku (sku),
  KEY idx_products_status (status),
  CONSTRAINT fk_products_seller FOREIGN KEY (seller_id) REFERENCES sellers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- reference is a numeric string: compared with a number in one query (implicit conversion).
CREATE TABLE payouts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  seller_id BIGINT UNSIGNED NOT NULL,
  reference VARCHAR(32) NOT NULL,
  amount DECIMAL(12,2) NOT NULL,
  paid_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_payouts_reference (reference),
  KEY idx_payouts_seller (seller_id),
  KEY idx_payouts_paid_at (paid_at),
  CONSTRAINT fk_payouts_seller FOREIGN KEY (seller_id) REFERENCES sellers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- PLANTED: payout_ref (not named like a foreign key) is utf8mb3 while payouts.reference is utf8mb4.
CREATE TABLE bank_transfers (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  payout_ref VARCHAR(32) CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL,
  bank_code VARCHAR(11) NOT NULL,
  booked_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY idx_bank_transfers_payout_ref (payout_ref)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- PLANTED: payout_number is a BIGINT joined with payouts.reference, a VARCHAR.
CREATE TABLE refunds (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  payout_number BIGINT UNSIGNED NOT NULL,
  reason VARCHAR(255) NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- body is free text (searched with a leading wildcard); idx_reviews_rating is never read.
CREATE TABLE reviews (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  product_id BIGINT UNSIGNED NOT NULL,
  rating TINYINT UNSIGNED NOT NULL,
  body TEXT NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY idx_reviews_product (product_id),
  KEY idx_reviews_rating (rating),
  KEY idx_reviews_created (created_at),
  CONSTRAINT fk_reviews_product FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- PLANTED (queries): OR of sender_id and recipient_id; unread inbox filtered by is_read and
-- folder, sorted by sent_at, with only a low-selectivity index on is_read.
CREATE TABLE messages (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  sender_id BIGINT UNSIGNED NOT NULL,
  recipient_id BIGINT UNSIGNED NOT NULL,
  folder VARCHAR(16) NOT NULL,
  is_read TINYINT(1) NOT NULL,
  body VARCHAR(500) NOT NULL,
  sent_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY idx_messages_sender (sender_id),
  KEY idx_messages_is_read (is_read),
  CONSTRAINT fk_messages_sender FOREIGN KEY (sender_id) REFERENCES sellers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- CLEAN: a LONGTEXT payload and a TEXT error message, both short today: free text, never narrowed.
CREATE TABLE webhook_calls (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  seller_id BIGINT UNSIGNED NOT NULL,
  payload LONGTEXT NOT NULL,
  error_message TEXT NULL,
  status VARCHAR(16) NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY idx_webhook_calls_seller (seller_id),
  CONSTRAINT fk_webhook_calls_seller FOREIGN KEY (seller_id) REFERENCES sellers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- PLANTED: two utf8mb3 tables.
CREATE TABLE seller_notes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  note VARCHAR(255) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
CREATE TABLE legacy_categories (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  label VARCHAR(64) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;

-- PLANTED: two non-InnoDB tables (Aria is crash-safe; MyISAM is not).
CREATE TABLE search_cache (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  term VARCHAR(100) NOT NULL,
  hits INT UNSIGNED NOT NULL,
  PRIMARY KEY (id)
) ENGINE=Aria DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE import_batches (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  file_name VARCHAR(255) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- CLEAN (left alone): Laravel's own tables, as its default migrations create them.
CREATE TABLE jobs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  queue VARCHAR(255) NOT NULL,
  payload LONGTEXT NOT NULL,
  attempts TINYINT UNSIGNED NOT NULL,
  reserved_at INT UNSIGNED NULL,
  available_at INT UNSIGNED NOT NULL,
  created_at INT UNSIGNED NOT NULL,
  PRIMARY KEY (id),
  KEY jobs_queue_index (queue)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE failed_jobs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(255) NOT NULL,
  connection TEXT NOT NULL,
  queue TEXT NOT NULL,
  payload LONGTEXT NOT NULL,
  exception LONGTEXT NOT NULL,
  failed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY failed_jobs_uuid_unique (uuid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE cache (
  `key` VARCHAR(255) NOT NULL,
  value MEDIUMTEXT NOT NULL,
  expiration INT NOT NULL,
  PRIMARY KEY (`key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE sessions (
  id VARCHAR(255) NOT NULL,
  user_id BIGINT UNSIGNED NULL,
  ip_address VARCHAR(45) NULL,
  user_agent TEXT NULL,
  payload LONGTEXT NOT NULL,
  last_activity INT NOT NULL,
  PRIMARY KEY (id),
  KEY sessions_user_id_index (user_id),
  KEY sessions_last_activity_index (last_activity)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
