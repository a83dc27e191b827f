# -------------------------------------------------------------------------------------------------
# Outputs
# -------------------------------------------------------------------------------------------------

output "vpc_id" {
  description = "ID of the VPC."
  value       = linode_vpc.this.id
}

output "cluster_subnet" {
  description = "The cluster subnet: its ID and IPv4 CIDR."
  value       = { id = linode_vpc_subnet.cluster.id, ipv4 = linode_vpc_subnet.cluster.ipv4 }
}

output "database_subnet" {
  description = "The database subnet: its ID and IPv4 CIDR."
  value       = { id = linode_vpc_subnet.database.id, ipv4 = linode_vpc_subnet.database.ipv4 }
}
