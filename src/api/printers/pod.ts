// Pod printer: the READY / STATUS / RESTARTS logic kubectl users read every day.
// STATUS follows upstream's precedence: pod reason or phase, then SchedulingGated, then the
// first unfinished init container, then main container states (scanned last to first so
// the first container wins), then deletion (Terminating / Unknown for NodeLost).
import type { Container, ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../object.js';
import { age, humanDuration, parseTimestamp } from './format.js';
import { ageColumn, column, nameColumn, wideColumn, type TablePrinter, type TableRowCondition } from './types.js';

function isRestartableInitContainer(container: Container | undefined): boolean {
  // Sidecar containers: init containers that keep running alongside the main ones.
  return container?.restartPolicy === 'Always';
}

function conditionTrue(conditions: readonly PodCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/** Upstream looks only at the first "Initialized" condition. */
function initializedConditionTrue(conditions: readonly PodCondition[] | undefined): boolean {
  const found = (conditions ?? []).find((c) => c.type === 'Initialized');
  return found?.status === 'True';
}

function lastTerminationMs(status: ContainerStatus): number | undefined {
  return parseTimestamp(status.lastState?.terminated?.finishedAt);
}

interface PodSummary {
  ready: number;
  total: number;
  reason: string;
  restarts: number;
  lastRestartMs: number | undefined;
}

function laterOf(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

export function summarizePod(pod: Pod): PodSummary {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const conditions = status.conditions;
  let total = spec?.containers?.length ?? 0;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestartMs: number | undefined;
  let lastSidecarRestartMs: number | undefined;

  const phase = status.phase ?? '';
  let reason = status.reason ? status.reason : phase;
  for (const condition of conditions ?? []) {
    if (condition.type === 'PodScheduled' && condition.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initContainers = new Map<string, Container>();
  for (const container of spec?.initContainers ?? []) {
    initContainers.set(container.name, container);
    if (isRestartableInitContainer(container)) total++;
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    if (!cs) continue;
    restarts += cs.restartCount ?? 0;
    lastRestartMs = laterOf(lastRestartMs, lastTerminationMs(cs));
    const sidecar = isRestartableInitContainer(initContainers.get(cs.name));
    if (sidecar) {
      sidecarRestarts += cs.restartCount ?? 0;
      lastSidecarRestartMs = laterOf(lastSidecarRestartMs, lastTerminationMs(cs));
    }
    const terminated = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready) ready++;
      continue;
    }
    if (terminated) {
      if (terminated.reason) reason = `Init:${terminated.reason}`;
      else if (terminated.signal) reason = `Init:Signal:${terminated.signal}`;
      else reason = `Init:ExitCode:${terminated.exitCode ?? 0}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${spec?.initContainers?.length ?? 0}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || initializedConditionTrue(conditions)) {
    restarts = sidecarRestarts;
    lastRestartMs = lastSidecarRestartMs;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      if (!cs) continue;
      restarts += cs.restartCount ?? 0;
      lastRestartMs = laterOf(lastRestartMs, lastTerminationMs(cs));
      const waiting = cs.state?.waiting;
      const terminated = cs.state?.terminated;
      if (waiting?.reason) {
        reason = waiting.reason;
      } else if (terminated?.reason) {
        reason = terminated.reason;
      } else if (terminated) {
        reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      } else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod whose first container completed while others still run is not "Completed".
    if (reason === 'Completed' && hasRunning) {
      reason = conditionTrue(conditions, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  const deleting = pod.metadata?.deletionTimestamp != null;
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  return { ready, total, reason, restarts, lastRestartMs };
}

function restartsCell(summary: PodSummary, now: Date): string {
  if (summary.restarts !== 0 && summary.lastRestartMs !== undefined) {
    return `${summary.restarts} (${humanDuration(now.getTime() - summary.lastRestartMs)} ago)`;
  }
  return String(summary.restarts);
}

function readinessGatesCell(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  let satisfied = 0;
  for (const gate of gates) {
    const condition = (pod.status?.conditions ?? []).find((c) => c.type === gate.conditionType);
    if (condition?.status === 'True') satisfied++;
  }
  return `${satisfied}/${gates.length}`;
}

export const podPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'How many of the pod\'s containers are ready, out of the total.'),
    column('Status', 'string', 'A one-word summary of the pod\'s state, derived from its containers.'),
    column('Restarts', 'string', 'Container restarts in this pod, and how long ago the latest one happened.'),
    ageColumn,
    wideColumn('IP', 'The first IP address allocated to the pod.'),
    wideColumn('Node', 'The node the pod is bound to.'),
    wideColumn('Nominated Node', 'The node the scheduler nominated after preempting other pods.'),
    wideColumn('Readiness Gates', 'How many of the pod\'s readiness gates are satisfied.'),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const pod = obj as Pod;
    const summary = summarizePod(pod);
    // The internal type fills podIPs from the legacy podIP field; mirror that fallback.
    const podIP = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>';
    return [
      pod.metadata?.name ?? '',
      `${summary.ready}/${summary.total}`,
      summary.reason,
      restartsCell(summary, now),
      age(pod, now),
      podIP,
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGatesCell(pod),
    ];
  },
  rowConditions(obj: KubeObject): TableRowCondition[] | undefined {
    const phase = (obj as Pod).status?.phase;
    if (phase === 'Succeeded') {
      return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
    }
    if (phase === 'Failed') {
      return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
    }
    return undefined;
  },
};
