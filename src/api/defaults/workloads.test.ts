import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../object.js';
import { defaulters } from './index.js';

function defaulted(kind: string, obj: KubeObject): any {
  defaulters[kind]!(obj);
  return obj;
}

const template = () => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
});

describe('apps/v1 defaults', () => {
  it('Deployment', () => {
    const d = defaulted('Deployment.apps', {
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: template() },
    });
    assert.equal(d.spec.replicas, 1);
    assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(d.spec.revisionHistoryLimit, 10);
    assert.equal(d.spec.progressDeadlineSeconds, 600);
    assert.equal(d.spec.template.spec.dnsPolicy, 'ClusterFirst');
    assert.equal(d.spec.template.spec.enableServiceLinks, undefined, 'templates get no Pod-only defaults');
    assert.equal(d.metadata.labels, undefined, 'apps/v1 does not copy template labels');

    const recreate = defaulted('Deployment.apps', { spec: { strategy: { type: 'Recreate' }, template: template() } });
    assert.deepEqual(recreate.spec.strategy, { type: 'Recreate' });
  });

  it('ReplicaSet', () => {
    const rs = defaulted('ReplicaSet.apps', { spec: { template: template() } });
    assert.equal(rs.spec.replicas, 1);
    assert.equal(rs.spec.template.spec.schedulerName, 'default-scheduler');
  });

  it('DaemonSet', () => {
    const ds = defaulted('DaemonSet.apps', { spec: { template: template() } });
    assert.deepEqual(ds.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    assert.equal(ds.spec.revisionHistoryLimit, 10);
    const onDelete = defaulted('DaemonSet.apps', { spec: { updateStrategy: { type: 'OnDelete' }, template: template() } });
    assert.deepEqual(onDelete.spec.updateStrategy, { type: 'OnDelete' });
  });

  it('StatefulSet', () => {
    const sts = defaulted('StatefulSet.apps', {
      spec: {
        serviceName: 'db',
        template: template(),
        volumeClaimTemplates: [
          { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
        ],
      },
    });
    assert.equal(sts.spec.replicas, 1);
    assert.equal(sts.spec.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(sts.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.equal(sts.spec.revisionHistoryLimit, 10);
    assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    assert.equal(sts.spec.volumeClaimTemplates[0].spec.volumeMode, 'Filesystem');
    assert.deepEqual(sts.spec.volumeClaimTemplates[0].status, { phase: 'Pending' });

    const explicitRolling = defaulted('StatefulSet.apps', {
      spec: { updateStrategy: { type: 'RollingUpdate' }, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' } },
    });
    assert.deepEqual(explicitRolling.spec.updateStrategy, { type: 'RollingUpdate' });
    assert.deepEqual(explicitRolling.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Delete', whenScaled: 'Retain' });
  });
});

describe('batch/v1 defaults', () => {
  it('Job', () => {
    const job = defaulted('Job.batch', {
      metadata: { name: 'pi' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } } },
    });
    assert.equal(job.spec.completions, 1);
    assert.equal(job.spec.parallelism, 1);
    assert.equal(job.spec.backoffLimit, 6);
    assert.equal(job.spec.completionMode, 'NonIndexed');
    assert.equal(job.spec.suspend, false);
    assert.equal(job.spec.manualSelector, false);
    assert.equal(job.spec.podReplacementPolicy, 'TerminatingOrFailed');
    assert.equal(job.spec.template.spec.restartPolicy, 'Never');
  });

  it('Job completions stay unset when only parallelism is given; per-index backoff; failure policy', () => {
    const job = defaulted('Job.batch', {
      spec: {
        parallelism: 3,
        backoffLimitPerIndex: 1,
        completionMode: 'Indexed',
        podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
        template: { metadata: { labels: { app: 'batch' } }, spec: { restartPolicy: 'Never', containers: [] } },
      },
    });
    assert.equal(job.spec.completions, undefined);
    assert.equal(job.spec.backoffLimit, 2147483647);
    assert.equal(job.spec.podReplacementPolicy, 'Failed');
    assert.equal(job.spec.podFailurePolicy.rules[0].onPodConditions[0].status, 'True');
    assert.deepEqual(job.metadata.labels, { app: 'batch' });
  });

  it('CronJob', () => {
    const cj = defaulted('CronJob.batch', {
      spec: {
        schedule: '*/5 * * * *',
        jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } },
      },
    });
    assert.equal(cj.spec.concurrencyPolicy, 'Allow');
    assert.equal(cj.spec.suspend, false);
    assert.equal(cj.spec.successfulJobsHistoryLimit, 3);
    assert.equal(cj.spec.failedJobsHistoryLimit, 1);
    assert.equal(cj.spec.jobTemplate.spec.backoffLimit, undefined, 'the JobSpec is not Job-defaulted');
    assert.equal(cj.spec.jobTemplate.spec.template.spec.containers[0].imagePullPolicy, 'Always');
  });
});

describe('autoscaling/v2 defaults', () => {
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

  it('fills minReplicas and the CPU metric, leaves behavior alone when unset', () => {
    const hpa = defaulted('HorizontalPodAutoscaler.autoscaling', { spec: { scaleTargetRef: ref, maxReplicas: 5 } });
    assert.equal(hpa.spec.minReplicas, 1);
    assert.deepEqual(hpa.spec.metrics, [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
    assert.equal(hpa.spec.behavior, undefined);
  });

  it('completes a partial behavior', () => {
    const hpa = defaulted('HorizontalPodAutoscaler.autoscaling', {
      spec: { scaleTargetRef: ref, maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
    });
    assert.deepEqual(hpa.spec.behavior, {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: {
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
        stabilizationWindowSeconds: 60,
      },
    });
  });
});
