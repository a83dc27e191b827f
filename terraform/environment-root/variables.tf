# -------------------------------------------------------------------------------------------------
# Inputs. Everything but ssh_authorized_keys is generated from apps/environments/<env>.ts into
# platform.auto.tfvars.json by `npm run synth`: change the TypeScript config, not the JSON.
# -------------------------------------------------------------------------------------------------

variable "environment" {
  description = "Environment name (labels, tags, resource names)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$", var.environment))
    error_message = "environment must be a short DNS label (lowercase letters, digits, dashes)."
  }
}

variable "region" {
  description = "Linode region for everything in this environment."
  type        = string
}

variable "network" {
  description = "VPC layout and the admin CIDRs allowed to reach SSH and the Kubernetes API."
  type = object({
    vpc_label       = string
    cluster_subnet  = string
    database_subnet = string
    admin_cidrs     = list(string)
  })
}

variable "cluster" {
  description = "LKE cluster: version, HA control plane, node pools with autoscaler bounds."
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
}

variable "database" {
  description = "MariaDB VMs: plan, fixed VPC addresses, backup retention."
  type = object({
    plan                  = string
    primary               = object({ name = string, private_ip = string })
    replicas              = list(object({ name = string, private_ip = string }))
    backup_retention_days = number
  })
}

variable "ssh_authorized_keys" {
  description = "Admins' SSH public keys for the DB VMs. Not in the generated file: set TF_VAR_ssh_authorized_keys or an admins.auto.tfvars.json."
  type        = list(string)
}
