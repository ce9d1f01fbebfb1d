// Where a node's kubelet listens: the first usable address of its status (InternalIP, then
// ExternalIP, then Hostname, the API server's default --kubelet-preferred-address-types order
// without the DNS kinds) and status.daemonEndpoints.kubeletEndpoint.Port.
import { badRequest, StatusError } from '../../api/errors.js';

export interface NodeLike {
  metadata?: { name?: string };
  status?: { addresses?: { type: string; address: string }[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } };
}

const preferredAddressTypes = ['InternalIP', 'ExternalIP', 'Hostname'] as const;

export interface KubeletAddress {
  host: string;
  port: number;
}

export function kubeletAddress(node: NodeLike): KubeletAddress {
  const name = node.metadata?.name ?? '';
  const addresses = node.status?.addresses ?? [];
  let host: string | undefined;
  for (const type of preferredAddressTypes) {
    host = addresses.find((a) => a.type === type && a.address)?.address;
    if (host) break;
  }
  if (!host) throw badRequest(`no preferred addresses found; known addresses: []`);
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!port) throw new StatusError(503, 'ServiceUnavailable', `node "${name}" has no kubelet endpoint port in its status`);
  return { host, port };
}

/** host:port for a URL, bracketing IPv6. */
export function hostPort(address: KubeletAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
