// k8ts's kubelet-serving approver. Upstream approves no serving certificates (kubeadm leaves them
// to an admin or to an add-on such as postfinance/kubelet-csr-approver); k8ts's agents joined by
// kubeconfig need one to serve logs and exec, so this approves a kubelet-serving request when all of:
//   1. it is a valid kubelet serving request (the signer's own rules) with a good signature;
//   2. its CN system:node:<name> names a Node that exists, and every SAN is that node's own: DNS
//      names are <name> or its Hostname/InternalDNS/ExternalDNS addresses, IPs its
//      InternalIP/ExternalIP addresses (so a certificate can never claim another host);
//   3. the requester is that node itself (spec.username equals the CN), or a SubjectAccessReview
//      says the requester may `approve` signers/kubernetes.io/kubelet-serving — someone who could
//      have approved it by hand, so auto-approving grants them nothing new.
// Anything else stays Pending for `kubectl certificate approve|deny`.
import { isIP } from 'node:net';
import type { InformerView } from '../../informer-view.js';
import { CertificateController } from '../certificate-controller.js';
import { approvalState, IgnorableError, isIssued, kubeletServingSignerName, requestPem, type Csr } from '../csr.js';
import { kubeletServingRequestError } from '../request-rules.js';
import { appendApproval, type ApprovalApi } from './access.js';

const nodeUserPrefix = 'system:node:';
export const approveKubeletServingPermission = { group: 'certificates.k8s.io', resource: 'signers', verb: 'approve', name: kubeletServingSignerName };
export const selfApprovalMessage = "Auto approving self kubelet serving certificate: its names and addresses are the Node's own.";
export const sarApprovalMessage = "Auto approving kubelet serving certificate after SubjectAccessReview: its names and addresses are the Node's own.";

interface NodeAddresses {
  status?: { addresses?: { type?: string; address?: string }[] };
}

/** The SANs of the request that are not the node's own; empty when all are. */
export function foreignSubjectAltNames(nodeName: string, node: NodeAddresses, sans: { dnsNames: string[]; ipAddresses: string[] }): string[] {
  const addresses = node.status?.addresses ?? [];
  const names = new Set([nodeName, ...addresses.filter((a) => ['Hostname', 'InternalDNS', 'ExternalDNS'].includes(a.type ?? '')).map((a) => a.address ?? '')]);
  const ips = new Set(addresses.filter((a) => (a.type === 'InternalIP' || a.type === 'ExternalIP') && isIP(a.address ?? '')).map((a) => canonicalIp(a.address!)));
  return [...sans.dnsNames.filter((name) => !names.has(name)), ...sans.ipAddresses.filter((ip) => !ips.has(canonicalIp(ip)))];
}

function canonicalIp(ip: string): string {
  return ip.includes(':') ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}

export class KubeletServingApprover {
  readonly controller: CertificateController;

  constructor(private readonly options: { csrs: InformerView; nodes: InformerView; api: ApprovalApi; log?: (message: string) => void }) {
    this.controller = new CertificateController({ name: 'kubelet-serving-approver', csrs: options.csrs, handler: (csr) => this.handle(csr), log: options.log });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.options.nodes.waitForSync())) return;
    await this.controller.run(workers);
  }

  shutDown(): void {
    this.controller.shutDown();
  }

  async handle(csr: Csr): Promise<void> {
    if (csr.spec?.signerName !== kubeletServingSignerName || isIssued(csr)) return;
    const { approved, denied } = approvalState(csr);
    if (approved || denied) return;
    const { parseCertificateRequest, verifyCertificateRequest } = await import('../../../pki/csr.js');
    let request;
    try {
      request = parseCertificateRequest(requestPem(csr));
    } catch {
      return;
    }
    // Not a valid serving request, or not signed by its key: not ours to approve.
    if (kubeletServingRequestError(request, csr.spec.usages ?? []) !== undefined || !(await verifyCertificateRequest(request))) return;
    const name = JSON.stringify(csr.metadata?.name);
    const nodeName = request.commonName.slice(nodeUserPrefix.length);
    const node = this.options.nodes.cache.get(nodeName) as NodeAddresses | undefined;
    // The node registers before it asks; a missing one may just not be in our cache yet.
    if (!node) throw new IgnorableError(`recognized csr ${name} as [kubeletserving] but node ${JSON.stringify(nodeName)} does not exist`);
    const foreign = foreignSubjectAltNames(nodeName, node, request);
    if (foreign.length > 0) throw new IgnorableError(`recognized csr ${name} as [kubeletserving] but subjectAltNames [${foreign.join(' ')}] are not addresses of node ${JSON.stringify(nodeName)}`);
    if (csr.spec.username === request.commonName) appendApproval(csr, selfApprovalMessage);
    else if (await this.options.api.authorize(csr, approveKubeletServingPermission)) appendApproval(csr, sarApprovalMessage);
    else throw new IgnorableError(`recognized csr ${name} as [kubeletserving] but subject access review was not approved`);
    await this.options.api.updateApproval(csr).catch((error: unknown) => {
      throw new Error(`error updating approval for csr: ${(error as Error).message}`);
    });
  }
}
