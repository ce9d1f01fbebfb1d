// Printers for the simpler core/v1 kinds: templates, controllers, config and quota objects.
import type {
  ComponentStatus,
  ConfigMap,
  Namespace,
  PodTemplate,
  ReplicationController,
  ResourceQuota,
  Secret,
  ServiceAccount,
} from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../object.js';
import { age, containerCells, formatLabels, quantity } from './format.js';
import { ageColumn, column, containersColumn, imagesColumn, nameColumn, wideColumn, type TablePrinter } from './types.js';

const nameOf = (obj: KubeObject): string => obj.metadata?.name ?? '';

export const podTemplatePrinter: TablePrinter = {
  // Upstream has no AGE column for pod templates.
  columns: [
    nameColumn,
    column('Containers', 'string', 'Names of the containers in the template.'),
    column('Images', 'string', 'Images used by the containers in the template.'),
    column('Pod Labels', 'string', 'Labels of the pod template.'),
  ],
  cells(obj, _now) {
    const t = obj as PodTemplate;
    const [names, images] = containerCells(t.template?.spec?.containers);
    return [nameOf(obj), names, images, formatLabels(t.template?.metadata?.labels)];
  },
};

export const replicationControllerPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'Number of replicas asked for.'),
    column('Current', 'integer', 'Number of replicas that currently exist.'),
    column('Ready', 'integer', 'Number of replicas that are ready.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    wideColumn('Selector', 'Label query the controller matches pods with.'),
  ],
  cells(obj, now) {
    const rc = obj as ReplicationController;
    const [names, images] = containerCells(rc.spec?.template?.spec?.containers);
    return [
      nameOf(obj),
      rc.spec?.replicas ?? 1,
      rc.status?.replicas ?? 0,
      rc.status?.readyReplicas ?? 0,
      age(rc, now),
      names,
      images,
      formatLabels(rc.spec?.selector),
    ];
  },
};

export const namespacePrinter: TablePrinter = {
  columns: [nameColumn, column('Status', 'string', 'Lifecycle phase of the namespace.'), ageColumn],
  cells(obj, now) {
    return [nameOf(obj), (obj as Namespace).status?.phase ?? '', age(obj, now)];
  },
};

export const secretPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Type', 'string', 'Type of the secret, which hints at how its data is used.'),
    column('Data', 'string', 'Number of data keys in the secret.'),
    ageColumn,
  ],
  cells(obj, now) {
    const s = obj as Secret;
    return [nameOf(obj), s.type ?? '', Object.keys(s.data ?? {}).length, age(s, now)];
  },
};

export const configMapPrinter: TablePrinter = {
  columns: [nameColumn, column('Data', 'string', 'Number of data and binaryData keys.'), ageColumn],
  cells(obj, now) {
    const cm = obj as ConfigMap;
    return [nameOf(obj), Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, age(cm, now)];
  },
};

export const serviceAccountPrinter: TablePrinter = {
  columns: [nameColumn, column('Secrets', 'string', 'Number of secrets listed on the service account.'), ageColumn],
  cells(obj, now) {
    return [nameOf(obj), ((obj as ServiceAccount).secrets ?? []).length, age(obj, now)];
  },
};

export const resourceQuotaPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Request', 'string', 'Used and hard amounts of every non-limit resource in the quota.'),
    column('Limit', 'string', 'Used and hard amounts of every "limits.*" resource in the quota.'),
    ageColumn,
  ],
  cells(obj, now) {
    const rq = obj as ResourceQuota;
    const hard = rq.status?.hard ?? {};
    const used = rq.status?.used ?? {};
    const requests: string[] = [];
    const limits: string[] = [];
    for (const resource of Object.keys(hard).sort()) {
      const entry = `${resource}: ${quantity(used[resource])}/${quantity(hard[resource])}`;
      const pieces = resource.split('.');
      (pieces.length > 1 && pieces[0] === 'limits' ? limits : requests).push(entry);
    }
    return [nameOf(obj), requests.join(', '), limits.join(', '), age(rq, now)];
  },
};

export const componentStatusPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Health derived from the component\'s Healthy condition.'),
    column('Message', 'string', 'Message of the Healthy condition.'),
    column('Error', 'string', 'Error of the Healthy condition.'),
  ],
  cells(obj, _now) {
    const cs = obj as ComponentStatus;
    let status = 'Unknown';
    let message = '';
    let error = '';
    const healthy = (cs.conditions ?? []).find((c) => c.type === 'Healthy');
    if (healthy) {
      status = healthy.status === 'True' ? 'Healthy' : 'Unhealthy';
      message = healthy.message ?? '';
      error = healthy.error ?? '';
    }
    return [nameOf(obj), status, message, error];
  },
};
