// Command node-simulator plays the kubelet's part for the tests' control plane
// (tests/control-plane/): no container runtime can run here, so no real kubelet can. It
//   - registers the nodes it is given (the environment's node pools) and keeps their leases fresh,
//   - marks every pod the real scheduler binds to them Running and Ready (init containers
//     Completed), and a Job's pods Succeeded after --job-seconds,
//   - confirms the deletion of terminating pods, as a kubelet does once containers stopped,
//   - binds a volume to every pending claim (the Linode CSI driver's part on LKE),
//   - serves each node's /metrics/resource as the kubelet does, for the real metrics-server.
//
// What it cannot stand in for: running containers, probes, resource enforcement, networking.
// Everything it writes goes through the API server's validation like a kubelet's writes.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"

	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

// NodeSpec is one simulated node, as tests/control-plane/node-specs.ts writes them.
type NodeSpec struct {
	Name        string            `json:"name"`
	Labels      map[string]string `json:"labels"`
	CPU         string            `json:"cpu"`
	Memory      string            `json:"memory"`
	Pods        string            `json:"pods"`
	Ephemeral   string            `json:"ephemeralStorage"`
	KubeletPort int32             `json:"kubeletPort"`
	PodCIDR     string            `json:"podCIDR"`
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the API server")
	nodesFile := flag.String("nodes", "", "JSON file: the nodes to register ([]NodeSpec)")
	jobSeconds := flag.Int("job-seconds", 2, "seconds a Job's pod runs before it Succeeded")
	cpuUsageFile := flag.String("cpu-usage", "", "optional JSON file {\"<namespace>/<pod name prefix>\": millicores}: a load shared by the running pods of that prefix, read at every scrape (default: 1m per container)")
	certFile := flag.String("tls-cert", "", "serving certificate of the kubelet metrics endpoints")
	keyFile := flag.String("tls-key", "", "its key")
	flag.Parse()

	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		log.Fatalf("kubeconfig %s: %v", *kubeconfig, err)
	}
	config.QPS, config.Burst = 100, 200
	client := kubernetes.NewForConfigOrDie(config)

	var nodes []NodeSpec
	raw, err := os.ReadFile(*nodesFile)
	if err != nil {
		log.Fatalf("--nodes: %v", err)
	}
	if err := json.Unmarshal(raw, &nodes); err != nil || len(nodes) == 0 {
		log.Fatalf("--nodes %s: want a non-empty JSON list of nodes (%v)", *nodesFile, err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	if err := registerNodes(ctx, client, nodes); err != nil {
		log.Fatalf("registering nodes: %v", err)
	}
	go keepLeases(ctx, client, nodes)

	factory := informers.NewSharedInformerFactory(client, 0)
	pods := newPodSimulator(client, factory, nodes, *jobSeconds)
	volumes := newVolumeBinder(client, factory)
	metrics := newResourceMetrics(factory, nodes, *cpuUsageFile)
	factory.Start(ctx.Done())
	factory.WaitForCacheSync(ctx.Done())
	go pods.run(ctx)
	go volumes.run(ctx)
	for _, node := range nodes {
		go metrics.serve(ctx, node, *certFile, *keyFile)
	}
	log.Printf("node-simulator: %d nodes registered, watching pods", len(nodes))
	<-ctx.Done()
}
