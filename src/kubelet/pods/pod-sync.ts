// One pass of a pod's worker (upstream's SyncPod and computePodActions in miniature): make sure
// its sandbox is up, run init containers one by one to success, then keep the containers as
// restartPolicy asks, with CrashLoopBackOff between restarts; then report the status. Everything
// is derived from the runtime's state each pass, so a restarted agent adopts what is running.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container, Pod, PodCondition, Probe } from 'kubernetes-types/core/v1.js';
import { jsonEqual, type KubeObject } from '../../api/object.js';
import { isConflict, isNotFound, type ResourceClient } from '../../client/index.js';
import type { ContainerStatus, PodSandboxStatus } from '../../runtime/cri/types.js';
import { normalizeReference } from '../../runtime/images/reference.js';
import { startContainer } from '../container/start.js';
import { killContainer } from '../container/stop.js';
import { ProbeManager, type RunningContainer } from '../probes/manager.js';
import { VolumeManager, type PodVolumes } from '../volumes/manager.js';
import { VolumeSetUpError } from '../volumes/payload.js';
import { labels, podsResource, recordEvent, type KubeletContext } from '../context.js';
import { defaultGracePeriodSeconds, podErrorRetryMs } from '../limits.js';
import { BackOff, goDuration } from './backoff.js';
import { sandboxConfig } from './sandbox-config.js';
import { computePodStatus, isSidecar, type ContainerView, type Waiting } from './status.js';
import type { AdmitResult } from '../eviction/admission.js';
import { podQosClass } from './resources.js';

type PodObject = Pod & KubeObject;

export interface SyncResult {
  /** Sync again after this long (a back-off ends). */
  requeueAfterMs?: number;
}

/** A terminal status the kubelet decides itself: an eviction, or a pod its admission refused. */
export interface KubeletTermination {
  /** Grace for the running containers (0 for a hard eviction threshold). */
  gracePeriodSeconds: number;
  reason: string;
  message: string;
  condition?: PodCondition;
}

interface TerminationState {
  termination: KubeletTermination;
  /** The containers were stopped; only the status may still need writing. */
  killed: boolean;
  /** The final status (containers terminated) was written. */
  written: boolean;
  waiters: (() => void)[];
}

export function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

function shouldRestart(pod: Pod, exitCode: number): boolean {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

export class PodSyncer {
  readonly crashBackOff: BackOff;
  readonly imageBackOff: BackOff;
  private readonly pods: ResourceClient<PodObject>;
  /** Waiting reasons from the last pass, by pod uid and container name, for events sent once per change. */
  private readonly lastWaiting = new Map<string, string>();
  readonly volumes: VolumeManager;
  readonly probes: ProbeManager;
  /** Admission of new pods (the eviction manager's); a refused pod fails without starting. */
  admit: ((pod: Pod) => AdmitResult) | undefined;
  /** Pods the kubelet ended itself, by uid: never started again, whatever the cache still says. */
  private readonly terminations = new Map<string, TerminationState>();

  constructor(private readonly context: KubeletContext) {
    this.crashBackOff = new BackOff(context.clock);
    this.imageBackOff = new BackOff(context.clock);
    this.volumes = new VolumeManager(context);
    this.probes = new ProbeManager(context, (pod, running, kind, message) => killContainer(context, pod, running, probeGraceSeconds(pod, kind === 'startup' ? running.container.startupProbe : running.container.livenessProbe), message));
    this.pods = context.client.resource<PodObject>(podsResource);
  }

  sandboxesOf(uid: string): PodSandboxStatus[] {
    return this.context.runtime.listPodSandbox().filter((s) => s.labels[labels.podUid] === uid).sort((a, b) => b.metadata.attempt - a.metadata.attempt);
  }

  async sync(pod: PodObject): Promise<SyncResult> {
    const uid = pod.metadata?.uid ?? '';
    if (pod.metadata?.deletionTimestamp) {
      await this.terminate(pod);
      await this.deleteFromApi(pod);
      return {};
    }
    const ended = this.terminations.get(uid) ?? this.admission(pod);
    if (ended) {
      await this.endByKubelet(pod, ended);
      return {};
    }
    if (isTerminal(pod)) {
      // Finished pods keep no network: their sandbox is stopped, their containers kept for logs.
      for (const sandbox of this.sandboxesOf(uid)) if (sandbox.state === 'SANDBOX_READY') await this.context.runtime.stopPodSandbox(sandbox.id);
      return {};
    }
    const sandbox = await this.ensureSandbox(pod);
    const podIPs = pod.spec?.hostNetwork ? [this.context.hostIP] : [sandbox.ip, ...sandbox.additionalIps].filter(Boolean);
    const waiting = new Map<string, Waiting>();
    let requeueAfterMs: number | undefined;
    const wake = (ms: number): void => {
      requeueAfterMs = Math.min(requeueAfterMs ?? ms, ms);
    };
    let views = await this.containerViews(sandbox.id);
    let volumes: PodVolumes | undefined;
    try {
      volumes = await this.volumes.setUp(pod, podIPs);
    } catch (error) {
      if (!(error instanceof VolumeSetUpError)) throw error;
      recordEvent(this.context, pod, 'Warning', 'FailedMount', error.message);
      wake(podErrorRetryMs);
    }

    const start = async (container: Container, fieldPath: string): Promise<void> => {
      if (!volumes) return;
      const view = views.get(container.name);
      const latest = view?.latest;
      const key = `${uid}/${container.name}`;
      if (latest?.state === 'CONTAINER_EXITED') {
        const finishedMs = Math.floor(latest.finishedAt / 1e6);
        if (this.crashBackOff.isInBackOffSince(key, finishedMs)) {
          const delay = goDuration(this.crashBackOff.delayMs(key));
          waiting.set(container.name, { reason: 'CrashLoopBackOff', message: `back-off ${delay} restarting failed container=${container.name} pod=${pod.metadata?.name}_${pod.metadata?.namespace}(${uid})` });
          if (this.lastWaiting.get(key) !== `CrashLoopBackOff/${latest.id}`) {
            recordEvent(this.context, pod, 'Warning', 'BackOff', `Back-off restarting failed container ${container.name} in pod ${pod.metadata?.name}_${pod.metadata?.namespace}(${uid})`, fieldPath);
            this.lastWaiting.set(key, `CrashLoopBackOff/${latest.id}`);
          }
          wake(Math.max(0, this.crashBackOff.endsAtMs(key, finishedMs) - this.context.clock.now()));
          return;
        }
        this.crashBackOff.next(key);
      }
      const attempt = latest ? latest.metadata.attempt + 1 : 0;
      const problem = await startContainer(this.context, { pod, container, fieldPath, sandboxId: sandbox.id, attempt, podIPs, imageBackOff: this.imageBackOff, volumes });
      if (problem) {
        waiting.set(container.name, problem);
        // A failed pull waits out its back-off; other errors are retried a little later.
        wake(problem.reason === 'ErrImagePull' || problem.reason === 'ImagePullBackOff' ? Math.max(1_000, this.imageBackOff.remainingSinceUpdateMs(`${uid}/${container.image}`)) : podErrorRetryMs);
      }
    };

    // Init containers in order, each to success before the next; sidecars start and stay.
    let initialized = true;
    for (const container of pod.spec?.initContainers ?? []) {
      const latest = views.get(container.name)?.latest;
      const fieldPath = `spec.initContainers{${container.name}}`;
      if (isSidecar(container)) {
        if (!latest || latest.state === 'CONTAINER_EXITED') await start(container, fieldPath);
        continue;
      }
      if (latest?.state === 'CONTAINER_EXITED' && latest.exitCode === 0) continue;
      initialized = false;
      if (latest?.state === 'CONTAINER_RUNNING' || latest?.state === 'CONTAINER_CREATED') break;
      if (latest?.state === 'CONTAINER_EXITED' && (pod.spec?.restartPolicy ?? 'Always') === 'Never') break;
      await start(container, fieldPath);
      break;
    }
    if (initialized) {
      for (const container of pod.spec?.containers ?? []) {
        const latest = views.get(container.name)?.latest;
        if (latest && (latest.state !== 'CONTAINER_EXITED' || !shouldRestart(pod, latest.exitCode))) continue;
        await start(container, `spec.containers{${container.name}}`);
      }
    }

    views = await this.containerViews(sandbox.id);
    for (const [name, reason] of waiting) {
      const view = views.get(name) ?? {};
      views.set(name, { ...view, waiting: reason });
    }
    this.probes.sync(pod, podIPs[0] ?? '', runningContainers(pod, views));
    const status = computePodStatus({
      pod,
      sandboxReady: true,
      podIPs,
      hostIP: this.context.hostIP,
      runtimeName: this.context.runtimeName,
      containers: views,
      imageId: (c) => this.context.runtime.imageStatus(c.imageRef)?.repoDigests[0] ?? c.imageRef,
      imageName: (reference) => {
        try {
          return normalizeReference(reference);
        } catch {
          return reference;
        }
      },
      nowMs: this.context.clock.now(),
      containerStarted: (spec, c) => this.probes.started(uid, c.id, spec),
      containerReady: (spec, c) => this.probes.ready(uid, c.id, spec),
    });
    await this.writeStatus(pod, status);
    if (status.phase === 'Succeeded' || status.phase === 'Failed') await this.context.runtime.stopPodSandbox(sandbox.id);
    return requeueAfterMs === undefined ? {} : { requeueAfterMs };
  }

  /**
   * The newest instance and the one before it per container name. Older dead instances are the
   * container GC's (src/kubelet/gc), which keeps --maximum-dead-containers-per-container of them.
   */
  private async containerViews(sandboxId: string): Promise<Map<string, ContainerView>> {
    const byName = new Map<string, ContainerStatus[]>();
    for (const container of await this.context.runtime.listContainers({ podSandboxId: sandboxId })) {
      const list = byName.get(container.metadata.name) ?? [];
      list.push(container);
      byName.set(container.metadata.name, list);
    }
    const views = new Map<string, ContainerView>();
    for (const [name, list] of byName) {
      list.sort((a, b) => b.metadata.attempt - a.metadata.attempt);
      views.set(name, { latest: list[0], previous: list[1] });
    }
    return views;
  }

  private async ensureSandbox(pod: Pod): Promise<PodSandboxStatus> {
    const existing = this.sandboxesOf(pod.metadata?.uid ?? '');
    const ready = existing.find((s) => s.state === 'SANDBOX_READY');
    if (ready) return ready;
    // A sandbox whose network is gone (a host reboot) is replaced; its containers start over.
    for (const old of existing) await this.context.runtime.removePodSandbox(old.id);
    const attempt = existing.length > 0 ? existing[0]!.metadata.attempt + 1 : 0;
    let id: string;
    try {
      id = await this.context.runtime.runPodSandbox(sandboxConfig(pod, this.context.dataDir, attempt));
    } catch (error) {
      recordEvent(this.context, pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(error as Error).message}`);
      throw error;
    }
    return this.context.runtime.podSandboxStatus(id);
  }

  /** Graceful stop: SIGTERM, then SIGKILL after the pod's grace period; then the sandbox goes. */
  async terminate(pod: Pod): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const graceSeconds = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? defaultGracePeriodSeconds;
    for (const sandbox of this.sandboxesOf(uid)) {
      await this.killRunning(pod, sandbox.id, graceSeconds);
      // The final status (containers terminated) before the pod goes, as upstream's status manager.
      if (sandbox === this.sandboxesOf(uid)[0]) await this.writeFinalStatus(pod as PodObject, sandbox).catch(() => undefined);
      await this.context.runtime.removePodSandbox(sandbox.id);
    }
    await this.forget(uid);
  }

  private async killRunning(pod: Pod, sandboxId: string, graceSeconds: number): Promise<void> {
    const running = (await this.context.runtime.listContainers({ podSandboxId: sandboxId })).filter((c) => c.state === 'CONTAINER_RUNNING');
    await Promise.all(
      running.map(async (container) => {
        const name = container.metadata.name;
        const init = pod.spec?.initContainers?.find((c) => c.name === name);
        const spec = init ?? pod.spec?.containers?.find((c) => c.name === name);
        const fieldPath = `spec.${init ? 'initContainers' : 'containers'}{${name}}`;
        await killContainer(this.context, pod, { containerId: container.id, container: spec, fieldPath }, graceSeconds, `Stopping container ${name}`);
      }),
    );
  }

  /** Ends the pod for good (upstream's killPodFunc with a status function); resolves once its containers stopped and its status is written. */
  requestTermination(uid: string, termination: KubeletTermination): Promise<void> {
    const state = this.terminations.get(uid) ?? { termination, killed: false, written: false, waiters: [] };
    this.terminations.set(uid, state);
    return new Promise((resolve) => state.waiters.push(resolve));
  }

  /** Whether the kubelet ended this pod itself (it is no longer active, whatever its phase reads). */
  terminatedByKubelet(uid: string): boolean {
    return this.terminations.has(uid);
  }

  /** Upstream admits a pod once, when it first arrives: here, while no sandbox of it exists yet. */
  private admission(pod: PodObject): TerminationState | undefined {
    if (!this.admit || isTerminal(pod) || pod.status?.phase === 'Running') return undefined;
    const uid = pod.metadata?.uid ?? '';
    if (this.sandboxesOf(uid).length > 0) return undefined;
    const result = this.admit(pod);
    if (result.admit) return undefined;
    recordEvent(this.context, pod, 'Warning', result.reason, result.message);
    const state: TerminationState = { termination: { gracePeriodSeconds: 0, reason: result.reason, message: `Pod was rejected: ${result.message}` }, killed: false, written: false, waiters: [] };
    this.terminations.set(uid, state);
    return state;
  }

  /** Stops what runs, writes phase Failed with the kubelet's reason, keeps no network; the pod object stays. */
  private async endByKubelet(pod: PodObject, state: TerminationState): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const { termination } = state;
    const sandboxes = this.sandboxesOf(uid);
    const withReason = (status: NonNullable<Pod['status']>): NonNullable<Pod['status']> => {
      const conditions = termination.condition ? [...(status.conditions ?? []).filter((c) => c.type !== termination.condition!.type), termination.condition] : status.conditions;
      return { ...status, phase: 'Failed', reason: termination.reason, message: termination.message, ...(conditions ? { conditions } : {}) };
    };
    if (!state.killed && sandboxes.length > 0) {
      // As upstream's status function: Failed with the kubelet's reason first, while the containers stop.
      this.probes.removePod(uid);
      await this.patchStatus(pod, withReason({ conditions: pod.status?.conditions ?? [] }));
      for (const sandbox of sandboxes) await this.killRunning(pod, sandbox.id, termination.gracePeriodSeconds);
    }
    state.killed = true;
    const views = sandboxes[0] ? await this.containerViews(sandboxes[0].id) : new Map<string, ContainerView>();
    const status: Pod['status'] =
      views.size === 0
        ? { phase: 'Failed', reason: termination.reason, message: termination.message, qosClass: podQosClass(pod) }
        : this.terminalStatus(pod, views);
    if (!state.written) await this.patchStatus(pod, withReason(status ?? {}));
    state.written = true;
    for (const sandbox of this.sandboxesOf(uid)) if (sandbox.state === 'SANDBOX_READY') await this.context.runtime.stopPodSandbox(sandbox.id);
    for (const resolve of state.waiters.splice(0)) resolve();
  }

  /** A merge patch, not an update: the cached pod may be older than the API's. */
  private async patchStatus(pod: PodObject, status: Pod['status']): Promise<void> {
    try {
      await this.pods.patch(pod.metadata?.namespace, pod.metadata?.name ?? '', { status }, 'merge', { subresource: 'status' });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  private async writeFinalStatus(pod: PodObject, sandbox: PodSandboxStatus): Promise<void> {
    const views = await this.containerViews(sandbox.id);
    if (views.size === 0) return;
    await this.writeStatus(pod, this.terminalStatus(pod, views));
  }

  /** The status of a pod whose containers have all stopped for good (no sandbox, nothing restarts). */
  private terminalStatus(pod: PodObject, views: Map<string, ContainerView>): ReturnType<typeof computePodStatus> {
    return computePodStatus({
      pod,
      sandboxReady: false,
      podIPs: pod.status?.podIPs?.map((p) => p.ip ?? '').filter(Boolean) ?? [],
      hostIP: this.context.hostIP,
      runtimeName: this.context.runtimeName,
      containers: views,
      imageId: (c) => this.context.runtime.imageStatus(c.imageRef)?.repoDigests[0] ?? c.imageRef,
      nowMs: this.context.clock.now(),
      terminal: true,
    });
  }

  /** Removes what is left of a pod the API no longer has (or that was replaced under its name). */
  async removeOrphan(uid: string): Promise<void> {
    for (const sandbox of this.sandboxesOf(uid)) await this.context.runtime.removePodSandbox(sandbox.id);
    await this.forget(uid);
  }

  private async forget(uid: string): Promise<void> {
    for (const resolve of this.terminations.get(uid)?.waiters ?? []) resolve();
    this.terminations.delete(uid);
    this.probes.removePod(uid);
    this.volumes.tearDown(uid);
    this.crashBackOff.forgetPrefix(`${uid}/`);
    this.imageBackOff.forgetPrefix(`${uid}/`);
    for (const key of this.lastWaiting.keys()) if (key.startsWith(`${uid}/`)) this.lastWaiting.delete(key);
    await rm(join(this.context.dataDir, 'pods', uid), { recursive: true, force: true });
  }

  private async deleteFromApi(pod: PodObject): Promise<void> {
    try {
      await this.pods.delete(pod.metadata?.namespace, pod.metadata?.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid } });
    } catch (error) {
      // Gone already, or a new pod of the same name (the uid precondition failed).
      if (!isNotFound(error) && !isConflict(error)) throw error;
    }
  }

  private async writeStatus(pod: PodObject, status: Pod['status']): Promise<void> {
    if (jsonEqual(pod.status, status)) return;
    try {
      await this.pods.updateStatus(pod.metadata?.namespace, { ...structuredClone(pod), status } as PodObject);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

/** The running instances of the spec's containers and sidecars, for the prober. */
function runningContainers(pod: Pod, views: ReadonlyMap<string, ContainerView>): RunningContainer[] {
  const specs = [...(pod.spec?.initContainers ?? []).filter(isSidecar).map((c) => ({ c, path: 'initContainers' })), ...(pod.spec?.containers ?? []).map((c) => ({ c, path: 'containers' }))];
  const running: RunningContainer[] = [];
  for (const { c, path } of specs) {
    const latest = views.get(c.name)?.latest;
    if (latest?.state !== 'CONTAINER_RUNNING') continue;
    running.push({ container: c, containerId: latest.id, startedAtMs: Math.floor(latest.startedAt / 1e6), fieldPath: `spec.${path}{${c.name}}` });
  }
  return running;
}

/** A probe's own terminationGracePeriodSeconds wins over the pod's, as upstream. */
function probeGraceSeconds(pod: Pod, probe: Probe | undefined): number {
  return probe?.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? defaultGracePeriodSeconds;
}
