# make_pki DIR: a throwaway CA (openssl) and what the control plane needs from it, in DIR:
# the apiserver's serving cert (127.0.0.1 only), an admin client cert (O=system:masters, for the
# test's kubeconfig), the service-account signing key pair, the front-proxy CA and client cert
# the aggregator presents to extension API servers (KEDA's metrics adapter, metrics-server), and a
# serving cert for the node simulator's kubelet endpoints. Source it; nothing leaves DIR.
make_pki() {
  local dir="$1"
  mkdir -p "$dir"
  (
    cd "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=control-plane-test-ca -keyout ca.key -out ca.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj /CN=kube-apiserver -keyout apiserver.key -out apiserver.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > apiserver.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 -extfile apiserver.ext -out apiserver.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj '/O=system:masters/CN=control-plane-test-admin' -keyout admin.key -out admin.csr 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' > client.ext
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 -extfile client.ext -out admin.crt 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    # The aggregator's identity towards extension API servers: a CA of its own, as kubeadm does.
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=front-proxy-ca -keyout front-proxy-ca.key -out front-proxy-ca.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj /CN=front-proxy-client -keyout front-proxy-client.key -out front-proxy-client.csr 2>/dev/null
    openssl x509 -req -in front-proxy-client.csr -CA front-proxy-ca.crt -CAkey front-proxy-ca.key -CAcreateserial -days 1 -extfile client.ext -out front-proxy-client.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj /CN=node-simulator -keyout kubelet.key -out kubelet.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > kubelet.ext
    openssl x509 -req -in kubelet.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 -extfile kubelet.ext -out kubelet.crt 2>/dev/null
  )
}
