// A tiny in-memory API for job controller unit tests: writes land in the fake informers' stores
// (and their handlers are called, as a watch would), so successive syncs see their own effects.
import type { KubeObject } from '../../api/object.js';
import { ApiError } from '../../client/index.js';
import { FakeClock, rfc3339 } from '../common/clock.js';
import { RecordingEventRecorder } from '../common/events.js';
import { fakeInformer } from '../fakes.test-support.js';
import { JobController } from './controller.js';
import type { JobApi } from './job-api.js';
import type { Job, Pod } from './types.js';

export function notFound(): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'not found', reason: 'NotFound', code: 404 });
}

export class FakeJobCluster {
  readonly clock = new FakeClock();
  readonly recorder = new RecordingEventRecorder();
  readonly jobs = fakeInformer();
  readonly pods = fakeInformer();
  readonly delayed: { key: string; delayMs: number }[] = [];
  readonly controller: JobController;
  private nextId = 0;
  private rv = 100;

  constructor() {
    const api: JobApi = {
      getJob: async (ns, name) => {
        const job = this.jobs.store.get(`${ns}/${name}`);
        if (!job) throw notFound();
        return structuredClone(job) as Job;
      },
      updateJobStatus: async (job) => {
        const stored = structuredClone(job);
        stored.metadata!.resourceVersion = String(++this.rv);
        this.upsert(this.jobs, stored);
        return structuredClone(stored) as Job;
      },
      createPod: async (ns, pod) => {
        const created = structuredClone(pod) as Pod & KubeObject;
        const id = ++this.nextId;
        created.metadata = { ...created.metadata, name: `${created.metadata?.generateName ?? ''}p${id}`, namespace: ns, uid: `pod-uid-${id}`, creationTimestamp: rfc3339(this.clock.now()), resourceVersion: String(++this.rv) };
        (created as { status?: unknown }).status = { phase: 'Pending' };
        this.upsert(this.pods, created);
        return created;
      },
      deletePod: async (ns, name) => {
        const pod = this.pods.store.get(`${ns}/${name}`);
        if (!pod) throw notFound();
        if ((pod.metadata?.finalizers ?? []).length === 0) return this.remove(this.pods, `${ns}/${name}`);
        const deleting = structuredClone(pod);
        deleting.metadata!.deletionTimestamp = rfc3339(this.clock.now());
        this.upsert(this.pods, deleting);
      },
      patchPod: async (ns, name, patch) => {
        const pod = this.pods.store.get(`${ns}/${name}`);
        if (!pod) throw notFound();
        const patched = structuredClone(pod);
        const meta = (patch as { metadata: Record<string, unknown> }).metadata;
        const drop = (meta['$deleteFromPrimitiveList/finalizers'] as string[] | undefined) ?? [];
        patched.metadata!.finalizers = (patched.metadata!.finalizers ?? []).filter((f) => !drop.includes(f));
        if (meta.ownerReferences) patched.metadata!.ownerReferences = meta.ownerReferences as never;
        if (meta.finalizers) patched.metadata!.finalizers = [...(patched.metadata!.finalizers ?? []), ...(meta.finalizers as string[])];
        if (patched.metadata!.deletionTimestamp && patched.metadata!.finalizers!.length === 0) return this.remove(this.pods, `${ns}/${name}`);
        this.upsert(this.pods, patched);
      },
    };
    this.controller = new JobController({ jobs: this.jobs, pods: this.pods, api, clock: this.clock, recorder: this.recorder });
    // Record requeues instead of arming real timers.
    this.controller.deps.enqueueAfter = (key, delayMs) => this.delayed.push({ key, delayMs });
  }

  addJob(job: Job): void {
    const stored: Job = { apiVersion: 'batch/v1', kind: 'Job', ...structuredClone(job) };
    stored.metadata = { namespace: 'ns', uid: 'job-uid', resourceVersion: '1', creationTimestamp: rfc3339(this.clock.now()), ...stored.metadata };
    this.upsert(this.jobs, stored);
  }

  job(name = 'j'): Job {
    return this.jobs.store.get(`ns/${name}`) as Job;
  }

  podList(): Pod[] {
    return this.pods.store.list() as Pod[];
  }

  /** The pod as the node would report it: terminated with this exit code (phase per code). */
  finishPod(name: string, exitCode: number): void {
    const pod = structuredClone(this.pods.store.get(`ns/${name}`)!) as Pod & { status: Record<string, unknown> };
    const at = rfc3339(this.clock.now());
    pod.status = {
      phase: exitCode === 0 ? 'Succeeded' : 'Failed',
      containerStatuses: [{ name: 'c', ready: false, restartCount: 0, image: 'i', imageID: '', state: { terminated: { exitCode, finishedAt: at, startedAt: at } } }],
    };
    pod.metadata = { ...pod.metadata, resourceVersion: String(++this.rv) };
    this.upsert(this.pods, pod);
  }

  runPod(name: string): void {
    const pod = structuredClone(this.pods.store.get(`ns/${name}`)!) as Pod & { status: Record<string, unknown>; spec: Record<string, unknown> };
    pod.spec.nodeName = 'node-1';
    pod.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(this.clock.now()) }] };
    pod.metadata = { ...pod.metadata, resourceVersion: String(++this.rv) };
    this.upsert(this.pods, pod);
  }

  /** A node finishing a deleted pod: gone once its finalizers are. */
  completeDeletion(name: string): void {
    const current = this.pods.store.get(`ns/${name}`);
    if (!current) return;
    const pod = structuredClone(current) as Pod & { status: Record<string, unknown> };
    if ((pod.metadata?.finalizers ?? []).length === 0) return this.remove(this.pods, `ns/${name}`);
    pod.status = { ...pod.status, phase: 'Failed' };
    this.upsert(this.pods, pod);
  }

  async sync(name = 'j'): Promise<void> {
    await this.controller.syncJob(`ns/${name}`);
  }

  private upsert(informer: ReturnType<typeof fakeInformer>, object: KubeObject): void {
    const old = informer.store.get(`${object.metadata?.namespace}/${object.metadata?.name}`);
    informer.store.upsert(object);
    const stored = informer.store.get(`${object.metadata?.namespace}/${object.metadata?.name}`)!;
    for (const h of informer.handlers) old ? h.onUpdate?.(old, stored) : h.onAdd?.(stored, false);
  }

  private remove(informer: ReturnType<typeof fakeInformer>, key: string): void {
    const old = informer.store.get(key);
    informer.store.delete(key);
    if (old) for (const h of informer.handlers) h.onDelete?.(old);
  }
}

export function simpleJob(spec: Job['spec'] = {}, name = 'j'): Job {
  return {
    metadata: { name, namespace: 'ns' },
    spec: {
      parallelism: 1,
      completions: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'job-uid' } },
      template: { metadata: { labels: { 'batch.kubernetes.io/controller-uid': 'job-uid', 'batch.kubernetes.io/job-name': name } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } },
      ...spec,
    },
  };
}
