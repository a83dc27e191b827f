package main

import (
	"context"
	"fmt"
	"log"
	"net/netip"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	listersv1 "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/utils/ptr"
)

// podSimulator moves the pods bound to the simulated nodes through the phases a kubelet reports.
type podSimulator struct {
	client     kubernetes.Interface
	pods       listersv1.PodLister
	queue      workqueue.TypedRateLimitingInterface[string]
	nodes      map[string]NodeSpec
	jobSeconds time.Duration

	mu     sync.Mutex
	nextIP map[string]netip.Addr // per node, the next free address of its pod CIDR
	podIPs map[string]string     // namespace/name -> the address given to it
}

func newPodSimulator(client kubernetes.Interface, factory informers.SharedInformerFactory, nodes []NodeSpec, jobSeconds int) *podSimulator {
	s := &podSimulator{
		client:     client,
		pods:       factory.Core().V1().Pods().Lister(),
		queue:      workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[string]()),
		nodes:      map[string]NodeSpec{},
		jobSeconds: time.Duration(jobSeconds) * time.Second,
		nextIP:     map[string]netip.Addr{},
		podIPs:     map[string]string{},
	}
	for _, n := range nodes {
		s.nodes[n.Name] = n
		prefix := netip.MustParsePrefix(n.PodCIDR)
		s.nextIP[n.Name] = prefix.Addr().Next()
	}
	enqueue := func(obj any) {
		if key, err := cache.DeletionHandlingMetaNamespaceKeyFunc(obj); err == nil {
			s.queue.Add(key)
		}
	}
	factory.Core().V1().Pods().Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: enqueue, UpdateFunc: func(_, obj any) { enqueue(obj) }, DeleteFunc: enqueue,
	})
	return s
}

func (s *podSimulator) run(ctx context.Context) {
	go func() { <-ctx.Done(); s.queue.ShutDown() }()
	for {
		key, quit := s.queue.Get()
		if quit {
			return
		}
		retryAfter, err := s.sync(ctx, key)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Printf("pod %s: %v", key, err)
			s.queue.AddRateLimited(key)
		case retryAfter > 0:
			s.queue.Forget(key)
			s.queue.AddAfter(key, retryAfter)
		default:
			s.queue.Forget(key)
		}
		s.queue.Done(key)
	}
}

// sync brings one pod one step further; it returns when to look at it again, if ever.
func (s *podSimulator) sync(ctx context.Context, key string) (time.Duration, error) {
	namespace, name, _ := cache.SplitMetaNamespaceKey(key)
	pod, err := s.pods.Pods(namespace).Get(name)
	if apierrors.IsNotFound(err) {
		s.mu.Lock()
		delete(s.podIPs, key)
		s.mu.Unlock()
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if _, ours := s.nodes[pod.Spec.NodeName]; !ours {
		return 0, nil
	}
	switch {
	case pod.DeletionTimestamp != nil:
		// The containers "stopped": confirm, as the kubelet does with a zero grace period.
		err := s.client.CoreV1().Pods(namespace).Delete(ctx, name, metav1.DeleteOptions{GracePeriodSeconds: ptr.To[int64](0)})
		if apierrors.IsNotFound(err) {
			return 0, nil
		}
		return 0, err
	case pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed:
		return 0, nil
	case pod.Status.Phase == corev1.PodRunning && ownedByJob(pod):
		ran := time.Since(pod.Status.StartTime.Time)
		if ran < s.jobSeconds {
			return s.jobSeconds - ran, nil
		}
		return 0, s.update(ctx, succeeded(pod.DeepCopy()))
	case pod.Status.Phase == corev1.PodRunning:
		return 0, nil
	default:
		ip, err := s.podIP(pod)
		if err != nil {
			return 0, err
		}
		if err := s.update(ctx, running(pod.DeepCopy(), ip)); err != nil {
			return 0, err
		}
		if ownedByJob(pod) {
			return s.jobSeconds, nil
		}
		return 0, nil
	}
}

func (s *podSimulator) update(ctx context.Context, pod *corev1.Pod) error {
	_, err := s.client.CoreV1().Pods(pod.Namespace).UpdateStatus(ctx, pod, metav1.UpdateOptions{})
	return err
}

// podIP hands out the next address of the node's pod CIDR (the CNI's part).
func (s *podSimulator) podIP(pod *corev1.Pod) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := pod.Namespace + "/" + pod.Name
	if ip, ok := s.podIPs[key]; ok {
		return ip, nil
	}
	prefix := netip.MustParsePrefix(s.nodes[pod.Spec.NodeName].PodCIDR)
	ip := s.nextIP[pod.Spec.NodeName]
	if !prefix.Contains(ip) {
		return "", fmt.Errorf("node %s: pod CIDR %s is exhausted", pod.Spec.NodeName, prefix)
	}
	s.nextIP[pod.Spec.NodeName] = ip.Next()
	s.podIPs[key] = ip.String()
	return ip.String(), nil
}

func ownedByJob(pod *corev1.Pod) bool {
	for _, owner := range pod.OwnerReferences {
		if owner.Kind == "Job" && ptr.Deref(owner.Controller, false) {
			return true
		}
	}
	return false
}

func condition(kind corev1.PodConditionType, status corev1.ConditionStatus, reason string, now metav1.Time) corev1.PodCondition {
	return corev1.PodCondition{Type: kind, Status: status, Reason: reason, LastTransitionTime: now}
}

// running: init containers completed, every container started and ready.
func running(pod *corev1.Pod, ip string) *corev1.Pod {
	now := metav1.Now()
	pod.Status.Phase = corev1.PodRunning
	pod.Status.HostIP, pod.Status.HostIPs = "127.0.0.1", []corev1.HostIP{{IP: "127.0.0.1"}}
	pod.Status.PodIP, pod.Status.PodIPs = ip, []corev1.PodIP{{IP: ip}}
	pod.Status.StartTime = &now
	pod.Status.Conditions = []corev1.PodCondition{
		condition(corev1.PodReadyToStartContainers, corev1.ConditionTrue, "", now),
		condition(corev1.PodInitialized, corev1.ConditionTrue, "", now),
		condition(corev1.ContainersReady, corev1.ConditionTrue, "", now),
		condition(corev1.PodReady, corev1.ConditionTrue, "", now),
		condition(corev1.PodScheduled, corev1.ConditionTrue, "", now),
	}
	pod.Status.InitContainerStatuses = nil
	for _, c := range pod.Spec.InitContainers {
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			pod.Status.InitContainerStatuses = append(pod.Status.InitContainerStatuses, runningStatus(c, now))
			continue
		}
		pod.Status.InitContainerStatuses = append(pod.Status.InitContainerStatuses, corev1.ContainerStatus{
			Name: c.Name, Image: c.Image, ImageID: "sim://" + c.Image, ContainerID: "sim://" + pod.Name + "/" + c.Name,
			Ready: true, State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
				ExitCode: 0, Reason: "Completed", StartedAt: now, FinishedAt: now,
			}},
		})
	}
	pod.Status.ContainerStatuses = nil
	for _, c := range pod.Spec.Containers {
		pod.Status.ContainerStatuses = append(pod.Status.ContainerStatuses, runningStatus(c, now))
	}
	return pod
}

func runningStatus(c corev1.Container, now metav1.Time) corev1.ContainerStatus {
	return corev1.ContainerStatus{
		Name: c.Name, Image: c.Image, ImageID: "sim://" + c.Image, ContainerID: "sim://" + c.Name,
		Ready: true, Started: ptr.To(true), State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: now}},
	}
}

// succeeded: a Job's pod whose containers all exited 0.
func succeeded(pod *corev1.Pod) *corev1.Pod {
	now := metav1.Now()
	pod.Status.Phase = corev1.PodSucceeded
	for i := range pod.Status.Conditions {
		c := &pod.Status.Conditions[i]
		if c.Type == corev1.PodReady || c.Type == corev1.ContainersReady {
			c.Status, c.Reason, c.LastTransitionTime = corev1.ConditionFalse, "PodCompleted", now
		}
	}
	for i := range pod.Status.ContainerStatuses {
		s := &pod.Status.ContainerStatuses[i]
		started := now
		if s.State.Running != nil {
			started = s.State.Running.StartedAt
		}
		s.Ready, s.Started = false, ptr.To(false)
		s.State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 0, Reason: "Completed", StartedAt: started, FinishedAt: now}}
	}
	return pod
}
