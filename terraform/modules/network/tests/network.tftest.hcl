# Module tests for the VPC: subnets as given, and LKE's fixed ranges refused.

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
  name    = "test"
  region  = "us-east"
  network = { vpc_label = "test", cluster_subnet = "10.20.0.0/24", database_subnet = "10.20.1.0/24" }
}

run "subnets_as_configured" {
  command = plan

  assert {
    condition     = linode_vpc_subnet.cluster.ipv4 == "10.20.0.0/24" && linode_vpc_subnet.database.ipv4 == "10.20.1.0/24"
    error_message = "The subnets must carry the configured CIDRs."
  }
}

run "rejects_lke_pod_range" {
  command = plan
  variables {
    network = { vpc_label = "test", cluster_subnet = "10.2.0.0/24", database_subnet = "10.20.1.0/24" }
  }
  expect_failures = [var.network]
}

run "rejects_lke_service_range" {
  command = plan
  variables {
    network = { vpc_label = "test", cluster_subnet = "10.20.0.0/24", database_subnet = "10.128.5.0/24" }
  }
  expect_failures = [var.network]
}
