// Static pods: Pod manifests in <data-dir>/manifests (YAML or JSON, one pod a file), named
// `<name>-<node>` and annotated as upstream's file source annotates them, with a hash of the
// manifest that the mirror pod in the API carries as kubernetes.io/config.mirror.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { parse } from 'yaml';

export const configHashAnnotation = 'kubernetes.io/config.hash';
export const configMirrorAnnotation = 'kubernetes.io/config.mirror';
export const configSourceAnnotation = 'kubernetes.io/config.source';
export const configSeenAnnotation = 'kubernetes.io/config.seen';
/** Manifests larger than this are refused, as upstream caps a config file read. */
export const maxManifestBytes = 10 * 1024 * 1024;

export interface StaticPod {
  file: string;
  pod: Pod;
  hash: string;
}

/** The pod a manifest describes, bound to this node, as its mirror pod is created in the API. */
export function staticPodFrom(file: string, text: string, node: { name: string; uid: string }, nowIso: string): StaticPod {
  const manifest = parse(text) as Pod | null;
  if (!manifest || manifest.kind !== 'Pod') throw new Error(`${file}: not a Pod manifest`);
  const name = manifest.metadata?.name;
  if (!name) throw new Error(`${file}: metadata.name is required`);
  const hash = createHash('sha256').update(`${node.name}\n${file}\n${JSON.stringify(manifest)}`).digest('hex').slice(0, 32);
  const { status: _ignored, ...rest } = manifest;
  const pod: Pod = {
    ...rest,
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...manifest.metadata,
      name: `${name}-${node.name}`,
      namespace: manifest.metadata?.namespace || 'default',
      annotations: {
        ...manifest.metadata?.annotations,
        [configHashAnnotation]: hash,
        [configMirrorAnnotation]: hash,
        [configSeenAnnotation]: nowIso,
        [configSourceAnnotation]: 'file',
      },
      // Owned by the node, so the garbage collector removes mirror pods with it, as upstream.
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid, controller: true }],
    },
    spec: { ...manifest.spec!, nodeName: node.name },
  };
  return { file, pod, hash };
}

/** Every manifest in the directory; a bad file is reported and skipped, the others still run. */
export function readManifests(dir: string, node: { name: string; uid: string }, nowIso: string, onError: (message: string) => void): StaticPod[] {
  if (!existsSync(dir)) return [];
  const pods: StaticPod[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (file.startsWith('.') || !/\.(ya?ml|json)$/.test(file)) continue;
    try {
      const text = readFileSync(join(dir, file), 'utf8');
      if (text.length > maxManifestBytes) throw new Error(`${file}: larger than ${maxManifestBytes} bytes`);
      pods.push(staticPodFrom(file, text, node, nowIso));
    } catch (error) {
      onError(`static pod manifest ${file}: ${(error as Error).message}`);
    }
  }
  return pods;
}
