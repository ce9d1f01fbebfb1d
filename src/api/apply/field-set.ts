// A set of paths stored as a tree, like structured-merge-diff's fieldpath.Set: each node has
// members (paths ending here) and children (paths continuing below). A path can be both a
// member and have children; fieldsV1 then writes "." inside the child's object.
import { compareElements, elementOfFieldsV1Key, type Path, type PathElement } from './path.js';

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

  /**
   * difference, except that a set sharing no member with other is returned itself rather than
   * copied: most writes touch few managers' fields. Callers must treat the result as shared.
   * (Copying would only also prune empty child sets, which no decoded or computed set holds.)
   */
  without(other: FieldSet): FieldSet {
    return this.sharesMemberWith(other) ? this.difference(other) : this;
  }

  private sharesMemberWith(other: FieldSet): boolean {
    const [few, many] = this.members.size <= other.members.size ? [this.members, other.members] : [other.members, this.members];
    for (const m of few) if (many.has(m)) return true;
    const [fewer, more] = this.children.size <= other.children.size ? [this.children, other.children] : [other.children, this.children];
    for (const [e, c] of fewer) {
      const o = more.get(e);
      if (o && c.sharesMemberWith(o)) return true;
    }
    return false;
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

/**
 * The fieldsV1 JSON of a set: keys in PathElement order, "." first for members with children.
 * `previous` is an earlier fieldsV1 of (most of) the same set, typically the stored entry this
 * set was decoded from: where a node of it lists exactly this node's elements, already in order,
 * that order is checked and taken instead of sorting again, which is most nodes on most writes.
 */
export function toFieldsV1(set: FieldSet, previous?: unknown): FieldsV1 {
  return encodeNode(set, false, asFieldsObject(previous));
}

function encodeNode(set: FieldSet, includeSelf: boolean, previous: Record<string, unknown> | undefined): FieldsV1 {
  const out: FieldsV1 = {};
  if (includeSelf && (set.members.size > 0 || set.children.size > 0)) out['.'] = {};
  const elements = (previous && elementsInOrderOf(set, previous)) ?? sortedElements(set);
  for (const e of elements) {
    const child = set.children.get(e);
    out[e] = child ? encodeNode(child, set.members.has(e), previous && asFieldsObject(previous[e])) : {};
  }
  return out;
}

/** Members, then children that are not members (the order ties keep), in PathElement order. */
function sortedElements(set: FieldSet): PathElement[] {
  const elements = [...set.members];
  for (const e of set.children.keys()) if (!set.members.has(e)) elements.push(e);
  if (elements.length > 1) elements.sort(compareElements);
  return elements;
}

/**
 * The set's elements in the order `previous` lists them, when that is exactly the set's elements
 * (each spelled canonically) in strictly increasing PathElement order, i.e. what sorting would
 * give; otherwise undefined. Checking an order is cheaper than sorting.
 */
function elementsInOrderOf(set: FieldSet, previous: Record<string, unknown>): PathElement[] | undefined {
  const elements: PathElement[] = [];
  let members = 0;
  let children = 0;
  for (const key of Object.keys(previous)) {
    if (key === '.') continue;
    if (elementOfFieldsV1Key(key) !== key) return undefined;
    const last = elements[elements.length - 1];
    if (last !== undefined && compareElements(last, key) >= 0) return undefined;
    const isMember = set.members.has(key);
    const isChild = set.children.has(key);
    if (!isMember && !isChild) return undefined;
    if (isMember) members++;
    if (isChild) children++;
    elements.push(key);
  }
  return members === set.members.size && children === set.children.size ? elements : undefined;
}

function asFieldsObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
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
  const node = value as Record<string, unknown>;
  for (const key of Object.keys(node)) {
    if (key === '.') continue;
    const element = elementOfFieldsV1Key(key);
    if (element === undefined) throw new Error(`unexpected fieldsV1 key ${JSON.stringify(key)}`);
    const child = node[key];
    // A leaf ({} or anything without keys) or a node with "." is a member; other keys are children.
    let self = true;
    let below = false;
    if (child && typeof child === 'object') {
      self = false;
      for (const k of Object.keys(child)) {
        if (k === '.') self = true;
        else below = true;
      }
      if (!below) self = true;
    }
    if (self) into.members.add(element);
    if (below) decodeNode(child, into.child(element));
  }
}
