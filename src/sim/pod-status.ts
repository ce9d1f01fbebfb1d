// What a simulated kubelet reports for a pod at a given moment: a pure function of the pod as
// stored (its spec, annotations and last reported status) and the time, so an agent that
// restarts carries on from the status in the API. Times are whole seconds, as the API's are.
import { createHash } from 'node:crypto';
import type { Container, ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../controllers/common/clock.js';
import { podBehaviour } from './behaviour.js';

/** kubelet's container restart back-off: the first restart is immediate, then 10 s doubling to 5 min. */
export const restartBackoffInitialMs = 10_000;
export const restartBackoffMaxMs = 300_000;
/** Restarts replayed in one call when the agent was away for a long time; past it we resume from now. */
const catchUpMaxRestarts = 1_000;
/** A container stopped by the pod's deletion: killed after ignoring SIGTERM, as `sleep` as PID 1 would be. */
export const killedExitCode = 137;

export interface SimContext {
  nowMs: number;
  hostIP: string;
  /** The pod's address; the node's for hostNetwork pods. */
  podIP: string;
}

export interface SimResult {
  status: PodStatus;
  /** When the status will next change by itself (a container exits or restarts). */
  wakeAtMs?: number;
  terminal: boolean;
}

type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

interface Exit {
  exitCode: number;
  startedAtMs: number;
  finishedAtMs: number;
}

/** Where the pod's containers are in their cycle; all containers of a pod move together. */
type RunState =
  | { kind: 'running'; startedAtMs: number; restartCount: number; lastExit?: Exit }
  | { kind: 'backoff'; restartAtMs: number; restartCount: number; lastExit: Exit }
  | { kind: 'terminated'; exit: Exit; restartCount: number; lastExit?: Exit };

const seconds = (ms: number): number => Math.floor(ms / 1000) * 1000;
const parseTime = (text: string | undefined, fallbackMs: number): number => {
  const ms = text ? Date.parse(text) : Number.NaN;
  return Number.isFinite(ms) ? ms : fallbackMs;
};

export function restartBackoffMs(restartCount: number): number {
  return restartCount === 0 ? 0 : Math.min(restartBackoffMaxMs, restartBackoffInitialMs * 2 ** (restartCount - 1));
}

/** Go's time.Duration formatting for whole seconds: 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const minutes = Math.floor(total / 60);
  return minutes > 0 ? `${minutes}m${total % 60}s` : `${total}s`;
}

export function isTerminalPhase(phase: string | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}

/** The state recorded in the last status, or a fresh start now. */
function recordedState(pod: Pod, startMs: number): RunState {
  const first = pod.spec?.containers?.[0]?.name;
  const recorded = pod.status?.containerStatuses?.find((c) => c.name === first);
  const restartCount = recorded?.restartCount ?? 0;
  const last = recorded?.lastState?.terminated;
  const lastExit: Exit | undefined = last ? { exitCode: last.exitCode, startedAtMs: parseTime(last.startedAt, startMs), finishedAtMs: parseTime(last.finishedAt, startMs) } : undefined;
  const state = recorded?.state;
  if (state?.running) return { kind: 'running', startedAtMs: parseTime(state.running.startedAt, startMs), restartCount, ...(lastExit ? { lastExit } : {}) };
  if (state?.waiting && lastExit) return { kind: 'backoff', restartAtMs: lastExit.finishedAtMs + restartBackoffMs(restartCount), restartCount, lastExit };
  if (state?.terminated) {
    const t = state.terminated;
    return { kind: 'terminated', exit: { exitCode: t.exitCode, startedAtMs: parseTime(t.startedAt, startMs), finishedAtMs: parseTime(t.finishedAt, startMs) }, restartCount, ...(lastExit ? { lastExit } : {}) };
  }
  return { kind: 'running', startedAtMs: startMs, restartCount: 0 };
}

/** Moves the state forward to nowMs: exits after runMs, then restarts per restartPolicy with back-off. */
export function advance(state: RunState, policy: RestartPolicy, runMs: number | undefined, exitCode: number, nowMs: number): { state: RunState; wakeAtMs?: number } {
  let current = state;
  for (let step = 0; step < catchUpMaxRestarts; step++) {
    if (current.kind === 'terminated') return { state: current };
    if (current.kind === 'backoff') {
      if (nowMs < current.restartAtMs) return { state: current, wakeAtMs: current.restartAtMs };
      current = { kind: 'running', startedAtMs: current.restartAtMs, restartCount: current.restartCount + 1, lastExit: current.lastExit };
      continue;
    }
    if (runMs === undefined) return { state: current };
    const exitAtMs = current.startedAtMs + runMs;
    if (nowMs < exitAtMs) return { state: current, wakeAtMs: exitAtMs };
    const exit: Exit = { exitCode, startedAtMs: current.startedAtMs, finishedAtMs: exitAtMs };
    const restarts = policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
    if (!restarts) return { state: { kind: 'terminated', exit, restartCount: current.restartCount, ...(current.lastExit ? { lastExit: current.lastExit } : {}) } };
    current = { kind: 'backoff', restartAtMs: exitAtMs + restartBackoffMs(current.restartCount), restartCount: current.restartCount, lastExit: exit };
  }
  // Replaying more restarts than the limit: carry on from now rather than loop.
  return { state: { kind: 'running', startedAtMs: seconds(nowMs), restartCount: current.restartCount }, ...(runMs !== undefined ? { wakeAtMs: seconds(nowMs) + runMs } : {}) };
}

const hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The image ID a runtime reports: the normalised repository and a digest (stable per image name). */
export function imageId(image: string): string {
  const slash = image.lastIndexOf('/');
  const at = image.indexOf('@');
  let repository = at >= 0 ? image.slice(0, at) : image;
  const colon = repository.lastIndexOf(':');
  if (colon > slash) repository = repository.slice(0, colon);
  const firstPart = repository.split('/')[0] ?? '';
  const hasRegistry = repository.includes('/') && (firstPart.includes('.') || firstPart.includes(':') || firstPart === 'localhost');
  if (!hasRegistry) repository = `docker.io/${repository.includes('/') ? '' : 'library/'}${repository}`;
  return at >= 0 ? `${repository}${image.slice(at)}` : `${repository}@sha256:${hex(image)}`;
}

function containerId(pod: Pod, name: string, restartCount: number): string {
  return `sim://${hex(`${pod.metadata?.uid ?? ''}/${name}/${restartCount}`)}`;
}

function terminatedState(pod: Pod, name: string, exit: Exit, restartCount: number): NonNullable<ContainerStatus['state']> {
  return {
    terminated: {
      exitCode: exit.exitCode,
      reason: exit.exitCode === 0 ? 'Completed' : 'Error',
      startedAt: rfc3339(exit.startedAtMs),
      finishedAt: rfc3339(exit.finishedAtMs),
      containerID: containerId(pod, name, restartCount),
    },
  };
}

function containerStatus(pod: Pod, container: Container, state: RunState, ready: boolean): ContainerStatus {
  const base = { name: container.name, image: container.image ?? '', imageID: imageId(container.image ?? ''), restartCount: state.restartCount };
  const lastExit = state.lastExit;
  const lastState = lastExit ? terminatedState(pod, container.name, lastExit, state.restartCount - (state.kind === 'backoff' ? 0 : 1)) : {};
  if (state.kind === 'running') {
    return { ...base, containerID: containerId(pod, container.name, state.restartCount), state: { running: { startedAt: rfc3339(state.startedAtMs) } }, lastState, ready, started: true };
  }
  if (state.kind === 'backoff') {
    const podRef = `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;
    const message = `back-off ${goDuration(restartBackoffMs(state.restartCount))} restarting failed container=${container.name} pod=${podRef}`;
    // Between runs there is no container, so no containerID; the exited one is in lastState.
    return { ...base, state: { waiting: { reason: 'CrashLoopBackOff', message } }, lastState, ready: false, started: false };
  }
  return { ...base, containerID: containerId(pod, container.name, state.restartCount), state: terminatedState(pod, container.name, state.exit, state.restartCount), lastState, ready: false, started: false };
}

/** Init containers ran to completion at the pod's start; sidecars (restartPolicy Always) run alongside. */
function initContainerStatus(pod: Pod, container: Container, startMs: number, main: RunState, ready: boolean): ContainerStatus {
  const base = { name: container.name, image: container.image ?? '', imageID: imageId(container.image ?? ''), restartCount: 0, containerID: containerId(pod, container.name, 0) };
  const completed = { terminated: { exitCode: 0, reason: 'Completed', startedAt: rfc3339(startMs), finishedAt: rfc3339(main.kind === 'terminated' ? main.exit.finishedAtMs : startMs), containerID: base.containerID } };
  if (container.restartPolicy === 'Always' && main.kind !== 'terminated') {
    return { ...base, state: { running: { startedAt: rfc3339(startMs) } }, lastState: {}, ready, started: true };
  }
  return { ...base, state: { terminated: { ...completed.terminated, finishedAt: rfc3339(container.restartPolicy === 'Always' ? (main.kind === 'terminated' ? main.exit.finishedAtMs : startMs) : startMs) } }, lastState: {}, ready: container.restartPolicy !== 'Always', started: false };
}

const ownedConditions = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

function conditions(pod: Pod, nowMs: number, terminal: boolean, unready: string[]): PodCondition[] {
  const previous = pod.status?.conditions ?? [];
  const now = rfc3339(nowMs);
  const condition = (type: string, status: 'True' | 'False', reason?: string, message?: string): PodCondition => {
    const before = previous.find((c) => c.type === type);
    const lastTransitionTime = before && before.status === status && before.lastTransitionTime ? before.lastTransitionTime : now;
    return { type, status, lastTransitionTime, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
  };
  const containersReady = terminal
    ? condition('ContainersReady', 'False', 'PodCompleted')
    : unready.length > 0
      ? condition('ContainersReady', 'False', 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`)
      : condition('ContainersReady', 'True');
  let ready = containersReady.status === 'True' ? condition('Ready', 'True') : condition('Ready', 'False', containersReady.reason, containersReady.message);
  if (ready.status === 'True') {
    // Readiness gates (pod.spec.readinessGates) hold Ready back until their conditions are True.
    for (const gate of pod.spec?.readinessGates ?? []) {
      const gateCondition = previous.find((c) => c.type === gate.conditionType);
      if (gateCondition?.status === 'True') continue;
      const message = gateCondition ? `the status of pod readiness gate "${gate.conditionType}" is not "True", but ${gateCondition.status}` : `corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`;
      ready = condition('Ready', 'False', 'ReadinessGatesNotReady', message);
      break;
    }
  }
  const scheduled = previous.find((c) => c.type === 'PodScheduled' && c.status === 'True') ?? condition('PodScheduled', 'True');
  return [
    condition('PodReadyToStartContainers', terminal ? 'False' : 'True'),
    condition('Initialized', 'True'),
    ready,
    containersReady,
    scheduled,
    ...previous.filter((c) => !ownedConditions.includes(c.type)),
  ];
}

function phaseOf(state: RunState): 'Running' | 'Succeeded' | 'Failed' {
  if (state.kind !== 'terminated') return 'Running';
  return state.exit.exitCode === 0 ? 'Succeeded' : 'Failed';
}

/** The status to report now, and when to look again. */
export function simulatePod(pod: Pod, context: SimContext): SimResult {
  const previous = pod.status ?? {};
  if (isTerminalPhase(previous.phase)) return { status: previous, terminal: true };
  const nowMs = seconds(context.nowMs);
  const startMs = parseTime(previous.startTime, nowMs);
  const behaviour = podBehaviour(pod);
  const policy = (pod.spec?.restartPolicy ?? 'Always') as RestartPolicy;
  const { state, wakeAtMs } = advance(recordedState(pod, startMs), policy, behaviour.runMs, behaviour.exitCode, nowMs);
  return buildStatus(pod, context, nowMs, startMs, state, behaviour.notReady, wakeAtMs);
}

/** The status once the pod's deletion stopped its containers (all at once, killed): Failed unless it had already ended. */
export function simulateDeletion(pod: Pod, context: SimContext): SimResult {
  const previous = pod.status ?? {};
  if (isTerminalPhase(previous.phase)) return { status: previous, terminal: true };
  const nowMs = seconds(context.nowMs);
  const startMs = parseTime(previous.startTime, nowMs);
  const recorded = recordedState(pod, startMs);
  const state: RunState =
    recorded.kind === 'running'
      ? { kind: 'terminated', exit: { exitCode: killedExitCode, startedAtMs: recorded.startedAtMs, finishedAtMs: nowMs }, restartCount: recorded.restartCount, ...(recorded.lastExit ? { lastExit: recorded.lastExit } : {}) }
      : recorded.kind === 'backoff'
        ? { kind: 'terminated', exit: recorded.lastExit, restartCount: recorded.restartCount }
        : recorded;
  return buildStatus(pod, context, nowMs, startMs, state, false, undefined);
}

function buildStatus(pod: Pod, context: SimContext, nowMs: number, startMs: number, state: RunState, notReady: boolean, wakeAtMs: number | undefined): SimResult {
  const previous = pod.status ?? {};
  const terminal = state.kind === 'terminated';
  const containerReady = state.kind === 'running' && !notReady;
  const containers = pod.spec?.containers ?? [];
  const containerStatuses = containers.map((c) => containerStatus(pod, c, state, containerReady));
  const initContainers = pod.spec?.initContainers ?? [];
  const initContainerStatuses = initContainers.map((c) => initContainerStatus(pod, c, startMs, state, containerReady));
  const unready = [...initContainerStatuses.filter((s, i) => initContainers[i]?.restartPolicy === 'Always' && !s.ready), ...containerStatuses.filter((s) => !s.ready)].map((s) => s.name);
  const status: PodStatus = {
    ...previous,
    phase: phaseOf(state),
    conditions: conditions(pod, nowMs, terminal, unready),
    hostIP: context.hostIP,
    hostIPs: [{ ip: context.hostIP }],
    podIP: context.podIP,
    podIPs: [{ ip: context.podIP }],
    startTime: rfc3339(startMs),
    ...(initContainerStatuses.length > 0 ? { initContainerStatuses } : {}),
    containerStatuses,
  };
  return { status, terminal, ...(wakeAtMs !== undefined ? { wakeAtMs } : {}) };
}
