// KubeSchedulerConfiguration: parse, default, validate, and build one Framework per profile.
export { buildFrameworks, leaderElectionTimingsMs, type BuildFrameworksOptions } from './build.js';
export { defaultPluginArgs, defaultPlugins, defaultSchedulerConfiguration, setDefaults } from './defaults.js';
export { parseGoDurationMs } from './duration.js';
export { mergePlugins, mergePluginSet } from './merge.js';
export { loadSchedulerConfiguration, parseSchedulerConfiguration, SchedulerConfigError } from './parse.js';
export * from './types.js';
export { validateSchedulerConfiguration } from './validate.js';
