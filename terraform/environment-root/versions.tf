terraform {
  required_version = ">= 1.9"

  required_providers {
    linode = {
      source  = "linode/linode"
      version = "~> 3.13"
    }
  }
}

# Credentials come from the environment (LINODE_TOKEN), never from a file in git.
provider "linode" {
  # The lifecycle rule of the backups bucket needs S3 keys: let the provider mint short-lived ones.
  obj_use_temp_keys = true
}
