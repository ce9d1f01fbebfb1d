// The container records the manager works from: read from disk once, then kept in memory (the
// agent lists every container on each relist, and re-reading the JSON files was most of its
// CPU); every change goes through update(), which writes the file first.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadRecord, saveRecord, type ContainerRecord } from './record.js';

export class RecordCache {
  /** Records by container ID, as last saved. */
  private readonly records = new Map<string, ContainerRecord>();
  /** Record writes per container, one after another, each on the freshest record. */
  private readonly updates = new Map<string, Promise<unknown>>();

  /** `dir` holds one directory per container, each with its record.json. */
  constructor(private readonly dir: string) {}

  path(id: string): string {
    return join(this.dir, id, 'record.json');
  }

  /** Whether the container has a record (kept or on disk). */
  has(id: string): boolean {
    return this.records.has(id) || existsSync(this.path(id));
  }

  /** The kept record, else the one on disk without keeping it (for containers being removed). */
  peek(id: string): ContainerRecord | undefined {
    return this.records.get(id) ?? loadRecord(this.path(id));
  }

  /** The record, read from disk the first time and kept; undefined when there is none. */
  get(id: string): ContainerRecord | undefined {
    let record = this.records.get(id);
    if (!record) {
      record = loadRecord(this.path(id));
      if (record) this.records.set(id, record);
    }
    return record;
  }

  /** Saves a new container's first record. */
  async create(record: ContainerRecord): Promise<void> {
    await saveRecord(this.path(record.id), record);
    this.records.set(record.id, record);
  }

  /** Applies `change` to a copy of `current` and saves it; writes are serialized per container. */
  update(id: string, current: () => ContainerRecord, change: (record: ContainerRecord) => void | Promise<void>): Promise<ContainerRecord> {
    const previous = this.updates.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => {
      // Changed on a copy: readers see the kept record only as saved.
      const record = structuredClone(current());
      await change(record);
      await saveRecord(this.path(id), record);
      this.records.set(id, record);
      return record;
    });
    this.updates.set(id, next);
    void next.finally(() => {
      if (this.updates.get(id) === next) this.updates.delete(id);
    }).catch(() => undefined);
    return next;
  }

  forget(id: string): void {
    this.records.delete(id);
  }
}
