// A PodContainerLocator read straight from the runtime: the kubelet core labels every sandbox and
// container with upstream's io.kubernetes.* labels, so the containers of a pod, their instances
// (newest first) and the pod's IP can be found without asking the pod workers.
import type { ContainerStatus, PodSandboxStatus } from '../../runtime/cri/types.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { LocatedContainer, PodContainerLocator } from './types.js';

/** Upstream's label names (pkg/kubelet/types/labels.go), as the kubelet core sets them. */
export const podLabels = {
  podUid: 'io.kubernetes.pod.uid',
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  containerName: 'io.kubernetes.container.name',
} as const;

function isPod(labels: Record<string, string>, namespace: string, podName: string): boolean {
  return labels[podLabels.podNamespace] === namespace && labels[podLabels.podName] === podName;
}

/** Newest first: a restart or a recreated pod of the same name makes a newer instance. */
const newestFirst = (a: { createdAt: number }, b: { createdAt: number }): number => b.createdAt - a.createdAt;

export function pickContainer(all: readonly ContainerStatus[], namespace: string, podName: string, containerName: string): LocatedContainer | undefined {
  const instances = all.filter((c) => isPod(c.labels, namespace, podName) && c.labels[podLabels.containerName] === containerName).sort(newestFirst);
  const current = instances[0];
  if (!current) return undefined;
  // The previous instance belongs to the same pod (UID), not to an earlier pod of the same name.
  const previous = instances.slice(1).find((c) => c.labels[podLabels.podUid] === current.labels[podLabels.podUid] && c.state === 'CONTAINER_EXITED');
  return {
    containerId: current.id,
    logPath: current.logPath,
    ...(previous ? { previousLogPath: previous.logPath } : {}),
    running: current.state === 'CONTAINER_RUNNING',
  };
}

export function pickPodIP(sandboxes: readonly PodSandboxStatus[], namespace: string, podName: string): string | undefined {
  return sandboxes.filter((s) => s.state === 'SANDBOX_READY' && isPod(s.labels, namespace, podName)).sort(newestFirst)[0]?.ip || undefined;
}

export function runtimeLocator(runtime: Runtime): PodContainerLocator {
  return {
    runtime,
    async container(namespace, podName, containerName) {
      return pickContainer(await runtime.listContainers(), namespace, podName, containerName);
    },
    async podIP(namespace, podName) {
      return pickPodIP(runtime.listPodSandbox(), namespace, podName);
    },
    async isRunning(containerId) {
      try {
        return (await runtime.containerStatus(containerId)).state === 'CONTAINER_RUNNING';
      } catch {
        return false;
      }
    },
  };
}
