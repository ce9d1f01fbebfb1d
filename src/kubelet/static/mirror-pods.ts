// Keeps the API's mirror pods in step with <data-dir>/manifests: a new manifest gets its mirror
// pod created (which the pod workers then run like any pod bound here), a changed one is
// replaced, a removed one is deleted (gracefully: its containers stop as any pod's do).
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isAlreadyExists, isNotFound, type ResourceClient } from '../../client/index.js';
import { podsResource, type KubeletContext } from '../context.js';
import { configMirrorAnnotation, readManifests } from './manifests.js';

type PodObject = Pod & KubeObject;

export class MirrorPods {
  private readonly pods: ResourceClient<PodObject>;
  readonly dir: string;

  constructor(private readonly context: KubeletContext, private readonly nodeUid: () => string, private readonly boundPods: () => readonly PodObject[]) {
    this.pods = context.client.resource<PodObject>(podsResource);
    this.dir = join(context.dataDir, 'manifests');
  }

  async sync(): Promise<void> {
    const wanted = readManifests(this.dir, { name: this.context.nodeName, uid: this.nodeUid() }, new Date().toISOString(), this.context.log);
    const mirrors = this.boundPods().filter((p) => p.metadata?.annotations?.[configMirrorAnnotation] !== undefined);
    const wantedHashes = new Set(wanted.map((w) => w.hash));
    for (const mirror of mirrors) {
      if (wantedHashes.has(mirror.metadata?.annotations?.[configMirrorAnnotation] ?? '') || mirror.metadata?.deletionTimestamp) continue;
      this.context.log(`static pod ${mirror.metadata?.namespace}/${mirror.metadata?.name}: manifest changed or removed; deleting its mirror pod`);
      await this.pods.delete(mirror.metadata?.namespace, mirror.metadata?.name ?? '', { preconditions: { uid: mirror.metadata?.uid } }).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    }
    for (const { pod, hash } of wanted) {
      const existing = mirrors.find((m) => m.metadata?.namespace === pod.metadata?.namespace && m.metadata?.name === pod.metadata?.name);
      // A previous version still terminating: created on a later pass, once it is gone.
      if (existing) continue;
      try {
        await this.pods.create(pod.metadata?.namespace, pod as PodObject);
        this.context.log(`static pod ${pod.metadata?.namespace}/${pod.metadata?.name}: mirror pod created (${hash.slice(0, 8)})`);
      } catch (error) {
        if (!isAlreadyExists(error)) this.context.log(`static pod ${pod.metadata?.name}: creating its mirror pod: ${(error as Error).message}`);
      }
    }
  }
}
