# -------------------------------------------------------------------------------------------------
# One environment: network, LKE cluster, database VMs, backups bucket
# -------------------------------------------------------------------------------------------------

module "network" {
  source = "../../modules/network"

  name   = var.environment
  region = var.region
  network = {
    vpc_label       = var.network.vpc_label
    cluster_subnet  = var.network.cluster_subnet
    database_subnet = var.network.database_subnet
  }
}

module "lke_cluster" {
  source = "../../modules/lke-cluster"

  name                = var.environment
  region              = var.region
  cluster             = var.cluster
  admin_cidrs         = var.network.admin_cidrs
  vpc_id              = module.network.vpc_id
  subnet_id           = module.network.cluster_subnet.id
  cluster_subnet_cidr = module.network.cluster_subnet.ipv4
}

module "database_vms" {
  source = "../../modules/database-vms"

  name   = var.environment
  region = var.region
  database = {
    plan     = var.database.plan
    primary  = var.database.primary
    replicas = var.database.replicas
  }
  database_subnet     = module.network.database_subnet
  cluster_subnet_cidr = module.network.cluster_subnet.ipv4
  admin_cidrs         = var.network.admin_cidrs
  ssh_authorized_keys = var.ssh_authorized_keys
}

module "backups_bucket" {
  source = "../../modules/backups-bucket"

  name    = var.environment
  region  = var.region
  backups = { retention_days = var.database.backup_retention_days }
}
