# -------------------------------------------------------------------------------------------------
# VPC with one subnet for the LKE cluster and one for the database VMs
# -------------------------------------------------------------------------------------------------

resource "linode_vpc" "this" {
  label       = var.network.vpc_label
  region      = var.region
  description = "${var.name}: LKE cluster and MariaDB VMs"

  # LKE clusters attached to a VPC need a dual-stack subnet, so the VPC gets an IPv6 prefix too.
  ipv6 = [{ range = "/52" }]
}

resource "linode_vpc_subnet" "cluster" {
  vpc_id = linode_vpc.this.id
  label  = "${var.name}-cluster"
  ipv4   = var.network.cluster_subnet
  ipv6   = [{ range = "auto" }]
}

resource "linode_vpc_subnet" "database" {
  vpc_id = linode_vpc.this.id
  label  = "${var.name}-database"
  ipv4   = var.network.database_subnet
}
