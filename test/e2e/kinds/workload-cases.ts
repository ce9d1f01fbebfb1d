// Every-kind e2e cases: apps, autoscaling, batch, policy, certificates, coordination and discovery.
import assert from 'node:assert/strict';
import { header, AGE, row, podSpec, assertPodSpecDefaults, CSR_REQUEST, type KindCase } from './cases.js';

export const workloadCases: KindCase[] = [
  // ---- apps/v1 ----
  {
    resource: 'controllerrevisions',
    name: 'rev1',
    shown: 'controllerrevision.apps/rev1',
    manifest: 'apiVersion: apps/v1\nkind: ControllerRevision\nmetadata: {name: rev1}\nrevision: 1\ndata: {spec: {replicas: 1}}\n',
    changed: 'apiVersion: apps/v1\nkind: ControllerRevision\nmetadata: {name: rev1}\nrevision: 2\ndata: {spec: {replicas: 1}}\n',
    header: header('NAME', 'CONTROLLER', 'REVISION', 'AGE'),
    row: row('rev1', '<none>', '1', AGE),
    defaults: (rev) => assert.deepEqual(rev.data, { spec: { replicas: 1 } }),
    updated: (rev) => assert.equal(rev.revision, 2),
  },
  {
    resource: 'daemonsets',
    name: 'agent',
    shown: 'daemonset.apps/agent',
    manifest: `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n${podSpec('fluentd:v1', '      ')}\n`,
    changed: `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n${podSpec('fluentd:v2', '      ')}\n`,
    header: header('NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'),
    row: row('agent', '0', '0', '0', '0', '0', '<none>', AGE),
    defaults: (ds) => {
      assert.deepEqual(ds.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
      assert.equal(ds.spec.revisionHistoryLimit, 10);
      // The defaulted status, or the DaemonSet controller's for a cluster without nodes.
      assert.deepEqual([ds.status.currentNumberScheduled, ds.status.desiredNumberScheduled, ds.status.numberMisscheduled, ds.status.numberReady], [0, 0, 0, 0]);
      assertPodSpecDefaults(ds.spec.template.spec);
    },
    updated: (ds) => {
      assert.equal(ds.spec.template.spec.containers[0].image, 'fluentd:v2');
      assert.equal(ds.metadata.generation, 2);
    },
  },
  {
    resource: 'deployments',
    name: 'web',
    shown: 'deployment.apps/web',
    manifest: `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n${podSpec('nginx:1.25', '      ')}\n`,
    changed: `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n${podSpec('nginx:1.25', '      ')}\n`,
    header: header('NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'),
    // UP-TO-DATE: the deployment controller creates the ReplicaSet and its (unscheduled) pod at once.
    row: row('web', '0/1', /[01]/, '0', AGE),
    defaults: (deploy) => {
      assert.equal(deploy.spec.replicas, 1);
      assert.deepEqual(deploy.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
      assert.equal(deploy.spec.revisionHistoryLimit, 10);
      assert.equal(deploy.spec.progressDeadlineSeconds, 600);
      assert.equal(deploy.status.availableReplicas, undefined, 'status starts empty; the controller reports no available pod');
      assertPodSpecDefaults(deploy.spec.template.spec);
    },
    updated: (deploy) => assert.equal(deploy.spec.replicas, 2),
  },
  {
    resource: 'replicasets',
    name: 'web-rs',
    shown: 'replicaset.apps/web-rs',
    manifest: `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web-rs}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web-rs}}\n  template:\n    metadata: {labels: {app: web-rs}}\n    spec:\n${podSpec('nginx:1.25', '      ')}\n`,
    changed: `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web-rs}\nspec:\n  replicas: 4\n  selector: {matchLabels: {app: web-rs}}\n  template:\n    metadata: {labels: {app: web-rs}}\n    spec:\n${podSpec('nginx:1.25', '      ')}\n`,
    header: header('NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'),
    // CURRENT: the replicaset controller creates the (unscheduled) pods at once.
    row: row('web-rs', '2', /[0-2]/, '0', AGE),
    defaults: (rs) => {
      assert.ok([0, 2].includes(rs.status.replicas), 'status starts at zero replicas, then counts the created pods');
      assertPodSpecDefaults(rs.spec.template.spec);
    },
    updated: (rs) => assert.equal(rs.spec.replicas, 4),
  },
  {
    resource: 'statefulsets',
    name: 'db',
    shown: 'statefulset.apps/db',
    manifest: `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n${podSpec('postgres:16', '      ')}\n`,
    changed: `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  replicas: 3\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n${podSpec('postgres:16', '      ')}\n`,
    header: header('NAME', 'READY', 'AGE'),
    row: row('db', '0/1', AGE),
    defaults: (sts) => {
      assert.equal(sts.spec.replicas, 1);
      assert.equal(sts.spec.podManagementPolicy, 'OrderedReady');
      assert.deepEqual(sts.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
      assert.equal(sts.spec.revisionHistoryLimit, 10);
      assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
      // The defaulted status, or the StatefulSet controller's once it created the (unschedulable) pod.
      assert.equal(sts.status.availableReplicas ?? 0, 0);
      assert.ok([0, 1].includes(sts.status.replicas));
      assertPodSpecDefaults(sts.spec.template.spec);
    },
    updated: (sts) => assert.equal(sts.spec.replicas, 3),
  },
  // ---- autoscaling, batch, policy ----
  {
    resource: 'horizontalpodautoscalers',
    name: 'web',
    shown: 'horizontalpodautoscaler.autoscaling/web',
    manifest: `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 5\n`,
    changed: `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 8\n`,
    header: header('NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'),
    row: row('web', 'Deployment/web', 'cpu: <unknown>/80%', '1', '5', '0', AGE),
    defaults: (hpa) => {
      assert.equal(hpa.spec.minReplicas, 1);
      assert.deepEqual(hpa.status, { desiredReplicas: 0 });
      assert.deepEqual(hpa.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    },
    updated: (hpa) => assert.equal(hpa.spec.maxReplicas, 8),
  },
  {
    resource: 'cronjobs',
    name: 'nightly',
    shown: 'cronjob.batch/nightly',
    manifest: `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n${podSpec('busybox:1.36', '          ')}\n`,
    changed: `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  schedule: "0 4 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n${podSpec('busybox:1.36', '          ')}\n`,
    header: header('NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'),
    row: row('nightly', '0 3 * * *', '<none>', 'False', '0', '<none>', AGE),
    defaults: (cj) => {
      assert.equal(cj.spec.concurrencyPolicy, 'Allow');
      assert.equal(cj.spec.suspend, false);
      assert.equal(cj.spec.successfulJobsHistoryLimit, 3);
      assert.equal(cj.spec.failedJobsHistoryLimit, 1);
      assert.equal(cj.spec.jobTemplate.spec.template.spec.restartPolicy, 'OnFailure');
    },
    updated: (cj) => assert.equal(cj.spec.schedule, '0 4 * * *'),
  },
  {
    resource: 'jobs',
    name: 'migrate',
    shown: 'job.batch/migrate',
    manifest: `apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n${podSpec('busybox:1.36', '      ')}\n`,
    changed: `apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  activeDeadlineSeconds: 600\n  template:\n    spec:\n      restartPolicy: Never\n${podSpec('busybox:1.36', '      ')}\n`,
    header: header('NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'),
    // DURATION shows once the job controller has set status.startTime (it may not have yet).
    row: row('migrate', 'Running', '0/1', /(?:\d+s\s+)?\d+s/),
    defaults: (job) => {
      assert.equal(job.spec.completions, 1);
      assert.equal(job.spec.parallelism, 1);
      assert.equal(job.spec.backoffLimit, 6);
      assert.equal(job.spec.completionMode, 'NonIndexed');
      assert.equal(job.spec.suspend, false);
      assert.equal(job.spec.manualSelector, false);
      assert.equal(job.spec.podReplacementPolicy, 'TerminatingOrFailed');
      const uid = job.metadata.uid;
      assert.deepEqual(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
      assert.equal(job.spec.template.metadata.labels['batch.kubernetes.io/job-name'], 'migrate');
      assert.equal(job.spec.template.metadata.labels['job-name'], 'migrate');
      assert.equal(job.spec.template.metadata.labels['controller-uid'], uid);
    },
    updated: (job) => assert.equal(job.spec.activeDeadlineSeconds, 600),
  },
  {
    resource: 'poddisruptionbudgets',
    name: 'web',
    shown: 'poddisruptionbudget.policy/web',
    manifest: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  minAvailable: 1\n  selector: {matchLabels: {app: web}}\n',
    changed: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  minAvailable: 2\n  selector: {matchLabels: {app: web}}\n',
    header: header('NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'),
    row: row('web', '1', 'N/A', '0', AGE),
    defaults: (pdb) => {
      assert.equal(pdb.spec.minAvailable, 1);
      // The defaulted status, or already the disruption controller's (desiredHealthy 1 of no pods).
      assert.deepEqual([pdb.status.currentHealthy, pdb.status.disruptionsAllowed, pdb.status.expectedPods], [0, 0, 0]);
      assert.ok([0, 1].includes(pdb.status.desiredHealthy));
    },
    updated: (pdb) => assert.equal(pdb.spec.minAvailable, 2),
  },
  // ---- certificates, coordination, discovery ----
  {
    resource: 'certificatesigningrequests',
    name: 'alice',
    shown: 'certificatesigningrequest.certificates.k8s.io/alice',
    manifest: `apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata: {name: alice}\nspec:\n  request: ${CSR_REQUEST}\n  signerName: kubernetes.io/kube-apiserver-client\n  usages: [client auth]\n`,
    changed: `apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata: {name: alice, labels: {team: dev}}\nspec:\n  request: ${CSR_REQUEST}\n  signerName: kubernetes.io/kube-apiserver-client\n  usages: [client auth]\n`,
    header: header('NAME', 'AGE', 'SIGNERNAME', 'REQUESTOR', 'REQUESTEDDURATION', 'CONDITION'),
    // Upstream's CSR PrepareForCreate fills spec.username, uid, groups and extra from the
    // requesting user, so REQUESTOR shows the user.
    row: row('alice', AGE, 'kubernetes.io/kube-apiserver-client', /\S+/, '<none>', 'Pending'),
    defaults: (csr) => {
      assert.ok(csr.spec.username, 'the requesting user is recorded');
      assert.ok(Array.isArray(csr.spec.groups) && csr.spec.groups.includes('system:authenticated'));
    },
    updated: (csr) => assert.equal(csr.metadata.labels.team, 'dev'),
  },
  {
    resource: 'leases',
    name: 'leader',
    shown: 'lease.coordination.k8s.io/leader',
    manifest: 'apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {name: leader}\nspec: {holderIdentity: node-a, leaseDurationSeconds: 15}\n',
    changed: 'apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {name: leader}\nspec: {holderIdentity: node-b, leaseDurationSeconds: 15}\n',
    header: header('NAME', 'HOLDER', 'AGE'),
    row: row('leader', 'node-a', AGE),
    defaults: (lease) => assert.equal(lease.spec.leaseDurationSeconds, 15),
    updated: (lease) => assert.equal(lease.spec.holderIdentity, 'node-b'),
  },
  {
    resource: 'endpointslices',
    name: 'web-abc',
    shown: 'endpointslice.discovery.k8s.io/web-abc',
    manifest:
      'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-abc, labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\nendpoints:\n- addresses: [10.0.0.5]\nports: [{port: 8080}]\n',
    changed:
      'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: web-abc, labels: {kubernetes.io/service-name: web}}\naddressType: IPv4\nendpoints:\n- addresses: [10.0.0.5]\n- addresses: [10.0.0.6]\nports: [{port: 8080}]\n',
    header: header('NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'),
    row: row('web-abc', 'IPv4', '8080', '10.0.0.5', AGE),
    defaults: (slice) => assert.deepEqual(slice.ports[0], { name: '', port: 8080, protocol: 'TCP' }),
    updated: (slice) => assert.equal(slice.endpoints.length, 2),
  },
];
