// Finds the message table for a kind and resolves qualified message names. Tables are
// parsed on first use: most servers only ever see a handful of kinds arrive as protobuf.
import { parseMessage, type MessageSchema, type SchemaGroup } from './schema.js';
import { appsV1 } from './schemas/apps-v1.js';
import { authenticationV1 } from './schemas/authentication-v1.js';
import { authorizationV1 } from './schemas/authorization-v1.js';
import { autoscalingV1 } from './schemas/autoscaling-v1.js';
import { autoscalingV2 } from './schemas/autoscaling-v2.js';
import { batchV1 } from './schemas/batch-v1.js';
import { certificatesV1 } from './schemas/certificates-v1.js';
import { coordinationV1 } from './schemas/coordination-v1.js';
import { coreV1 } from './schemas/core-v1.js';
import { discoveryV1 } from './schemas/discovery-v1.js';
import { eventsV1 } from './schemas/events-v1.js';
import { metaV1 } from './schemas/meta-v1.js';
import { networkingV1 } from './schemas/networking-v1.js';
import { policyV1 } from './schemas/policy-v1.js';
import { rbacV1 } from './schemas/rbac-v1.js';
import { schedulingV1 } from './schemas/scheduling-v1.js';

export const SCHEMA_GROUPS: readonly SchemaGroup[] = [
  metaV1,
  coreV1,
  appsV1,
  batchV1,
  autoscalingV1,
  autoscalingV2,
  policyV1,
  rbacV1,
  schedulingV1,
  networkingV1,
  authenticationV1,
  authorizationV1,
  certificatesV1,
  coordinationV1,
  eventsV1,
  discoveryV1,
];

const groupsByNamespace = new Map(SCHEMA_GROUPS.map((group) => [group.namespace, group]));
const groupsByApiVersion = new Map(SCHEMA_GROUPS.map((group) => [group.apiVersion, group]));
const parsed = new Map<string, MessageSchema>();

/** Resolves "core/v1:Container"; undefined when no table defines it. */
export function lookupMessage(qualifiedName: string): MessageSchema | undefined {
  const cached = parsed.get(qualifiedName);
  if (cached) return cached;
  const colon = qualifiedName.lastIndexOf(':');
  const group = groupsByNamespace.get(qualifiedName.slice(0, colon));
  const name = qualifiedName.slice(colon + 1);
  if (!group || !Object.hasOwn(group.messages, name)) return undefined;
  const schema = parseMessage(group.namespace, name, group.messages[name]!);
  parsed.set(qualifiedName, schema);
  return schema;
}

/**
 * The message for a top-level object. Options types such as DeleteOptions are registered
 * upstream in every group version, so clients send them under the resource's apiVersion.
 */
export function rootMessageFor(apiVersion: string, kind: string): MessageSchema | undefined {
  if (kind === 'DeleteOptions') return lookupMessage('meta/v1:DeleteOptions');
  const group = groupsByApiVersion.get(apiVersion);
  if (!group || !group.kinds.includes(kind)) return undefined;
  return lookupMessage(`${group.namespace}:${kind}`);
}

/** Every apiVersion/kind pair that can arrive as protobuf. */
export function supportedKinds(): { apiVersion: string; kind: string }[] {
  return SCHEMA_GROUPS.flatMap((group) => group.kinds.map((kind) => ({ apiVersion: group.apiVersion, kind })));
}
