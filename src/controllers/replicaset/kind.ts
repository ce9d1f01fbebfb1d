// ReplicaSet and ReplicationController share one controller (upstream's ReplicationManager wraps
// the ReplicaSetController the same way); what differs between them is this value.
import { labelSelectorFromObject, labelSelectorFromSet, type LabelSelector } from '../../api/selectors/labels.js';
import type { ResourceRef } from '../../client/index.js';
import { replicaSetsResource, replicationControllersResource } from '../common/resources.js';
import type { ReplicaSet } from './types.js';

export interface ReplicaKind {
  kind: 'ReplicaSet' | 'ReplicationController';
  apiVersion: string;
  resource: ResourceRef;
  /** The work queue's name, as upstream's. */
  queueName: string;
  /** The events' source component, as upstream's. */
  eventComponent: string;
  /** The owner's pod selector; throws on a malformed one. */
  selector(owner: ReplicaSet): LabelSelector;
}

export const replicaSetKind: ReplicaKind = {
  kind: 'ReplicaSet',
  apiVersion: 'apps/v1',
  resource: replicaSetsResource,
  queueName: 'replicaset',
  eventComponent: 'replicaset-controller',
  selector: (owner) => labelSelectorFromObject(owner.spec?.selector),
};

export const replicationControllerKind: ReplicaKind = {
  kind: 'ReplicationController',
  apiVersion: 'v1',
  resource: replicationControllersResource,
  queueName: 'replicationmanager',
  eventComponent: 'replication-controller',
  // An RC's selector is a plain map; upstream matches it as labels.SelectorFromSet.
  selector: (owner) => labelSelectorFromSet(owner.spec?.selector as Record<string, string> | undefined),
};
