import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../object.js';
import { convert } from './index.js';

const coreEvent: KubeObject = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web.17a', namespace: 'default' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'v1', fieldPath: 'spec.containers{web}' },
  reason: 'Pulled',
  message: 'Successfully pulled image "nginx"',
  source: { component: 'kubelet', host: 'node-1' },
  firstTimestamp: '2025-01-01T00:00:00Z',
  lastTimestamp: '2025-01-01T00:05:00Z',
  count: 3,
  type: 'Normal',
  eventTime: '2025-01-01T00:00:00.000000Z',
  series: { count: 2, lastObservedTime: '2025-01-01T00:05:00.000000Z' },
  action: 'Pulling',
  related: { kind: 'Node', name: 'node-1' },
  reportingComponent: 'kubelet',
  reportingInstance: 'node-1',
};

describe('Event conversion', () => {
  it('maps core/v1 fields to events.k8s.io/v1 names', () => {
    const ev: any = convert(coreEvent, 'events.k8s.io/v1');
    assert.deepEqual(ev, {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'web.17a', namespace: 'default' },
      eventTime: '2025-01-01T00:00:00.000000Z',
      series: { count: 2, lastObservedTime: '2025-01-01T00:05:00.000000Z' },
      reportingController: 'kubelet',
      reportingInstance: 'node-1',
      action: 'Pulling',
      reason: 'Pulled',
      regarding: coreEvent['involvedObject'],
      related: { kind: 'Node', name: 'node-1' },
      note: 'Successfully pulled image "nginx"',
      type: 'Normal',
      deprecatedSource: { component: 'kubelet', host: 'node-1' },
      deprecatedFirstTimestamp: '2025-01-01T00:00:00Z',
      deprecatedLastTimestamp: '2025-01-01T00:05:00Z',
      deprecatedCount: 3,
    });
  });

  it('round-trips both ways without loss and without touching the input', () => {
    const snapshot = structuredClone(coreEvent);
    const back = convert(convert(coreEvent, 'events.k8s.io/v1'), 'v1');
    assert.deepEqual(back, coreEvent);
    assert.deepEqual(coreEvent, snapshot);

    const minimal: KubeObject = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e' },
      eventTime: '2025-01-01T00:00:00.000000Z',
      reportingController: 'example.com/ctl',
      reportingInstance: 'ctl-1',
      action: 'Reconcile',
      reason: 'Synced',
      regarding: { kind: 'Deployment', name: 'web' },
      type: 'Normal',
    };
    const asCore: any = convert(minimal, 'v1');
    assert.equal(asCore.reportingComponent, 'example.com/ctl');
    assert.deepEqual(asCore.involvedObject, { kind: 'Deployment', name: 'web' });
    assert.deepEqual(convert(asCore, 'events.k8s.io/v1'), minimal);
  });
});
