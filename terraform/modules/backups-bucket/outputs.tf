# -------------------------------------------------------------------------------------------------
# Outputs
# -------------------------------------------------------------------------------------------------

output "bucket" {
  description = "The backups bucket: label, region and S3 endpoint hostname."
  value = {
    label    = linode_object_storage_bucket.backups.label
    region   = linode_object_storage_bucket.backups.region
    hostname = linode_object_storage_bucket.backups.hostname
  }
}

output "writer_access_key" {
  description = "Access key of the bucket-scoped backup key (not secret)."
  value       = linode_object_storage_key.backup_writer.access_key
}

output "writer_secret_key" {
  description = "Secret key of the bucket-scoped backup key: read it with `terraform output -raw` into the secret store, never into git."
  value       = linode_object_storage_key.backup_writer.secret_key
  sensitive   = true
}
