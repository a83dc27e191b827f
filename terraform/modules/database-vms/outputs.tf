# -------------------------------------------------------------------------------------------------
# Outputs (what the Ansible inventory needs)
# -------------------------------------------------------------------------------------------------

output "hosts" {
  description = "Every DB VM by name: role, Linode ID, VPC address, public IPv4."
  value = {
    for name, vm in linode_instance.db : name => {
      role       = local.hosts[name].role
      id         = vm.id
      private_ip = vm.interface[1].ipv4[0].vpc
      # ipv4 holds the public address (plus a 192.168/16 one if private networking were on).
      public_ip = try(sort([for ip in vm.ipv4 : ip if !startswith(ip, "192.168.")])[0], null)
    }
  }
}

output "primary_private_ip" {
  description = "VPC address of the primary (the write endpoint)."
  value       = linode_instance.db[var.database.primary.name].interface[1].ipv4[0].vpc
}

output "replica_private_ips" {
  description = "VPC addresses of the read replicas, in config order."
  value       = [for r in var.database.replicas : linode_instance.db[r.name].interface[1].ipv4[0].vpc]
}

output "firewall_id" {
  description = "ID of the DB VMs' Cloud Firewall."
  value       = linode_firewall.database.id
}

output "placement_group_id" {
  description = "ID of the anti-affinity placement group holding the DB VMs."
  value       = linode_placement_group.database.id
}

output "firewall_inbound_rules" {
  description = "The DB firewall's inbound policy and rules as planned (for review and audits)."
  value = {
    policy = linode_firewall.database.inbound_policy
    rules = [
      for rule in linode_firewall.database.inbound :
      { label = rule.label, action = rule.action, protocol = rule.protocol, ports = rule.ports, ipv4 = rule.ipv4 }
    ]
  }
}
