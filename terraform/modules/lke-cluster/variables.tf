# -------------------------------------------------------------------------------------------------
# Inputs
# -------------------------------------------------------------------------------------------------

variable "name" {
  description = "Prefix for labels and tags (the environment name)."
  type        = string
}

variable "region" {
  description = "Linode region of the cluster (the VPC's region)."
  type        = string
}

variable "cluster" {
  description = "The LKE cluster from the environment config (apps/environments/<env>.ts `cluster`)."
  type = object({
    label              = string
    kubernetes_version = string
    high_availability  = bool
    pools = list(object({
      name   = string
      type   = string
      min    = number
      max    = number
      labels = optional(map(string), {})
    }))
  })

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.cluster.kubernetes_version))
    error_message = "cluster.kubernetes_version must be a minor version such as \"1.34\"."
  }

  validation {
    condition     = length(var.cluster.pools) > 0
    error_message = "cluster.pools must hold at least one node pool."
  }

  # LKE's autoscaler accepts 1-99 nodes per pool; a max below min would scale nothing.
  validation {
    condition = alltrue([
      for pool in var.cluster.pools : pool.min >= 1 && pool.max <= 99 && pool.min <= pool.max
    ])
    error_message = "Every pool needs 1 <= min <= max <= 99 (LKE autoscaler bounds)."
  }

  validation {
    condition     = length(distinct([for pool in var.cluster.pools : pool.name])) == length(var.cluster.pools)
    error_message = "Node pool names must be unique."
  }
}

variable "admin_cidrs" {
  description = "IPv4 CIDRs allowed to reach the Kubernetes API (control-plane ACL)."
  type        = list(string)

  validation {
    condition     = length(var.admin_cidrs) > 0 && alltrue([for c in var.admin_cidrs : can(cidrnetmask(c)) && c != "0.0.0.0/0"])
    error_message = "admin_cidrs must be a non-empty list of IPv4 CIDRs and never 0.0.0.0/0."
  }
}

variable "vpc_id" {
  description = "VPC the cluster's nodes join."
  type        = number
}

variable "subnet_id" {
  description = "Cluster subnet (dual stack) in that VPC."
  type        = number
}

variable "cluster_subnet_cidr" {
  description = "IPv4 CIDR of the cluster subnet (node-to-node traffic over the VPC)."
  type        = string
}
