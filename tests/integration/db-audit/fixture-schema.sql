-- Marketplace fixture for the db-audit integration test. Tables marked PLANTED carry a problem
-- the audit must report; tables marked CLEAN are well designed and must not be flagged.
-- Loaded by fixture-loader.ts into a fresh database; never used outside tests.

-- CLEAN: marketplace accounts the app syncs with.
CREATE TABLE marketplace_accounts (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  marketplace VARCHAR(16) NOT NULL,
  name VARCHAR(120) NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_accounts_marketplace_name (marketplace, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- PLANTED: duplicate index (idx_items_sku repeats the unique key) and a redundant prefix index
-- (idx_items_brand is the leading column of idx_items_brand_title).
CREATE TABLE items (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  sku VARCHAR(64) NOT NULL,
  title VARCHAR(255) NOT NULL,
  brand VARCHAR(40) NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_items_sku (sku),
  KEY idx_items_sku (sku),
  KEY idx_items_brand (brand),
  KEY idx_items_brand_title (brand, title)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- CLEAN: variations of an item (colour, size), nullable attributes really hold NULLs.
CREATE TABLE item_variations (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  item_id BIGINT UNSIGNED NOT NULL,
  sku VARCHAR(64) NOT NULL,
  color VARCHAR(32) NULL,
  size VARCHAR(16) NULL,
  price DECIMAL(10,2) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_item_variations_sku (sku),
  KEY idx_item_variations_item (item_id),
  CONSTRAINT fk_item_variations_item FOREIGN KEY (item_id) REFERENCES items (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- CLEAN: one listing of an item on a marketplace account.
CREATE TABLE listings (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  marketplace_account_id INT UNSIGNED NOT NULL,
  item_id BIGINT UNSIGNED NOT NULL,
  external_id VARCHAR(64) NOT NULL,
  title VARCHAR(255) NOT NULL,
  price DECIMAL(10,2) NOT NULL,
  status VARCHAR(16) NOT NULL,
  created_at DATETIME NOT NULL,
  ended_at DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_listings_account_external (marketplace_account_id, external_id),
  KEY idx_listings_account_status_created (marketplace_account_id, status, created_at),
  KEY idx_listings_item (item_id),
  CONSTRAINT fk_listings_account FOREIGN KEY (marketplace_account_id) REFERENCES marketplace_accounts (id),
  CONSTRAINT fk_listings_item FOREIGN KEY (item_id) REFERENCES items (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- PLANTED: no primary key; quantity is BIGINT for values below 1000; warehouse_code is a
-- nullable VARCHAR(255) that only ever holds short codes and never NULL.
CREATE TABLE inventory (
  item_variation_id BIGINT UNSIGNED NOT NULL,
  warehouse_code VARCHAR(255) NULL,
  quantity BIGINT NOT NULL,
  updated_at DATETIME NOT NULL,
  KEY idx_inventory_variation (item_variation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- CLEAN: orders imported from the marketplaces; shipped_at is NULL until shipped.
CREATE TABLE orders (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  marketplace_account_id INT UNSIGNED NOT NULL,
  external_order_id VARCHAR(64) NOT NULL,
  status VARCHAR(16) NOT NULL,
  total DECIMAL(12,2) NOT NULL,
  currency CHAR(3) NOT NULL,
  placed_at DATETIME NOT NULL,
  shipped_at DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_orders_account_external (marketplace_account_id, external_order_id),
  KEY idx_orders_account_placed (marketplace_account_id, placed_at),
  CONSTRAINT fk_orders_account FOREIGN KEY (marketplace_account_id) REFERENCES marketplace_accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- PLANTED: order_id is a foreign key by name (no constraint declared) without any index.
CREATE TABLE order_lines (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  order_id BIGINT UNSIGNED NOT NULL,
  item_variation_id BIGINT UNSIGNED NOT NULL,
  quantity SMALLINT UNSIGNED NOT NULL,
  unit_price DECIMAL(10,2) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_order_lines_variation (item_variation_id),
  CONSTRAINT fk_order_lines_variation FOREIGN KEY (item_variation_id) REFERENCES item_variations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- PLANTED: MyISAM engine; status is VARCHAR(255) holding short codes; job_type is TEXT holding
-- short strings.
CREATE TABLE sync_jobs (
  id CHAR(36) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  marketplace_account_id INT UNSIGNED NOT NULL,
  job_type TEXT NOT NULL,
  status VARCHAR(255) NOT NULL,
  started_at DATETIME NOT NULL,
  finished_at DATETIME NULL,
  PRIMARY KEY (id),
  KEY idx_sync_jobs_account (marketplace_account_id)
) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- PLANTED: sync_job_id is utf8mb3 while sync_jobs.id is utf8mb4, so the join converts the
-- column and cannot use idx_sync_logs_job; no index serves the level/logged_at queries.
CREATE TABLE sync_logs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  sync_job_id CHAR(36) CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL,
  level VARCHAR(8) NOT NULL,
  message VARCHAR(500) NOT NULL,
  logged_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY idx_sync_logs_job (sync_job_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
