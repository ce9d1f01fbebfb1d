// What the kubelet server needs from the kubelet core: where a pod's containers and logs are.
// The core implements PodContainerLocator from its pod workers' state and passes it to
// startKubeletServer; the server itself keeps no pod state.
import type { Runtime } from '../../runtime/runtime.js';

export interface LocatedContainer {
  /** The runtime's container id of the current (newest) instance. */
  containerId: string;
  /** The CRI log file of the current instance. */
  logPath: string;
  /** The CRI log file of the instance before it (kubectl logs --previous), when there was one. */
  previousLogPath?: string;
  running: boolean;
}

export interface PodContainerLocator {
  /** The named container of a pod on this node; undefined when the pod or container is unknown here. */
  container(namespace: string, podName: string, containerName: string): Promise<LocatedContainer | undefined>;
  /** The pod's IP on the pod network (its sandbox's), for port-forward; undefined when it has none yet. */
  podIP(namespace: string, podName: string): Promise<string | undefined>;
  /** Whether a container instance is still running (a followed log ends when it is not). */
  isRunning(containerId: string): Promise<boolean>;
  runtime: Runtime;
}

export interface KubeletServerOptions {
  /** 10250 in a real node; 0 picks a free port. */
  port: number;
  bindAddress: string;
  /** The kubelet's serving certificate (signed by the cluster CA) and key. */
  tls: { certPem: string; keyPem: string };
  /** Client certificates must chain to this CA (the cluster CA). */
  clientCaPem: string;
  /** When set, only a client certificate with this common name is authorized (others get 403). */
  authorizedClientCn?: string;
  locator: PodContainerLocator;
  /** The node's name in /stats/summary; the host name by default. */
  nodeName?: string;
}

export interface KubeletServer {
  port: number;
  /** Serves new connections with a renewed certificate; open ones keep theirs. */
  updateTls(tls: { certPem: string; keyPem: string }): void;
  close(): Promise<void>;
}
