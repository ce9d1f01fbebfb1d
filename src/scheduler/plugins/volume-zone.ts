// Filter (VolumeZone): a pod using a bound PV labelled with a zone or region may only run on a
// node in one of those zones/regions. Nodes with no topology labels at all pass (single-zone
// clusters). Unbound WaitForFirstConsumer claims are VolumeBinding's business and are skipped.
import type { PersistentVolume, Pod } from 'kubernetes-types/core/v1.js';
import { claimStorageClass, EMPTY_CLUSTER_OBJECTS, podClaims, type ClusterObjects } from '../framework/cluster-objects.js';
import type { FilterPlugin, PreFilterPlugin } from '../framework/interface.js';
import { Status } from '../framework/status.js';

export const NAME = 'VolumeZone';
const STATE_KEY = `PreFilter${NAME}`;
export const ERR_REASON_CONFLICT = 'node(s) had no available volume zone';

const BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone';
const BETA_REGION = 'failure-domain.beta.kubernetes.io/region';
const ZONE = 'topology.kubernetes.io/zone';
const REGION = 'topology.kubernetes.io/region';
const TOPOLOGY_LABELS = [BETA_ZONE, BETA_REGION, ZONE, REGION] as const;

/** A PV's label may list several zones, joined the way upstream's LabelZonesToSet splits them. */
const ZONES_SEPARATOR = '__';

interface PvTopology {
  pvName: string;
  key: string;
  values: Set<string>;
}

/** A PV labelled with a beta key also matches a node carrying only the GA key. */
const toGALabel = (key: string): string => (key === BETA_REGION ? REGION : key === BETA_ZONE ? ZONE : key);

function pvTopologies(pv: PersistentVolume): PvTopology[] {
  const out: PvTopology[] = [];
  for (const key of TOPOLOGY_LABELS) {
    const value = pv.metadata?.labels?.[key];
    if (value === undefined) continue;
    const zones = value.split(ZONES_SEPARATOR).map((z) => z.trim());
    // Upstream drops a label it cannot parse into zones (an empty entry).
    if (zones.some((z) => z === '')) continue;
    out.push({ pvName: pv.metadata?.name ?? '', key, values: new Set(zones) });
  }
  return out;
}

export function newVolumeZone(_args?: unknown, handle?: { clusterObjects: ClusterObjects }): PreFilterPlugin & FilterPlugin {
  const objects = (): ClusterObjects => handle?.clusterObjects ?? EMPTY_CLUSTER_OBJECTS;

  function topologiesOf(pod: Pod): PvTopology[] | Status {
    const ns = pod.metadata?.namespace ?? '';
    const out: PvTopology[] = [];
    for (const { claimName } of podClaims(pod)) {
      if (!claimName) return Status.unresolvable('PersistentVolumeClaim had no name');
      const pvc = objects().persistentVolumeClaim(ns, claimName);
      if (!pvc) return Status.unresolvable(`persistentvolumeclaim "${claimName}" not found`);
      const pvName = pvc.spec?.volumeName ?? '';
      if (!pvName) {
        const className = claimStorageClass(pvc);
        if (!className) return Status.unresolvable('PersistentVolumeClaim had no pv name and storageClass name');
        const sc = objects().storageClass(className);
        if (!sc) return Status.unresolvable(`storageclass.storage.k8s.io "${className}" not found`);
        if (!sc.volumeBindingMode) return Status.unresolvable(`VolumeBindingMode not set for StorageClass "${className}"`);
        if (sc.volumeBindingMode === 'WaitForFirstConsumer') continue;
        return Status.unresolvable('PersistentVolume had no name');
      }
      const pv = objects().persistentVolume(pvName);
      if (!pv) return Status.unresolvable(`persistentvolume "${pvName}" not found`);
      out.push(...pvTopologies(pv));
    }
    return out;
  }

  return {
    name: NAME,
    preFilter(state, pod): Status {
      const topologies = topologiesOf(pod);
      if (topologies instanceof Status) return topologies;
      if (topologies.length === 0) return Status.skip();
      state.write(STATE_KEY, topologies);
      return Status.success();
    },
    filter(state, pod, nodeInfo): Status {
      if ((pod.spec?.volumes ?? []).length === 0) return Status.success();
      let topologies = state.read<PvTopology[]>(STATE_KEY);
      if (!topologies) {
        const computed = topologiesOf(pod);
        if (computed instanceof Status) return computed;
        topologies = computed;
      }
      const labels = nodeInfo.labels;
      if (!TOPOLOGY_LABELS.some((key) => labels[key] !== undefined)) return Status.success();
      for (const t of topologies) {
        const value = labels[t.key] ?? labels[toGALabel(t.key)];
        if (value === undefined || !t.values.has(value)) return Status.unresolvable(ERR_REASON_CONFLICT);
      }
      return Status.success();
    },
  };
}
