// Lifecycle hooks as upstream's handlerRunner: postStart runs right after the container started
// (a failure kills it: FailedPostStartHook); preStop runs before SIGTERM, within the grace period
// (a failure is reported, FailedPreStopHook, and the stop goes on).
import type { Container, LifecycleHandler, Pod } from 'kubernetes-types/core/v1.js';
import { runHandler } from '../probes/run.js';
import type { KubeletContext } from '../context.js';

export interface HookTarget {
  pod: Pod;
  container: Container;
  containerId: string;
  podIP: string;
}

/** Upstream's message for a failed hook; undefined when it succeeded. */
export async function runHook(context: KubeletContext, handler: LifecycleHandler, target: HookTarget, timeoutMs: number): Promise<string | undefined> {
  const outcome = await runHandler(handler, { runtime: context.runtime, containerId: target.containerId, container: target.container, podIP: target.podIP }, timeoutMs);
  // A lifecycle httpGet fails only when the request fails, not on its status code, as upstream.
  if (handler.httpGet && !outcome.ok && outcome.output.startsWith('HTTP probe failed')) return undefined;
  if (outcome.ok) return undefined;
  const { pod, container } = target;
  const where = `for Container "${container.name}" in Pod "${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})"`;
  if (handler.exec) return `Exec lifecycle hook (${JSON.stringify(handler.exec.command ?? [])}) ${where} failed - error: command '${(handler.exec.command ?? []).join(' ')}' exited with non-zero status, message: ${JSON.stringify(outcome.output)}`;
  if (handler.httpGet) return `HTTP lifecycle hook (${handler.httpGet.path ?? '/'}) ${where} failed - error: ${outcome.output}`;
  return `lifecycle hook ${where} failed - error: ${outcome.output}`;
}
