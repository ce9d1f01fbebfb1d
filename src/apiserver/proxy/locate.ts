// Finds the pod and the kubelet of its node for a pods/log, exec, attach or portforward request.
import { badRequest, serviceUnavailable } from '../../api/errors.js';
import type { ServerServices } from '../handlers/context.js';
import type { ResourceStore } from '../registry/resource-store.js';
import { kubeletAddress, type KubeletAddress, type NodeLike } from './kubelet-address.js';
import type { KubeletClientTls } from './kubelet-client.js';
import type { PodLike } from './pod-container.js';

export function kubeletTls(services: ServerServices): KubeletClientTls {
  if (!services.kubeletClient) throw serviceUnavailable('this API server has no kubelet client certificate configured');
  return services.kubeletClient;
}

export async function nodeKubelet(services: ServerServices, nodeName: string): Promise<KubeletAddress> {
  const nodes = services.storeFor('', 'nodes');
  if (!nodes) throw serviceUnavailable('nodes are not served');
  return kubeletAddress((await nodes.get('', nodeName)).object as NodeLike);
}

export async function podOf(pods: ResourceStore, namespace: string, name: string): Promise<PodLike> {
  return (await pods.get(namespace, name)).object as PodLike;
}

export function assignedNode(pod: PodLike): string {
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw badRequest(`pod ${pod.metadata?.name ?? ''} does not have a host assigned`);
  return nodeName;
}
