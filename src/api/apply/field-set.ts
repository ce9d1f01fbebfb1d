// A set of paths stored as a tree, like structured-merge-diff's fieldpath.Set: each node has
// members (paths ending here) and children (paths continuing below). A path can be both a
// member and have children; fieldsV1 then writes "." inside the child's object.
import { isOwnEncoding } from './own-encodings.js';
import { compareElements, elementOfFieldsV1Key, type Path, type PathElement } from './path.js';

export class FieldSet {
  readonly members = new Set<PathElement>();
  readonly children = new Map<PathElement, FieldSet>();
  /**
   * The fieldsV1 node this set was decoded from, when that was this process's own (canonical)
   * encoding: toFieldsV1 returns it instead of rebuilding it. Sets are never modified after
   * they are built, so it stays true.
   */
  origin: Record<string, unknown> | undefined = undefined;

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

  /**
   * Paths in either set. Child sets only one side has are shared, not copied, and a set other
   * adds nothing to is returned itself: callers must treat the result as shared.
   */
  union(other: FieldSet): FieldSet {
    let grows = false;
    for (const m of other.members) {
      if (!this.members.has(m)) {
        grows = true;
        break;
      }
    }
    let grownChildren: Map<PathElement, FieldSet> | undefined;
    for (const [e, theirs] of other.children) {
      const mine = this.children.get(e);
      const joined = mine === undefined ? theirs : mine.union(theirs);
      if (joined !== mine) (grownChildren ??= new Map()).set(e, joined);
    }
    if (!grows && grownChildren === undefined) return this;
    const out = new FieldSet();
    for (const m of this.members) out.members.add(m);
    for (const m of other.members) out.members.add(m);
    for (const [e, c] of this.children) out.children.set(e, grownChildren?.get(e) ?? c);
    if (grownChildren) for (const [e, c] of grownChildren) if (!out.children.has(e)) out.children.set(e, c);
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
   * difference, except that nothing is copied that other does not touch: a set sharing no member
   * with other is returned itself, and so is every child set below that shares none (most writes
   * touch few managers' fields, and those only in one corner). Callers must treat the result as
   * shared. (Copying would only also prune empty child sets, which no decoded or computed set holds.)
   */
  without(other: FieldSet): FieldSet {
    if (other.members.size === 0 && other.children.size === 0) return this;
    let membersShared = false;
    const [few, many] = this.members.size <= other.members.size ? [this.members, other.members] : [other.members, this.members];
    for (const m of few) {
      if (many.has(m)) {
        membersShared = true;
        break;
      }
    }
    let changedChildren: Map<PathElement, FieldSet> | undefined;
    const theseFewer = this.children.size <= other.children.size;
    for (const [e, c] of theseFewer ? this.children : other.children) {
      const mine = theseFewer ? c : this.children.get(e);
      const theirs = theseFewer ? other.children.get(e) : c;
      if (mine === undefined || theirs === undefined) continue;
      const left = mine.without(theirs);
      if (left !== mine) (changedChildren ??= new Map()).set(e, left);
    }
    if (!membersShared && changedChildren === undefined) return this;
    const out = new FieldSet();
    for (const m of this.members) if (!other.members.has(m)) out.members.add(m);
    for (const [e, c] of this.children) {
      const left = changedChildren?.get(e) ?? c;
      if (!left.isEmpty()) out.children.set(e, left);
    }
    return out;
  }

  /** Whether some path is in both sets. */
  intersects(other: FieldSet): boolean {
    const [few, many] = this.members.size <= other.members.size ? [this.members, other.members] : [other.members, this.members];
    for (const m of few) if (many.has(m)) return true;
    const [fewer, more] = this.children.size <= other.children.size ? [this.children, other.children] : [other.children, this.children];
    for (const [e, c] of fewer) {
      const o = more.get(e);
      if (o && c.intersects(o)) return true;
    }
    return false;
  }

  /** Whether every path of this set is in other. */
  isSubsetOf(other: FieldSet): boolean {
    for (const m of this.members) if (!other.members.has(m)) return false;
    for (const [e, c] of this.children) {
      const o = other.children.get(e);
      if (o === undefined ? !c.isEmpty() : !c.isSubsetOf(o)) return false;
    }
    return true;
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
  return encodeNode(set, false, asFieldsObject(previous), isOwnEncoding(previous));
}

/** `ownPrevious`: previous is this process's own encoding, whose keys are canonical elements in order. */
function encodeNode(set: FieldSet, includeSelf: boolean, previous: Record<string, unknown> | undefined, ownPrevious: boolean): FieldsV1 {
  const withSelf = includeSelf && (set.members.size > 0 || set.children.size > 0);
  // The node it was decoded from spells it exactly, unless the parent's membership moved.
  if (set.origin !== undefined && hasOwn(set.origin, '.') === withSelf) return set.origin as FieldsV1;
  const out: FieldsV1 = {};
  if (withSelf) out['.'] = {};
  const elements = (previous && elementsInOrderOf(set, previous, ownPrevious)) ?? sortedElements(set);
  for (const e of elements) {
    const child = set.children.get(e);
    out[e] = child ? encodeNode(child, set.members.has(e), previous && asFieldsObject(previous[e]), ownPrevious) : {};
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
function elementsInOrderOf(set: FieldSet, previous: Record<string, unknown>, ownPrevious: boolean): PathElement[] | undefined {
  const elements: PathElement[] = [];
  let members = 0;
  let children = 0;
  for (const key of Object.keys(previous)) {
    if (key === '.') continue;
    if (!ownPrevious) {
      if (elementOfFieldsV1Key(key) !== key) return undefined;
      const last = elements[elements.length - 1];
      if (last !== undefined && compareElements(last, key) >= 0) return undefined;
    }
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

const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/**
 * Parses fieldsV1 JSON (object or string); throws on malformed input, as FieldsToSet does.
 * `canonical`: the object is exactly toFieldsV1 of its set (this process encoded it), so every
 * node may keep it as its origin.
 */
export function fromFieldsV1(json: unknown, canonical = false): FieldSet {
  const value = typeof json === 'string' ? (JSON.parse(json) as unknown) : json;
  const set = new FieldSet();
  decodeNode(value, set, canonical && typeof json !== 'string');
  return set;
}

function decodeNode(value: unknown, into: FieldSet, canonical: boolean): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('expected an object in fieldsV1');
  }
  const node = value as Record<string, unknown>;
  if (canonical) into.origin = node;
  for (const key of Object.keys(node)) {
    if (key === '.') continue;
    // Our own encoding spells every key as its element already.
    const element = canonical ? key : elementOfFieldsV1Key(key);
    if (element === undefined) throw new Error(`unexpected fieldsV1 key ${JSON.stringify(key)}`);
    const child = node[key];
    // A leaf ({} or anything without keys) or a node with "." is a member; other keys are children.
    let self = true;
    let below = false;
    if (child && typeof child === 'object') {
      self = false;
      // (for…in with hasOwn reads Object.keys' keys without building the array; two answers suffice.)
      for (const k in child) {
        if (!hasOwn(child, k)) continue;
        if (k === '.') self = true;
        else below = true;
        if (self && below) break;
      }
      if (!below) self = true;
    }
    if (self) into.members.add(element);
    if (below) decodeNode(child, into.child(element), canonical);
  }
}
