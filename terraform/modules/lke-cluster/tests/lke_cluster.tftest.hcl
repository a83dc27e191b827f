# Module tests for the LKE cluster: ACL, node firewall, and bounds validation.

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
  cluster = {
    label              = "test"
    kubernetes_version = "1.34"
    high_availability  = true
    pools = [
      { name = "general", type = "g6-standard-4", min = 2, max = 6 },
      { name = "workers", type = "g6-standard-2", min = 1, max = 4, labels = { role = "queue" } },
    ]
  }
  admin_cidrs         = ["203.0.113.0/28"]
  vpc_id              = 1001
  subnet_id           = 2001
  cluster_subnet_cidr = "10.20.0.0/24"
}

run "cluster_is_locked_down" {
  command = plan

  assert {
    condition     = linode_lke_cluster.this.control_plane[0].acl[0].enabled
    error_message = "The control-plane ACL must be enabled."
  }

  assert {
    condition     = linode_firewall.nodes.inbound_policy == "DROP"
    error_message = "The node firewall must drop inbound traffic by default."
  }

  assert {
    condition     = [for pool in linode_lke_cluster.this.pool : [pool.autoscaler[0].min, pool.autoscaler[0].max]] == [[2, 6], [1, 4]]
    error_message = "Every pool's autoscaler must carry the configured bounds."
  }

  assert {
    condition     = linode_lke_cluster.this.pool[1].labels["role"] == "queue" && linode_lke_cluster.this.pool[1].labels["marketplace/pool"] == "workers"
    error_message = "Pool labels must include the configured ones and the pool name."
  }
}

run "rejects_min_above_max" {
  command = plan
  variables {
    cluster = {
      label = "test", kubernetes_version = "1.34", high_availability = false
      pools = [{ name = "general", type = "g6-standard-4", min = 5, max = 3 }]
    }
  }
  expect_failures = [var.cluster]
}

run "rejects_api_open_to_everyone" {
  command = plan
  variables {
    admin_cidrs = ["0.0.0.0/0"]
  }
  expect_failures = [var.admin_cidrs]
}
