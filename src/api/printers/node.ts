// Node printer: STATUS from the Ready condition (plus SchedulingDisabled when cordoned)
// and ROLES from node-role.kubernetes.io/<role> and kubernetes.io/role labels.
import type { Node } from 'kubernetes-types/core/v1.js';
import { age } from './format.js';
import { ageColumn, column, nameColumn, wideColumn, type TablePrinter } from './types.js';

const ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_ROLE_LABEL = 'kubernetes.io/role';

export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith(ROLE_LABEL_PREFIX)) {
      const role = key.slice(ROLE_LABEL_PREFIX.length);
      if (role) roles.add(role);
    } else if (key === LEGACY_ROLE_LABEL && value !== '') {
      roles.add(value);
    }
  }
  return [...roles].sort();
}

export function nodeStatus(node: Node): string {
  const status: string[] = [];
  // When a condition type repeats, upstream's map keeps the last occurrence.
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').at(-1);
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  else status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

function address(node: Node, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';
}

export const nodePrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Readiness of the node, and whether scheduling is disabled.'),
    column('Roles', 'string', 'Roles taken from the node\'s role labels.'),
    ageColumn,
    column('Version', 'string', 'Kubelet version reported by the node.'),
    wideColumn('Internal-IP', 'First InternalIP address of the node.'),
    wideColumn('External-IP', 'First ExternalIP address of the node.'),
    wideColumn('OS-Image', 'Operating system image reported by the node.'),
    wideColumn('Kernel-Version', 'Kernel version reported by the node.'),
    wideColumn('Container-Runtime', 'Container runtime name and version reported by the node.'),
  ],
  cells(obj, now) {
    const node = obj as Node;
    const info = node.status?.nodeInfo;
    const roles = nodeRoles(node).join(',');
    return [
      node.metadata?.name ?? '',
      nodeStatus(node),
      roles || '<none>',
      age(node, now),
      info?.kubeletVersion ?? '',
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      info?.osImage || '<unknown>',
      info?.kernelVersion || '<unknown>',
      info?.containerRuntimeVersion || '<unknown>',
    ];
  },
};
