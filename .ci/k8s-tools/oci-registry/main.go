// Command oci-registry serves go-containerregistry's in-memory OCI registry on one address
// (loopback in the tests; the library's own command listens on every interface): the
// envoy-gateway chart's OCI source for suite 57-flux.
package main

import (
	"flag"
	"log"
	"net/http"
	"time"

	"github.com/google/go-containerregistry/pkg/registry"
)

func main() {
	address := flag.String("address", "127.0.0.1:5000", "host:port to listen on")
	flag.Parse()
	server := &http.Server{Addr: *address, Handler: registry.New(), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("oci-registry: serving on %s", *address)
	log.Fatal(server.ListenAndServe())
}
