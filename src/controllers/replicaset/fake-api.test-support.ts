// For replica and deployment controller unit tests: a resource client over a fake informer's
// store, so what a sync writes is what the next sync reads, as with a real informer.
import type { KubeObject } from '../../api/object.js';
import { ApiError, objectKey, type EventHandlers, type Store } from '../../client/index.js';
import type { Clock } from '../common/clock.js';
import { rfc3339 } from '../common/clock.js';

let counter = 0;

function apiError(code: number, reason: string, message: string): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code } as never);
}

export class FakeResource {
  readonly calls: string[] = [];
  /** Makes the next creates fail with this error (e.g. a quota refusal). */
  failCreates: ApiError | undefined;

  constructor(
    private readonly informer: { store: Store; handlers: EventHandlers<KubeObject>[] },
    private readonly clock: Clock,
    private readonly kind: string,
  ) {}

  private get store(): Store {
    return this.informer.store;
  }

  /** Stores the object and tells the handlers, as a watch event would. */
  private put(object: KubeObject): void {
    const old = this.store.upsert(object);
    for (const handler of this.informer.handlers) {
      if (old) handler.onUpdate?.(old, this.store.get(objectKey(object))!);
      else handler.onAdd?.(this.store.get(objectKey(object))!, false);
    }
  }

  /** Stores a change made by someone else (a kubelet marking a pod ready, a user scaling). */
  external(object: KubeObject): void {
    const copy = structuredClone(object);
    copy.metadata = { ...copy.metadata, resourceVersion: String(++counter) };
    this.put(copy);
  }

  remove(key: string): void {
    const old = this.store.delete(key);
    if (old) for (const handler of this.informer.handlers) handler.onDelete?.(old);
  }

  async get(ns: string | undefined, name: string): Promise<KubeObject> {
    const object = this.store.get(ns ? `${ns}/${name}` : name);
    if (!object) throw apiError(404, 'NotFound', `${this.kind} "${name}" not found`);
    return structuredClone(object);
  }

  async create(ns: string | undefined, object: KubeObject): Promise<KubeObject> {
    if (this.failCreates) throw this.failCreates;
    const created = structuredClone(object);
    const meta = (created.metadata ??= {});
    meta.namespace = ns;
    meta.name ??= `${meta.generateName ?? ''}${(++counter).toString(36).padStart(5, 'x')}`;
    if (this.store.get(objectKey(created))) throw apiError(409, 'AlreadyExists', `${this.kind} "${meta.name}" already exists`);
    meta.uid = `uid-${++counter}`;
    meta.resourceVersion = String(++counter);
    meta.generation = 1;
    meta.creationTimestamp = rfc3339(this.clock.now());
    this.calls.push(`create ${meta.name}`);
    this.put(created);
    return structuredClone(created);
  }

  async update(ns: string | undefined, object: KubeObject): Promise<KubeObject> {
    return this.write(ns, object, false);
  }

  async updateStatus(ns: string | undefined, object: KubeObject): Promise<KubeObject> {
    return this.write(ns, object, true);
  }

  async patch(ns: string | undefined, name: string, patch: { metadata?: { ownerReferences?: unknown[]; annotations?: Record<string, string> } }): Promise<KubeObject> {
    const current = await this.get(ns, name);
    const meta = current.metadata!;
    const refs = patch.metadata?.ownerReferences as { $patch?: string; uid?: string }[] | undefined;
    if (refs?.[0]?.$patch === 'delete') meta.ownerReferences = (meta.ownerReferences ?? []).filter((ref) => ref.uid !== refs[0]!.uid);
    else if (refs) meta.ownerReferences = [...(meta.ownerReferences ?? []), ...(refs as never[])];
    if (patch.metadata?.annotations) meta.annotations = { ...meta.annotations, ...patch.metadata.annotations };
    meta.resourceVersion = String(++counter);
    this.calls.push(`patch ${name}`);
    this.put(current);
    return structuredClone(current);
  }

  async delete(ns: string | undefined, name: string): Promise<KubeObject> {
    const current = await this.get(ns, name);
    this.calls.push(`delete ${name}`);
    this.remove(objectKey(current));
    return current;
  }

  private async write(ns: string | undefined, object: KubeObject, status: boolean): Promise<KubeObject> {
    const current = await this.get(ns, object.metadata?.name ?? '');
    if (object.metadata?.resourceVersion && object.metadata.resourceVersion !== current.metadata?.resourceVersion) {
      throw apiError(409, 'Conflict', `Operation cannot be fulfilled on ${this.kind} "${current.metadata?.name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    let next: KubeObject;
    if (status) {
      next = structuredClone(current);
      next.status = structuredClone(object.status);
      this.calls.push(`status ${current.metadata?.name}`);
    } else {
      next = structuredClone(object);
      next.status = structuredClone(current.status);
      next.metadata = { ...next.metadata, uid: current.metadata?.uid, creationTimestamp: current.metadata?.creationTimestamp, generation: current.metadata?.generation };
      if (JSON.stringify(object.spec) !== JSON.stringify(current.spec)) next.metadata.generation = (current.metadata?.generation ?? 0) + 1;
      this.calls.push(`update ${current.metadata?.name}`);
    }
    next.metadata!.resourceVersion = String(++counter);
    this.put(next);
    return structuredClone(next);
  }
}
