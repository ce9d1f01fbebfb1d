// The informer's local cache (client-go's cache.Indexer): objects by "ns/name" key plus named
// indexes. Objects are deep-frozen on the way in: they are shared by every handler and worker, so
// a worker must copy (structuredClone) before changing one; mutating a cached object throws.
import type { KubeObject } from '../api/object.js';

/** Returns the index values an object is filed under (e.g. its node name); [] for none. */
export type IndexFunc<T> = (object: T) => string[];

/** Built-in index of every store, as client-go's cache.NamespaceIndex. */
export const namespaceIndex = 'namespace';

/** "ns/name", or "name" for cluster-scoped objects (client-go's MetaNamespaceKeyFunc). */
export function objectKey(object: KubeObject): string {
  const name = object.metadata?.name;
  if (!name) throw new Error('object has no metadata.name');
  const ns = object.metadata?.namespace;
  return ns ? `${ns}/${name}` : name;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  freezeObject(value);
  return value;
}

/**
 * Every watch event's object passes through here, so no Object.values array per object and no
 * call for primitives; for-in is safe on decoded JSON (no inherited enumerable properties).
 */
function freezeObject(value: object): void {
  if (Object.isFrozen(value)) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (typeof child === 'object' && child !== null) freezeObject(child);
    }
  } else {
    for (const key in value) {
      const child: unknown = (value as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) freezeObject(child);
    }
  }
  Object.freeze(value);
}

export interface ReadonlyStore<T extends KubeObject> {
  get(key: string): T | undefined;
  list(): T[];
  listKeys(): string[];
  byIndex(indexName: string, value: string): T[];
  addIndexer(name: string, indexFunc: IndexFunc<T>): void;
}

export class Store<T extends KubeObject = KubeObject> implements ReadonlyStore<T> {
  private readonly items = new Map<string, T>();
  private readonly indexFuncs = new Map<string, IndexFunc<T>>();
  /** index name → index value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor() {
    this.addIndexer(namespaceIndex, (object) => [object.metadata?.namespace ?? '']);
  }

  /** Adds an index; objects already cached are indexed at once. */
  addIndexer(name: string, indexFunc: IndexFunc<T>): void {
    if (this.indexFuncs.has(name)) throw new Error(`indexer "${name}" already exists`);
    this.indexFuncs.set(name, indexFunc);
    this.indices.set(name, new Map());
    for (const [key, object] of this.items) this.index(name, key, object, 'add');
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  byIndex(indexName: string, value: string): T[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`index "${indexName}" does not exist`);
    return [...(index.get(value) ?? [])].map((key) => this.items.get(key)!);
  }

  /** Adds or replaces; returns the object it replaced. */
  upsert(object: T): T | undefined {
    const key = objectKey(object);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    const frozen = deepFreeze(object);
    this.items.set(key, frozen);
    for (const name of this.indexFuncs.keys()) this.index(name, key, frozen, 'add');
    return old;
  }

  /** Removes by key; returns what was cached. */
  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  private unindex(key: string, object: T): void {
    for (const name of this.indexFuncs.keys()) this.index(name, key, object, 'remove');
  }

  private index(name: string, key: string, object: T, change: 'add' | 'remove'): void {
    const index = this.indices.get(name)!;
    for (const value of this.indexFuncs.get(name)!(object)) {
      let keys = index.get(value);
      if (change === 'add') {
        if (!keys) index.set(value, (keys = new Set()));
        keys.add(key);
      } else if (keys) {
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}
