// The build cache: a step's key chains its parent's key with the instruction as expanded (and,
// for COPY/ADD, a digest of the files' contents), so a step is reused only when everything that
// led to it is the same. Entries point at layers in the content store; a layer garbage-collected
// since is simply a miss.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Descriptor } from '../manifest.js';

/** Cached steps kept; the oldest go first. */
export const buildCacheMaxEntries = 4096;

export interface CachedLayer {
  layer: Descriptor;
  diffId: string;
  createdAt: string;
}

export function stepKey(parent: string, description: string): string {
  return `sha256:${createHash('sha256').update(`${parent}\n${description}`).digest('hex')}`;
}

interface CacheFile {
  layers: Record<string, CachedLayer>;
  /** Final image configs by the key of the build's last step: a fully cached build yields the same image ID. */
  configs: Record<string, string>;
}

function trim<T>(record: Record<string, T>): void {
  const keys = Object.keys(record);
  for (const old of keys.slice(0, Math.max(0, keys.length - buildCacheMaxEntries))) delete record[old];
}

export class BuildCache {
  private entries: Record<string, CachedLayer> = {};
  private configs: Record<string, string> = {};

  constructor(private readonly file: string) {}

  async load(): Promise<void> {
    if (!existsSync(this.file)) return;
    const parsed = JSON.parse(await readFile(this.file, 'utf8')) as Partial<CacheFile>;
    this.entries = parsed.layers ?? {};
    this.configs = parsed.configs ?? {};
  }

  config(key: string): string | undefined {
    return this.configs[key];
  }

  async putConfig(key: string, config: string): Promise<void> {
    delete this.configs[key];
    this.configs[key] = config;
    trim(this.configs);
    await this.save();
  }

  get(key: string): CachedLayer | undefined {
    return this.entries[key];
  }

  /** The layers the cache refers to, so garbage collection can keep them while cache entries exist. */
  layers(): Descriptor[] {
    return Object.values(this.entries).map((entry) => entry.layer);
  }

  async put(key: string, entry: CachedLayer): Promise<void> {
    delete this.entries[key];
    this.entries[key] = entry;
    trim(this.entries);
    await this.save();
  }

  private async save(): Promise<void> {
    const temp = `${this.file}.tmp`;
    const content: CacheFile = { layers: this.entries, configs: this.configs };
    await writeFile(temp, JSON.stringify(content));
    await rename(temp, this.file);
  }
}
