package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/informers"
	listersv1 "k8s.io/client-go/listers/core/v1"
)

// defaultMillicores: what a container uses when the --cpu-usage file does not name its pod.
const defaultMillicores = 1.0

// resourceMetrics serves the kubelet's /metrics/resource (the endpoint metrics-server scrapes)
// for the running pods of each node: CPU as a counter integrated from the configured usage,
// memory working set as half the container's memory request (64 MiB without one).
// The usage file names a load, not a per-pod figure: {"<namespace>/<pod name prefix>": m} is m
// millicores shared evenly by the running pods with that prefix and by their containers, so
// adding pods spreads it, as it spreads real traffic.
type resourceMetrics struct {
	pods      listersv1.PodLister
	usageFile string

	mu         sync.Mutex
	cpuSeconds map[string]float64 // namespace/pod/container -> cumulative core-seconds
	lastScrape map[string]time.Time
}

func newResourceMetrics(factory informers.SharedInformerFactory, _ []NodeSpec, usageFile string) *resourceMetrics {
	return &resourceMetrics{
		pods: factory.Core().V1().Pods().Lister(), usageFile: usageFile,
		cpuSeconds: map[string]float64{}, lastScrape: map[string]time.Time{},
	}
}

func (m *resourceMetrics) serve(ctx context.Context, node NodeSpec, certFile, keyFile string) {
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics/resource", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		fmt.Fprint(w, m.render(node.Name))
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "ok") })
	server := &http.Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(int(node.KubeletPort))), Handler: mux}
	go func() { <-ctx.Done(); server.Close() }()
	if err := server.ListenAndServeTLS(certFile, keyFile); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatalf("kubelet metrics of %s on %s: %v", node.Name, server.Addr, err)
	}
}

// usage reads the configured CPU usage per pod name prefix; the longest matching prefix wins.
func (m *resourceMetrics) usage() map[string]int64 {
	out := map[string]int64{}
	if m.usageFile == "" {
		return out
	}
	raw, err := os.ReadFile(m.usageFile)
	if errors.Is(err, os.ErrNotExist) {
		return out
	}
	if err == nil {
		err = json.Unmarshal(raw, &out)
	}
	if err != nil {
		log.Printf("--cpu-usage %s: %v (using the default)", m.usageFile, err)
	}
	return out
}

// millicoresOf is the CPU each container of the pod uses now.
func millicoresOf(pod *corev1.Pod, usage map[string]int64, running []*corev1.Pod) float64 {
	best, load := "", int64(-1)
	for prefix, millicores := range usage {
		if strings.HasPrefix(pod.Namespace+"/"+pod.Name, prefix) && len(prefix) >= len(best) {
			best, load = prefix, millicores
		}
	}
	if load < 0 {
		return defaultMillicores
	}
	sharing := 0
	for _, other := range running {
		if strings.HasPrefix(other.Namespace+"/"+other.Name, best) {
			sharing++
		}
	}
	return float64(load) / float64(sharing) / float64(len(pod.Spec.Containers))
}

func (m *resourceMetrics) render(nodeName string) string {
	pods, _ := m.pods.List(labels.Everything())
	sort.Slice(pods, func(i, j int) bool { return pods[i].Namespace+pods[i].Name < pods[j].Namespace+pods[j].Name })
	usage := m.usage()
	now := time.Now()
	ts := now.UnixMilli()

	m.mu.Lock()
	defer m.mu.Unlock()
	var running []*corev1.Pod
	for _, pod := range pods {
		if pod.Status.Phase == corev1.PodRunning && pod.Status.StartTime != nil && pod.DeletionTimestamp == nil {
			running = append(running, pod)
		}
	}
	var cpu, memory, start strings.Builder
	nodeCPU, nodeMemory := 0.0, 0.0
	for _, pod := range running {
		if pod.Spec.NodeName != nodeName {
			continue
		}
		millicores := millicoresOf(pod, usage, running)
		for _, c := range pod.Spec.Containers {
			key := pod.Namespace + "/" + pod.Name + "/" + c.Name
			last, seen := m.lastScrape[key]
			if !seen {
				last = pod.Status.StartTime.Time
			}
			m.cpuSeconds[key] += millicores / 1000 * now.Sub(last).Seconds()
			m.lastScrape[key] = now
			workingSet := 64.0 * 1024 * 1024
			if request, ok := c.Resources.Requests[corev1.ResourceMemory]; ok {
				workingSet = float64(request.Value()) / 2
			}
			labels := fmt.Sprintf(`container=%q,namespace=%q,pod=%q`, c.Name, pod.Namespace, pod.Name)
			fmt.Fprintf(&cpu, "container_cpu_usage_seconds_total{%s} %g %d\n", labels, m.cpuSeconds[key], ts)
			fmt.Fprintf(&memory, "container_memory_working_set_bytes{%s} %g %d\n", labels, workingSet, ts)
			fmt.Fprintf(&start, "container_start_time_seconds{%s} %d %d\n", labels, pod.Status.StartTime.Unix(), ts)
			nodeCPU += m.cpuSeconds[key]
			nodeMemory += workingSet
		}
	}
	return "# TYPE container_cpu_usage_seconds_total counter\n" + cpu.String() +
		"# TYPE container_memory_working_set_bytes gauge\n" + memory.String() +
		"# TYPE container_start_time_seconds gauge\n" + start.String() +
		fmt.Sprintf("# TYPE node_cpu_usage_seconds_total counter\nnode_cpu_usage_seconds_total %g %d\n", nodeCPU, ts) +
		fmt.Sprintf("# TYPE node_memory_working_set_bytes gauge\nnode_memory_working_set_bytes %g %d\n", nodeMemory, ts) +
		"# TYPE resource_scrape_error gauge\nresource_scrape_error 0\n"
}
