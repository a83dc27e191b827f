# Module tests for the backups bucket: private, versioned, expiring, with a bucket-scoped key.

# Mock values inline (OpenTofu has no `source` for mock data): Linode IDs are numeric strings.
mock_provider "linode" {
  mock_resource "linode_vpc" {
    defaults = { id = "1001" }
  }

  mock_resource "linode_vpc_subnet" {
    defaults = { id = "2001" }
  }

  mock_resource "linode_firewall" {
    defaults = { id = "3001" }
  }

  mock_resource "linode_placement_group" {
    defaults = { id = "4001" }
  }

  mock_resource "linode_instance" {
    defaults = {
      id   = "5001"
      ipv4 = ["198.51.100.10"]
    }
  }

  mock_resource "linode_lke_cluster" {
    defaults = { id = "6001" }
  }
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
