# Module tests for the DB VMs: the settings that protect the data, and the validations that
# reject expensive mistakes. The provider is mocked (nothing contacts Linode).

# Mock values inline (OpenTofu has no `source` for mock data): Linode IDs are numeric strings.
mock_provider "linode" {
  mock_resource "linode_vpc" {
    defaults = { id = "1001" }
  }

  mock_resource "linode_vpc_subnet" {
    defaults = { id = "2001" }
  }

  mock_resource "linode_firewall" {
    defaults = { id = "3001" }
  }

  mock_resource "linode_placement_group" {
    defaults = { id = "4001" }
  }

  mock_resource "linode_instance" {
    defaults = {
      id   = "5001"
      ipv4 = ["198.51.100.10"]
    }
  }

  mock_resource "linode_lke_cluster" {
    defaults = { id = "6001" }
  }
}

variables {
  name   = "test"
  region = "us-east"
  database = {
    plan     = "g6-dedicated-4"
    primary  = { name = "db-primary", private_ip = "10.20.1.10" }
    replicas = [{ name = "db-replica-1", private_ip = "10.20.1.11" }, { name = "db-replica-2", private_ip = "10.20.1.12" }]
  }
  database_subnet     = { id = 2001, ipv4 = "10.20.1.0/24" }
  cluster_subnet_cidr = "10.20.0.0/24"
  admin_cidrs         = ["203.0.113.0/28"]
  ssh_authorized_keys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHVBX3Bm7bYyS0ZkQ0bNiyjYpqXbY2v6YlqCq2dKhGdP admin@example"]
}

run "vms_are_protected" {
  command = apply

  assert {
    condition     = alltrue([for vm in linode_instance.db : vm.backups_enabled])
    error_message = "Linode backups must be enabled on every DB VM."
  }

  assert {
    condition     = alltrue([for vm in linode_instance.db : vm.disk_encryption == "enabled"])
    error_message = "Disk encryption must be enabled on every DB VM."
  }

  assert {
    condition     = alltrue([for vm in linode_instance.db : vm.root_pass == null && length(vm.authorized_keys) > 0])
    error_message = "DB VMs must use SSH keys only: no root_pass, at least one authorized key."
  }

  assert {
    condition     = alltrue([for vm in linode_instance.db : vm.image == "linode/debian13"])
    error_message = "DB VMs run Debian 13."
  }

  assert {
    condition = alltrue([
      for vm in linode_instance.db :
      vm.placement_group[0].id == tonumber(linode_placement_group.database.id) && vm.firewall_id == tonumber(linode_firewall.database.id)
    ])
    error_message = "Every DB VM must be in the placement group and behind the DB firewall."
  }

  assert {
    condition     = linode_placement_group.database.placement_group_type == "anti_affinity:local" && linode_placement_group.database.placement_group_policy == "strict"
    error_message = "The placement group must keep the DB VMs on different hosts (strict anti-affinity)."
  }

  assert {
    condition     = length(linode_instance.db) == 3
    error_message = "One VM for the primary and one per replica."
  }
}

run "exporters_only_from_the_cluster" {
  command = plan

  assert {
    condition = alltrue([
      for rule in linode_firewall.database.inbound :
      toset(rule.ipv4) == toset([var.cluster_subnet_cidr])
      if strcontains(coalesce(rule.ports, ""), "9104") || strcontains(coalesce(rule.ports, ""), "9100")
    ])
    error_message = "Exporter ports must be open to the cluster subnet only."
  }
}

# --- Validations that must reject broken input ---------------------------------------------------

run "rejects_ssh_from_everywhere" {
  command = plan
  variables {
    admin_cidrs = ["0.0.0.0/0"]
  }
  expect_failures = [var.admin_cidrs]
}

run "rejects_shared_cpu_plan" {
  command = plan
  variables {
    database = {
      plan     = "g6-standard-4"
      primary  = { name = "db-primary", private_ip = "10.20.1.10" }
      replicas = []
    }
  }
  expect_failures = [var.database]
}

run "rejects_private_ip_outside_the_subnet" {
  command = plan
  variables {
    database = {
      plan     = "g6-dedicated-4"
      primary  = { name = "db-primary", private_ip = "10.20.1.10" }
      replicas = [{ name = "db-replica-1", private_ip = "10.99.1.11" }]
    }
  }
  expect_failures = [linode_instance.db]
}

run "rejects_password_style_keys" {
  command = plan
  variables {
    ssh_authorized_keys = ["hunter2"]
  }
  expect_failures = [var.ssh_authorized_keys]
}
