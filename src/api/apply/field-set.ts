// A set of paths stored as a tree, like structured-merge-diff's fieldpath.Set: each node has
// members (paths ending here) and children (paths continuing below). A path can be both a
// member and have children; fieldsV1 then writes "." inside the child's object.
import { compareElements, isPathElement, normalizeElement, type Path, type PathElement } from './path.js';

export class FieldSet {
  readonly members = new Set<PathElement>();
  readonly children = new Map<PathElement, FieldSet>();

  static of(...paths: Path[]): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  insert(path: Path): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) node = node.child(path[i]!);
    node.members.add(path[path.length - 1]!);
  }

  /** The child set for an element, created on demand. */
  child(element: PathElement): FieldSet {
    let next = this.children.get(element);
    if (!next) {
      next = new FieldSet();
      this.children.set(element, next);
    }
    return next;
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(path[i]!);
    return node?.members.has(path[path.length - 1]!) ?? false;
  }

  /** The subtree below one element (empty when absent): Set.WithPrefix. */
  withPrefix(element: PathElement): FieldSet {
    return this.children.get(element) ?? EMPTY;
  }

  isEmpty(): boolean {
    if (this.members.size > 0) return false;
    for (const child of this.children.values()) if (!child.isEmpty()) return false;
    return true;
  }

  union(other: FieldSet): FieldSet {
    const out = this.clone();
    out.addAll(other);
    return out;
  }

  private addAll(other: FieldSet): void {
    for (const m of other.members) this.members.add(m);
    for (const [e, c] of other.children) this.child(e).addAll(c);
  }

  /** Paths of this set that are not in other (members compared exactly, as Set.Difference). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [e, c] of this.children) {
      const o = other.children.get(e);
      const d = o ? c.difference(o) : c.clone();
      if (!d.isEmpty()) out.children.set(e, d);
    }
    return out;
  }

  /** Like difference, but a member of other also removes everything below it. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [e, c] of this.children) {
      if (other.members.has(e)) continue;
      const o = other.children.get(e);
      const d = o ? c.recursiveDifference(o) : c.clone();
      if (!d.isEmpty()) out.children.set(e, d);
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (other.members.has(m)) out.members.add(m);
    for (const [e, c] of this.children) {
      const o = other.children.get(e);
      if (!o) continue;
      const i = c.intersection(o);
      if (!i.isEmpty()) out.children.set(e, i);
    }
    return out;
  }

  /** Adds every named-field parent as a member too (EnsureNamedFieldsAreMembers), so pruning can remove it. */
  withNamedParentsAsMembers(): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) out.members.add(m);
    for (const [e, c] of this.children) {
      const sub = c.withNamedParentsAsMembers();
      if (e.startsWith('f:') && !sub.isEmpty()) out.members.add(e);
      if (!sub.isEmpty()) out.children.set(e, sub);
    }
    return out;
  }

  clone(): FieldSet {
    const out = new FieldSet();
    out.addAll(this);
    return out;
  }

  equals(other: FieldSet): boolean {
    return this.difference(other).isEmpty() && other.difference(this).isEmpty();
  }

  /** Every member path, in upstream's Set.Iterate order: a node's members, then its children. */
  paths(): Path[] {
    const out: Path[] = [];
    const walk = (node: FieldSet, prefix: PathElement[]): void => {
      for (const m of [...node.members].sort(compareElements)) out.push([...prefix, m]);
      for (const e of [...node.children.keys()].sort(compareElements)) walk(node.children.get(e)!, [...prefix, e]);
    };
    walk(this, []);
    return out;
  }
}

const EMPTY = new FieldSet();

export type FieldsV1 = { [element: string]: FieldsV1 };

/** The fieldsV1 JSON of a set: keys in PathElement order, "." first for members with children. */
export function toFieldsV1(set: FieldSet): FieldsV1 {
  return encodeNode(set, false);
}

function encodeNode(set: FieldSet, includeSelf: boolean): FieldsV1 {
  const out: FieldsV1 = {};
  const empty = set.members.size === 0 && set.children.size === 0;
  if (includeSelf && !empty) out['.'] = {};
  const elements = new Set<PathElement>([...set.members, ...set.children.keys()]);
  for (const e of [...elements].sort(compareElements)) {
    const child = set.children.get(e);
    out[e] = child ? encodeNode(child, set.members.has(e)) : {};
  }
  return out;
}

/** Parses fieldsV1 JSON (object or string); throws on malformed input, as FieldsToSet does. */
export function fromFieldsV1(json: unknown): FieldSet {
  const value = typeof json === 'string' ? (JSON.parse(json) as unknown) : json;
  const set = new FieldSet();
  decodeNode(value, set);
  return set;
}

function decodeNode(value: unknown, into: FieldSet): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('expected an object in fieldsV1');
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (key === '.') continue;
    if (!isPathElement(key)) throw new Error(`unexpected fieldsV1 key ${JSON.stringify(key)}`);
    const element = normalizeElement(key);
    const grandchildren = child as Record<string, unknown>;
    const keys = grandchildren && typeof grandchildren === 'object' ? Object.keys(grandchildren) : [];
    if (keys.length === 0 || keys.includes('.')) into.members.add(element);
    if (keys.some((k) => k !== '.')) decodeNode(child, into.child(element));
  }
}
