// Whether this host can run the agent at all: it needs root (namespaces, cgroups, mounts) and
// an OCI runtime. `k8ts server` asks first and runs without its agent, with one warning, if not.
import { hostname } from 'node:os';
import { availableRuntimes, type OciRuntimeName } from '../runtime/driver/oci-runtime.js';

export function agentUnavailableReason(runtime?: OciRuntimeName): string | undefined {
  if (process.getuid?.() !== 0) return 'the node agent needs root (namespaces, cgroups and mounts)';
  const available = availableRuntimes();
  if (available.length === 0) return 'no OCI runtime found: install runc or crun';
  if (runtime && !available.includes(runtime)) return `OCI runtime ${runtime} is not installed`;
  return undefined;
}

/** Node names are lower-case DNS subdomains, as upstream lower-cases the hostname. */
export function defaultNodeName(): string {
  return hostname().toLowerCase();
}
