// HorizontalPodAutoscaler autoscaling/v2 (storage) <-> autoscaling/v1.
// v1 only knows a CPU utilisation target. Everything else a v2 object carries travels in
// annotations on the v1 form, under the names upstream uses, so that a read-modify-write
// through v1 (an old client, kubectl edit hpa.v1) loses nothing:
//   metrics          spec.metrics other than the CPU utilisation target (v1 metric shapes)
//   current-metrics  status.currentMetrics (v1 metric status shapes)
//   behavior         spec.behavior, in upstream's legacy encoding with Go field names
//   conditions       status.conditions
import { isJsonObject, type JsonObject, type KubeObject } from '../object.js';
import { metricSpecFromV1, metricSpecToV1, metricStatusFromV1, metricStatusToV1 } from './hpa-metrics.js';

export const HPA_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const HPA_CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const HPA_BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
export const HPA_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
const ROUND_TRIP_ANNOTATIONS = [
  HPA_METRICS_ANNOTATION,
  HPA_CURRENT_METRICS_ANNOTATION,
  HPA_BEHAVIOR_ANNOTATION,
  HPA_CONDITIONS_ANNOTATION,
];

/** The implicit target of a v1 HPA that sets none. */
const DEFAULT_CPU_UTILIZATION = 80;

function obj(value: unknown): JsonObject {
  return isJsonObject(value) ? value : {};
}

function objects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** A Resource metric on CPU with a utilisation target: the one thing v1 can express. */
function isCPUUtilizationMetric(metric: JsonObject): boolean {
  const resource = obj(metric['resource']);
  return metric['type'] === 'Resource' && resource['name'] === 'cpu' && isPresent(obj(resource['target'])['averageUtilization']);
}

/** Metadata with the round-trip annotations removed; an emptied map is dropped like Go's omitempty. */
export function withoutRoundTripAnnotations(metadata: KubeObject['metadata']): KubeObject['metadata'] {
  if (!metadata?.annotations) return metadata;
  const annotations = { ...metadata.annotations };
  for (const key of ROUND_TRIP_ANNOTATIONS) delete annotations[key];
  const out: NonNullable<KubeObject['metadata']> = { ...metadata, annotations };
  if (Object.keys(annotations).length === 0) delete out.annotations;
  return out;
}

function parseJsonArray(text: string | undefined): JsonObject[] | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter(isJsonObject) : parsed === null ? [] : undefined;
  } catch {
    return undefined; // upstream ignores an annotation it cannot decode
  }
}

// ---- behavior in the legacy annotation encoding ------------------------------------------
// Upstream marshals its internal struct, which has no JSON tags: keys are Go field names
// and unset pointers are written as null. Go's decoder matches keys case-insensitively.

function goRules(rules: unknown): JsonObject | null {
  if (!isJsonObject(rules)) return null;
  const policies = Array.isArray(rules['policies'])
    ? rules['policies'].filter(isJsonObject).map((p) => ({
        Type: p['type'] ?? '',
        Value: p['value'] ?? 0,
        PeriodSeconds: p['periodSeconds'] ?? 0,
      }))
    : null;
  return {
    StabilizationWindowSeconds: rules['stabilizationWindowSeconds'] ?? null,
    SelectPolicy: rules['selectPolicy'] ?? null,
    Policies: policies,
  };
}

function encodeBehavior(behavior: JsonObject): string {
  return JSON.stringify({ ScaleUp: goRules(behavior['scaleUp']), ScaleDown: goRules(behavior['scaleDown']) });
}

function field(source: JsonObject, name: string): unknown {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(source)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

function decodeRules(value: unknown): JsonObject | undefined {
  if (!isJsonObject(value)) return undefined;
  const policies = field(value, 'Policies');
  return compactObject({
    stabilizationWindowSeconds: field(value, 'StabilizationWindowSeconds'),
    selectPolicy: field(value, 'SelectPolicy'),
    policies: Array.isArray(policies)
      ? policies.filter(isJsonObject).map((p) => ({
          type: field(p, 'Type') ?? '',
          value: field(p, 'Value') ?? 0,
          periodSeconds: field(p, 'PeriodSeconds') ?? 0,
        }))
      : undefined,
  });
}

function compactObject(source: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(source)) if (isPresent(value)) out[key] = value;
  return out;
}

/** The behavior from the annotation, or undefined when absent, malformed or empty. */
function decodeBehavior(text: string | undefined): JsonObject | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isJsonObject(parsed)) return undefined;
  const behavior = compactObject({
    scaleUp: decodeRules(field(parsed, 'ScaleUp')),
    scaleDown: decodeRules(field(parsed, 'ScaleDown')),
  });
  return Object.keys(behavior).length > 0 ? behavior : undefined;
}

// ---- whole object ------------------------------------------------------------------------

function conditionToV1(condition: JsonObject): JsonObject {
  return compactObject({
    type: condition['type'],
    status: condition['status'],
    // metav1.Time is never omitted by Go's encoder; an unset one is written as null.
    lastTransitionTime: condition['lastTransitionTime'] ?? null,
    reason: condition['reason'] === '' ? undefined : condition['reason'],
    message: condition['message'] === '' ? undefined : condition['message'],
  });
}

export function hpaV2ToV1(hpa: KubeObject): KubeObject {
  const spec = obj(hpa['spec']);
  const status = obj(hpa['status']);
  const metrics = objects(spec['metrics']);
  const currentMetrics = objects(status['currentMetrics']);
  const conditions = objects(status['conditions']);

  const annotations: Record<string, string> = {};
  const otherMetrics = metrics.filter((m) => !isCPUUtilizationMetric(m)).map(metricSpecToV1);
  if (otherMetrics.length > 0) annotations[HPA_METRICS_ANNOTATION] = JSON.stringify(otherMetrics);
  if (currentMetrics.length > 0) {
    annotations[HPA_CURRENT_METRICS_ANNOTATION] = JSON.stringify(currentMetrics.map(metricStatusToV1));
  }
  if (isJsonObject(spec['behavior'])) annotations[HPA_BEHAVIOR_ANNOTATION] = encodeBehavior(spec['behavior']);
  if (conditions.length > 0) annotations[HPA_CONDITIONS_ANNOTATION] = JSON.stringify(conditions.map(conditionToV1));

  const metadata = withoutRoundTripAnnotations(structuredClone(hpa.metadata));
  const outMetadata =
    Object.keys(annotations).length > 0
      ? { ...(metadata ?? {}), annotations: { ...(metadata?.annotations ?? {}), ...annotations } }
      : metadata;

  const cpuTarget = metrics.find(isCPUUtilizationMetric);
  // The last CPU utilisation reading wins, as upstream iterates without stopping.
  const cpuCurrent = currentMetrics
    .filter((m) => m['type'] === 'Resource' && obj(m['resource'])['name'] === 'cpu')
    .map((m) => obj(obj(m['resource'])['current'])['averageUtilization'])
    .filter(isPresent)
    .pop();

  const out: KubeObject = { apiVersion: 'autoscaling/v1', kind: hpa.kind ?? 'HorizontalPodAutoscaler' };
  if (outMetadata !== undefined) out.metadata = outMetadata;
  out['spec'] = compactObject({
    scaleTargetRef: structuredClone(spec['scaleTargetRef']),
    minReplicas: spec['minReplicas'],
    maxReplicas: spec['maxReplicas'] ?? 0,
    targetCPUUtilizationPercentage: cpuTarget ? obj(obj(cpuTarget['resource'])['target'])['averageUtilization'] : undefined,
  });
  out['status'] = compactObject({
    observedGeneration: status['observedGeneration'],
    lastScaleTime: status['lastScaleTime'],
    currentReplicas: status['currentReplicas'] ?? 0,
    desiredReplicas: status['desiredReplicas'] ?? 0,
    currentCPUUtilizationPercentage: cpuCurrent,
  });
  return out;
}

export function hpaV1ToV2(hpa: KubeObject): KubeObject {
  const spec = obj(hpa['spec']);
  const status = obj(hpa['status']);
  const annotations = hpa.metadata?.annotations ?? {};

  const metrics: JsonObject[] = (parseJsonArray(annotations[HPA_METRICS_ANNOTATION]) ?? []).map(metricSpecFromV1);
  if (isPresent(spec['targetCPUUtilizationPercentage'])) {
    metrics.push(cpuUtilizationMetric(spec['targetCPUUtilizationPercentage']));
  }
  // v1 implied an 80% CPU target when none was given; v2 states it.
  if (metrics.length === 0) metrics.push(cpuUtilizationMetric(DEFAULT_CPU_UTILIZATION));

  const annotatedCurrent = parseJsonArray(annotations[HPA_CURRENT_METRICS_ANNOTATION]);
  let currentMetrics: JsonObject[] | undefined;
  if (annotatedCurrent !== undefined) currentMetrics = annotatedCurrent.map(metricStatusFromV1);
  else if (isPresent(status['currentCPUUtilizationPercentage'])) {
    currentMetrics = [
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status['currentCPUUtilizationPercentage'] } } },
    ];
  }
  const conditions = parseJsonArray(annotations[HPA_CONDITIONS_ANNOTATION]);

  const out: KubeObject = { apiVersion: 'autoscaling/v2', kind: hpa.kind ?? 'HorizontalPodAutoscaler' };
  const metadata = withoutRoundTripAnnotations(structuredClone(hpa.metadata));
  if (metadata !== undefined) out.metadata = metadata;
  out['spec'] = compactObject({
    scaleTargetRef: structuredClone(spec['scaleTargetRef']),
    minReplicas: spec['minReplicas'],
    maxReplicas: spec['maxReplicas'] ?? 0,
    metrics,
    behavior: decodeBehavior(annotations[HPA_BEHAVIOR_ANNOTATION]),
  });
  const outStatus = compactObject({
    observedGeneration: status['observedGeneration'],
    lastScaleTime: status['lastScaleTime'],
    currentReplicas: status['currentReplicas'] === 0 ? undefined : status['currentReplicas'],
    desiredReplicas: status['desiredReplicas'],
    currentMetrics,
    conditions: conditions && conditions.length > 0 ? conditions.map((c) => compactObject({ ...c })) : undefined,
  });
  if (Object.keys(outStatus).length > 0) out['status'] = outStatus;
  return out;
}

function cpuUtilizationMetric(utilization: unknown): JsonObject {
  return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: utilization } } };
}
