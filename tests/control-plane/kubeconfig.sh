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
