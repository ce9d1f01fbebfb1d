// Pod and PodSpec defaults (upstream pkg/apis/core/v1/defaults.go plus the declarative
// +default markers). PodSpec defaults apply wherever a PodSpec is embedded (Pod, PodTemplate,
// every workload template); the Pod-only ones (requests from limits, enableServiceLinks,
// host-network ports) deliberately do not, so templates stay as the user wrote them.
import { isJsonObject } from '../object.js';
import { defaultPullPolicy } from './image.js';
import {
  childObject,
  ensureObject,
  isNil,
  objectItems,
  setIfNil,
  setIfZero,
  type JsonObject,
} from './fields.js';
import { setVolumeDefaults } from './volumes.js';

/** SetDefaults_PodSpec and everything reachable from it. */
export function setPodSpecDefaults(spec: JsonObject): void {
  setIfZero(spec, 'dnsPolicy', 'ClusterFirst');
  setIfZero(spec, 'restartPolicy', 'Always');
  setIfNil(spec, 'securityContext', {});
  setIfNil(spec, 'terminationGracePeriodSeconds', 30);
  setIfZero(spec, 'schedulerName', 'default-scheduler');
  syncDeprecatedServiceAccount(spec);

  for (const container of objectItems(spec, 'containers')) setContainerDefaults(container);
  for (const container of objectItems(spec, 'initContainers')) setContainerDefaults(container);
  // Ephemeral containers share the Container fields (EphemeralContainerCommon).
  for (const container of objectItems(spec, 'ephemeralContainers')) setContainerDefaults(container);
  for (const volume of objectItems(spec, 'volumes')) setVolumeDefaults(volume);
}

/**
 * serviceAccount is the deprecated alias of serviceAccountName. Upstream's v1<->internal
 * conversion reads the alias when the name is empty and always writes both back, so every
 * stored object shows the two fields in agreement.
 */
function syncDeprecatedServiceAccount(spec: JsonObject): void {
  const name = spec['serviceAccountName'];
  const alias = spec['serviceAccount'];
  if ((isNil(name) || name === '') && typeof alias === 'string' && alias !== '') {
    spec['serviceAccountName'] = alias;
  }
  const effective = spec['serviceAccountName'];
  if (typeof effective === 'string' && effective !== '') spec['serviceAccount'] = effective;
}

/** SetDefaults_Container and the defaults of the structs it embeds. */
export function setContainerDefaults(container: JsonObject): void {
  if (isNil(container['imagePullPolicy']) || container['imagePullPolicy'] === '') {
    container['imagePullPolicy'] = defaultPullPolicy(container['image']);
  }
  setIfZero(container, 'terminationMessagePath', '/dev/termination-log');
  setIfZero(container, 'terminationMessagePolicy', 'File');
  // ResourceRequirements is a struct field: Go's encoder writes `resources: {}` even when empty.
  setIfNil(container, 'resources', {});

  for (const port of objectItems(container, 'ports')) setIfZero(port, 'protocol', 'TCP');
  for (const env of objectItems(container, 'env')) {
    const fieldRef = childObject(childObject(env, 'valueFrom') ?? {}, 'fieldRef');
    if (fieldRef) setIfZero(fieldRef, 'apiVersion', 'v1');
  }
  for (const probeName of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const probe = childObject(container, probeName);
    if (probe) setProbeDefaults(probe);
  }
  const lifecycle = childObject(container, 'lifecycle');
  if (lifecycle) {
    for (const hookName of ['postStart', 'preStop']) {
      const hook = childObject(lifecycle, hookName);
      if (hook) setHandlerDefaults(hook);
    }
  }
}

/** SetDefaults_Probe: zero-valued ints are replaced, as upstream's fields are not pointers. */
export function setProbeDefaults(probe: JsonObject): void {
  setIfZero(probe, 'timeoutSeconds', 1);
  setIfZero(probe, 'periodSeconds', 10);
  setIfZero(probe, 'successThreshold', 1);
  setIfZero(probe, 'failureThreshold', 3);
  setHandlerDefaults(probe);
}

/** Defaults of the action structs shared by probes and lifecycle hooks. */
function setHandlerDefaults(handler: JsonObject): void {
  const httpGet = childObject(handler, 'httpGet');
  if (httpGet) {
    setIfZero(httpGet, 'path', '/');
    setIfZero(httpGet, 'scheme', 'HTTP');
  }
  // GRPCAction.service carries a declarative default of "".
  const grpc = childObject(handler, 'grpc');
  if (grpc) setIfNil(grpc, 'service', '');
}

/** SetDefaults_Pod: the defaults that apply to Pods but not to pod templates. */
export function setPodOnlyDefaults(spec: JsonObject): void {
  for (const key of ['containers', 'initContainers']) {
    for (const container of objectItems(spec, key)) copyLimitsToRequests(container);
  }
  setIfNil(spec, 'enableServiceLinks', true);
  if (spec['hostNetwork'] === true) {
    for (const key of ['containers', 'initContainers']) {
      for (const container of objectItems(spec, key)) {
        for (const port of objectItems(container, 'ports')) {
          if (isNil(port['hostPort']) || port['hostPort'] === 0) port['hostPort'] = port['containerPort'];
        }
      }
    }
  }
}

/** A resource with a limit but no request gets a request equal to the limit. */
function copyLimitsToRequests(container: JsonObject): void {
  const resources = childObject(container, 'resources');
  const limits = resources ? childObject(resources, 'limits') : undefined;
  if (!resources || !limits) return;
  const requests = ensureObject(resources, 'requests');
  for (const [name, quantity] of Object.entries(limits)) {
    if (!(name in requests)) requests[name] = quantity;
  }
}

/** Full defaults of a Pod object. */
export function setPodDefaults(pod: JsonObject): void {
  const spec = ensureObject(pod, 'spec');
  setPodOnlyDefaults(spec);
  setPodSpecDefaults(spec);
}

/** Defaults of a PodTemplateSpec embedded in another object (only the PodSpec ones). */
export function setPodTemplateSpecDefaults(template: unknown): void {
  if (!isJsonObject(template)) return;
  setPodSpecDefaults(ensureObject(template, 'spec'));
}
