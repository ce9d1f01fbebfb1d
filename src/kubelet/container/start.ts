// Starting one container of a pod, as upstream's startContainer: the image (by pull policy),
// the environment, volume mounts, then create and start, with the events upstream records.
// A failure comes back as the waiting reason the status shows.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigMap, Container, Pod, Secret, Service, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isNotFound } from '../../client/index.js';
import type { ContainerConfig, Mount } from '../../runtime/cri/types.js';
import { pullImage } from '../../runtime/images/registry/pull.js';
import { configMapsResource, labels, recordEvent, secretsResource, type KubeletContext } from '../context.js';
import type { BackOff } from '../pods/backoff.js';
import { containerResources } from '../pods/resources.js';
import type { Waiting } from '../pods/status.js';
import { ContainerConfigError, containerEnv } from './env.js';
import { etcHostsMount } from './etc-hosts.js';
import { podPullCredentials } from './pull-secrets.js';
import { expand } from './expansion.js';
import { runHook } from './hooks.js';
import { serviceEnvVars, servicesForPod } from './service-env.js';
import { servicesResource } from './service-source.js';

const serviceAccountsResource = { group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true };
import { defaultGracePeriodSeconds, postStartHookTimeoutMs } from '../limits.js';
import { serviceAccountMountPath, type PodVolumes } from '../volumes/manager.js';

export interface StartRequest {
  pod: Pod;
  container: Container;
  /** "spec.containers{x}" or "spec.initContainers{x}", for events. */
  fieldPath: string;
  sandboxId: string;
  attempt: number;
  podIPs: string[];
  imageBackOff: BackOff;
  /** Host paths of the pod's volumes, set up by the volume manager. */
  volumes: PodVolumes;
}

/** The pull policy the API server defaults: Always for :latest or no tag, else IfNotPresent. */
export function pullPolicy(container: Container): string {
  if (container.imagePullPolicy) return container.imagePullPolicy;
  const image = container.image ?? '';
  const tagged = /:[^/:@]+$/.test(image.replace(/@.*$/, '')) && !image.endsWith(':latest');
  return tagged || image.includes('@') ? 'IfNotPresent' : 'Always';
}

async function ensureImage(context: KubeletContext, request: StartRequest): Promise<Waiting | undefined> {
  const { pod, container, fieldPath } = request;
  const image = container.image ?? '';
  const policy = pullPolicy(container);
  const present = context.runtime.images.find(image) !== undefined;
  if (policy === 'Never' || (policy === 'IfNotPresent' && present)) {
    if (present) {
      recordEvent(context, pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, fieldPath);
      return undefined;
    }
    const message = `Container image "${image}" is not present with pull policy of Never`;
    recordEvent(context, pod, 'Warning', 'ErrImageNeverPull', message, fieldPath);
    return { reason: 'ErrImageNeverPull', message };
  }
  const key = `${pod.metadata?.uid}/${image}`;
  if (request.imageBackOff.isInBackOffSinceUpdate(key)) {
    const message = `Back-off pulling image "${image}"`;
    recordEvent(context, pod, 'Normal', 'BackOff', message, fieldPath);
    return { reason: 'ImagePullBackOff', message };
  }
  recordEvent(context, pod, 'Normal', 'Pulling', `Pulling image "${image}"`, fieldPath);
  const startedMs = Date.now();
  try {
    const auth = await podPullCredentials(pod, {
      secret: (ns, name) => getOptional<Secret>(context, secretsResource, ns, name),
      serviceAccount: (ns, name) => getOptional<ServiceAccount>(context, serviceAccountsResource, ns, name),
      warn: (message) => recordEvent(context, pod, 'Warning', 'FailedToRetrieveImagePullSecret', message),
    });
    await pullImage(context.runtime.images, image, auth ? { auth } : {});
  } catch (error) {
    request.imageBackOff.next(key);
    const message = `Failed to pull image "${image}": ${(error as Error).message}`;
    recordEvent(context, pod, 'Warning', 'Failed', message, fieldPath);
    recordEvent(context, pod, 'Warning', 'Failed', 'Error: ErrImagePull', fieldPath);
    return { reason: 'ErrImagePull', message };
  }
  request.imageBackOff.reset(key);
  const seconds = ((Date.now() - startedMs) / 1000).toFixed(3);
  const size = context.runtime.images.find(image)?.size ?? 0;
  recordEvent(context, pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${seconds}s (${seconds}s including waiting). Image size: ${size} bytes.`, fieldPath);
  return undefined;
}


/** The pod's volumes as bind mounts; subPath within the volume, created when missing as upstream. */
export function volumeMounts(pod: Pod, container: Container, volumes: PodVolumes): Mount[] {
  const mounts: Mount[] = [];
  for (const mount of container.volumeMounts ?? []) {
    let hostPath = volumes.paths.get(mount.name);
    if (hostPath === undefined) throw new ContainerConfigError(`cannot find volume "${mount.name}" to mount into container "${container.name}"`);
    const subPath = mount.subPath;
    if (subPath) {
      if (subPath.startsWith('/') || subPath.split('/').includes('..')) throw new ContainerConfigError(`failed to prepare subPath for volumeMount "${mount.name}" of container "${container.name}"`);
      hostPath = join(hostPath, subPath);
      if (!existsSync(hostPath)) mkdirSync(hostPath, { recursive: true });
    }
    mounts.push({ containerPath: mount.mountPath, hostPath, readonly: (mount.readOnly ?? false) || (volumes.readOnly?.has(mount.name) ?? false) });
  }
  if (volumes.serviceAccountVolume) {
    const hostPath = volumes.paths.get(volumes.serviceAccountVolume);
    if (hostPath) mounts.push({ containerPath: serviceAccountMountPath, hostPath, readonly: true });
  }
  return mounts;
}

function withEtcHosts(context: KubeletContext, pod: Pod, podIPs: string[], mounts: Mount[]): Mount[] {
  const hosts = etcHostsMount(join(context.dataDir, 'pods', pod.metadata?.uid ?? ''), pod, podIPs, mounts);
  return hosts ? [...mounts, hosts] : mounts;
}

/** Service links for the container's environment, read when the container starts, as upstream. */
async function serviceEnv(context: KubeletContext, pod: Pod): Promise<Map<string, string>> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const enableServiceLinks = pod.spec?.enableServiceLinks ?? true;
  if (context.services) {
    // The agent's Service informer, as upstream's service lister: no API call per container.
    if (!context.services.synced()) throw new ContainerConfigError('services have not yet been read at least once, cannot construct envvars');
    const inNamespace = enableServiceLinks ? context.services.inNamespace(namespace) : [];
    return serviceEnvVars(servicesForPod(namespace, enableServiceLinks, inNamespace, context.services.get('default', 'kubernetes')));
  }
  const services = context.client.resource<Service & KubeObject>(servicesResource);
  const inNamespace = enableServiceLinks ? (await services.list(namespace)).items : [];
  const master = await getOptional<Service>(context, servicesResource, 'default', 'kubernetes');
  return serviceEnvVars(servicesForPod(namespace, enableServiceLinks, inNamespace, master));
}

export async function startContainer(context: KubeletContext, request: StartRequest): Promise<Waiting | undefined> {
  const { pod, container, fieldPath } = request;
  const imageProblem = await ensureImage(context, request);
  if (imageProblem) return imageProblem;
  let config: ContainerConfig;
  try {
    const podIP = request.podIPs[0] ?? '';
    const env = await containerEnv(pod, container, {
      configMap: (ns, name) => getOptional<ConfigMap>(context, configMapsResource, ns, name),
      secret: (ns, name) => getOptional<Secret>(context, secretsResource, ns, name),
      podIP,
      podIPs: request.podIPs,
      hostIP: context.hostIP,
      nodeAllocatable: context.nodeAllocatable(),
      serviceEnv: await serviceEnv(context, pod),
    });
    const values = new Map(env.map((e) => [e.key, e.value]));
    const lookup = (name: string): string | undefined => values.get(name);
    config = {
      metadata: { name: container.name, attempt: request.attempt },
      image: container.image ?? '',
      ...(container.command ? { command: container.command.map((c) => expand(c, lookup)) } : {}),
      ...(container.args ? { args: container.args.map((a) => expand(a, lookup)) } : {}),
      ...(container.workingDir ? { workingDir: container.workingDir } : {}),
      envs: env,
      mounts: withEtcHosts(context, pod, request.podIPs, volumeMounts(pod, container, request.volumes)),
      labels: { [labels.podUid]: pod.metadata?.uid ?? '', [labels.podName]: pod.metadata?.name ?? '', [labels.podNamespace]: pod.metadata?.namespace ?? '', [labels.containerName]: container.name },
      logPath: `${container.name}/${request.attempt}.log`,
      stdin: container.stdin ?? false,
      stdinOnce: container.stdinOnce ?? false,
      tty: container.tty ?? false,
      linux: { resources: containerResources(container), securityContext: securityContext(pod, container) },
    };
  } catch (error) {
    if (!(error instanceof ContainerConfigError)) throw error;
    recordEvent(context, pod, 'Warning', 'Failed', `Error: ${error.message}`, fieldPath);
    return { reason: 'CreateContainerConfigError', message: error.message };
  }
  let id: string;
  try {
    id = await context.runtime.createContainer(request.sandboxId, config);
  } catch (error) {
    const message = (error as Error).message;
    recordEvent(context, pod, 'Warning', 'Failed', `Error: ${message}`, fieldPath);
    return { reason: 'CreateContainerError', message };
  }
  recordEvent(context, pod, 'Normal', 'Created', `Created container ${container.name}`, fieldPath);
  try {
    await context.runtime.startContainer(id);
  } catch (error) {
    const message = (error as Error).message;
    recordEvent(context, pod, 'Warning', 'Failed', `Error: ${message}`, fieldPath);
    return { reason: 'RunContainerError', message };
  }
  recordEvent(context, pod, 'Normal', 'Started', `Started container ${container.name}`, fieldPath);
  const postStart = container.lifecycle?.postStart;
  if (postStart) {
    const failure = await runHook(context, postStart, { pod, container, containerId: id, podIP: request.podIPs[0] ?? '' }, postStartHookTimeoutMs);
    if (failure) {
      // As upstream: the hook failed, so the container is killed and counts as never having run well.
      recordEvent(context, pod, 'Warning', 'FailedPostStartHook', failure, fieldPath);
      recordEvent(context, pod, 'Normal', 'Killing', `FailedPostStartHook`, fieldPath);
      await context.runtime.stopContainer(id, pod.spec?.terminationGracePeriodSeconds ?? defaultGracePeriodSeconds).catch(() => undefined);
      return { reason: 'PostStartHookError', message: failure };
    }
  }
  return undefined;
}

function securityContext(pod: Pod, container: Container): NonNullable<ContainerConfig['linux']>['securityContext'] {
  const podContext = pod.spec?.securityContext;
  const own = container.securityContext;
  const runAsUser = own?.runAsUser ?? podContext?.runAsUser;
  const runAsGroup = own?.runAsGroup ?? podContext?.runAsGroup;
  // As upstream's determineEffectiveSecurityContext: the fsGroup first, then the pod's groups.
  const fsGroup = podContext?.fsGroup;
  const supplementalGroups = [...(fsGroup !== undefined && fsGroup !== null ? [fsGroup] : []), ...(podContext?.supplementalGroups ?? [])];
  return {
    ...(runAsUser !== undefined ? { runAsUser } : {}),
    ...(runAsGroup !== undefined ? { runAsGroup } : {}),
    ...(supplementalGroups.length > 0 ? { supplementalGroups } : {}),
    ...(own?.privileged ? { privileged: true } : {}),
    ...(own?.readOnlyRootFilesystem ? { readonlyRootfs: true } : {}),
    ...(own?.allowPrivilegeEscalation === false ? { noNewPrivs: true } : {}),
    ...(own?.capabilities ? { capabilities: { addCapabilities: own.capabilities.add ?? [], dropCapabilities: own.capabilities.drop ?? [] } } : {}),
    namespaceOptions: { network: pod.spec?.hostNetwork ? 'NODE' : 'POD', pid: pod.spec?.hostPID ? 'NODE' : pod.spec?.shareProcessNamespace ? 'POD' : 'CONTAINER', ipc: pod.spec?.hostIPC ? 'NODE' : 'POD' },
  };
}

async function getOptional<T>(context: KubeletContext, resource: typeof configMapsResource, namespace: string, name: string): Promise<T | undefined> {
  try {
    return (await context.client.resource(resource).get(namespace, name)) as T;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
