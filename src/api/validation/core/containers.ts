// Containers and init containers: names, images, ports, env, mounts, probes, lifecycle,
// resources and security context, with upstream's paths and messages.
import type {
  Container, ContainerPort, EnvFromSource, EnvVar, Lifecycle, LifecycleHandler, Probe, SecurityContext, SeccompProfile, Volume, VolumeMount,
} from 'kubernetes-types/core/v1.js';
import { type FieldError, type FieldPath, duplicate, forbidden, invalid, notFound, notSupported, required } from '../../field-errors.js';
import { isConfigMapKey, isDNS1123Subdomain, isHTTPHeaderName, isRelaxedEnvVarName, isValidPortName, isValidPortNum, isValidUserID } from '../names.js';
import { asArray, validateDNS1123Label, validateLocalDescendingPath, validateNonnegativeField, validatePortNumOrName } from './common.js';
import { validateEnvVarFieldRef, validateResourceFieldRef } from './downward-api.js';
import { validateContainerResources } from './resources.js';

export const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];

export interface ContainerContext {
  volumes: Map<string, Volume>;
  /** spec.terminationGracePeriodSeconds, bounding lifecycle sleep hooks. */
  gracePeriod: number | undefined;
}

export function validateContainerPorts(ports: ContainerPort[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  asArray(ports).forEach((port, i) => {
    const p = path.index(i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length) msgs.forEach((msg) => errs.push(invalid(p.child('name'), port.name, msg)));
      else if (names.has(port.name)) errs.push(duplicate(p.child('name'), port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(required(p.child('containerPort')));
    else for (const msg of isValidPortNum(port.containerPort)) errs.push(invalid(p.child('containerPort'), port.containerPort, msg));
    if (port.hostPort) for (const msg of isValidPortNum(port.hostPort)) errs.push(invalid(p.child('hostPort'), port.hostPort, msg));
    if (!port.protocol) errs.push(required(p.child('protocol')));
    else if (!PORT_PROTOCOLS.includes(port.protocol)) errs.push(notSupported(p.child('protocol'), port.protocol, PORT_PROTOCOLS));
  });
  return errs;
}

/** Host ports (ip/protocol/port) must be unique across the given containers. */
export function checkHostPortConflicts(containers: Container[], path: FieldPath, seen = new Set<string>()): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((ctr, ci) => {
    asArray(ctr.ports).forEach((port, pi) => {
      if (!port.hostPort) return;
      const key = `${port.hostIP ?? ''}/${port.protocol ?? ''}/${port.hostPort}`;
      if (seen.has(key)) errs.push(duplicate(path.index(ci).child('ports').index(pi).child('hostPort'), key));
      else seen.add(key);
    });
  });
  return errs;
}

function validateConfigMapOrSecretKeyRef(ref: { name?: string; key: string }, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const msg of isDNS1123Subdomain(ref.name ?? '')) errs.push(invalid(path.child('name'), ref.name ?? '', msg));
  if (!ref.key) errs.push(required(path.child('key')));
  else for (const msg of isConfigMapKey(ref.key)) errs.push(invalid(path.child('key'), ref.key, msg));
  return errs;
}

export function validateEnv(env: EnvVar[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  asArray(env).forEach((ev, i) => {
    const p = path.index(i);
    if (!ev.name) errs.push(required(p.child('name')));
    for (const msg of isRelaxedEnvVarName(ev.name ?? '')) errs.push(invalid(p.child('name'), ev.name ?? '', msg));
    if (!ev.valueFrom) return;
    const vp = p.child('valueFrom');
    let sources = 0;
    if (ev.valueFrom.fieldRef) {
      sources++;
      errs.push(...validateEnvVarFieldRef(ev.valueFrom.fieldRef, vp.child('fieldRef')));
    }
    if (ev.valueFrom.resourceFieldRef) {
      sources++;
      errs.push(...validateResourceFieldRef(ev.valueFrom.resourceFieldRef, vp.child('resourceFieldRef'), false));
    }
    if (ev.valueFrom.configMapKeyRef) {
      sources++;
      errs.push(...validateConfigMapOrSecretKeyRef(ev.valueFrom.configMapKeyRef, vp.child('configMapKeyRef')));
    }
    if (ev.valueFrom.secretKeyRef) {
      sources++;
      errs.push(...validateConfigMapOrSecretKeyRef(ev.valueFrom.secretKeyRef, vp.child('secretKeyRef')));
    }
    if (sources === 0) errs.push(invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (ev.value) errs.push(invalid(vp, '', 'may not be specified when `value` is not empty'));
    else if (sources > 1) errs.push(invalid(vp, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

export function validateEnvFrom(envFrom: EnvFromSource[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  asArray(envFrom).forEach((ev, i) => {
    const p = path.index(i);
    if (ev.prefix) for (const msg of isRelaxedEnvVarName(ev.prefix)) errs.push(invalid(p.child('prefix'), ev.prefix, msg));
    let sources = 0;
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      const ref = ev[kind];
      if (!ref) continue;
      sources++;
      if (!ref.name) errs.push(required(p.child(kind, 'name')));
      else for (const msg of isDNS1123Subdomain(ref.name)) errs.push(invalid(p.child(kind, 'name'), ref.name, msg));
    }
    if (sources === 0) errs.push(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1) errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

export function validateVolumeMounts(ctr: Container, volumes: Map<string, Volume>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  const devices = asArray(ctr.volumeDevices);
  asArray(ctr.volumeMounts).forEach((m: VolumeMount, i) => {
    const p = path.index(i);
    if (!m.name) errs.push(required(p.child('name')));
    if (!volumes.has(m.name)) errs.push(notFound(p.child('name'), m.name ?? ''));
    if (!m.mountPath) errs.push(required(p.child('mountPath')));
    if (mountPoints.has(m.mountPath)) errs.push(invalid(p.child('mountPath'), m.mountPath, 'must be unique'));
    mountPoints.add(m.mountPath);
    if (devices.some((d) => d.name === m.name)) errs.push(invalid(p.child('name'), m.name, 'must not already exist in volumeDevices'));
    if (devices.some((d) => d.devicePath === m.mountPath)) {
      errs.push(invalid(p.child('mountPath'), m.mountPath, 'must not already exist as a path in volumeDevices'));
    }
    // Upstream reports subPath problems against the list path, not the item.
    if (m.subPath) errs.push(...validateLocalDescendingPath(m.subPath, path.child('subPath')));
    if (m.subPathExpr) {
      if (m.subPath) errs.push(invalid(p.child('subPathExpr'), m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(m.subPathExpr, path.child('subPathExpr')));
    }
    if (m.mountPropagation !== undefined && m.mountPropagation !== null) {
      const modes = ['None', 'HostToContainer', 'Bidirectional'];
      if (!modes.includes(m.mountPropagation)) errs.push(notSupported(path.child('mountPropagation'), m.mountPropagation, modes));
      else if (m.mountPropagation === 'Bidirectional' && ctr.securityContext?.privileged !== true) {
        errs.push(forbidden(path.child('mountPropagation'), 'Bidirectional mount propagation is available only to privileged containers'));
      }
    }
    if (m.recursiveReadOnly !== undefined && m.recursiveReadOnly !== null) {
      const modes = ['Disabled', 'IfPossible', 'Enabled'];
      if (!modes.includes(m.recursiveReadOnly)) errs.push(notSupported(path.child('recursiveReadOnly'), m.recursiveReadOnly, modes));
      else if (m.recursiveReadOnly !== 'Disabled' && !m.readOnly) {
        errs.push(forbidden(path.child('recursiveReadOnly'), 'may only be specified when readOnly is true'));
      }
    }
  });
  return errs;
}

function validateHandler(h: LifecycleHandler & { grpc?: Probe['grpc'] }, path: FieldPath, gracePeriod: number | undefined): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  const one = (key: string): boolean => {
    if (count > 0) {
      errs.push(forbidden(path.child(key), 'may not specify more than 1 handler type'));
      return false;
    }
    count++;
    return true;
  };
  if (h.exec) {
    count++;
    if (!asArray(h.exec.command).length) errs.push(required(path.child('exec', 'command')));
  }
  if (h.httpGet && one('httpGet')) {
    const hp = path.child('httpGet');
    if (!h.httpGet.path) errs.push(required(hp.child('path')));
    errs.push(...validatePortNumOrName(h.httpGet.port, hp.child('port'), isValidPortNum, isValidPortName));
    const scheme = h.httpGet.scheme ?? '';
    if (scheme !== 'HTTP' && scheme !== 'HTTPS') errs.push(notSupported(hp.child('scheme'), scheme, ['HTTP', 'HTTPS']));
    for (const header of asArray(h.httpGet.httpHeaders)) {
      for (const msg of isHTTPHeaderName(header.name)) errs.push(invalid(hp.child('httpHeaders'), header.name, msg));
    }
  }
  if (h.tcpSocket && one('tcpSocket')) {
    errs.push(...validatePortNumOrName(h.tcpSocket.port, path.child('tcpSocket', 'port'), isValidPortNum, isValidPortName));
  }
  if (h.grpc && one('grpc')) {
    for (const msg of isValidPortNum(h.grpc.port)) errs.push(invalid(path.child('grpc', 'port'), h.grpc.port, msg));
  }
  if (h.sleep && one('sleep')) {
    const grace = gracePeriod ?? 30;
    if (h.sleep.seconds < 0 || h.sleep.seconds > grace) {
      errs.push(invalid(path.child('sleep', 'seconds'), h.sleep.seconds, `must be non-negative and less than terminationGracePeriodSeconds (${grace})`));
    }
  }
  if (count === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

function validateLifecycle(lc: Lifecycle, path: FieldPath, gracePeriod: number | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (lc.postStart) errs.push(...validateHandler(lc.postStart, path.child('postStart'), gracePeriod));
  if (lc.preStop) errs.push(...validateHandler(lc.preStop, path.child('preStop'), gracePeriod));
  return errs;
}

type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

function validateProbe(probe: Probe | undefined, kind: ProbeKind, path: FieldPath, gracePeriod: number | undefined): FieldError[] {
  if (!probe) return [];
  const errs = validateHandler(probe, path, gracePeriod);
  errs.push(...validateNonnegativeField(probe.initialDelaySeconds, path.child('initialDelaySeconds')));
  errs.push(...validateNonnegativeField(probe.timeoutSeconds, path.child('timeoutSeconds')));
  errs.push(...validateNonnegativeField(probe.periodSeconds, path.child('periodSeconds')));
  errs.push(...validateNonnegativeField(probe.successThreshold, path.child('successThreshold')));
  errs.push(...validateNonnegativeField(probe.failureThreshold, path.child('failureThreshold')));
  const tgps = probe.terminationGracePeriodSeconds;
  if (tgps !== undefined && tgps !== null && tgps <= 0) errs.push(invalid(path.child('terminationGracePeriodSeconds'), tgps, 'must be greater than 0'));
  if (kind === 'readinessProbe') {
    if (tgps !== undefined && tgps !== null) errs.push(invalid(path.child('terminationGracePeriodSeconds'), tgps, 'must not be set for readinessProbes'));
  } else if ((probe.successThreshold ?? 1) !== 1) {
    errs.push(invalid(path.child('successThreshold'), probe.successThreshold, 'must be 1'));
  }
  return errs;
}

function validateProbesAndLifecycle(ctr: Container, path: FieldPath, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  if (ctr.lifecycle) errs.push(...validateLifecycle(ctr.lifecycle, path.child('lifecycle'), ctx.gracePeriod));
  for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    errs.push(...validateProbe(ctr[kind], kind, path.child(kind), ctx.gracePeriod));
  }
  return errs;
}

export function validateSeccompProfile(sp: SeccompProfile | undefined, path: FieldPath): FieldError[] {
  if (!sp) return [];
  const errs: FieldError[] = [];
  const types = ['Localhost', 'RuntimeDefault', 'Unconfined'];
  if (!sp.type) errs.push(required(path.child('type'), 'type is required when seccompProfile is set'));
  else if (!types.includes(sp.type)) errs.push(notSupported(path.child('type'), sp.type, types));
  if (sp.type === 'Localhost') {
    if (!sp.localhostProfile) errs.push(required(path.child('localhostProfile'), 'must be set when seccomp type is Localhost'));
    else errs.push(...validateLocalDescendingPath(sp.localhostProfile, path.child('localhostProfile')));
  } else if (sp.localhostProfile !== undefined && sp.localhostProfile !== null) {
    errs.push(invalid(path.child('localhostProfile'), sp, 'can only be set when seccomp type is Localhost'));
  }
  return errs;
}

export function validateSecurityContext(sc: SecurityContext | undefined, path: FieldPath): FieldError[] {
  if (!sc) return [];
  const errs: FieldError[] = [];
  for (const field of ['runAsUser', 'runAsGroup'] as const) {
    const v = sc[field];
    if (v !== undefined && v !== null) for (const msg of isValidUserID(v)) errs.push(invalid(path.child(field), v, msg));
  }
  if (sc.procMount !== undefined && sc.procMount !== null && sc.procMount !== 'Default' && sc.procMount !== 'Unmasked') {
    errs.push(notSupported(path.child('procMount'), sc.procMount, ['Default', 'Unmasked']));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, path.child('seccompProfile')));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) errs.push(invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    if (asArray(sc.capabilities?.add).includes('CAP_SYS_ADMIN')) {
      errs.push(invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  return errs;
}

/** Checks shared by regular and init containers. */
function validateContainerCommon(ctr: Container, path: FieldPath, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  if (!ctr.name) errs.push(required(path.child('name')));
  else errs.push(...validateDNS1123Label(ctr.name, path.child('name')));
  if (!ctr.image) errs.push(required(path.child('image')));
  const tmp = ctr.terminationMessagePolicy ?? '';
  if (tmp === '') errs.push(required(path.child('terminationMessagePolicy'), "must be 'File' or 'FallbackToLogsOnError'"));
  else if (!TERMINATION_MESSAGE_POLICIES.includes(tmp)) errs.push(notSupported(path.child('terminationMessagePolicy'), tmp, TERMINATION_MESSAGE_POLICIES));
  errs.push(...validateContainerPorts(ctr.ports, path.child('ports')));
  errs.push(...validateEnv(ctr.env, path.child('env')));
  errs.push(...validateEnvFrom(ctr.envFrom, path.child('envFrom')));
  errs.push(...validateVolumeMounts(ctr, ctx.volumes, path.child('volumeMounts')));
  errs.push(...validateVolumeDevices(ctr, ctx.volumes, path.child('volumeDevices')));
  const pull = ctr.imagePullPolicy ?? '';
  if (pull === '') errs.push(required(path.child('imagePullPolicy')));
  else if (!PULL_POLICIES.includes(pull)) errs.push(notSupported(path.child('imagePullPolicy'), pull, PULL_POLICIES));
  errs.push(...validateContainerResources(ctr.resources, path.child('resources')));
  errs.push(...validateSecurityContext(ctr.securityContext, path.child('securityContext')));
  return errs;
}

function validateVolumeDevices(ctr: Container, volumes: Map<string, Volume>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  const names = new Set<string>();
  asArray(ctr.volumeDevices).forEach((d, i) => {
    const p = path.index(i);
    if (!d.name) errs.push(required(p.child('name')));
    if (names.has(d.name)) errs.push(invalid(p.child('name'), d.name, 'must be unique'));
    const vol = volumes.get(d.name);
    if (d.name && !vol) errs.push(notFound(p.child('name'), d.name));
    else if (vol && !vol.persistentVolumeClaim && !vol.ephemeral) {
      errs.push(invalid(p.child('name'), d.name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    }
    if (!d.devicePath) errs.push(required(p.child('devicePath')));
    if (paths.has(d.devicePath)) errs.push(invalid(p.child('devicePath'), d.devicePath, 'must be unique'));
    if (d.devicePath && d.devicePath.split('/').includes('..')) errs.push(invalid(p.child('devicePath'), d.devicePath, "can not contain backsteps ('..')"));
    names.add(d.name);
    paths.add(d.devicePath);
  });
  return errs;
}

export function validateContainers(containers: Container[] | undefined, path: FieldPath, ctx: ContainerContext): FieldError[] {
  const list = asArray(containers);
  if (list.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((ctr, i) => {
    const p = path.index(i);
    errs.push(...validateContainerCommon(ctr, p, ctx));
    if (names.has(ctr.name)) errs.push(duplicate(p.child('name'), ctr.name));
    else names.add(ctr.name);
    errs.push(...validateProbesAndLifecycle(ctr, p, ctx));
    if (ctr.restartPolicy !== undefined && ctr.restartPolicy !== null) {
      errs.push(forbidden(p.child('restartPolicy'), 'may not be set for non-init containers'));
    }
  });
  errs.push(...checkHostPortConflicts(list, path));
  return errs;
}

/** Init containers; restartPolicy: Always turns one into a sidecar that may have probes. */
export function validateInitContainers(inits: Container[] | undefined, regular: Container[] | undefined, path: FieldPath, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(asArray(regular).map((c) => c.name));
  asArray(inits).forEach((ctr, i) => {
    const p = path.index(i);
    errs.push(...validateContainerCommon(ctr, p, ctx));
    let sidecar = false;
    if (ctr.restartPolicy !== undefined && ctr.restartPolicy !== null) {
      if (ctr.restartPolicy !== 'Always') errs.push(notSupported(p.child('restartPolicy'), ctr.restartPolicy, ['Always']));
      sidecar = ctr.restartPolicy === 'Always';
    }
    if (names.has(ctr.name)) errs.push(duplicate(p.child('name'), ctr.name));
    else if (ctr.name) names.add(ctr.name);
    // Init containers run one at a time, so host ports only clash within one container; upstream
    // checks each alone, which is why the reported index is always 0.
    errs.push(...checkHostPortConflicts([ctr], path));
    if (sidecar) {
      errs.push(...validateProbesAndLifecycle(ctr, p, ctx));
    } else {
      const notForInit = 'may not be set for init containers without restartPolicy=Always';
      if (ctr.lifecycle) errs.push(forbidden(p.child('lifecycle'), notForInit));
      if (ctr.livenessProbe) errs.push(forbidden(p.child('livenessProbe'), notForInit));
      if (ctr.readinessProbe) errs.push(forbidden(p.child('readinessProbe'), 'may not be set for init containers'));
      if (ctr.startupProbe) errs.push(forbidden(p.child('startupProbe'), notForInit));
    }
    if (asArray(ctr.resizePolicy).length) errs.push(invalid(p.child('resizePolicy'), ctr.resizePolicy, 'must not be set for init containers'));
  });
  return errs;
}
