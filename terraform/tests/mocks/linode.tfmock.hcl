# Values the mocked Linode provider returns for computed attributes. Linode IDs are numbers sent
# as strings; references such as `vpc_id = linode_vpc.this.id` need a numeric string, as the
# real API gives, not the random text a mock invents by default.

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
