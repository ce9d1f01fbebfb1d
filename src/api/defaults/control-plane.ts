// Defaults of the API-machinery groups: admissionregistration, apiextensions, apiregistration,
// flowcontrol and scheduling.
import { isJsonObject, type KubeObject } from '../object.js';
import {
  asJson,
  childObject,
  ensureObject,
  isZero,
  listSize,
  objectItems,
  setIfNil,
  setIfZero,
  type JsonObject,
} from './fields.js';

const DEFAULT_WEBHOOK_PORT = 443;

/** ServiceReference.port in webhook client configs and APIServices. */
function setServiceReferencePort(holder: JsonObject | undefined): void {
  const service = holder ? childObject(holder, 'service') : undefined;
  if (service) setIfNil(service, 'port', DEFAULT_WEBHOOK_PORT);
}

/** Rule.scope: "*" covers both cluster and namespaced resources. */
function setRuleDefaults(rules: JsonObject[]): void {
  for (const rule of rules) setIfNil(rule, 'scope', '*');
}

function setWebhookDefaults(webhook: JsonObject): void {
  setIfNil(webhook, 'failurePolicy', 'Fail');
  setIfNil(webhook, 'matchPolicy', 'Equivalent');
  setIfNil(webhook, 'namespaceSelector', {});
  setIfNil(webhook, 'objectSelector', {});
  setIfNil(webhook, 'timeoutSeconds', 10);
  setRuleDefaults(objectItems(webhook, 'rules'));
  setServiceReferencePort(childObject(webhook, 'clientConfig'));
}

function setValidatingWebhookConfigurationDefaults(obj: KubeObject): void {
  for (const webhook of objectItems(asJson(obj), 'webhooks')) setWebhookDefaults(webhook);
}

function setMutatingWebhookConfigurationDefaults(obj: KubeObject): void {
  for (const webhook of objectItems(asJson(obj), 'webhooks')) {
    setWebhookDefaults(webhook);
    setIfNil(webhook, 'reinvocationPolicy', 'Never');
  }
}

/** MatchResources of admission policies and their bindings. */
function setMatchResourcesDefaults(match: JsonObject | undefined): void {
  if (!match) return;
  setIfNil(match, 'matchPolicy', 'Equivalent');
  setIfNil(match, 'namespaceSelector', {});
  setIfNil(match, 'objectSelector', {});
  setRuleDefaults(objectItems(match, 'resourceRules'));
  setRuleDefaults(objectItems(match, 'excludeResourceRules'));
}

function setValidatingAdmissionPolicyDefaults(obj: KubeObject): void {
  const spec = ensureObject(asJson(obj), 'spec');
  setIfNil(spec, 'failurePolicy', 'Fail');
  setMatchResourcesDefaults(childObject(spec, 'matchConstraints'));
}

function setValidatingAdmissionPolicyBindingDefaults(obj: KubeObject): void {
  setMatchResourcesDefaults(childObject(ensureObject(asJson(obj), 'spec'), 'matchResources'));
}

function setCustomResourceDefinitionDefaults(obj: KubeObject): void {
  const json = asJson(obj);
  const spec = ensureObject(json, 'spec');
  const names = ensureObject(spec, 'names');
  const kind = typeof names['kind'] === 'string' ? names['kind'] : '';
  setIfZero(names, 'singular', kind.toLowerCase());
  if (isZero(names['listKind']) && kind !== '') names['listKind'] = `${kind}List`;
  setIfNil(spec, 'conversion', { strategy: 'None' });
  const webhook = childObject(ensureObject(spec, 'conversion'), 'webhook');
  setServiceReferencePort(webhook ? childObject(webhook, 'clientConfig') : undefined);

  // storedVersions starts as the storage version.
  const status = ensureObject(json, 'status');
  if (listSize(status['storedVersions']) === 0) {
    const storage = objectItems(spec, 'versions').find((v) => v['storage'] === true);
    if (storage && typeof storage['name'] === 'string') status['storedVersions'] = [storage['name']];
  }
}

function setAPIServiceDefaults(obj: KubeObject): void {
  setServiceReferencePort(childObject(asJson(obj), 'spec'));
}

function setFlowSchemaDefaults(obj: KubeObject): void {
  setIfZero(ensureObject(asJson(obj), 'spec'), 'matchingPrecedence', 1000);
}

function setPriorityLevelConfigurationDefaults(obj: KubeObject): void {
  const spec = ensureObject(asJson(obj), 'spec');
  if (spec['type'] === 'Exempt') setIfNil(spec, 'exempt', {});
  const exempt = childObject(spec, 'exempt');
  if (exempt) {
    setIfNil(exempt, 'nominalConcurrencyShares', 0);
    setIfNil(exempt, 'lendablePercent', 0);
  }
  const limited = childObject(spec, 'limited');
  if (limited) {
    setIfNil(limited, 'nominalConcurrencyShares', 30);
    setIfNil(limited, 'lendablePercent', 0);
    const limitResponse = limited['limitResponse'];
    const queuing = isJsonObject(limitResponse) ? childObject(limitResponse, 'queuing') : undefined;
    if (queuing) {
      setIfZero(queuing, 'handSize', 8);
      setIfZero(queuing, 'queues', 64);
      setIfZero(queuing, 'queueLengthLimit', 50);
    }
  }
}

function setPriorityClassDefaults(obj: KubeObject): void {
  setIfNil(asJson(obj), 'preemptionPolicy', 'PreemptLowerPriority');
}

export const controlPlaneDefaulters: Record<string, (obj: KubeObject) => void> = {
  'ValidatingWebhookConfiguration.admissionregistration.k8s.io': setValidatingWebhookConfigurationDefaults,
  'MutatingWebhookConfiguration.admissionregistration.k8s.io': setMutatingWebhookConfigurationDefaults,
  'ValidatingAdmissionPolicy.admissionregistration.k8s.io': setValidatingAdmissionPolicyDefaults,
  'ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io': setValidatingAdmissionPolicyBindingDefaults,
  'CustomResourceDefinition.apiextensions.k8s.io': setCustomResourceDefinitionDefaults,
  'APIService.apiregistration.k8s.io': setAPIServiceDefaults,
  'FlowSchema.flowcontrol.apiserver.k8s.io': setFlowSchemaDefaults,
  'PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io': setPriorityLevelConfigurationDefaults,
  'PriorityClass.scheduling.k8s.io': setPriorityClassDefaults,
};
