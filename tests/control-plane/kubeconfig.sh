# write_kubeconfig DIR URL: DIR/kubeconfig for the admin client cert of make_pki (pki.sh).
write_kubeconfig() {
  local dir="$1" url="$2"
  cat > "$dir/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: test
    cluster: { server: "$url", certificate-authority: "$dir/ca.crt" }
users:
  - name: admin
    user: { client-certificate: "$dir/admin.crt", client-key: "$dir/admin.key" }
contexts:
  - name: test
    context: { cluster: test, user: admin }
current-context: test
KUBECONFIG
}

# write_service_account_kubeconfig DIR NAMESPACE SERVICEACCOUNT OUT: a kubeconfig for a token of
# the ServiceAccount (kubectl create token), so a controller run here holds exactly the RBAC its
# chart grants it, as in its pod.
write_service_account_kubeconfig() {
  local dir="$1" namespace="$2" account="$3" out="$4" server token
  server="$(sed -n 's/.*server: "\(.*\)",.*/\1/p' "$dir/kubeconfig")"
  token="$(kubectl --kubeconfig "$dir/kubeconfig" -n "$namespace" create token "$account" --duration 2h)"
  cat > "$out" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: test
    cluster: { server: "$server", certificate-authority: "$dir/ca.crt" }
users:
  - name: $namespace-$account
    user: { token: "$token" }
contexts:
  - name: test
    context: { cluster: test, user: $namespace-$account, namespace: $namespace }
current-context: test
KUBECONFIG
}
