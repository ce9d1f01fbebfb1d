// What every controller gets from the controller manager, and what it gives back. A controller
// is registered in all.ts by a descriptor with upstream's controller name (as in
// kube-controller-manager --controllers) and its worker count (upstream's --concurrent-* flags).
import type { RestClient, SharedInformerFactory } from '../client/index.js';
import type { Clock } from './common/clock.js';
import type { EventRecorder } from './common/events.js';

export interface ControllerContext {
  client: RestClient;
  /** Shared by all controllers: each resource is listed and watched once. */
  informers: SharedInformerFactory;
  clock: Clock;
  /** Events from a named component, e.g. recorder('replicaset-controller'). */
  recorder(component: string): EventRecorder;
  /** PEM of the cluster CA, published in every namespace as kube-root-ca.crt. */
  rootCaPem: string;
  namespaceDeletionGracePeriodMs?: number;
  /** Upstream's --terminated-pod-gc-threshold (12500 when absent; 0 turns it off). */
  terminatedPodGcThreshold?: number;
  /** Node lifecycle timing and eviction rates (kube-controller-manager's --node-* flags); upstream's defaults when absent. */
  nodeLifecycle?: NodeLifecycleSettings;
  /** The CA csrsigning signs with (--cluster-signing-cert-file/--cluster-signing-key-file); csrsigning does not run without it. */
  clusterSigning?: ClusterSigningSettings;
}

export interface ClusterSigningSettings {
  certPem: string;
  keyPem: string;
  /** --cluster-signing-duration (8760h when absent). */
  durationMs?: number;
}

/** Upstream's NodeLifecycleControllerConfiguration plus --node-monitor-period. */
export interface NodeLifecycleSettings {
  nodeMonitorPeriodMs?: number;
  nodeMonitorGracePeriodMs?: number;
  nodeStartupGracePeriodMs?: number;
  nodeEvictionRate?: number;
  secondaryNodeEvictionRate?: number;
  largeClusterSizeThreshold?: number;
  unhealthyZoneThreshold?: number;
}

export interface RunnableController {
  /** Waits for its informers to sync, then runs `workers` workers until shutDown(). */
  run(workers: number): Promise<void>;
  shutDown(): void;
}

export interface ControllerDescriptor {
  /** Upstream's name, e.g. "replicaset", "deployment", "garbage-collector-controller". */
  name: string;
  workers: number;
  create(context: ControllerContext): RunnableController;
}
