// The API server's way to the kubelets: pods/log, exec, attach, portforward and nodes/proxy.
export { handleKubeletUpgrade, isKubeletUpgrade, writeStatus, type UpgradeContext } from './upgrade.js';
export { handleNodeProxy } from './node-proxy.js';
export { handlePodLog } from './pod-log.js';
export type { KubeletClientTls } from './kubelet-client.js';
