// Upstream's csrapproving controller (pkg/controller/certificates/approver/sarapprove.go): a
// kubelet *client* certificate request is approved when a SubjectAccessReview says its requester
// may create certificatesigningrequests/selfnodeclient (renewing its own) or /nodeclient (any node,
// as bootstrap tokens may). Serving certificates are not its business (see kubelet-serving.ts).
import type { InformerView } from '../../informer-view.js';
import { CertificateController } from '../certificate-controller.js';
import { approvalState, IgnorableError, isIssued, kubeAPIServerClientKubeletSignerName, requestPem, type Csr } from '../csr.js';
import { kubeletClientRequestError } from '../request-rules.js';
import { appendApproval, type ApprovalApi, type ResourceAttributes } from './access.js';
import type { ParsedCertificateRequest } from '../../../pki/csr.js';

interface Recognizer {
  recognize(csr: Csr, request: ParsedCertificateRequest): boolean;
  permission: ResourceAttributes & { subresource: string };
  successMessage: string;
}

function isNodeClientCert(csr: Csr, request: ParsedCertificateRequest): boolean {
  return csr.spec?.signerName === kubeAPIServerClientKubeletSignerName && kubeletClientRequestError(request, csr.spec.usages ?? []) === undefined;
}

const recognizers: Recognizer[] = [
  {
    recognize: (csr, request) => csr.spec?.username === request.commonName && isNodeClientCert(csr, request),
    permission: { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', verb: 'create', subresource: 'selfnodeclient' },
    successMessage: 'Auto approving self kubelet client certificate after SubjectAccessReview.',
  },
  {
    recognize: isNodeClientCert,
    permission: { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', verb: 'create', subresource: 'nodeclient' },
    successMessage: 'Auto approving kubelet client certificate after SubjectAccessReview.',
  },
];

export class CsrApprovingController {
  readonly controller: CertificateController;

  constructor(private readonly options: { csrs: InformerView; api: ApprovalApi; log?: (message: string) => void }) {
    this.controller = new CertificateController({ name: 'csrapproving', csrs: options.csrs, handler: (csr) => this.handle(csr), log: options.log });
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  shutDown(): void {
    this.controller.shutDown();
  }

  async handle(csr: Csr): Promise<void> {
    if (isIssued(csr)) return;
    const { approved, denied } = approvalState(csr);
    if (approved || denied) return;
    // Only kubelet client requests can be recognized; others are left alone without parsing.
    if (csr.spec?.signerName !== kubeAPIServerClientKubeletSignerName) return;
    const { parseCertificateRequest } = await import('../../../pki/csr.js');
    let request: ParsedCertificateRequest;
    try {
      request = parseCertificateRequest(requestPem(csr));
    } catch (error) {
      throw new Error(`unable to parse csr ${JSON.stringify(csr.metadata?.name)}: ${(error as Error).message}`);
    }
    const tried: string[] = [];
    for (const recognizer of recognizers) {
      if (!recognizer.recognize(csr, request)) continue;
      tried.push(recognizer.permission.subresource);
      if (await this.options.api.authorize(csr, recognizer.permission)) {
        appendApproval(csr, recognizer.successMessage);
        await this.options.api.updateApproval(csr).catch((error: unknown) => {
          throw new Error(`error updating approval for csr: ${(error as Error).message}`);
        });
        return;
      }
    }
    if (tried.length > 0) throw new IgnorableError(`recognized csr ${JSON.stringify(csr.metadata?.name)} as [${tried.join(' ')}] but subject access review was not approved`);
  }
}
