// The eviction signals the kubelet observes (pkg/kubelet/eviction/api), the resource each one
// reclaims and the node condition it reports when a threshold on it is met.

export type Signal = 'memory.available' | 'nodefs.available' | 'nodefs.inodesFree' | 'imagefs.available' | 'imagefs.inodesFree' | 'pid.available';

export type PressureCondition = 'MemoryPressure' | 'DiskPressure' | 'PIDPressure';

/** What evicting a pod gives back, as upstream names it in messages ("low on resource: memory"). */
export type ReclaimedResource = 'memory' | 'ephemeral-storage' | 'inodes' | 'pids';

export const signals: readonly Signal[] = ['memory.available', 'nodefs.available', 'nodefs.inodesFree', 'imagefs.available', 'imagefs.inodesFree', 'pid.available'];

export function isSignal(text: string): text is Signal {
  return (signals as readonly string[]).includes(text);
}

export const signalToCondition: Readonly<Record<Signal, PressureCondition>> = {
  'memory.available': 'MemoryPressure',
  'nodefs.available': 'DiskPressure',
  'nodefs.inodesFree': 'DiskPressure',
  'imagefs.available': 'DiskPressure',
  'imagefs.inodesFree': 'DiskPressure',
  'pid.available': 'PIDPressure',
};

export const signalToResource: Readonly<Record<Signal, ReclaimedResource>> = {
  'memory.available': 'memory',
  'nodefs.available': 'ephemeral-storage',
  'nodefs.inodesFree': 'inodes',
  'imagefs.available': 'ephemeral-storage',
  'imagefs.inodesFree': 'inodes',
  'pid.available': 'pids',
};

/** One signal's reading: what is left and what there is in all (for percentage thresholds). */
export interface Observation {
  available: number;
  capacity: number;
}

export type Observations = Partial<Record<Signal, Observation>>;
