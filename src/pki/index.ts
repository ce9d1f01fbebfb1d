// Cluster certificates and kubeconfigs.
export * from './certs.js';
export * from './cluster-pki.js';
export * from './identity.js';
export * from './kubeconfig.js';
