# -------------------------------------------------------------------------------------------------
# Inputs
# -------------------------------------------------------------------------------------------------

variable "name" {
  description = "Prefix for labels (the environment name)."
  type        = string
}

variable "region" {
  description = "Object Storage region of the bucket (e.g. us-east)."
  type        = string
}

variable "backups" {
  description = "Backup retention from the environment config (`database.backupRetentionDays`)."
  type = object({
    retention_days = number
    # Versions overwritten or deleted by mistake stay this long before they expire.
    noncurrent_retention_days = optional(number, 7)
  })

  # Below a day, a failed night's backup would expire the only good one; above a year the bill
  # grows without anyone asking.
  validation {
    condition     = var.backups.retention_days >= 1 && var.backups.retention_days <= 365
    error_message = "backups.retention_days must be between 1 and 365."
  }
}
