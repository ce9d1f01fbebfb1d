// A StatefulSet controller over fake informers whose stores the fake API writes through, so a
// test can sync, look at what was written, play the kubelet (make pods Running and Ready) and
// sync again.
import type { KubeObject } from '../../api/object.js';
import { FakeClock, rfc3339 } from '../common/clock.js';
import { RecordingEventRecorder } from '../common/events.js';
import { fakeInformer } from '../fakes.test-support.js';
import { fakeResource } from '../history/fake-api.test-support.js';
import type { Pod, StatefulSet } from '../history/types.js';
import { StatefulSetController } from './controller.js';

export function statefulSet(name: string, spec: Record<string, unknown> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default', uid: `set-${name}`, generation: 1, resourceVersion: '1' },
    spec: {
      replicas: 3,
      serviceName: 'nginx',
      selector: { matchLabels: { app: name } },
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
      ...spec,
    } as never,
  };
}

export function setup(objects: { sets: StatefulSet[]; pods?: Pod[]; claims?: KubeObject[] }) {
  const clock = new FakeClock();
  const sets = fakeInformer(objects.sets);
  const pods = fakeInformer(objects.pods ?? []);
  const revisions = fakeInformer();
  const claims = fakeInformer(objects.claims ?? []);
  const recorder = new RecordingEventRecorder();
  const setClient = fakeResource(sets.store, 'StatefulSet', clock);
  const podClient = fakeResource(pods.store, 'Pod', clock, { initialPhase: 'Pending' });
  const claimClient = fakeResource(claims.store, 'PersistentVolumeClaim', clock, { initialPhase: 'Pending' });
  const revisionClient = fakeResource(revisions.store, 'ControllerRevision', clock);
  const controller = new StatefulSetController({ sets, pods, revisions, claims, setClient, podClient, claimClient, revisionClient, recorder, clock });
  const key = (name: string) => `default/${name}`;
  return {
    clock,
    controller,
    recorder,
    stores: { sets: sets.store, pods: pods.store, revisions: revisions.store, claims: claims.store },
    clients: { setClient, podClient, claimClient, revisionClient },
    sync: (name: string) => controller.sync(key(name)),
    pod: (name: string) => pods.store.get(key(name)) as Pod | undefined,
    podNames: () => pods.store.list().map((pod) => pod.metadata?.name).sort(),
    set: (name: string) => sets.store.get(key(name)) as StatefulSet,
    /** Plays the kubelet: the pod runs and is Ready. */
    makeReady(name: string, phase = 'Running') {
      const pod = structuredClone(pods.store.get(key(name))!) as Pod;
      pod.status = { phase, conditions: [{ type: 'Ready', status: phase === 'Running' ? 'True' : 'False', lastTransitionTime: rfc3339(clock.now()) }] };
      pods.store.upsert(pod);
    },
    /** Changes the set's spec as a user would (generation bumps). */
    editSet(name: string, change: (set: StatefulSet) => void) {
      const set = structuredClone(sets.store.get(key(name))!) as StatefulSet;
      change(set);
      set.metadata!.generation = (set.metadata!.generation ?? 0) + 1;
      sets.store.upsert(set);
    },
  };
}
