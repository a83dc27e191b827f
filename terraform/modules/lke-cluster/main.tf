# -------------------------------------------------------------------------------------------------
# Cloud Firewall for the nodes
# -------------------------------------------------------------------------------------------------

locals {
  # Linode's private network for LKE node-to-node traffic and the NodeBalancers' source range,
  # as Linode documents them for firewalls on LKE nodes.
  lke_private_network = "192.168.128.0/17"
  nodebalancer_range  = "192.168.255.0/24"
}

resource "linode_firewall" "nodes" {
  label = "${var.name}-lke-nodes"
  tags  = [var.name, "lke"]

  inbound_policy = "DROP"
  # Nodes pull images, call the Linode API and reach the marketplaces: outbound stays open.
  # checkov:skip=CKV_LIN_6: nodes pull images, call the Linode API and the marketplaces
  outbound_policy = "ACCEPT"

  inbound {
    label    = "kubelet-from-nodes"
    action   = "ACCEPT"
    protocol = "TCP"
    ports    = "10250"
    ipv4     = [local.lke_private_network]
  }

  inbound {
    label    = "wireguard-from-nodes"
    action   = "ACCEPT"
    protocol = "UDP"
    ports    = "51820"
    ipv4     = [local.lke_private_network]
  }

  inbound {
    label    = "calico-bgp-from-nodes"
    action   = "ACCEPT"
    protocol = "TCP"
    ports    = "179"
    ipv4     = [local.lke_private_network]
  }

  inbound {
    label    = "ipip-from-nodes"
    action   = "ACCEPT"
    protocol = "IPENCAP"
    ipv4     = [local.lke_private_network]
  }

  inbound {
    label    = "nodeports-from-nodebalancers"
    action   = "ACCEPT"
    protocol = "TCP"
    ports    = "30000-32767"
    ipv4     = [local.nodebalancer_range]
  }

  inbound {
    label    = "all-tcp-from-cluster-subnet"
    action   = "ACCEPT"
    protocol = "TCP"
    ports    = "1-65535"
    ipv4     = [var.cluster_subnet_cidr]
  }
}

# -------------------------------------------------------------------------------------------------
# The cluster
# -------------------------------------------------------------------------------------------------

resource "linode_lke_cluster" "this" {
  label       = var.cluster.label
  region      = var.region
  k8s_version = var.cluster.kubernetes_version
  tags        = [var.name]
  vpc_id      = var.vpc_id
  subnet_id   = var.subnet_id

  control_plane {
    high_availability = var.cluster.high_availability

    # The API answers only the admin CIDRs; everyone else is denied.
    acl {
      enabled = true
      addresses {
        ipv4 = var.admin_cidrs
      }
    }
  }

  dynamic "pool" {
    for_each = var.cluster.pools
    content {
      label       = pool.value.name
      type        = pool.value.type
      firewall_id = linode_firewall.nodes.id
      labels      = merge(pool.value.labels, { "marketplace/pool" = pool.value.name })
      tags        = [var.name, pool.value.name]

      # No `count`: with an autoscaler the provider leaves the node count to it.
      autoscaler {
        min = pool.value.min
        max = pool.value.max
      }
    }
  }
}
