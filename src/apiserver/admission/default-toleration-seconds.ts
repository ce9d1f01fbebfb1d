// Upstream's DefaultTolerationSeconds admission (plugin/pkg/admission/defaulttolerationseconds):
// a new pod that does not already tolerate the not-ready and unreachable NoExecute taints gets
// tolerations for them lasting --default-not-ready-toleration-seconds and
// --default-unreachable-toleration-seconds (300 each), so a node failure evicts it after five
// minutes rather than at once.
import type { AdmissionPlugin } from '../registry/resource-store.js';

export const defaultTolerationSeconds = 300;
const notReadyTaintKey = 'node.kubernetes.io/not-ready';
const unreachableTaintKey = 'node.kubernetes.io/unreachable';

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface DefaultTolerationSecondsOptions {
  notReadySeconds?: number;
  unreachableSeconds?: number;
}

export function defaultTolerationSecondsPlugin(options: DefaultTolerationSecondsOptions = {}): AdmissionPlugin {
  const notReadySeconds = options.notReadySeconds ?? defaultTolerationSeconds;
  const unreachableSeconds = options.unreachableSeconds ?? defaultTolerationSeconds;
  return {
    name: 'DefaultTolerationSeconds',
    async admit({ operation, store, object }) {
      if (operation !== 'CREATE' || store.ref.group !== '' || store.ref.resource !== 'pods' || object.kind !== 'Pod') return;
      const spec = (object.spec ??= {}) as { tolerations?: Toleration[] };
      const tolerations = spec.tolerations ?? [];
      // An empty key or effect is a wildcard, as upstream checks it (the operator is not looked at).
      const tolerates = (key: string): boolean => tolerations.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'));
      const added: Toleration[] = [];
      if (!tolerates(notReadyTaintKey)) added.push({ key: notReadyTaintKey, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: notReadySeconds });
      if (!tolerates(unreachableTaintKey)) added.push({ key: unreachableTaintKey, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: unreachableSeconds });
      if (added.length > 0) spec.tolerations = [...tolerations, ...added];
    },
  };
}
