// The pod status the kubelet writes through pods/status, computed from what the runtime reports
// (pkg/kubelet/kubelet_pods.go generateAPIPodStatus and pkg/kubelet/status/generate.go): phase,
// the five conditions, container states with their reasons, restart counts and lastState.
import type { Container, ContainerState, ContainerStatus as ApiContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../../controllers/common/clock.js';
import type { ContainerStatus } from '../../runtime/cri/types.js';
import { podQosClass } from './resources.js';

export interface Waiting {
  reason: string;
  message?: string;
}

/** What the worker knows about one container of the spec. */
export interface ContainerView {
  /** The newest instance in the runtime. */
  latest?: ContainerStatus;
  /** The instance before it, when one is kept (lastState). */
  previous?: ContainerStatus;
  /** Why it is not running now: back-off, a missing image, a config error. */
  waiting?: Waiting;
}

export interface PodView {
  pod: Pod;
  sandboxReady: boolean;
  podIPs: string[];
  hostIP: string;
  /** "runc" or "crun": the scheme of container IDs. */
  runtimeName: string;
  containers: ReadonlyMap<string, ContainerView>;
  imageId(status: ContainerStatus): string;
  /** The image as the runtime names it ("docker.io/library/busybox:latest"), once a container exists. */
  imageName?(reference: string): string;
  nowMs: number;
  /** The pod is being deleted and its containers were stopped: its phase is final. */
  terminal?: boolean;
  /** The probes' verdict on a running container (startup passed; readiness passing); true when absent. */
  containerStarted?(spec: Container, status: ContainerStatus): boolean;
  containerReady?(spec: Container, status: ContainerStatus): boolean;
}

const nsToRfc3339 = (ns: number): string => rfc3339(Math.floor(ns / 1e6));

export function isSidecar(container: Container): boolean {
  return container.restartPolicy === 'Always';
}

function terminated(status: ContainerStatus, runtimeName: string): ContainerState {
  return {
    terminated: {
      exitCode: status.exitCode,
      reason: status.reason || (status.exitCode === 0 ? 'Completed' : 'Error'),
      ...(status.message ? { message: status.message } : {}),
      startedAt: status.startedAt ? nsToRfc3339(status.startedAt) : undefined,
      finishedAt: nsToRfc3339(status.finishedAt),
      containerID: `${runtimeName}://${status.id}`,
    },
  };
}

function containerStatus(spec: Container, view: ContainerView | undefined, defaultWaiting: string, pod: PodView, init: boolean): ApiContainerStatus {
  const latest = view?.latest;
  let state: ContainerState;
  let lastState: ContainerState = {};
  if (view?.waiting) {
    state = { waiting: { reason: view.waiting.reason, ...(view.waiting.message ? { message: view.waiting.message } : {}) } };
    if (latest?.state === 'CONTAINER_EXITED') lastState = terminated(latest, pod.runtimeName);
  } else if (!latest) {
    state = { waiting: { reason: defaultWaiting } };
  } else if (latest.state === 'CONTAINER_RUNNING') {
    state = { running: { startedAt: nsToRfc3339(latest.startedAt) } };
  } else if (latest.state === 'CONTAINER_EXITED') {
    state = terminated(latest, pod.runtimeName);
  } else {
    state = { waiting: { reason: 'ContainerCreating' } };
  }
  if (!lastState.terminated && view?.previous?.state === 'CONTAINER_EXITED') lastState = terminated(view.previous, pod.runtimeName);
  const running = !!state.running;
  const completed = init && !isSidecar(spec) && state.terminated?.exitCode === 0;
  const started = running && (pod.containerStarted?.(spec, latest!) ?? true);
  const ready = (running && (pod.containerReady?.(spec, latest!) ?? true)) || completed;
  return {
    name: spec.name,
    state,
    lastState,
    ready,
    restartCount: latest?.metadata.attempt ?? 0,
    image: latest && pod.imageName ? pod.imageName(spec.image ?? '') : spec.image ?? '',
    imageID: latest ? pod.imageId(latest) : '',
    ...(latest ? { containerID: `${pod.runtimeName}://${latest.id}` } : {}),
    started,
  };
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** Upstream's getPhase over the computed container statuses. */
export function podPhase(pod: Pod, init: readonly ApiContainerStatus[], regular: readonly ApiContainerStatus[], terminal = false): PodPhase {
  const restartPolicy = pod.spec?.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  for (const spec of pod.spec?.initContainers ?? []) {
    const status = init.find((s) => s.name === spec.name);
    if (isSidecar(spec)) {
      if (!status?.started) pendingInit++;
      continue;
    }
    const done = status?.state?.terminated;
    if (done && done.exitCode === 0) continue;
    if (done) failedInit++;
    else if (status?.lastState?.terminated) failedInit++;
    pendingInit++;
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  let unknown = 0;
  for (const spec of pod.spec?.containers ?? []) {
    const status = regular.find((s) => s.name === spec.name);
    if (!status) unknown++;
    else if (status.state?.running) running++;
    else if (status.state?.terminated) {
      stopped++;
      if (status.state.terminated.exitCode === 0) succeeded++;
    } else if (status.state?.waiting) {
      if (status.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (failedInit > 0 && restartPolicy === 'Never') return 'Failed';
  if (pendingInit > 0) return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (terminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function condition(type: string, ok: boolean, previous: readonly PodCondition[], nowMs: number, reason?: string, message?: string): PodCondition {
  const status = ok ? 'True' : 'False';
  const before = previous.find((c) => c.type === type);
  const lastTransitionTime = before?.status === status && before.lastTransitionTime ? before.lastTransitionTime : rfc3339(nowMs);
  return { type, status, lastTransitionTime, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

export function computePodStatus(view: PodView): PodStatus {
  const { pod } = view;
  const hasInit = (pod.spec?.initContainers ?? []).length > 0;
  const defaultWaiting = hasInit ? 'PodInitializing' : 'ContainerCreating';
  const init = (pod.spec?.initContainers ?? []).map((c) => containerStatus(c, view.containers.get(c.name), defaultWaiting, view, true));
  const regular = (pod.spec?.containers ?? []).map((c) => containerStatus(c, view.containers.get(c.name), defaultWaiting, view, false));
  const phase = podPhase(pod, init, regular, view.terminal);
  const previous = pod.status?.conditions ?? [];

  const incompleteInit = (pod.spec?.initContainers ?? []).filter((c, i) => !(isSidecar(c) ? init[i]?.started : init[i]?.state?.terminated?.exitCode === 0)).map((c) => c.name);
  const initialized = incompleteInit.length === 0 || phase === 'Running' || phase === 'Succeeded';
  const unready = regular.filter((s) => !s.ready).map((s) => s.name);
  // Init containers that are sidecars count for readiness too.
  (pod.spec?.initContainers ?? []).forEach((c, i) => {
    if (isSidecar(c) && !init[i]?.ready) unready.unshift(c.name);
  });
  const readyReason = phase === 'Succeeded' ? 'PodCompleted' : 'ContainersNotReady';
  const readyMessage = phase === 'Succeeded' ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const ready = unready.length === 0 && phase !== 'Succeeded';
  const scheduled = previous.find((c) => c.type === 'PodScheduled') ?? condition('PodScheduled', true, previous, view.nowMs);
  const conditions: PodCondition[] = [
    condition('PodReadyToStartContainers', view.sandboxReady, previous, view.nowMs),
    initialized ? condition('Initialized', true, previous, view.nowMs, phase === 'Succeeded' && hasInit ? 'PodCompleted' : undefined) : condition('Initialized', false, previous, view.nowMs, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`),
    ready ? condition('Ready', true, previous, view.nowMs) : condition('Ready', false, previous, view.nowMs, readyReason, readyMessage),
    ready ? condition('ContainersReady', true, previous, view.nowMs) : condition('ContainersReady', false, previous, view.nowMs, readyReason, readyMessage),
    scheduled,
  ];
  const status: PodStatus = {
    phase,
    conditions,
    hostIP: view.hostIP,
    hostIPs: [{ ip: view.hostIP }],
    ...(view.podIPs.length > 0 ? { podIP: view.podIPs[0], podIPs: view.podIPs.map((ip) => ({ ip })) } : {}),
    startTime: pod.status?.startTime ?? rfc3339(view.nowMs),
    ...(hasInit ? { initContainerStatuses: init } : {}),
    containerStatuses: regular,
    qosClass: podQosClass(pod),
  };
  return status;
}
