// A DaemonSet controller over fake informers whose stores the fake API writes through (with
// informer events, so expectations are observed), plus kubelet and scheduler stand-ins.
import { FakeClock, rfc3339 } from '../common/clock.js';
import { RecordingEventRecorder } from '../common/events.js';
import { fakeInformer } from '../fakes.test-support.js';
import { fakeResource } from '../history/fake-api.test-support.js';
import type { DaemonSet, Node, Pod } from '../history/types.js';
import { DaemonSetsController } from './controller.js';
import { targetNodeName } from './eligibility.js';

export function node(name: string, extra: { labels?: Record<string, string>; taints?: { key: string; value?: string; effect: string }[] } = {}): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: `node-${name}`, resourceVersion: '1', ...(extra.labels ? { labels: extra.labels } : {}) }, spec: extra.taints ? { taints: extra.taints as never } : {} };
}

export function daemonSet(name: string, spec: Record<string, unknown> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default', uid: `ds-${name}`, generation: 1, resourceVersion: '1', annotations: { 'deprecated.daemonset.template.generation': '1' } },
    spec: {
      selector: { matchLabels: { app: name } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'agent:1' }] } },
      ...spec,
    } as never,
  };
}

export function setup(objects: { daemonSets: DaemonSet[]; nodes: Node[]; pods?: Pod[] }) {
  const clock = new FakeClock();
  const daemonSets = fakeInformer(objects.daemonSets);
  const pods = fakeInformer(objects.pods ?? []);
  const nodes = fakeInformer(objects.nodes);
  const revisions = fakeInformer();
  const recorder = new RecordingEventRecorder();
  const daemonSetClient = fakeResource(daemonSets.store, 'DaemonSet', clock);
  const podClient = fakeResource(pods.store, 'Pod', clock, { initialPhase: 'Pending', handlers: pods.handlers });
  const revisionClient = fakeResource(revisions.store, 'ControllerRevision', clock);
  const controller = new DaemonSetsController({ daemonSets, pods, nodes, revisions, daemonSetClient, podClient, revisionClient, recorder, clock });
  const key = (name: string) => `default/${name}`;
  const allPods = () => pods.store.list() as Pod[];
  return {
    clock,
    controller,
    recorder,
    stores: { daemonSets: daemonSets.store, pods: pods.store, nodes: nodes.store, revisions: revisions.store },
    podClient,
    nodesInformer: nodes,
    sync: (name: string) => controller.sync(key(name)),
    ds: (name: string) => daemonSets.store.get(key(name)) as DaemonSet,
    allPods,
    /** node name → images of its live pods */
    podsByNode() {
      const out: Record<string, string[]> = {};
      for (const pod of allPods()) (out[targetNodeName(pod) ?? '?'] ??= []).push(pod.spec?.containers[0]?.image ?? '');
      return out;
    },
    /** Plays scheduler and kubelet: every pod is bound to its node, Running and Ready. */
    runAll() {
      for (const pod of allPods()) {
        if (pod.status?.phase === 'Running') continue;
        const copy = structuredClone(pod);
        copy.spec!.nodeName = targetNodeName(pod);
        copy.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(clock.now()) }] };
        pods.store.upsert(copy);
      }
    },
    editDaemonSet(name: string, change: (ds: DaemonSet) => void) {
      const ds = structuredClone(daemonSets.store.get(key(name))!) as DaemonSet;
      const before = JSON.stringify(ds.spec?.template);
      change(ds);
      ds.metadata!.generation = (ds.metadata!.generation ?? 0) + 1;
      // The API server advances the template generation when the template changes.
      if (JSON.stringify(ds.spec?.template) !== before) {
        const generation = Number(ds.metadata!.annotations!['deprecated.daemonset.template.generation']) + 1;
        ds.metadata!.annotations = { ...ds.metadata!.annotations, 'deprecated.daemonset.template.generation': String(generation) };
      }
      daemonSets.store.upsert(ds);
    },
  };
}
