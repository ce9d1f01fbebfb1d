// HorizontalPodAutoscaler printer. TARGETS renders each metric as current/target
// ("cpu: 45%/80%", "1k/500 (avg)"), at most two, then "+ N more...". autoscaling/v1
// objects are read through their v2 equivalent, as upstream's internal type does.
import type { HorizontalPodAutoscaler as HpaV1 } from 'kubernetes-types/autoscaling/v1.js';
import type { HorizontalPodAutoscaler as HpaV2, MetricSpec, MetricStatus, MetricTarget, MetricValueStatus } from 'kubernetes-types/autoscaling/v2.js';
import type { KubeObject } from '../object.js';
import { age, quantity } from './format.js';
import { ageColumn, column, nameColumn, type TablePrinter } from './types.js';

/** autoscaling/v1 carries a single CPU utilization target; express it as a v2 metric. */
function asV2(obj: KubeObject): HpaV2 {
  const spec = obj.spec as Record<string, unknown> | undefined;
  if (obj.apiVersion !== 'autoscaling/v1' || Array.isArray(spec?.metrics)) return obj as HpaV2;
  const v1 = obj as HpaV1;
  const metrics: MetricSpec[] = [
    {
      type: 'Resource',
      // v2 defaulting gives an HPA without metrics an 80% CPU target.
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: v1.spec?.targetCPUUtilizationPercentage ?? 80 } },
    },
  ];
  const current = v1.status?.currentCPUUtilizationPercentage;
  const currentMetrics: MetricStatus[] =
    current === undefined ? [] : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }];
  const v2: HpaV2 = {
    metadata: v1.metadata ?? {},
    spec: {
      scaleTargetRef: v1.spec?.scaleTargetRef ?? { kind: '', name: '' },
      maxReplicas: v1.spec?.maxReplicas ?? 0,
      metrics,
    },
    status: { currentReplicas: v1.status?.currentReplicas ?? 0, desiredReplicas: v1.status?.desiredReplicas ?? 0, currentMetrics },
  };
  if (v1.spec?.minReplicas !== undefined) v2.spec!.minReplicas = v1.spec.minReplicas;
  return v2;
}

/** Object and External metrics: an average value wins over a plain value. */
function valueMetric(target: MetricTarget | undefined, current: MetricValueStatus | undefined, hasStatus: boolean): string {
  if (target?.averageValue !== undefined) {
    const now = hasStatus && current?.averageValue !== undefined ? quantity(current.averageValue) : '<unknown>';
    return `${now}/${quantity(target.averageValue)} (avg)`;
  }
  const now = hasStatus ? quantity(current?.value) : '<unknown>';
  return `${now}/${quantity(target?.value)}`;
}

/** Resource and ContainerResource metrics: "name: current/target". */
function resourceMetric(
  name: string,
  target: MetricTarget | undefined,
  current: MetricValueStatus | undefined,
  hasStatus: boolean,
): string {
  if (target?.averageValue !== undefined) {
    const now = hasStatus ? quantity(current?.averageValue) : '<unknown>';
    return `${name}: ${now}/${quantity(target.averageValue)}`;
  }
  const now = hasStatus && current?.averageUtilization !== undefined ? `${current.averageUtilization}%` : '<unknown>';
  const goal = target?.averageUtilization !== undefined ? `${target.averageUtilization}%` : '<auto>';
  return `${name}: ${now}/${goal}`;
}

export function formatHpaMetrics(specs: readonly MetricSpec[] | undefined, statuses: readonly MetricStatus[] | undefined): string {
  if (!specs || specs.length === 0) return '<none>';
  const list = specs.map((spec, i) => {
    const status = statuses?.[i];
    switch (spec.type) {
      case 'External':
        return valueMetric(spec.external?.target, status?.external?.current, status?.external !== undefined);
      case 'Pods': {
        const now = status?.pods ? quantity(status.pods.current?.averageValue) : '<unknown>';
        return `${now}/${quantity(spec.pods?.target?.averageValue)}`;
      }
      case 'Object':
        return valueMetric(spec.object?.target, status?.object?.current, status?.object !== undefined);
      case 'Resource':
        return resourceMetric(spec.resource?.name ?? '', spec.resource?.target, status?.resource?.current, status?.resource !== undefined);
      case 'ContainerResource':
        return resourceMetric(
          spec.containerResource?.name ?? '',
          spec.containerResource?.target,
          status?.containerResource?.current,
          status?.containerResource !== undefined,
        );
      default:
        return '<unknown type>';
    }
  });
  const max = 2;
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

export const horizontalPodAutoscalerPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Reference', 'string', 'The scaled workload, as Kind/name.'),
    column('Targets', 'string', 'Current and target values of each metric.'),
    column('MinPods', 'string', 'Lower bound on replicas.'),
    column('MaxPods', 'string', 'Upper bound on replicas.'),
    column('Replicas', 'string', 'Replicas currently observed.'),
    ageColumn,
  ],
  cells(obj, now) {
    const hpa = asV2(obj);
    const ref = hpa.spec?.scaleTargetRef;
    const min = hpa.spec?.minReplicas;
    return [
      hpa.metadata?.name ?? '',
      `${ref?.kind ?? ''}/${ref?.name ?? ''}`,
      formatHpaMetrics(hpa.spec?.metrics, hpa.status?.currentMetrics),
      min === undefined || min === null ? '<unset>' : String(min),
      hpa.spec?.maxReplicas ?? 0,
      hpa.status?.currentReplicas ?? 0,
      age(obj, now),
    ];
  },
};
