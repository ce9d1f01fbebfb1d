// The pod's volumes on the host, as upstream's volume manager and plugins lay them out under
// <data-dir>/pods/<uid>/volumes/<plugin>/<name>: emptyDir (a directory, or tmpfs with sizeLimit
// for medium Memory), hostPath (type-checked), and configMap, secret, downwardAPI and projected
// volumes rendered by the atomic writer (secret, downwardAPI and projected on tmpfs) and
// re-rendered every volumeRefreshIntervalMs, so updates reach running pods. The service-account
// volume that upstream's admission adds (kube-api-access-*) is added here when the API did not.
// persistentVolumeClaim volumes resolve to their PV (claim.ts); fsGroup sets volume ownership
// (ownership.ts) on the volume types upstream manages it for (not hostPath).
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigMap, Pod, Secret, ServiceAccount, Volume } from 'kubernetes-types/core/v1.js';
import { quantityToNano } from '../../api/defaults/quantity.js';
import { isNotFound } from '../../client/index.js';
import { configMapsResource, secretsResource, type KubeletContext } from '../context.js';
import { volumeRefreshIntervalMs } from '../limits.js';
import { writeAtomic } from './atomic-writer.js';
import { checkHostPath } from './host-path.js';
import { serviceAccountVolume, VolumeSetUpError, volumePayload, type Sources } from './payload.js';
import { mountTmpfs, unmountAll } from './tmpfs.js';
import { bindMount } from './bind-mount.js';
import { checkLocalPath, ClaimProcessingError, claimVolumeKind, resolveClaim } from './claim.js';
import { setVolumeOwnership } from './ownership.js';
import { TokenCache } from './tokens.js';

export const serviceAccountMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The name of the service-account volume the kubelet adds (upstream's gets a random suffix). */
export const serviceAccountVolumeName = 'kube-api-access-k8ts';
const serviceAccountsResource = { group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true };

export interface PodVolumes {
  /** Host path per volume name (the spec's volumes and the service-account volume). */
  paths: Map<string, string>;
  /** Set when the service-account volume is mounted into every container. */
  serviceAccountVolume?: string;
  /** Volumes every mount of which is read-only (persistentVolumeClaim.readOnly). */
  readOnly?: Set<string>;
}

export interface VolumeHost {
  mountTmpfs(dir: string, sizeBytes?: bigint): void | Promise<void>;
  unmountAll(dir: string): void;
  bindMount?(source: string, dir: string, readOnly: boolean): void;
}

interface Tracked {
  pod: Pod;
  podIPs: string[];
  /** Whether setUp added the service-account volume (decided once per sync, not per refresh). */
  serviceAccount: boolean;
}

export function pluginDir(volume: Volume): string {
  if (volume.emptyDir) return 'kubernetes.io~empty-dir';
  if (volume.configMap) return 'kubernetes.io~configmap';
  if (volume.secret) return 'kubernetes.io~secret';
  if (volume.downwardAPI) return 'kubernetes.io~downward-api';
  if (volume.projected) return 'kubernetes.io~projected';
  if (volume.persistentVolumeClaim) return 'kubernetes.io~local-volume';
  throw new VolumeSetUpError('this volume type is not supported yet');
}

const rendered = (volume: Volume): boolean => !!(volume.configMap || volume.secret || volume.downwardAPI || volume.projected);

export class VolumeManager {
  private readonly tokens: TokenCache;
  private readonly tracked = new Map<string, Tracked>();
  /** Pods whose volumes are all set up, with the pod IPs their downward API files were written for. */
  private readonly ready = new Map<string, { podIPs: string; volumes: PodVolumes }>();
  /** "<uid>/<volume>" whose ownership was set once (emptyDir, local PVs: upstream sets it at first mount). */
  private readonly owned = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly context: KubeletContext, private readonly host: VolumeHost = { mountTmpfs, unmountAll, bindMount }) {
    this.tokens = new TokenCache(context.client, context.clock);
  }

  podDir(uid: string): string {
    return join(this.context.dataDir, 'pods', uid);
  }

  /** Makes every volume of the pod ready to mount; throws VolumeSetUpError naming the volume. */
  async setUp(pod: Pod, podIPs: string[]): Promise<PodVolumes> {
    const uid = pod.metadata?.uid ?? '';
    // A pod's volumes are immutable: once all are set up, later syncs reuse them (the refresh
    // timer keeps configuration volumes current) instead of reading their sources again.
    const ready = this.ready.get(uid);
    const tracked = this.tracked.get(uid);
    if (ready && tracked && ready.podIPs === podIPs.join(',')) {
      this.tracked.set(uid, { ...tracked, pod });
      return ready.volumes;
    }
    const volumes = [...(pod.spec?.volumes ?? [])];
    const automount = await this.automountServiceAccount(pod);
    this.tracked.set(uid, { pod, podIPs, serviceAccount: automount });
    if (automount) volumes.push(serviceAccountVolume(serviceAccountVolumeName));
    const paths = new Map<string, string>();
    const readOnly = new Set<string>();
    for (const volume of volumes) {
      if (volume.persistentVolumeClaim?.readOnly) readOnly.add(volume.name);
      try {
        paths.set(volume.name, await this.setUpVolume(pod, volume, podIPs));
      } catch (error) {
        if (!(error instanceof VolumeSetUpError)) throw error;
        if (error instanceof ClaimProcessingError) {
          throw new VolumeSetUpError(`Unable to attach or mount volumes: unmounted volumes=[${volume.name}], unattached volumes=[], failed to process volumes=[${volume.name}]: ${error.message}`);
        }
        if (error.message.startsWith('MountVolume.')) throw error;
        throw new VolumeSetUpError(`MountVolume.SetUp failed for volume "${volume.name}" : ${error.message}`);
      }
    }
    const result = { paths, readOnly, ...(automount ? { serviceAccountVolume: serviceAccountVolumeName } : {}) };
    this.ready.set(uid, { podIPs: podIPs.join(','), volumes: result });
    return result;
  }

  /** fsGroup ownership as upstream's plugins apply it; `once` for volumes set up only at first mount. */
  private applyOwnership(pod: Pod, volume: Volume, dir: string, options: { once: boolean; readOnly: boolean }): void {
    const fsGroup = pod.spec?.securityContext?.fsGroup;
    if (fsGroup === undefined || fsGroup === null) return;
    const key = `${pod.metadata?.uid ?? ''}/${volume.name}`;
    if (options.once && this.owned.has(key)) return;
    setVolumeOwnership(dir, { fsGroup, changePolicy: pod.spec?.securityContext?.fsGroupChangePolicy, readOnly: options.readOnly });
    this.owned.add(key);
  }

  private async setUpClaimVolume(pod: Pod, volume: Volume): Promise<string> {
    const { pv } = await resolveClaim(this.context.client, pod.metadata?.namespace ?? '', volume.persistentVolumeClaim!.claimName);
    if (claimVolumeKind(pv) === 'hostPath') {
      checkHostPath(pv.spec!.hostPath!.path, pv.spec!.hostPath!.type);
      return pv.spec!.hostPath!.path;
    }
    const source = checkLocalPath(pv);
    const dir = join(this.podDir(pod.metadata?.uid ?? ''), 'volumes', pluginDir(volume), pv.metadata?.name ?? volume.name);
    mkdirSync(dir, { recursive: true, mode: 0o750 });
    const readOnly = volume.persistentVolumeClaim?.readOnly ?? false;
    this.host.bindMount?.(source, dir, readOnly);
    // Upstream's local plugin sets ownership only when mounted read-write.
    if (!readOnly) this.applyOwnership(pod, volume, dir, { once: true, readOnly });
    return dir;
  }

  private async setUpVolume(pod: Pod, volume: Volume, podIPs: string[]): Promise<string> {
    if (volume.hostPath) {
      checkHostPath(volume.hostPath.path, volume.hostPath.type);
      return volume.hostPath.path;
    }
    if (volume.persistentVolumeClaim) return this.setUpClaimVolume(pod, volume);
    const dir = join(this.podDir(pod.metadata?.uid ?? ''), 'volumes', pluginDir(volume), volume.name);
    mkdirSync(dir, { recursive: true, mode: volume.emptyDir ? 0o777 : 0o755 });
    if (volume.emptyDir) {
      if (volume.emptyDir.medium === 'Memory') {
        const limit = volume.emptyDir.sizeLimit ? quantityToNano(volume.emptyDir.sizeLimit) : undefined;
        await this.host.mountTmpfs(dir, limit ? limit / 1_000_000_000n : undefined);
      }
      // Upstream's emptyDir is 0777 whatever the umask (and the tmpfs mount) made it.
      if ((statSync(dir).mode & 0o777) !== 0o777) chmodSync(dir, (statSync(dir).mode & 0o7000) | 0o777);
      this.applyOwnership(pod, volume, dir, { once: true, readOnly: false });
      return dir;
    }
    if (!volume.configMap) await this.host.mountTmpfs(dir);
    const changed = writeAtomic(dir, await volumePayload(pod, volume, this.sources(podIPs)), this.context.clock.now());
    // Configuration volumes are read-only to containers: their files get g+r, again after each rewrite.
    this.applyOwnership(pod, volume, dir, { once: !changed, readOnly: true });
    return dir;
  }

  /** As upstream's ServiceAccount admission: the pod's field, else the account's, else true; never for mirror pods. */
  private async automountServiceAccount(pod: Pod): Promise<boolean> {
    const name = pod.spec?.serviceAccountName;
    if (!name || pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return false;
    const mounted = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].some((c) => c.volumeMounts?.some((m) => m.mountPath === serviceAccountMountPath));
    if (mounted || pod.spec?.volumes?.some((v) => v.name.startsWith('kube-api-access-'))) return false;
    if (pod.spec?.automountServiceAccountToken !== undefined) return pod.spec.automountServiceAccountToken;
    const account = await this.getOptional<ServiceAccount>(serviceAccountsResource, pod.metadata?.namespace ?? 'default', name);
    return account?.automountServiceAccountToken ?? true;
  }

  private sources(podIPs: string[]): Sources {
    return {
      configMap: (ns, name) => this.getOptional<ConfigMap>(configMapsResource, ns, name),
      secret: (ns, name) => this.getOptional<Secret>(secretsResource, ns, name),
      token: (pod, audience, seconds) => this.tokens.token(pod, audience, seconds),
      podIP: podIPs[0] ?? '',
      podIPs,
      hostIP: this.context.hostIP,
      nodeAllocatable: this.context.nodeAllocatable(),
    };
  }

  private async getOptional<T>(resource: typeof configMapsResource, namespace: string, name: string): Promise<T | undefined> {
    try {
      return (await this.context.client.resource(resource).get(namespace, name)) as T;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Re-renders configuration volumes of the pods set up so far, so changes reach them. */
  startRefresh(): void {
    // A slow API could make passes overlap; one at a time, the next tick catches up.
    let refreshing = false;
    this.timer ??= setInterval(() => {
      if (refreshing) return;
      refreshing = true;
      void this.refreshAll().finally(() => (refreshing = false));
    }, volumeRefreshIntervalMs);
  }

  stopRefresh(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async refreshAll(): Promise<void> {
    for (const [uid, { pod, podIPs, serviceAccount }] of [...this.tracked]) {
      const volumes = (pod.spec?.volumes ?? []).filter(rendered);
      if (serviceAccount) volumes.push(serviceAccountVolume(serviceAccountVolumeName));
      for (const volume of volumes) {
        try {
          const dir = join(this.podDir(uid), 'volumes', pluginDir(volume), volume.name);
          if (!this.tracked.has(uid)) break;
          if (writeAtomic(dir, await volumePayload(pod, volume, this.sources(podIPs)), this.context.clock.now())) {
            this.applyOwnership(pod, volume, dir, { once: false, readOnly: true });
          }
        } catch (error) {
          // Upstream keeps the last good content when a refresh fails; so does this.
          this.context.log(`refreshing volume ${volume.name} of pod ${uid}: ${(error as Error).message}`);
        }
      }
    }
  }

  /** Unmounts the pod's tmpfs volumes and forgets its tokens; the caller removes the directory. */
  tearDown(uid: string): void {
    this.tracked.delete(uid);
    this.ready.delete(uid);
    for (const key of this.owned) if (key.startsWith(`${uid}/`)) this.owned.delete(key);
    this.tokens.forget(uid);
    this.host.unmountAll(this.podDir(uid));
  }
}
