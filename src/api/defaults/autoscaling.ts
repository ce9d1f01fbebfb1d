// autoscaling/v2 HorizontalPodAutoscaler defaults (v2 is the storage form).
import { isJsonObject, type KubeObject } from '../object.js';
import { asJson, childObject, ensureObject, isNil, listSize, setIfNil, type JsonObject } from './fields.js';

/** The CPU utilisation target an HPA without metrics aims for. */
export const DEFAULT_CPU_UTILIZATION = 80;

/** Scale-up rules reproduce the pre-behavior controller: +4 pods or +100% per 15s, no window. */
function defaultScaleUpRules(): JsonObject {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

/**
 * Scale-down rules: -100% per 15s. The stabilization window stays unset because the
 * controller's --horizontal-pod-autoscaler-downscale-stabilization flag supplies it.
 */
function defaultScaleDownRules(): JsonObject {
  return {
    selectPolicy: 'Max',
    policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  };
}

/** Fields the user set win; every other field comes from the defaults. */
function mergeScalingRules(given: unknown, defaults: JsonObject): JsonObject {
  if (!isJsonObject(given)) return defaults;
  const merged: JsonObject = { ...defaults };
  for (const key of ['selectPolicy', 'stabilizationWindowSeconds', 'policies']) {
    if (!isNil(given[key])) merged[key] = given[key];
  }
  return merged;
}

export function setHorizontalPodAutoscalerDefaults(obj: KubeObject): void {
  const spec = ensureObject(asJson(obj), 'spec');
  setIfNil(spec, 'minReplicas', 1);
  if (listSize(spec['metrics']) === 0) {
    spec['metrics'] = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } },
      },
    ];
  }
  // Behavior is only filled in when the user asked for one.
  const behavior = childObject(spec, 'behavior');
  if (behavior) {
    behavior['scaleUp'] = mergeScalingRules(behavior['scaleUp'], defaultScaleUpRules());
    behavior['scaleDown'] = mergeScalingRules(behavior['scaleDown'], defaultScaleDownRules());
  }
}

export const autoscalingDefaulters: Record<string, (obj: KubeObject) => void> = {
  'HorizontalPodAutoscaler.autoscaling': setHorizontalPodAutoscalerDefaults,
};
