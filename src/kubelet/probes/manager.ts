// Upstream's prober manager: one worker per (container instance, probe kind), each probing every
// periodSeconds with at most maxConcurrentProbes running node-wide. Results feed the pod status
// (started, ready); a liveness or startup failure kills the container, which the pod worker then
// restarts as restartPolicy says. A new container instance (restart) gets fresh workers.
import type { Container, Pod, Probe } from 'kubernetes-types/core/v1.js';
import { recordEvent, type KubeletContext } from '../context.js';
import { maxConcurrentProbes } from '../limits.js';
import { kindTitle, ProbeResults, type ProbeKind } from './results.js';
import { runHandler } from './run.js';

export interface RunningContainer {
  container: Container;
  containerId: string;
  startedAtMs: number;
  fieldPath: string;
}

/** What the manager does to a container whose liveness or startup probe failed. */
export type KillContainer = (pod: Pod, running: RunningContainer, kind: ProbeKind, message: string) => Promise<void>;

interface Worker {
  pod: Pod;
  running: RunningContainer;
  podIP: string;
  results: ProbeResults;
  timer?: NodeJS.Timeout;
  stopped: boolean;
}

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

const kinds: readonly ProbeKind[] = ['startup', 'liveness', 'readiness'];

function probeOf(container: Container, kind: ProbeKind): Probe | undefined {
  return kind === 'startup' ? container.startupProbe : kind === 'liveness' ? container.livenessProbe : container.readinessProbe;
}

export class ProbeManager {
  /** Called when a result the status shows changed (ready, started), with the pod's uid. */
  onChange: (pod: Pod) => void = () => undefined;
  private readonly workers = new Map<string, Worker>();
  private readonly slots = new Semaphore(maxConcurrentProbes);

  constructor(private readonly context: KubeletContext, private readonly kill: KillContainer) {}

  /** Workers for exactly these running containers of the pod; others of the pod stop. */
  sync(pod: Pod, podIP: string, running: readonly RunningContainer[]): void {
    const uid = pod.metadata?.uid ?? '';
    const wanted = new Set<string>();
    for (const instance of running) {
      for (const kind of kinds) {
        const probe = probeOf(instance.container, kind);
        if (!probe) continue;
        const key = `${uid}/${instance.containerId}/${kind}`;
        wanted.add(key);
        const existing = this.workers.get(key);
        if (existing) {
          existing.pod = pod;
          continue;
        }
        const worker: Worker = { pod, running: instance, podIP, results: new ProbeResults(kind, probe), stopped: false };
        this.workers.set(key, worker);
        this.schedule(worker, probe, 0);
      }
    }
    for (const [key, worker] of this.workers) if (key.startsWith(`${uid}/`) && !wanted.has(key)) this.stopWorker(key, worker);
  }

  removePod(uid: string): void {
    for (const [key, worker] of this.workers) if (key.startsWith(`${uid}/`)) this.stopWorker(key, worker);
  }

  stop(): void {
    for (const [key, worker] of this.workers) this.stopWorker(key, worker);
  }

  /** Whether the startup probe (if any) succeeded; containers without one have started once running. */
  started(uid: string, containerId: string, container: Container): boolean {
    if (!container.startupProbe) return true;
    return this.workers.get(`${uid}/${containerId}/startup`)?.results.result === 'success';
  }

  /** Ready: started and the readiness probe (if any) succeeding. */
  ready(uid: string, containerId: string, container: Container): boolean {
    if (!this.started(uid, containerId, container)) return false;
    if (!container.readinessProbe) return true;
    return this.workers.get(`${uid}/${containerId}/readiness`)?.results.result === 'success';
  }

  private stopWorker(key: string, worker: Worker): void {
    worker.stopped = true;
    clearTimeout(worker.timer);
    this.workers.delete(key);
  }

  private schedule(worker: Worker, probe: Probe, delayMs: number): void {
    if (worker.stopped) return;
    worker.timer = setTimeout(() => {
      this.tick(worker, probe)
        .catch((error: unknown) => this.context.log(`probe: ${(error as Error).message}`))
        .finally(() => this.schedule(worker, probe, (probe.periodSeconds ?? 10) * 1000));
    }, delayMs);
    worker.timer.unref?.();
  }

  private async tick(worker: Worker, probe: Probe): Promise<void> {
    const { pod, running, results } = worker;
    const uid = pod.metadata?.uid ?? '';
    // Startup gates the others; a startup probe stops once it succeeded, as upstream.
    if (results.kind !== 'startup' && !this.started(uid, running.containerId, running.container)) return;
    if (results.kind === 'startup' && results.result === 'success') return;
    if (!results.due(running.startedAtMs, this.context.clock.now())) return;
    const outcome = await this.slots.run(() => runHandler(probe, { runtime: this.context.runtime, containerId: running.containerId, container: running.container, podIP: worker.podIP }, (probe.timeoutSeconds ?? 1) * 1000));
    if (worker.stopped) return;
    const title = kindTitle(results.kind);
    if (!outcome.ok) recordEvent(this.context, pod, 'Warning', 'Unhealthy', `${title} probe failed: ${outcome.output}`, running.fieldPath);
    else if (outcome.warning) recordEvent(this.context, pod, 'Warning', 'ProbeWarning', `${title} probe warning: ${outcome.warning}`, running.fieldPath);
    if (!results.record(outcome.ok ? 'success' : 'failure')) return;
    if (results.result === 'failure' && results.kind !== 'readiness') {
      await this.kill(pod, running, results.kind, `Container ${running.container.name} failed ${results.kind} probe, will be restarted`);
    }
    this.onChange(pod);
  }
}
