// kube-controller-manager's --cluster-signing-* flags, for csrsigning (`k8ts controller-manager`;
// `k8ts server` hands its own CA to its controller manager instead).
import { readFileSync } from 'node:fs';
import type { ClusterSigningSettings } from '../controllers/context.js';
import { parseDurationMs } from '../storage/compactor.js';
import { UsageError, type FlagSpec } from './flags.js';

export const clusterSigningFlags: readonly FlagSpec[] = [
  { name: 'cluster-signing-cert-file', description: 'PEM CA certificate csrsigning issues cluster-scoped certificates with (csrsigning does not run without it)' },
  { name: 'cluster-signing-key-file', description: 'PEM private key of --cluster-signing-cert-file' },
  { name: 'cluster-signing-duration', description: 'The longest a signed certificate lives; spec.expirationSeconds may ask for less', defaultText: '8760h0m0s' },
];

export function clusterSigningFlagValues(values: Map<string, string | boolean>): ClusterSigningSettings | undefined {
  const text = (name: string): string | undefined => {
    const value = values.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const certFile = text('cluster-signing-cert-file');
  const keyFile = text('cluster-signing-key-file');
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new UsageError('--cluster-signing-cert-file and --cluster-signing-key-file must be given together');
  const duration = text('cluster-signing-duration');
  let durationMs: number | undefined;
  if (duration !== undefined) {
    try {
      durationMs = parseDurationMs(duration);
    } catch {
      throw new UsageError(`invalid argument "${duration}" for "--cluster-signing-duration" flag: time: invalid duration "${duration}"`);
    }
  }
  return { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8'), ...(durationMs !== undefined ? { durationMs } : {}) };
}
