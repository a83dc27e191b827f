package main

import (
	"context"
	"log"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	listersv1 "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
)

// csiDriver is the driver LKE's block storage classes name; the volumes carry it so that what
// the claims are bound to looks like what the Linode CSI driver provisions.
const csiDriver = "linodebs.csi.linode.com"

// volumeBinder provisions a volume for every pending claim: the CSI driver's part. The real
// PV controller (kube-controller-manager) then binds the claim to it.
type volumeBinder struct {
	client kubernetes.Interface
	claims listersv1.PersistentVolumeClaimLister
	queue  workqueue.TypedRateLimitingInterface[string]
}

func newVolumeBinder(client kubernetes.Interface, factory informers.SharedInformerFactory) *volumeBinder {
	b := &volumeBinder{
		client: client,
		claims: factory.Core().V1().PersistentVolumeClaims().Lister(),
		queue:  workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[string]()),
	}
	enqueue := func(obj any) {
		if key, err := cache.MetaNamespaceKeyFunc(obj); err == nil {
			b.queue.Add(key)
		}
	}
	factory.Core().V1().PersistentVolumeClaims().Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: enqueue, UpdateFunc: func(_, obj any) { enqueue(obj) },
	})
	return b
}

func (b *volumeBinder) run(ctx context.Context) {
	go func() { <-ctx.Done(); b.queue.ShutDown() }()
	for {
		key, quit := b.queue.Get()
		if quit {
			return
		}
		if err := b.sync(ctx, key); err != nil && ctx.Err() == nil {
			log.Printf("claim %s: %v", key, err)
			b.queue.AddRateLimited(key)
		} else {
			b.queue.Forget(key)
		}
		b.queue.Done(key)
	}
}

func (b *volumeBinder) sync(ctx context.Context, key string) error {
	namespace, name, _ := cache.SplitMetaNamespaceKey(key)
	claim, err := b.claims.PersistentVolumeClaims(namespace).Get(name)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil || claim.Status.Phase != corev1.ClaimPending || claim.Spec.VolumeName != "" {
		return err
	}
	volume := &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{Name: "pvc-" + string(claim.UID)},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: claim.Spec.Resources.Requests[corev1.ResourceStorage]},
			AccessModes:                   claim.Spec.AccessModes,
			PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimRetain,
			StorageClassName:              storageClass(claim),
			VolumeMode:                    claim.Spec.VolumeMode,
			ClaimRef: &corev1.ObjectReference{
				Kind: "PersistentVolumeClaim", APIVersion: "v1", Namespace: claim.Namespace, Name: claim.Name, UID: claim.UID,
			},
			PersistentVolumeSource: corev1.PersistentVolumeSource{
				CSI: &corev1.CSIPersistentVolumeSource{Driver: csiDriver, VolumeHandle: "simulated-" + string(claim.UID)},
			},
		},
	}
	_, err = b.client.CoreV1().PersistentVolumes().Create(ctx, volume, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	return err
}

func storageClass(claim *corev1.PersistentVolumeClaim) string {
	if claim.Spec.StorageClassName != nil {
		return *claim.Spec.StorageClassName
	}
	return ""
}
