# -------------------------------------------------------------------------------------------------
# Inputs
# -------------------------------------------------------------------------------------------------

variable "name" {
  description = "Prefix for labels and tags (the environment name)."
  type        = string
}

variable "region" {
  description = "Linode region of the VMs (the VPC's region)."
  type        = string
}

variable "database" {
  description = "MariaDB VMs from the environment config (apps/environments/<env>.ts `database`)."
  type = object({
    plan    = string
    image   = optional(string, "linode/debian13")
    primary = object({ name = string, private_ip = string })
    replicas = list(object({
      name       = string
      private_ip = string
    }))
  })

  # Shared CPU plans steal cycles under neighbours' load: a database gets a Dedicated CPU plan.
  validation {
    condition     = can(regex("^g[0-9]+-dedicated-[0-9]+$", var.database.plan))
    error_message = "database.plan must be a Dedicated CPU plan (g6-dedicated-N)."
  }

  validation {
    condition = length(distinct(concat(
      [var.database.primary.name], [for r in var.database.replicas : r.name],
    ))) == 1 + length(var.database.replicas)
    error_message = "Database host names must be unique."
  }
}

variable "database_subnet" {
  description = "The database subnet: its ID and IPv4 CIDR. Every host's private IP must lie in it."
  type = object({
    id   = number
    ipv4 = string
  })
}

variable "cluster_subnet_cidr" {
  description = "IPv4 CIDR of the cluster subnet: the only source of MySQL and exporter traffic besides the DB VMs."
  type        = string
}

variable "admin_cidrs" {
  description = "IPv4 CIDRs allowed to SSH into the VMs."
  type        = list(string)

  validation {
    condition     = length(var.admin_cidrs) > 0 && alltrue([for c in var.admin_cidrs : can(cidrnetmask(c)) && c != "0.0.0.0/0"])
    error_message = "admin_cidrs must be a non-empty list of IPv4 CIDRs and never 0.0.0.0/0."
  }
}

variable "ssh_authorized_keys" {
  description = "SSH public keys for root on first boot (then Ansible manages users). No password is ever set."
  type        = list(string)

  validation {
    condition = length(var.ssh_authorized_keys) > 0 && alltrue([
      for key in var.ssh_authorized_keys : can(regex("^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh.com|ssh-rsa) [A-Za-z0-9+/=]+( .*)?$", key))
    ])
    error_message = "ssh_authorized_keys must hold at least one OpenSSH public key (ssh-ed25519 AAAA... comment)."
  }
}

variable "exporter_ports" {
  description = "Prometheus exporter ports scraped from the cluster."
  type        = object({ mysqld = number, node = number })
  default     = { mysqld = 9104, node = 9100 }
}
