// What the runtime remembers about a container, on disk beside its bundle, so a restarted
// agent knows every container it made.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { ContainerConfig } from '../cri/types.js';

export interface ContainerRecord {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  /** The image as asked for, and its resolved ID (the config digest). */
  image: string;
  imageRef: string;
  /** The cgroup k8ts owns for this container (the OCI runtime's is <cgroupPath>/main). */
  cgroupPath: string;
  runtime: string;
  logPath: string;
  createdAtNs: number;
  startedAtNs?: number;
  finishedAtNs?: number;
  supervisorPid?: number;
  pid?: number;
  exitCode?: number;
  reason?: string;
  message?: string;
  /** Set when k8ts itself sent SIGKILL, so a 137 is not taken for an OOM kill. */
  killedByRuntime?: boolean;
}

export async function saveRecord(path: string, record: ContainerRecord): Promise<void> {
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, JSON.stringify(record, null, 1));
  await rename(temp, path);
}

export function loadRecord(path: string): ContainerRecord | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as ContainerRecord;
}

export function nowNs(): number {
  return Date.now() * 1e6;
}
