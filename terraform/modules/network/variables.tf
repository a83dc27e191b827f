# -------------------------------------------------------------------------------------------------
# Inputs
# -------------------------------------------------------------------------------------------------

variable "name" {
  description = "Prefix for every label (the environment name)."
  type        = string
}

variable "region" {
  description = "Linode region of the VPC; the cluster and the DB VMs must be in the same one."
  type        = string
}

variable "network" {
  description = "VPC layout from the environment config (apps/environments/<env>.ts `network`)."
  type = object({
    vpc_label       = string
    cluster_subnet  = string
    database_subnet = string
  })

  validation {
    condition = alltrue([
      for cidr in [var.network.cluster_subnet, var.network.database_subnet] :
      can(cidrnetmask(cidr)) && tonumber(split("/", cidr)[1]) >= 16
    ])
    error_message = "network.cluster_subnet and network.database_subnet must be IPv4 CIDRs of /16 or smaller."
  }

  # LKE's pod (10.2.0.0/16) and service (10.128.0.0/16) ranges are fixed; a VPC subnet inside
  # them breaks routing in the cluster. Subnets are /16 or smaller, so comparing the first two
  # octets is an exact overlap test.
  validation {
    condition = alltrue([
      for cidr in [var.network.cluster_subnet, var.network.database_subnet] :
      !contains(["10.2", "10.128"], join(".", slice(split(".", split("/", cidr)[0]), 0, 2)))
    ])
    error_message = "VPC subnets must stay clear of LKE's pod 10.2.0.0/16 and service 10.128.0.0/16 ranges."
  }

  validation {
    condition     = cidrhost(var.network.cluster_subnet, 0) != cidrhost(var.network.database_subnet, 0)
    error_message = "network.cluster_subnet and network.database_subnet must be different subnets."
  }
}
