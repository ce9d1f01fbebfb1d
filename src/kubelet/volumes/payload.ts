// What each configuration volume holds, as upstream's configmap, secret, downwardapi and
// projected plugins compute it: keys (or the listed items) to paths with modes. Objects come
// through a Sources interface, so rendering is tested without an API server.
import type { ConfigMap, Container, DownwardAPIVolumeFile, KeyToPath, Pod, Secret, Volume, VolumeProjection } from 'kubernetes-types/core/v1.js';
import { fieldRefValue, resourceFieldValue } from '../container/env.js';
import type { FileProjection } from './atomic-writer.js';

export class VolumeSetUpError extends Error {}

export interface Sources {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  /** A bound service-account token for the pod. */
  token(pod: Pod, audience: string | undefined, expirationSeconds: number): Promise<string>;
  podIP: string;
  podIPs: string[];
  hostIP: string;
  nodeAllocatable: Record<string, string>;
}

export type Payload = Map<string, FileProjection>;

/** The API's default mode (0644) when a volume sets none. */
const defaultMode = 0o644;

function keysToPaths(kind: string, data: Map<string, Buffer>, items: readonly KeyToPath[] | undefined, mode: number, optional: boolean, into: Payload): void {
  if (!items || items.length === 0) {
    for (const [key, value] of data) into.set(key, { data: value, mode });
    return;
  }
  for (const item of items) {
    const value = data.get(item.key);
    if (value === undefined) {
      if (optional) continue;
      throw new VolumeSetUpError(`${kind} references non-existent ${kind === 'configmap' ? 'config' : 'secret'} key: ${item.key}`);
    }
    into.set(item.path, { data: value, mode: item.mode ?? mode });
  }
}

function configMapData(cm: ConfigMap): Map<string, Buffer> {
  const data = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(cm.data ?? {})) data.set(key, Buffer.from(value, 'utf8'));
  for (const [key, value] of Object.entries(cm.binaryData ?? {})) data.set(key, Buffer.from(value, 'base64'));
  return data;
}

function secretData(secret: Secret): Map<string, Buffer> {
  return new Map(Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]));
}

export function downwardApiFiles(pod: Pod, items: readonly DownwardAPIVolumeFile[], mode: number, sources: Pick<Sources, 'podIP' | 'podIPs' | 'hostIP' | 'nodeAllocatable'>, into: Payload): void {
  const containers: Container[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const item of items) {
    let value = '';
    if (item.fieldRef) value = fieldRefValue(pod, item.fieldRef.fieldPath, sources);
    else if (item.resourceFieldRef) {
      const container = containers.find((c) => c.name === item.resourceFieldRef!.containerName);
      if (!container) throw new VolumeSetUpError(`container ${item.resourceFieldRef.containerName} not found`);
      value = resourceFieldValue(container, item.resourceFieldRef.resource, item.resourceFieldRef.divisor, sources.nodeAllocatable);
    }
    into.set(item.path, { data: Buffer.from(value, 'utf8'), mode: item.mode ?? mode });
  }
}

async function projection(pod: Pod, source: VolumeProjection, mode: number, sources: Sources, into: Payload): Promise<void> {
  const namespace = pod.metadata?.namespace ?? 'default';
  if (source.configMap) {
    const name = source.configMap.name ?? '';
    const cm = await sources.configMap(namespace, name);
    if (!cm) {
      if (source.configMap.optional) return;
      throw new VolumeSetUpError(`configmap "${name}" not found`);
    }
    keysToPaths('configmap', configMapData(cm), source.configMap.items, mode, source.configMap.optional ?? false, into);
  } else if (source.secret) {
    const name = source.secret.name ?? '';
    const secret = await sources.secret(namespace, name);
    if (!secret) {
      if (source.secret.optional) return;
      throw new VolumeSetUpError(`secret "${name}" not found`);
    }
    keysToPaths('secret', secretData(secret), source.secret.items, mode, source.secret.optional ?? false, into);
  } else if (source.downwardAPI) {
    downwardApiFiles(pod, source.downwardAPI.items ?? [], mode, sources, into);
  } else if (source.serviceAccountToken) {
    const { path, audience, expirationSeconds } = source.serviceAccountToken;
    // The token file is 0600 by default in projected volumes, as upstream (unless defaultMode says otherwise).
    into.set(path, { data: Buffer.from(await sources.token(pod, audience, expirationSeconds ?? 3600)), mode });
  }
}

/** The files of a configMap, secret, downwardAPI or projected volume. */
export async function volumePayload(pod: Pod, volume: Volume, sources: Sources): Promise<Payload> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const payload: Payload = new Map();
  if (volume.configMap) {
    const name = volume.configMap.name ?? '';
    const cm = await sources.configMap(namespace, name);
    if (!cm) {
      if (volume.configMap.optional) return payload;
      throw new VolumeSetUpError(`configmap "${name}" not found`);
    }
    keysToPaths('configmap', configMapData(cm), volume.configMap.items, volume.configMap.defaultMode ?? defaultMode, volume.configMap.optional ?? false, payload);
  } else if (volume.secret) {
    const name = volume.secret.secretName ?? '';
    const secret = await sources.secret(namespace, name);
    if (!secret) {
      if (volume.secret.optional) return payload;
      throw new VolumeSetUpError(`secret "${name}" not found`);
    }
    keysToPaths('secret', secretData(secret), volume.secret.items, volume.secret.defaultMode ?? defaultMode, volume.secret.optional ?? false, payload);
  } else if (volume.downwardAPI) {
    downwardApiFiles(pod, volume.downwardAPI.items ?? [], volume.downwardAPI.defaultMode ?? defaultMode, sources, payload);
  } else if (volume.projected) {
    for (const source of volume.projected.sources ?? []) await projection(pod, source, volume.projected.defaultMode ?? defaultMode, sources, payload);
  }
  return payload;
}

/** Upstream's kube-api-access-<random> volume, which its ServiceAccount admission adds (k8ts's kubelet adds it). */
export function serviceAccountVolume(name: string): Volume {
  return {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}
