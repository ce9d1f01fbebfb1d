// Orphaned pod directories: <data-dir>/pods/<uid> (volumes) and <data-dir>/log/pods/<ns>_<name>_<uid>
// (container logs) of pods the kubelet no longer knows and the runtime has no sandbox for, as
// upstream's cleanupOrphanedPodDirs (housekeeping) and evictPodLogsDirectories (container GC).
// Usually the pod's own teardown removed them; these are what an agent stopped at the wrong
// moment, or a pod force-deleted while the agent was down, leaves behind.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { maxOrphanedPodDirsPerPass } from '../limits.js';

export interface OrphanedPodDirsOptions {
  dataDir: string;
  /** Uids of the pods the kubelet knows; asked after the directories are listed, so a pod added meanwhile is known. */
  knownPods(): ReadonlySet<string>;
  /** Uids the runtime still has a sandbox for: their own teardown removes their directories. */
  podsWithSandboxes(): ReadonlySet<string>;
  /** Mount points at or under a directory (the volume code's tmpfs mounts). */
  mountsUnder(dir: string): string[];
  unmountAll(dir: string): void;
  log(message: string): void;
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Removes what orphaned pods left; returns the uids whose pod directory was removed. */
export function cleanupOrphanedPodDirs(options: OrphanedPodDirsOptions): string[] {
  const podsDir = join(options.dataDir, 'pods');
  const logsDir = join(options.dataDir, 'log', 'pods');
  const podDirs = list(podsDir);
  const logDirs = list(logsDir);
  const known = options.knownPods();
  const sandboxed = options.podsWithSandboxes();
  const orphaned = (uid: string): boolean => uid !== '' && !known.has(uid) && !sandboxed.has(uid);
  const removed: string[] = [];
  for (const uid of podDirs.filter(orphaned).slice(0, maxOrphanedPodDirsPerPass)) {
    const dir = join(podsDir, uid);
    options.unmountAll(dir);
    if (options.mountsUnder(dir).length > 0) {
      options.log(`orphaned pod "${uid}" found, but volumes are still mounted on disk`);
      continue;
    }
    options.log(`orphaned pod "${uid}" found, removing`);
    rmSync(dir, { recursive: true, force: true });
    removed.push(uid);
  }
  for (const name of logDirs) {
    // <namespace>_<name>_<uid>: names and namespaces cannot hold "_", so the uid is the last part.
    const uid = name.slice(name.lastIndexOf('_') + 1);
    if (name.includes('_') && orphaned(uid)) rmSync(join(logsDir, name), { recursive: true, force: true });
  }
  return removed;
}
