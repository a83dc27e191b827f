package main

import (
	"context"
	"fmt"
	"log"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/retry"
	"k8s.io/utils/ptr"
)

// leaseSeconds: the node lifecycle controller marks a node NotReady 40 s after its last renewal.
const leaseSeconds = 40

// registerNodes creates each node (or takes it over) with its capacity and a Ready condition.
func registerNodes(ctx context.Context, client kubernetes.Interface, nodes []NodeSpec) error {
	for _, spec := range nodes {
		capacity := corev1.ResourceList{}
		for name, quantity := range map[corev1.ResourceName]string{
			corev1.ResourceCPU: spec.CPU, corev1.ResourceMemory: spec.Memory,
			corev1.ResourcePods: spec.Pods, corev1.ResourceEphemeralStorage: spec.Ephemeral,
		} {
			q, err := resource.ParseQuantity(quantity)
			if err != nil {
				return fmt.Errorf("node %s: %s %q: %w", spec.Name, name, quantity, err)
			}
			capacity[name] = q
		}
		node := &corev1.Node{
			ObjectMeta: metav1.ObjectMeta{Name: spec.Name, Labels: spec.Labels},
			Spec:       corev1.NodeSpec{PodCIDR: spec.PodCIDR, PodCIDRs: []string{spec.PodCIDR}},
		}
		if _, err := client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("node %s: %w", spec.Name, err)
		}
		// The node lifecycle controller taints a new node at once: re-read on a conflict.
		err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
			current, err := client.CoreV1().Nodes().Get(ctx, spec.Name, metav1.GetOptions{})
			if err != nil {
				return err
			}
			current.Status = readyStatus(spec, capacity)
			_, err = client.CoreV1().Nodes().UpdateStatus(ctx, current, metav1.UpdateOptions{})
			return err
		})
		if err != nil {
			return fmt.Errorf("node %s status: %w", spec.Name, err)
		}
	}
	return nil
}

// keepLeases renews every node's lease every 10 s, as the kubelet does, so the node lifecycle
// controller keeps the nodes Ready and never evicts their pods.
func keepLeases(ctx context.Context, client kubernetes.Interface, nodes []NodeSpec) {
	ticker := time.NewTicker(10 * time.Second)
	defer ticker.Stop()
	for {
		for _, spec := range nodes {
			if err := renewLease(ctx, client, spec.Name); err != nil && ctx.Err() == nil {
				log.Printf("lease of %s: %v", spec.Name, err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func renewLease(ctx context.Context, client kubernetes.Interface, node string) error {
	leases := client.CoordinationV1().Leases(corev1.NamespaceNodeLease)
	now := metav1.NewMicroTime(time.Now())
	lease, err := leases.Get(ctx, node, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		_, err = leases.Create(ctx, &coordinationv1.Lease{
			ObjectMeta: metav1.ObjectMeta{Name: node},
			Spec: coordinationv1.LeaseSpec{
				HolderIdentity: ptr.To(node), LeaseDurationSeconds: ptr.To[int32](leaseSeconds), RenewTime: &now,
			},
		}, metav1.CreateOptions{})
		return err
	}
	if err != nil {
		return err
	}
	lease.Spec.RenewTime = &now
	_, err = leases.Update(ctx, lease, metav1.UpdateOptions{})
	return err
}

// readyStatus: what a kubelet posts for a healthy node of this size.
func readyStatus(spec NodeSpec, capacity corev1.ResourceList) corev1.NodeStatus {
	now := metav1.Now()
	return corev1.NodeStatus{
		Capacity:    capacity,
		Allocatable: capacity,
		Phase:       corev1.NodeRunning,
		Addresses: []corev1.NodeAddress{
			{Type: corev1.NodeInternalIP, Address: "127.0.0.1"},
			{Type: corev1.NodeHostName, Address: spec.Name},
		},
		DaemonEndpoints: corev1.NodeDaemonEndpoints{KubeletEndpoint: corev1.DaemonEndpoint{Port: spec.KubeletPort}},
		NodeInfo: corev1.NodeSystemInfo{
			KubeletVersion: "v1.34.5", OperatingSystem: "linux", Architecture: "amd64",
			ContainerRuntimeVersion: "node-simulator://1", OSImage: "node-simulator",
		},
		Conditions: []corev1.NodeCondition{
			{Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady", Message: "node-simulator is posting ready status", LastHeartbeatTime: now, LastTransitionTime: now},
			{Type: corev1.NodeMemoryPressure, Status: corev1.ConditionFalse, Reason: "KubeletHasSufficientMemory", LastHeartbeatTime: now, LastTransitionTime: now},
			{Type: corev1.NodeDiskPressure, Status: corev1.ConditionFalse, Reason: "KubeletHasNoDiskPressure", LastHeartbeatTime: now, LastTransitionTime: now},
			{Type: corev1.NodePIDPressure, Status: corev1.ConditionFalse, Reason: "KubeletHasSufficientPID", LastHeartbeatTime: now, LastTransitionTime: now},
		},
	}
}
