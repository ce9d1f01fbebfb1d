// Which container of a pod a logs/exec/attach request means, and whether the kubelet can serve
// it, with upstream's messages (pkg/registry/core/pod/strategy.go and the kubelet's
// validateContainerLogStatus), so `kubectl logs` and `exec` fail as they do on a real cluster.
import { badRequest } from '../../api/errors.js';

interface ContainerState {
  running?: unknown;
  waiting?: { reason?: string };
  terminated?: { containerID?: string };
}

export interface PodLike {
  metadata?: { name?: string; annotations?: Record<string, string> };
  spec?: { nodeName?: string; containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
  status?: {
    containerStatuses?: ContainerStatusLike[];
    initContainerStatuses?: ContainerStatusLike[];
    ephemeralContainerStatuses?: ContainerStatusLike[];
  };
}

interface ContainerStatusLike {
  name: string;
  state?: ContainerState;
  lastState?: ContainerState;
}

/** The container named in the request, or the pod's only one; BadRequest as upstream otherwise. */
export function resolveContainerName(pod: PodLike, requested: string | null): string {
  const podName = pod.metadata?.name ?? '';
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  const init = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const ephemeral = (pod.spec?.ephemeralContainers ?? []).map((c) => c.name);
  if (!requested) {
    if (containers.length === 1 && init.length + ephemeral.length === 0) return containers[0]!;
    if (containers.length === 1) return containers[0]!;
    let message = `a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]`;
    if (init.length > 0) message += ` or one of the init containers: [${init.join(' ')}]`;
    if (ephemeral.length > 0) message += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
    throw badRequest(message);
  }
  if (![...containers, ...init, ...ephemeral].includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${podName}`);
  return requested;
}

/** The kubelet refuses logs of a container that has none yet; the message says why. */
export function checkLogsAvailable(pod: PodLike, containerName: string, previous: boolean): void {
  const podName = pod.metadata?.name ?? '';
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])];
  const status = statuses.find((s) => s.name === containerName);
  if (!status) throw badRequest(`container "${containerName}" in pod "${podName}" is waiting to start: ContainerCreating`);
  const state = status.state ?? {};
  const last = status.lastState ?? {};
  if (previous) {
    if (!last.terminated?.containerID) throw badRequest(`previous terminated container "${containerName}" in pod "${podName}" not found`);
    return;
  }
  if (state.running) return;
  if (state.terminated) {
    if (state.terminated.containerID || last.terminated?.containerID) return;
    throw badRequest(`container "${containerName}" in pod "${podName}" is terminated`);
  }
  if (last.terminated) {
    if (last.terminated.containerID) return;
    throw badRequest(`container "${containerName}" in pod "${podName}" is terminated`);
  }
  if (state.waiting) {
    const reason = state.waiting.reason ?? '';
    if (reason === 'ErrImagePull') throw badRequest(`container "${containerName}" in pod "${podName}" is waiting to start: image can't be pulled`);
    if (reason === 'ImagePullBackOff') throw badRequest(`container "${containerName}" in pod "${podName}" is waiting to start: trying and failing to pull image`);
    throw badRequest(`container "${containerName}" in pod "${podName}" is waiting to start: ${reason}`);
  }
}
