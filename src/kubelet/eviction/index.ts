// The kubelet's node-pressure eviction: see manager.ts.
export { evictionFlags, evictionFlagValues } from './flags.js';
export { hostEvictionManager, type EvictionHost } from './host.js';
export { EvictionManager, type EvictionConfig, type EvictionRequest } from './manager.js';
export type { NodeReclaimer } from './reclaimer.js';
export type { PressureCondition, Signal } from './signals.js';
export { defaultEvictionHard, parseEvictionHard } from './thresholds.js';
