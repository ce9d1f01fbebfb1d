import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../object.js';
import {
  HPA_BEHAVIOR_ANNOTATION,
  HPA_CONDITIONS_ANNOTATION,
  HPA_CURRENT_METRICS_ANNOTATION,
  HPA_METRICS_ANNOTATION,
  convert,
} from './index.js';

const scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

function v2Hpa(): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default', annotations: { team: 'a' } },
    spec: {
      scaleTargetRef,
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
        { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } } },
        {
          type: 'External',
          external: {
            metric: { name: 'queue', selector: { matchLabels: { q: 'jobs' } } },
            target: { type: 'Value', value: '30' },
          },
        },
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
      ],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] },
        scaleDown: { selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
      },
    },
    status: {
      observedGeneration: 3,
      currentReplicas: 4,
      desiredReplicas: 5,
      currentMetrics: [
        { type: 'Resource', resource: { name: 'cpu', current: { averageValue: '250m', averageUtilization: 70 } } },
        { type: 'Pods', pods: { metric: { name: 'rps' }, current: { averageValue: '120' } } },
      ],
      conditions: [
        { type: 'AbleToScale', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'ReadyForNewScale', message: 'ok' },
      ],
    },
  };
}

describe('HorizontalPodAutoscaler v2 -> v1', () => {
  it('maps the CPU target and keeps everything else in annotations', () => {
    const v1: any = convert(v2Hpa(), 'autoscaling/v1');
    assert.equal(v1.apiVersion, 'autoscaling/v1');
    assert.deepEqual(v1.spec, { scaleTargetRef, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 60 });
    assert.deepEqual(v1.status, {
      observedGeneration: 3,
      currentReplicas: 4,
      desiredReplicas: 5,
      currentCPUUtilizationPercentage: 70,
    });
    const annotations = v1.metadata.annotations;
    assert.equal(annotations.team, 'a');
    assert.deepEqual(JSON.parse(annotations[HPA_METRICS_ANNOTATION]), [
      { type: 'Resource', resource: { name: 'memory', targetAverageValue: '500Mi' } },
      { type: 'Pods', pods: { metricName: 'rps', targetAverageValue: '100' } },
      { type: 'External', external: { metricName: 'queue', metricSelector: { matchLabels: { q: 'jobs' } }, targetValue: '30' } },
    ]);
    assert.deepEqual(JSON.parse(annotations[HPA_CURRENT_METRICS_ANNOTATION]), [
      { type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 70, currentAverageValue: '250m' } },
      { type: 'Pods', pods: { metricName: 'rps', currentAverageValue: '120' } },
    ]);
    assert.deepEqual(JSON.parse(annotations[HPA_BEHAVIOR_ANNOTATION]), {
      ScaleUp: { StabilizationWindowSeconds: 0, SelectPolicy: 'Max', Policies: [{ Type: 'Pods', Value: 4, PeriodSeconds: 15 }] },
      ScaleDown: { StabilizationWindowSeconds: null, SelectPolicy: 'Min', Policies: [{ Type: 'Percent', Value: 10, PeriodSeconds: 60 }] },
    });
    assert.deepEqual(JSON.parse(annotations[HPA_CONDITIONS_ANNOTATION]), [
      { type: 'AbleToScale', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'ReadyForNewScale', message: 'ok' },
    ]);
  });

  it('adds no annotations for a CPU-only HPA', () => {
    const v1: any = convert(
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'cpu' },
        spec: {
          scaleTargetRef,
          minReplicas: 1,
          maxReplicas: 3,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
        },
      },
      'autoscaling/v1',
    );
    assert.deepEqual(v1.metadata, { name: 'cpu' });
    assert.equal(v1.spec.targetCPUUtilizationPercentage, 80);
    assert.deepEqual(v1.status, { currentReplicas: 0, desiredReplicas: 0 });
  });
});

describe('HorizontalPodAutoscaler v1 -> v2', () => {
  it('turns the CPU target into a metric and defaults it when absent', () => {
    const v2: any = convert(
      {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'a' },
        spec: { scaleTargetRef, maxReplicas: 4, targetCPUUtilizationPercentage: 50 },
        status: { currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 42 },
      },
      'autoscaling/v2',
    );
    assert.deepEqual(v2.spec.metrics, [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
    ]);
    assert.deepEqual(v2.status.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 42 } } }]);

    const bare: any = convert(
      { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', spec: { scaleTargetRef, maxReplicas: 2 } },
      'autoscaling/v2',
    );
    assert.equal(bare.spec.metrics[0].resource.target.averageUtilization, 80);
    assert.equal(bare.status, undefined);
  });

  it('round-trips a v2 object through v1 without losing fields', () => {
    const original = v2Hpa();
    const back: any = convert(convert(original, 'autoscaling/v1'), 'autoscaling/v2');
    assert.deepEqual(back.metadata, original.metadata);
    assert.equal(back.spec.minReplicas, 2);
    // Upstream appends the CPU target after the annotated metrics.
    const originalMetrics = (original['spec'] as any).metrics;
    assert.deepEqual(back.spec.metrics, [...originalMetrics.slice(0, 3), originalMetrics[3]]);
    assert.deepEqual(back.spec.behavior, (original['spec'] as any).behavior);
    assert.deepEqual(back.status.conditions, (original['status'] as any).conditions);
    assert.deepEqual(back.status.currentMetrics, (original['status'] as any).currentMetrics);
    assert.equal(back.status.desiredReplicas, 5);
  });

  it('ignores malformed annotations and accepts any key case in behavior', () => {
    const v2: any = convert(
      {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: {
          name: 'x',
          annotations: { [HPA_METRICS_ANNOTATION]: 'not json', [HPA_BEHAVIOR_ANNOTATION]: '{"scaleUp":{"selectPolicy":"Min"}}' },
        },
        spec: { scaleTargetRef, maxReplicas: 2, targetCPUUtilizationPercentage: 70 },
      },
      'autoscaling/v2',
    );
    assert.equal(v2.spec.metrics.length, 1);
    assert.deepEqual(v2.spec.behavior, { scaleUp: { selectPolicy: 'Min' } });
    assert.equal(v2.metadata.annotations, undefined);
  });

  it('strips stale round-trip annotations from v2 objects', () => {
    const v2: any = convert(
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'x', annotations: { [HPA_METRICS_ANNOTATION]: '[]', keep: 'me' } },
        spec: { scaleTargetRef, maxReplicas: 2 },
      },
      'autoscaling/v2',
    );
    assert.deepEqual(v2.metadata.annotations, { keep: 'me' });
  });
});
