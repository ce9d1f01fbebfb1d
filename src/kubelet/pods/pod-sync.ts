// One pass of a pod's worker (upstream's SyncPod and computePodActions in miniature): make sure
// its sandbox is up, run init containers one by one to success, then keep the containers as
// restartPolicy asks, with CrashLoopBackOff between restarts; then report the status. Everything
// is derived from the runtime's state each pass, so a restarted agent adopts what is running.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { jsonEqual, type KubeObject } from '../../api/object.js';
import { isConflict, isNotFound, type ResourceClient } from '../../client/index.js';
import type { ContainerStatus, PodSandboxStatus } from '../../runtime/cri/types.js';
import { startContainer } from '../container/start.js';
import { labels, podsResource, recordEvent, type KubeletContext } from '../context.js';
import { defaultGracePeriodSeconds, deadContainersPerContainerName } from '../limits.js';
import { BackOff, goDuration } from './backoff.js';
import { sandboxConfig } from './sandbox-config.js';
import { computePodStatus, isSidecar, type ContainerView, type Waiting } from './status.js';

type PodObject = Pod & KubeObject;

export interface SyncResult {
  /** Sync again after this long (a back-off ends). */
  requeueAfterMs?: number;
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

  constructor(private readonly context: KubeletContext) {
    this.crashBackOff = new BackOff(context.clock);
    this.imageBackOff = new BackOff(context.clock);
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

    const start = async (container: Container, fieldPath: string): Promise<void> => {
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
      const problem = await startContainer(this.context, { pod, container, fieldPath, sandboxId: sandbox.id, attempt, podIPs, imageBackOff: this.imageBackOff });
      if (problem) {
        waiting.set(container.name, problem);
        // Image pulls and config errors are retried on the relist; a pull waits out its back-off.
        if (problem.reason === 'ErrImagePull') wake(this.imageBackOff.delayMs(`${uid}/${container.image}`));
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
    const status = computePodStatus({
      pod,
      sandboxReady: true,
      podIPs,
      hostIP: this.context.hostIP,
      runtimeName: this.context.runtimeName,
      containers: views,
      imageId: (c) => this.context.runtime.imageStatus(c.imageRef)?.repoDigests[0] ?? c.imageRef,
      nowMs: this.context.clock.now(),
    });
    await this.writeStatus(pod, status);
    if (status.phase === 'Succeeded' || status.phase === 'Failed') await this.context.runtime.stopPodSandbox(sandbox.id);
    return requeueAfterMs === undefined ? {} : { requeueAfterMs };
  }

  /** The newest instance and the one before it per container name; older exited ones are removed. */
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
      for (const dead of list.slice(1 + deadContainersPerContainerName)) {
        if (dead.state === 'CONTAINER_EXITED') await this.context.runtime.removeContainer(dead.id).catch(() => undefined);
      }
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
    const id = await this.context.runtime.runPodSandbox(sandboxConfig(pod, this.context.dataDir, attempt));
    return this.context.runtime.podSandboxStatus(id);
  }

  /** Graceful stop: SIGTERM, then SIGKILL after the pod's grace period; then the sandbox goes. */
  async terminate(pod: Pod): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const graceSeconds = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? defaultGracePeriodSeconds;
    for (const sandbox of this.sandboxesOf(uid)) {
      const running = (await this.context.runtime.listContainers({ podSandboxId: sandbox.id })).filter((c) => c.state === 'CONTAINER_RUNNING');
      await Promise.all(
        running.map(async (container) => {
          const init = pod.spec?.initContainers?.some((c) => c.name === container.metadata.name);
          recordEvent(this.context, pod, 'Normal', 'Killing', `Stopping container ${container.metadata.name}`, `spec.${init ? 'initContainers' : 'containers'}{${container.metadata.name}}`);
          await this.context.runtime.stopContainer(container.id, graceSeconds);
        }),
      );
      await this.context.runtime.removePodSandbox(sandbox.id);
    }
    this.forget(uid);
  }

  /** Removes what is left of a pod the API no longer has (or that was replaced under its name). */
  async removeOrphan(uid: string): Promise<void> {
    for (const sandbox of this.sandboxesOf(uid)) await this.context.runtime.removePodSandbox(sandbox.id);
    this.forget(uid);
  }

  private forget(uid: string): void {
    this.crashBackOff.forgetPrefix(`${uid}/`);
    this.imageBackOff.forgetPrefix(`${uid}/`);
    for (const key of this.lastWaiting.keys()) if (key.startsWith(`${uid}/`)) this.lastWaiting.delete(key);
    rmSync(join(this.context.dataDir, 'pods', uid), { recursive: true, force: true });
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
