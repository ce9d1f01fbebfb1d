// The shortcuts of managedFields bookkeeping, each checked against the slow way on randomized
// inputs: structural-sharing set algebra, re-using a stored fieldsV1 node this process encoded
// (FieldSet.origin), and the "rewrites only its own fields" ownership shortcut.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../object.js';
import { FieldSet, fromFieldsV1, toFieldsV1 } from './field-set.js';
import { encodeManagedFields, formatTime, managerIdentity, type ManagedFields, type ManagerRecord } from './managed-fields.js';
import { fieldElement as f, indexElement, keyElement, valueElement, type PathElement } from './path.js';
import { emptyObjectFor, recordUpdate, typeInfoForKind, type ManagedFieldsEntry } from './index.js';
import { rewritesOnlyItsOwn, takeOwnership } from './update.js';
import { seededRandom } from './seeded-random.js';
import { UNOWNED_FIELDS } from './strip.js';


const ELEMENTS: PathElement[] = [f('metadata'), f('name'), f('labels'), f('spec'), f('status'), f('a'), f('b'), keyElement({ type: 'Ready' }), keyElement({ name: 'x', port: 1 }), valueElement('v'), indexElement(2)];

function randomSet(next: () => number, density: number): FieldSet {
  const set = new FieldSet();
  const paths = Math.floor(next() * density);
  for (let i = 0; i < paths; i++) {
    const depth = 1 + Math.floor(next() * 4);
    set.insert(Array.from({ length: depth }, () => ELEMENTS[Math.floor(next() * ELEMENTS.length)]!));
  }
  return set;
}

/** A set as this process would hold it after storing and reading it back: every node has its origin. */
function stored(set: FieldSet): FieldSet {
  return fromFieldsV1(toFieldsV1(set), true);
}

const json = (set: FieldSet): string => JSON.stringify(toFieldsV1(set));
/** The slow way: an encoding that owes nothing to origins or shared nodes. */
const freshJson = (set: FieldSet): string => JSON.stringify(toFieldsV1(fromFieldsV1(JSON.parse(json(set)))));

test('without and union share untouched nodes yet hold exactly difference and union, encoded the same', () => {
  const next = seededRandom(1);
  for (let i = 0; i < 3000; i++) {
    const a = i % 2 ? stored(randomSet(next, 12)) : randomSet(next, 12);
    const b = i % 3 ? stored(randomSet(next, 6)) : randomSet(next, 6);
    const without = a.without(b);
    assert.deepEqual(without.paths(), a.difference(b).paths());
    assert.equal(json(without), freshJson(a.difference(b)));
    const union = a.union(b);
    const copied = a.clone();
    for (const path of b.paths()) copied.insert(path);
    assert.deepEqual(union.paths(), copied.paths());
    assert.equal(json(union), freshJson(copied));
    assert.equal(a.isSubsetOf(b), a.difference(b).isEmpty());
    assert.equal(a.intersects(b), !a.intersection(b).isEmpty());
  }
});

test('a stored fieldsV1 decodes to a set that encodes back to the very same object', () => {
  const next = seededRandom(2);
  for (let i = 0; i < 500; i++) {
    const fieldsV1 = toFieldsV1(randomSet(next, 12));
    const set = fromFieldsV1(fieldsV1, true);
    if (!set.isEmpty()) assert.equal(toFieldsV1(set), fieldsV1);
    assert.equal(JSON.stringify(toFieldsV1(set.clone())), JSON.stringify(fieldsV1));
  }
});

test('the own-fields shortcut leaves ownership exactly as the general steps would', () => {
  const next = seededRandom(3);
  const now = new Date('2026-11-23T03:02:40Z');
  let shortcuts = 0;
  for (let i = 0; i < 3000; i++) {
    const who: ManagerRecord = { manager: 'sim', operation: 'Update', apiVersion: 'v1', subresource: 'status', fields: new FieldSet() };
    const id = managerIdentity(who);
    const own = stored(randomSet(next, 10));
    const records: [string, ManagerRecord][] = [[id, { ...who, fields: own, time: '2026-11-23T03:00:00Z' }]];
    if (next() < 0.6) records.push(['other', { manager: 'other', operation: 'Update', apiVersion: 'v1', fields: stored(randomSet(next, 6)), time: '2026-11-23T03:01:00Z' }]);
    // Mostly a part of the writer's own fields, sometimes with a stray path, sometimes removals.
    let changed = new FieldSet();
    for (const path of own.paths()) if (next() < 0.4) changed.insert(path);
    if (next() < 0.2) changed = changed.union(randomSet(next, 2));
    if (next() < 0.1) changed = changed.union(UNOWNED_FIELDS);
    const removed = next() < 0.2 ? randomSet(next, 2) : new FieldSet();
    const general: ManagedFields = new Map(records.map(([k, r]) => [k, { ...r }]));
    takeOwnership(general, id, { ...who }, changed, removed, now);
    if (!rewritesOnlyItsOwn(new Map(records), id, changed, removed)) continue;
    shortcuts++;
    const shortcut: ManagedFields = new Map(records.map(([k, r]) => [k, { ...r }]));
    if (!changed.isEmpty()) shortcut.get(id)!.time = formatTime(now);
    for (const m of [general, shortcut]) for (const [k, r] of m) if (r.fields.isEmpty()) m.delete(k);
    assert.equal(JSON.stringify(encodeManagedFields(shortcut)), JSON.stringify(encodeManagedFields(general)));
  }
  assert.ok(shortcuts > 500, `only ${shortcuts} writes took the shortcut`);
});

test('writes on objects as the watch cache holds them record what they record on re-read copies', () => {
  const next = seededRandom(4);
  const typeInfo = typeInfoForKind('v1', 'Node');
  const write = (old: KubeObject | undefined, updated: KubeObject, manager: string, at: Date, subresource?: string): ManagedFieldsEntry[] | undefined =>
    recordUpdate({ old, updated, manager, operation: 'Update', apiVersion: 'v1', now: at, typeInfo, ...(subresource ? { subresource } : {}), ...(old ? {} : { emptyObject: emptyObjectFor('v1', 'Node', true, typeInfo) }) });
  const body = (): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n', uid: 'u', labels: Object.fromEntries(['a', 'b', 'c'].filter(() => next() < 0.5).map((k) => [k, String(Math.floor(next() * 3))])) },
    spec: next() < 0.5 ? { podCIDR: '10.0.0.0/24' } : { unschedulable: true },
    status: {
      conditions: ['Ready', 'MemoryPressure', 'DiskPressure'].filter(() => next() < 0.7).map((type) => ({ type, status: next() < 0.5 ? 'True' : 'False', lastHeartbeatTime: `2026-11-23T03:0${Math.floor(next() * 3)}:00Z` })),
      capacity: next() < 0.5 ? { cpu: '4' } : { cpu: '4', pods: '110' },
    },
  });
  for (let run = 0; run < 40; run++) {
    let cached: KubeObject | undefined;
    let reread: KubeObject | undefined;
    for (let step = 0; step < 12; step++) {
      const updated = body();
      const manager = ['sim', 'sim', 'kubectl', 'controller'][Math.floor(next() * 4)]!;
      const subresource = next() < 0.5 ? 'status' : undefined;
      const at = new Date(Date.UTC(2026, 10, 23, 3, 0, step));
      const fromCache = write(cached, { ...updated }, manager, at, subresource);
      const fromCopy = write(reread && (JSON.parse(JSON.stringify(reread)) as KubeObject), JSON.parse(JSON.stringify(updated)) as KubeObject, manager, at, subresource);
      assert.equal(JSON.stringify(fromCache), JSON.stringify(fromCopy));
      cached = { ...updated, metadata: { ...updated.metadata, managedFields: fromCache } } as KubeObject;
      reread = JSON.parse(JSON.stringify(cached)) as KubeObject;
    }
  }
});
