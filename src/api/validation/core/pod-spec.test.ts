import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFieldErrors, rootPath } from '../../field-errors.js';
import { container, podSpec } from './fixtures.js';
import { validatePodSpec, validatePodTemplateSpec } from './pod-spec.js';

const spec = rootPath('spec');
const fmt = (s: Parameters<typeof validatePodSpec>[0]): string => formatFieldErrors(validatePodSpec(s, spec, { resourceIsPod: true }));

test('valid defaulted spec passes', () => {
  assert.deepEqual(validatePodSpec(podSpec(), spec), []);
});

test('containers required; names required, DNS labels and unique; image required', () => {
  assert.equal(fmt(podSpec({ containers: [] })), 'spec.containers: Required value');
  assert.equal(fmt(podSpec({ containers: [container({ name: '' })] })), 'spec.containers[0].name: Required value');
  assert.equal(fmt(podSpec({ containers: [container(), container()] })), 'spec.containers[1].name: Duplicate value: "web"');
  assert.equal(fmt(podSpec({ containers: [container({ image: '' })] })), 'spec.containers[0].image: Required value');
  assert.match(fmt(podSpec({ containers: [container({ name: 'Web' })] })), /^spec\.containers\[0\]\.name: Invalid value: "Web": a lowercase RFC 1123 label/);
});

test('restartPolicy and dnsPolicy values', () => {
  assert.equal(fmt(podSpec({ restartPolicy: 'Sometimes' })), 'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"');
  assert.equal(fmt(podSpec({ dnsPolicy: '' })), 'spec.dnsPolicy: Required value');
});

test('ports', () => {
  assert.equal(
    fmt(podSpec({ containers: [container({ ports: [{ containerPort: 70000, protocol: 'TCP' }] })] })),
    'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
  );
  assert.equal(
    fmt(podSpec({ containers: [container({ ports: [{ containerPort: 80, protocol: 'HTTP' }] })] })),
    'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
  );
  assert.equal(
    fmt(podSpec({ hostNetwork: true, containers: [container({ ports: [{ containerPort: 80, hostPort: 81, protocol: 'TCP' }] })] })),
    'spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true',
  );
});

test('resources: requests must not exceed limits', () => {
  assert.equal(
    fmt(podSpec({ containers: [container({ resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } })] })),
    'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
  );
  assert.equal(
    fmt(podSpec({ containers: [container({ resources: { requests: { memory: '-1Gi' } } })] })),
    'spec.containers[0].resources.requests[memory]: Invalid value: "-1Gi": must be greater than or equal to 0',
  );
  assert.equal(
    fmt(podSpec({ containers: [container({ resources: { limits: { disk: '1' } } })] })),
    'spec.containers[0].resources.limits[disk]: Invalid value: "disk": must be a standard resource type or fully qualified, spec.containers[0].resources.limits[disk]: Invalid value: "disk": must be a standard resource for containers'
      .replace(/^/, '[').replace(/$/, ']'),
  );
});

test('volumes and mounts', () => {
  assert.equal(
    fmt(podSpec({ volumes: [{ name: 'a', emptyDir: {} }, { name: 'a', emptyDir: {} }] })),
    'spec.volumes[1].name: Duplicate value: "a"',
  );
  assert.equal(
    fmt(podSpec({ volumes: [{ name: 'a', emptyDir: {}, hostPath: { path: '/x' } }] })),
    'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
  );
  assert.equal(
    fmt(podSpec({ containers: [container({ volumeMounts: [{ name: 'missing', mountPath: '/data' }] })] })),
    'spec.containers[0].volumeMounts[0].name: Not found: "missing"',
  );
});

test('env names and valueFrom', () => {
  assert.equal(fmt(podSpec({ containers: [container({ env: [{ name: 'A=B' }] })] })),
    'spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than \'=\'');
  assert.equal(fmt(podSpec({ containers: [container({ env: [{ name: 'A', valueFrom: {} }] })] })),
    'spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`');
});

test('probes, init containers and sidecars', () => {
  assert.equal(
    fmt(podSpec({ containers: [container({ livenessProbe: { exec: { command: ['true'] }, successThreshold: 2 } })] })),
    'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
  );
  assert.equal(
    fmt(podSpec({ initContainers: [container({ name: 'init', readinessProbe: { exec: { command: ['x'] } } })] })),
    'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers',
  );
  assert.deepEqual(validatePodSpec(podSpec({ initContainers: [container({ name: 'side', restartPolicy: 'Always', startupProbe: { exec: { command: ['x'] }, successThreshold: 1 } })] }), spec), []);
  assert.equal(
    fmt(podSpec({ containers: [container({ restartPolicy: 'Always' })] })),
    'spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
  );
});

test('scheduling: tolerations, affinity, topology spread, nodeSelector', () => {
  assert.equal(fmt(podSpec({ tolerations: [{ operator: 'Equal', value: 'x' }] })),
    'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"');
  assert.equal(fmt(podSpec({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } })),
    'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term');
  assert.equal(fmt(podSpec({ topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] })),
    'spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero');
  assert.match(fmt(podSpec({ nodeSelector: { 'bad key!': 'x' } })), /^spec\.nodeSelector: Invalid value: "bad key!": name part must consist/);
});

test('pod template paths', () => {
  const errs = validatePodTemplateSpec({ metadata: { labels: { app: '-' } }, spec: podSpec({ containers: [] }) }, spec.child('template'));
  assert.match(formatFieldErrors(errs), /^\[spec\.template\.labels: Invalid value: "-": a valid label .*, spec\.template\.spec\.containers: Required value\]$/);
});
