// Stopping one container as upstream's killContainer: the Killing event, the preStop hook within
// the grace period (FailedPreStopHook when it fails), then SIGTERM with what is left of the
// grace period (at least minimumGracePeriodSeconds), SIGKILL after it.
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { recordEvent, type KubeletContext } from '../context.js';
import { minimumGracePeriodSeconds } from '../limits.js';
import { runHook } from './hooks.js';

export interface KillTarget {
  containerId: string;
  /** The spec's container, when the pod still has it (its preStop hook). */
  container: Container | undefined;
  fieldPath: string;
}

export async function killContainer(context: KubeletContext, pod: Pod, target: KillTarget, graceSeconds: number, message: string): Promise<void> {
  recordEvent(context, pod, 'Normal', 'Killing', message, target.fieldPath);
  const preStop = target.container?.lifecycle?.preStop;
  let remainingSeconds = graceSeconds;
  if (preStop && target.container && graceSeconds > 0) {
    const startedMs = Date.now();
    const failure = await runHook(context, preStop, { pod, container: target.container, containerId: target.containerId, podIP: pod.status?.podIP ?? '' }, graceSeconds * 1000);
    if (failure) recordEvent(context, pod, 'Warning', 'FailedPreStopHook', failure, target.fieldPath);
    remainingSeconds = Math.max(minimumGracePeriodSeconds, graceSeconds - Math.ceil((Date.now() - startedMs) / 1000));
  }
  await context.runtime.stopContainer(target.containerId, remainingSeconds);
}
