# Module tests for the backups bucket: private, versioned, expiring, with a bucket-scoped key.

mock_provider "linode" {
  source = "../../tests/mocks"
}

variables {
  name    = "test"
  region  = "us-east"
  backups = { retention_days = 14 }
}

run "bucket_expires_backups" {
  command = plan

  assert {
    condition     = linode_object_storage_bucket.backups.acl == "private" && linode_object_storage_bucket.backups.versioning
    error_message = "The bucket must be private and versioned."
  }

  assert {
    condition     = linode_object_storage_bucket.backups.lifecycle_rule[0].enabled && linode_object_storage_bucket.backups.lifecycle_rule[0].expiration[0].days == 14
    error_message = "The lifecycle rule must expire backups after the configured retention."
  }

  assert {
    condition = [for access in linode_object_storage_key.backup_writer.bucket_access : access.permissions] == ["read_write"] && alltrue([
      for access in linode_object_storage_key.backup_writer.bucket_access : access.bucket_name == "test-db-backups"
    ])
    error_message = "The backup key must reach only the backups bucket."
  }
}

run "rejects_zero_retention" {
  command = plan
  variables {
    backups = { retention_days = 0 }
  }
  expect_failures = [var.backups]
}
