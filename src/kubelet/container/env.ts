// A container's environment as upstream's makeEnvironmentVariables builds it: envFrom first,
// then env in order, each value able to refer to the ones before it with $(VAR); configMap and
// secret references read through the API. A missing required reference is a
// CreateContainerConfigError with upstream's message.
import type { ConfigMap, Container, Pod, Secret } from 'kubernetes-types/core/v1.js';
import { quantityToNano } from '../../api/defaults/quantity.js';
import type { KeyValue } from '../../runtime/cri/types.js';
import { expand } from './expansion.js';

export class ContainerConfigError extends Error {}

export interface EnvSources {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  podIP: string;
  podIPs: string[];
  hostIP: string;
  /** Node allocatable, the value of a resourceFieldRef whose limit is not set. */
  nodeAllocatable: Record<string, string>;
  /** Service links (service-env.ts); the container's own variables override them. */
  serviceEnv?: ReadonlyMap<string, string>;
}

const envVarName = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export async function containerEnv(pod: Pod, container: Container, sources: EnvSources): Promise<KeyValue[]> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const env = new Map<string, string>(sources.serviceEnv ?? []);
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    let data: Record<string, string> = {};
    if (from.configMapRef) {
      const name = from.configMapRef.name ?? '';
      const cm = await sources.configMap(namespace, name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${name}" not found`);
      }
      data = { ...cm.data };
    } else if (from.secretRef) {
      const name = from.secretRef.name ?? '';
      const secret = await sources.secret(namespace, name);
      if (!secret) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${name}" not found`);
      }
      data = Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    }
    // Keys that are not valid variable names are skipped, as upstream (which reports them in an event).
    for (const [key, value] of Object.entries(data)) if (envVarName.test(prefix + key)) env.set(prefix + key, value);
  }
  const lookup = (name: string): string | undefined => env.get(name);
  for (const variable of container.env ?? []) {
    const source = variable.valueFrom;
    if (!source) {
      env.set(variable.name, expand(variable.value ?? '', lookup));
      continue;
    }
    let value: string | undefined;
    if (source.fieldRef) {
      value = fieldRefValue(pod, source.fieldRef.fieldPath, sources);
    } else if (source.resourceFieldRef) {
      const target = source.resourceFieldRef.containerName ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === source.resourceFieldRef!.containerName) : container;
      value = resourceFieldValue(target ?? container, source.resourceFieldRef.resource, source.resourceFieldRef.divisor, sources.nodeAllocatable);
    } else if (source.configMapKeyRef) {
      const { name = '', key, optional } = source.configMapKeyRef;
      const cm = await sources.configMap(namespace, name);
      if (!cm) {
        if (optional) continue;
        throw new ContainerConfigError(`configmap "${name}" not found`);
      }
      value = cm.data?.[key];
      if (value === undefined) {
        if (optional) continue;
        throw new ContainerConfigError(`couldn't find key ${key} in ConfigMap ${namespace}/${name}`);
      }
    } else if (source.secretKeyRef) {
      const { name = '', key, optional } = source.secretKeyRef;
      const secret = await sources.secret(namespace, name);
      if (!secret) {
        if (optional) continue;
        throw new ContainerConfigError(`secret "${name}" not found`);
      }
      const encoded = secret.data?.[key];
      if (encoded === undefined) {
        if (optional) continue;
        throw new ContainerConfigError(`couldn't find key ${key} in Secret ${namespace}/${name}`);
      }
      value = Buffer.from(encoded, 'base64').toString('utf8');
    }
    env.set(variable.name, value ?? '');
  }
  return [...env].map(([key, value]) => ({ key, value }));
}

/** The downward API's fieldRef paths the kubelet resolves (the rest the API server refuses). */
export function fieldRefValue(pod: Pod, fieldPath: string, sources: Pick<EnvSources, 'podIP' | 'podIPs' | 'hostIP'>): string {
  const subscript = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (subscript) {
    const map = subscript[1] === 'labels' ? pod.metadata?.labels : pod.metadata?.annotations;
    return map?.[subscript[2]!] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata?.name ?? '';
    case 'metadata.namespace':
      return pod.metadata?.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata?.uid ?? '';
    case 'metadata.labels':
      return formatMap(pod.metadata?.labels);
    case 'metadata.annotations':
      return formatMap(pod.metadata?.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
    case 'status.hostIPs':
      return sources.hostIP;
    case 'status.podIP':
      return sources.podIP;
    case 'status.podIPs':
      return sources.podIPs.join(',');
    default:
      throw new ContainerConfigError(`unsupported fieldRef ${fieldPath}`);
  }
}

/** key="value" lines sorted by key, as the downward API formats labels and annotations. */
function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {}).sort().map((key) => `${key}=${JSON.stringify(map![key])}`).join('\n');
}

/** ceil(quantity / divisor); an unset limit is the node's allocatable, as upstream. */
export function resourceFieldValue(container: Container, resource: string, divisor: unknown, nodeAllocatable: Record<string, string>): string {
  const [kind, name = ''] = resource.split('.', 2) as [string, string?];
  const list = kind === 'limits' ? container.resources?.limits : container.resources?.requests;
  let quantity = list?.[name] ?? (kind === 'limits' ? nodeAllocatable[name] : undefined);
  if (quantity === undefined && kind === 'requests' && name === 'cpu') quantity = '0';
  const amount = quantityToNano(quantity ?? '0') ?? 0n;
  const per = quantityToNano(divisor ?? '1') || 1_000_000_000n;
  if (amount === 0n) return '0';
  return String((amount + per - 1n) / per);
}
