# start_node_simulator DIR ENV: registers ENV's node pools (at their maximum, node-specs.ts) and
# starts the node simulator (.ci/kube/node-simulator: the kubelet's part, since no container
# runtime runs here) against the control plane in DIR; returns when every node is Ready.
# Its CPU usage knob: DIR/cpu-usage.json ({"<namespace>/<pod name prefix>": millicores}).
# Source it after start.sh.
start_node_simulator() {
  local dir="$1" env="$2"
  npx --no-install tsx "$REPO_ROOT/tests/control-plane/node-specs.ts" "$env" "$CP_FIRST_KUBELET_PORT" >"$dir/nodes.json"
  cp_spawn "$dir" node-simulator node-simulator --kubeconfig "$dir/kubeconfig" --nodes "$dir/nodes.json" \
    --cpu-usage "$dir/cpu-usage.json" --tls-cert "$dir/kubelet.crt" --tls-key "$dir/kubelet.key"
  local count
  count="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$dir/nodes.json")"
  cp_wait "$count Ready nodes (node simulator)" bash -c \
    "[ \"\$(kubectl --kubeconfig '$dir/kubeconfig' get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}' | grep -c True)\" = '$count' ]"
}
