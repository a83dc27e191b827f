# Tests of one environment root against its generated platform.auto.tfvars.json. The suite
# (tests/suites/50-terraform.sh) copies this folder into every terraform/environments/<env>/
# of a temporary copy and runs `terraform test` there. The provider is mocked: nothing contacts
# Linode, state lives in memory.

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
  ssh_authorized_keys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHVBX3Bm7bYyS0ZkQ0bNiyjYpqXbY2v6YlqCq2dKhGdP admin@example"]
}

run "cluster_matches_config" {
  command = apply

  assert {
    condition = module.lke_cluster.pools == [
      for pool in var.cluster.pools : { label = pool.name, type = pool.type, min = pool.min, max = pool.max }
    ]
    error_message = "LKE node pools ${jsonencode(module.lke_cluster.pools)} differ from the config's ${jsonencode(var.cluster.pools)}."
  }

  assert {
    condition     = module.lke_cluster.control_plane.high_availability == var.cluster.high_availability
    error_message = "The control plane's high_availability differs from the config."
  }

  assert {
    condition     = var.environment != "production" || module.lke_cluster.control_plane.high_availability
    error_message = "Production must run the HA control plane."
  }

  assert {
    condition     = module.lke_cluster.control_plane.acl_enabled && toset(module.lke_cluster.control_plane.acl_ipv4) == toset(var.network.admin_cidrs)
    error_message = "The control-plane ACL must be on and admit exactly the admin CIDRs."
  }
}

run "database_hosts_match_config" {
  command = apply

  assert {
    condition = { for name, host in module.database_vms.hosts : name => host.private_ip } == merge(
      { (var.database.primary.name) = var.database.primary.private_ip },
      { for replica in var.database.replicas : replica.name => replica.private_ip },
    )
    error_message = "DB VM private IPs ${jsonencode(module.database_vms.hosts)} differ from the config."
  }

  assert {
    condition = alltrue([
      for host in values(module.database_vms.hosts) :
      cidrhost("${host.private_ip}/${split("/", var.network.database_subnet)[1]}", 0) == cidrhost(var.network.database_subnet, 0)
    ])
    error_message = "Every DB VM's private IP must lie in the database subnet ${var.network.database_subnet}."
  }

  assert {
    condition     = length(module.database_vms.hosts) == 1 + length(var.database.replicas)
    error_message = "There must be one VM for the primary and one per replica."
  }
}

run "database_firewall_is_closed_to_the_world" {
  command = apply

  assert {
    condition     = module.database_vms.firewall_inbound_rules.policy == "DROP"
    error_message = "The DB firewall's inbound policy must be DROP."
  }

  # No ACCEPT rule may cover 3306 or 22 from 0.0.0.0/0; a rule with no ports covers them all.
  assert {
    condition = alltrue([
      for rule in module.database_vms.firewall_inbound_rules.rules : !(
        rule.action == "ACCEPT" && contains(rule.ipv4 == null ? [] : rule.ipv4, "0.0.0.0/0") && anytrue([
          for spec in split(",", rule.ports == null ? "1-65535" : rule.ports) : anytrue([
            for port in [22, 3306] : (
              strcontains(spec, "-")
              ? port >= tonumber(trimspace(split("-", spec)[0])) && port <= tonumber(trimspace(split("-", spec)[1]))
              : tonumber(trimspace(spec)) == port
            )
          ])
        ])
      )
    ])
    error_message = "A DB firewall rule admits 0.0.0.0/0 on 3306 or 22: ${jsonencode(module.database_vms.firewall_inbound_rules.rules)}"
  }

  # MySQL only from the cluster subnet and the DB VMs themselves.
  assert {
    condition = alltrue(flatten([
      for rule in module.database_vms.firewall_inbound_rules.rules : [
        for source in(rule.ipv4 == null ? [] : rule.ipv4) : anytrue([
          for allowed in [var.network.cluster_subnet, var.network.database_subnet] :
          tonumber(split("/", source)[1]) >= tonumber(split("/", allowed)[1]) &&
          cidrhost("${split("/", source)[0]}/${split("/", allowed)[1]}", 0) == cidrhost(allowed, 0)
        ])
      ] if rule.action == "ACCEPT" && rule.ports != null && strcontains(coalesce(rule.ports, ""), "3306")
    ]))
    error_message = "MySQL (3306) must be reachable only from the cluster and database subnets."
  }

  # SSH only from the admin CIDRs.
  assert {
    condition = alltrue([
      for rule in module.database_vms.firewall_inbound_rules.rules :
      toset(rule.ipv4) == toset(var.network.admin_cidrs)
      if rule.action == "ACCEPT" && rule.ports == "22"
    ])
    error_message = "SSH must be reachable only from the admin CIDRs."
  }
}
