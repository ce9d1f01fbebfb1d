// For unit tests of the StatefulSet and DaemonSet controllers: a resource client over the same
// Store a fake informer reads, so what a sync writes is what the next sync sees. It does what the
// API server does that the controllers rely on: uids, resourceVersions, creation timestamps,
// Pending pods and claims, AlreadyExists, NotFound and Conflict.
import type { KubeObject } from '../../api/object.js';
import { ApiError, objectKey, type EventHandlers, type Store } from '../../client/index.js';
import type { Clock } from '../common/clock.js';
import { rfc3339 } from '../common/clock.js';

export function apiError(reason: 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Invalid', code: number, message: string = reason): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

let uidCounter = 0;
let rvCounter = 0;

export interface FakeResource {
  readonly calls: string[];
  create(ns: string | undefined, object: KubeObject): Promise<any>;
  get(ns: string | undefined, name: string): Promise<any>;
  update(ns: string | undefined, object: KubeObject): Promise<any>;
  updateStatus(ns: string | undefined, object: KubeObject): Promise<any>;
  delete(ns: string | undefined, name: string, options?: unknown): Promise<any>;
  patch(ns: string | undefined, name: string, patch: unknown, type: string): Promise<any>;
  /** Fails the next call of a verb with this error. */
  failNext(verb: string, error: ApiError): void;
}

export interface FakeResourceOptions {
  /** Status.phase of created objects (the API server starts pods and claims Pending). */
  initialPhase?: string;
  /** Informer handlers told of every write, as a watch would. */
  handlers?: EventHandlers<KubeObject>[];
}

export function fakeResource(store: Store, kind: string, clock: Clock, options: FakeResourceOptions = {}): FakeResource {
  const calls: string[] = [];
  const failures = new Map<string, ApiError>();
  const keyOf = (ns: string | undefined, name: string) => (ns ? `${ns}/${name}` : name);
  const fail = (verb: string) => {
    const error = failures.get(verb);
    if (error) {
      failures.delete(verb);
      throw error;
    }
  };
  const stamp = (object: KubeObject): KubeObject => {
    object.metadata = { ...object.metadata, resourceVersion: String(++rvCounter) };
    const old = store.upsert(object);
    const stored = store.get(objectKey(object))!;
    for (const handler of options.handlers ?? []) {
      if (old) handler.onUpdate?.(old, stored);
      else handler.onAdd?.(stored, false);
    }
    return structuredClone(object);
  };
  return {
    calls,
    failNext: (verb, error) => failures.set(verb, error),
    async create(ns, input) {
      calls.push(`create ${input.metadata?.name}`);
      fail('create');
      const object = structuredClone(input);
      object.kind ??= kind;
      object.metadata = { ...object.metadata, namespace: ns, uid: `uid-${++uidCounter}`, creationTimestamp: rfc3339(clock.now()) };
      if (!object.metadata.name) object.metadata.name = `${object.metadata.generateName ?? ''}${uidCounter}`;
      if (store.get(objectKey(object))) throw apiError('AlreadyExists', 409);
      if (options.initialPhase) object.status = { phase: options.initialPhase };
      return stamp(object);
    },
    async get(ns, name) {
      const object = store.get(keyOf(ns, name));
      if (!object) throw apiError('NotFound', 404);
      return structuredClone(object);
    },
    async update(ns, input) {
      calls.push(`update ${input.metadata?.name}`);
      fail('update');
      const old = store.get(keyOf(ns, input.metadata?.name ?? ''));
      if (!old) throw apiError('NotFound', 404);
      if (input.metadata?.resourceVersion && input.metadata.resourceVersion !== old.metadata?.resourceVersion) throw apiError('Conflict', 409);
      return stamp({ ...structuredClone(input), status: structuredClone(old.status) });
    },
    async updateStatus(ns, input) {
      calls.push(`updateStatus ${input.metadata?.name}`);
      fail('updateStatus');
      const old = store.get(keyOf(ns, input.metadata?.name ?? ''));
      if (!old) throw apiError('NotFound', 404);
      if (input.metadata?.resourceVersion && input.metadata.resourceVersion !== old.metadata?.resourceVersion) throw apiError('Conflict', 409);
      return stamp({ ...structuredClone(old), status: structuredClone(input.status) });
    },
    async delete(ns, name) {
      calls.push(`delete ${name}`);
      fail('delete');
      const old = store.delete(keyOf(ns, name));
      if (!old) throw apiError('NotFound', 404);
      for (const handler of options.handlers ?? []) handler.onDelete?.(old);
      return { kind: 'Status', status: 'Success' };
    },
    async patch(ns, name, patch) {
      calls.push(`patch ${name}`);
      fail('patch');
      const old = store.get(keyOf(ns, name));
      if (!old) throw apiError('NotFound', 404);
      const object = structuredClone(old);
      const refs = (patch as { metadata?: { ownerReferences?: unknown[] } }).metadata?.ownerReferences;
      if (refs) object.metadata = { ...object.metadata, ownerReferences: [...(object.metadata?.ownerReferences ?? []), ...(refs as never[])] };
      return stamp(object);
    },
  };
}
