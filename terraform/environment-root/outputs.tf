# -------------------------------------------------------------------------------------------------
# Outputs: what the Ansible inventory and the cluster's DB endpoints need
# -------------------------------------------------------------------------------------------------

output "database_hosts" {
  description = "DB VMs by name: role, Linode ID, VPC address, public IPv4 (Ansible inventory)."
  value       = module.database_vms.hosts
}

output "database_primary_private_ip" {
  description = "VPC address of the MariaDB primary."
  value       = module.database_vms.primary_private_ip
}

output "database_replica_private_ips" {
  description = "VPC addresses of the read replicas."
  value       = module.database_vms.replica_private_ips
}

output "lke_cluster_id" {
  description = "ID of the LKE cluster."
  value       = module.lke_cluster.id
}

output "lke_pools" {
  description = "Node pools with their autoscaler bounds."
  value       = module.lke_cluster.pools
}

output "kubeconfig" {
  description = "Base64-encoded kubeconfig (sensitive)."
  value       = module.lke_cluster.kubeconfig
  sensitive   = true
}

output "backups_bucket" {
  description = "The database backups bucket."
  value       = module.backups_bucket.bucket
}

output "backup_writer_access_key" {
  description = "Access key of the bucket-scoped backup key."
  value       = module.backups_bucket.writer_access_key
}

output "backup_writer_secret_key" {
  description = "Secret key of the bucket-scoped backup key (sensitive)."
  value       = module.backups_bucket.writer_secret_key
  sensitive   = true
}
