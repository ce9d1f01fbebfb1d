// The annotations that steer simulated pods and nodes, so controller tests can make containers
// exit, fail, restart or stay unready, and make nodes stop heart-beating. See README.md.
import type { Pod } from 'kubernetes-types/core/v1.js';

export const runSecondsAnnotation = 'sim.k8ts.io/run-seconds';
export const exitCodeAnnotation = 'sim.k8ts.io/exit-code';
export const notReadyAnnotation = 'sim.k8ts.io/not-ready';
export const stopHeartbeatAnnotation = 'sim.k8ts.io/stop-heartbeat';

export interface PodBehaviour {
  /** Containers exit this long after they start; they run until deleted when absent. */
  runMs?: number;
  exitCode: number;
  notReady: boolean;
}

/** Reads a pod's behaviour annotations; malformed values are ignored (the container runs on, exits 0). */
export function podBehaviour(pod: Pod): PodBehaviour {
  const annotations = pod.metadata?.annotations ?? {};
  const runText = annotations[runSecondsAnnotation];
  const exitText = annotations[exitCodeAnnotation];
  const runSeconds = runText !== undefined && /^\d{1,9}$/.test(runText.trim()) ? Number(runText) : undefined;
  const exitCode = exitText !== undefined && /^\d{1,3}$/.test(exitText.trim()) && Number(exitText) <= 255 ? Number(exitText) : 0;
  return {
    ...(runSeconds !== undefined ? { runMs: runSeconds * 1000 } : {}),
    exitCode,
    notReady: annotations[notReadyAnnotation] === 'true',
  };
}

export function heartbeatStopped(annotations: Record<string, string> | undefined): boolean {
  return annotations?.[stopHeartbeatAnnotation] === 'true';
}
