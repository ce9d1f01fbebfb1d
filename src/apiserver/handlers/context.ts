// What every resource handler receives: the parsed request, who sent it, and the endpoint it hit.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import type { TablePrinter } from '../../api/printers/index.js';
import type { ResourceInfo } from '../../api/resources/types.js';
import type { ResourceRequest } from '../http/request-info.js';
import type { ServiceAccountTokens } from '../auth/service-account-tokens.js';
import type { KubeletClientTls } from '../proxy/kubelet-client.js';
import type { ResourceStore } from '../registry/resource-store.js';

export interface UserInfo {
  username: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

/** One served group/version/resource and how its objects map to and from storage. */
export interface Endpoint {
  info: ResourceInfo;
  store: ResourceStore;
  /** The served apiVersion ("apps/v1"). */
  apiVersion: string;
  /** Converts a served-version object to the storage version (identity for most kinds). */
  toStorage(obj: KubeObject): KubeObject;
  /** Converts a stored object to the served version. */
  fromStorage(obj: KubeObject): KubeObject;
  /** True when served and storage versions are the same, so cached JSON can be sent as is. */
  identity: boolean;
  /** Custom resources bring their own table columns (additionalPrinterColumns). */
  printer?: TablePrinter;
  /** Custom resources prune by their CRD's schema; returns the removed field paths. */
  pruneUnknownFields?(obj: KubeObject): string[];
}

/** Server-wide services some handlers need besides the stores. */
export interface ServerServices {
  tokens?: ServiceAccountTokens;
  /** The store of another resource, by group and resource ("policy", "poddisruptionbudgets"). */
  storeFor(group: string, resource: string): ResourceStore | undefined;
  /** TLS to the kubelets (cluster CA, apiserver-kubelet-client certificate), for pods/log, exec, attach, portforward and nodes/proxy. */
  kubeletClient?: KubeletClientTls;
}

export interface RequestContext {
  services: ServerServices;
  request: IncomingMessage;
  response: ServerResponse;
  query: URLSearchParams;
  user: UserInfo;
  info: ResourceRequest;
  endpoint: Endpoint;
}

export function queryInt(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value)) throw badRequest(`invalid ${name} ${JSON.stringify(text)}: must be an integer`);
  return value;
}

export function dryRunOf(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const value of values) {
    if (value !== 'All') throw badRequest(`Invalid dryRun value: ${JSON.stringify(value)}: supported values: "All"`);
  }
  return values.length > 0;
}
