// The kubelet server: import startKubeletServer and the types the kubelet core implements.
export { startKubeletServer } from './server.js';
export { runtimeLocator } from './runtime-locator.js';
export { issueKubeletServingCert } from './serving-cert.js';
export type { KubeletServer, KubeletServerOptions, LocatedContainer, PodContainerLocator } from './types.js';
