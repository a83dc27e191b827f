# The control plane's loopback ports: 26xxx, a range no other suite uses (grep tests/ for ports).
CP_ETCD_CLIENT_PORT=26379
CP_ETCD_PEER_PORT=26380
CP_APISERVER_PORT=26443
CP_CONTROLLER_MANAGER_PORT=26257
CP_SCHEDULER_PORT=26259
