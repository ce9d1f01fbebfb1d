// The pod a controller creates from its template (upstream's GetPodFromTemplate): the template's
// labels, annotations, finalizers and spec, a generated name "<owner>-", and the controller ref.
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from './controller-ref.js';

export function podFromTemplate(template: PodTemplateSpec | undefined, namespace: string, generateName: string, controllerRef?: OwnerReference): Pod {
  const meta = template?.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName,
      namespace,
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ...(controllerRef ? { ownerReferences: [controllerRef] } : {}),
    },
    spec: structuredClone(template?.spec ?? { containers: [] }),
  };
  return pod;
}

/**
 * Upstream's getPodsPrefix: "<owner>-", shortened so the generated name (5 random characters
 * more) stays a valid 63-character name.
 */
export function podNamePrefix(ownerName: string): string {
  const prefix = `${ownerName}-`;
  return prefix.length > 58 ? prefix.slice(0, 58) : prefix;
}
