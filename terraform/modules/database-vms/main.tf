# -------------------------------------------------------------------------------------------------
# Hosts
# -------------------------------------------------------------------------------------------------

locals {
  hosts = merge(
    { (var.database.primary.name) = { role = "primary", private_ip = var.database.primary.private_ip } },
    { for r in var.database.replicas : r.name => { role = "replica", private_ip = r.private_ip } },
  )
  db_host_cidrs = [for h in values(local.hosts) : "${h.private_ip}/32"]
}

# -------------------------------------------------------------------------------------------------
# Cloud Firewall: inbound DROP; MySQL, exporters and SSH only from where they are needed
# -------------------------------------------------------------------------------------------------

resource "linode_firewall" "database" {
  label = "${var.name}-database"
  tags  = [var.name, "database"]

  inbound_policy = "DROP"
  # Deliberate: apt updates, NTP and backup uploads to Object Storage go out.
  # checkov:skip=CKV_LIN_6: outbound traffic is needed (apt, NTP, Object Storage uploads)
  outbound_policy = "ACCEPT"

  inbound {
    label    = "mysql-from-cluster"
    action   = "ACCEPT"
    protocol = "TCP"
    ports    = "3306"
    ipv4     = [var.cluster_subnet_cidr]
  }

  inbound {
    label    = "mysql-replication-between-db-vms"
    action   = "ACCEPT"
    protocol = "TCP"
    ports    = "3306"
    ipv4     = local.db_host_cidrs
  }

  inbound {
    label    = "exporters-from-cluster"
    action   = "ACCEPT"
    protocol = "TCP"
    ports    = "${var.exporter_ports.mysqld}, ${var.exporter_ports.node}"
    ipv4     = [var.cluster_subnet_cidr]
  }

  inbound {
    label    = "ssh-from-admins"
    action   = "ACCEPT"
    protocol = "TCP"
    ports    = "22"
    ipv4     = var.admin_cidrs
  }
}

# -------------------------------------------------------------------------------------------------
# Placement group: the primary and its replicas never share a physical host
# -------------------------------------------------------------------------------------------------

resource "linode_placement_group" "database" {
  label                  = "${var.name}-database"
  region                 = var.region
  placement_group_type   = "anti_affinity:local"
  placement_group_policy = "strict"
}

# -------------------------------------------------------------------------------------------------
# The VMs
# -------------------------------------------------------------------------------------------------

resource "linode_instance" "db" {
  for_each = local.hosts

  label  = "${var.name}-${each.key}"
  region = var.region
  type   = var.database.plan
  image  = var.database.image
  tags   = [var.name, "database", each.value.role]

  # SSH keys only: no root_pass, so password login has nothing to accept.
  # checkov:skip=CKV_LIN_2: keys come from the required, validated variable ssh_authorized_keys, which static analysis cannot see
  authorized_keys = var.ssh_authorized_keys
  backups_enabled = true
  disk_encryption = "enabled"
  firewall_id     = linode_firewall.database.id

  placement_group {
    id = linode_placement_group.database.id
  }

  # Public interface first: it carries the default route (apt, Object Storage, admin SSH).
  interface {
    purpose = "public"
    primary = true
  }

  # VPC interface with the address the config fixes, so Kubernetes endpoints and the Ansible
  # inventory know it without a lookup.
  interface {
    purpose   = "vpc"
    subnet_id = var.database_subnet.id
    ipv4 {
      vpc = each.value.private_ip
    }
  }

  lifecycle {
    precondition {
      condition     = cidrhost("${each.value.private_ip}/${split("/", var.database_subnet.ipv4)[1]}", 0) == cidrhost(var.database_subnet.ipv4, 0)
      error_message = "Database host ${each.key}: private IP ${each.value.private_ip} is outside the database subnet ${var.database_subnet.ipv4}."
    }
  }
}
