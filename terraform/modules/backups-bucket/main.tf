# -------------------------------------------------------------------------------------------------
# Bucket for mariadb-backup archives, with expiry by lifecycle rule
# -------------------------------------------------------------------------------------------------

resource "linode_object_storage_bucket" "backups" {
  label        = "${var.name}-db-backups"
  region       = var.region
  acl          = "private"
  cors_enabled = false
  # Versioning keeps an overwritten or deleted archive recoverable until the lifecycle rule ends it.
  versioning = true

  lifecycle_rule {
    id                                     = "expire-backups"
    enabled                                = true
    abort_incomplete_multipart_upload_days = 1

    expiration {
      days = var.backups.retention_days
    }

    noncurrent_version_expiration {
      days = var.backups.noncurrent_retention_days
    }
  }
}

# -------------------------------------------------------------------------------------------------
# A key that can only read and write this bucket (for the backup job on the primary)
# -------------------------------------------------------------------------------------------------

resource "linode_object_storage_key" "backup_writer" {
  label = "${var.name}-db-backup-writer"

  bucket_access {
    bucket_name = linode_object_storage_bucket.backups.label
    region      = var.region
    permissions = "read_write"
  }
}
