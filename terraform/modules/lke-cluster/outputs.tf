# -------------------------------------------------------------------------------------------------
# Outputs
# -------------------------------------------------------------------------------------------------

output "id" {
  description = "ID of the LKE cluster."
  value       = linode_lke_cluster.this.id
}

output "api_endpoints" {
  description = "Kubernetes API endpoints."
  value       = linode_lke_cluster.this.api_endpoints
}

output "kubeconfig" {
  description = "Base64-encoded kubeconfig of the cluster."
  value       = linode_lke_cluster.this.kubeconfig
  sensitive   = true
}

output "node_firewall_id" {
  description = "ID of the Cloud Firewall attached to every node pool."
  value       = linode_firewall.nodes.id
}

output "pools" {
  description = "Node pools as planned: label, plan and autoscaler bounds."
  value = [
    for pool in linode_lke_cluster.this.pool : {
      label = pool.label
      type  = pool.type
      min   = pool.autoscaler[0].min
      max   = pool.autoscaler[0].max
    }
  ]
}

output "control_plane" {
  description = "Control-plane settings as planned: HA and the API ACL."
  value = {
    high_availability = linode_lke_cluster.this.control_plane[0].high_availability
    acl_enabled       = linode_lke_cluster.this.control_plane[0].acl[0].enabled
    acl_ipv4          = linode_lke_cluster.this.control_plane[0].acl[0].addresses[0].ipv4
  }
}
