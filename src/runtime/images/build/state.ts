// A build's state between instructions: the image config and layers so far, the cache key that
// names them, the stage's ARGs and SHELL; and how a state becomes an image in the store.
import type { ImageRecord, ImageStore } from '../image-store.js';
import { mediaTypes, type Descriptor, type ImageConfig } from '../manifest.js';

export class BuildError extends Error {}

export interface State {
  config: ImageConfig & { config: NonNullable<ImageConfig['config']>; history: NonNullable<ImageConfig['history']> };
  layers: Descriptor[];
  key: string;
  /** ARGs declared in this stage, with their values. */
  args: Map<string, string | undefined>;
  shell: string[];
  /** Whether this Dockerfile set CMD (an inherited CMD is reset by ENTRYPOINT). */
  cmdSet: boolean;
  /** The stage's name (FROM … AS name), lower-case. */
  name?: string;
}

export function envMap(config: State['config']): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of config.config.Env ?? []) {
    const eq = entry.indexOf('=');
    env.set(eq < 0 ? entry : entry.slice(0, eq), eq < 0 ? '' : entry.slice(eq + 1));
  }
  return env;
}

export function setEnv(config: State['config'], key: string, value: string): void {
  const env = (config.config.Env ?? []).filter((entry) => entry.split('=')[0] !== key);
  env.push(`${key}=${value}`);
  config.config.Env = env;
}

export function finalConfig(state: State): ImageConfig {
  return { ...state.config, created: new Date().toISOString() };
}

export async function storeManifest(store: ImageStore, state: State, configBytes: Buffer = Buffer.from(JSON.stringify(finalConfig(state)))): Promise<string> {
  const configDigest = await store.content.writeBytes(configBytes);
  const manifest = {
    schemaVersion: 2,
    mediaType: mediaTypes.ociManifest,
    config: { mediaType: mediaTypes.ociConfig, digest: configDigest, size: configBytes.length },
    layers: state.layers,
  };
  return store.content.writeBytes(Buffer.from(JSON.stringify(manifest)));
}

export async function registerState(store: ImageStore, state: State, name: string): Promise<void> {
  await store.register(name, await storeManifest(store, state));
}

export async function writeImage(store: ImageStore, state: State, configBytes: Buffer, tags: string[]): Promise<ImageRecord> {
  const digest = await storeManifest(store, state, configBytes);
  let record: ImageRecord | undefined;
  for (const tag of tags) record = await store.register(tag, digest);
  // An untagged build is still an image (shown as <none>), kept under its digest.
  record ??= await store.register(`k8ts-build/untagged@${digest}`, digest);
  return record;
}

