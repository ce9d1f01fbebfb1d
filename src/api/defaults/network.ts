// networking.k8s.io/v1 and discovery.k8s.io/v1 defaults. Ingress has none: pathType is
// required in v1 rather than defaulted.
import type { KubeObject } from '../object.js';
import { asJson, childObject, ensureObject, listSize, objectItems, setIfNil } from './fields.js';

function setNetworkPolicyDefaults(obj: KubeObject): void {
  const spec = ensureObject(asJson(obj), 'spec');
  for (const direction of ['ingress', 'egress']) {
    for (const rule of objectItems(spec, direction)) {
      for (const port of objectItems(rule, 'ports')) setIfNil(port, 'protocol', 'TCP');
    }
  }
  // A policy always isolates ingress; it isolates egress too when it has egress rules.
  if (listSize(spec['policyTypes']) === 0) {
    spec['policyTypes'] = listSize(spec['egress']) > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
}

function setIngressClassDefaults(obj: KubeObject): void {
  const parameters = childObject(ensureObject(asJson(obj), 'spec'), 'parameters');
  if (parameters) setIfNil(parameters, 'scope', 'Cluster');
}

function setEndpointSliceDefaults(obj: KubeObject): void {
  for (const port of objectItems(asJson(obj), 'ports')) {
    setIfNil(port, 'name', '');
    setIfNil(port, 'protocol', 'TCP');
  }
}

export const networkDefaulters: Record<string, (obj: KubeObject) => void> = {
  'NetworkPolicy.networking.k8s.io': setNetworkPolicyDefaults,
  'IngressClass.networking.k8s.io': setIngressClassDefaults,
  'EndpointSlice.discovery.k8s.io': setEndpointSliceDefaults,
};
