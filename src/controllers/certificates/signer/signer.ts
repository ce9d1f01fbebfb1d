// Upstream's csrsigning controller (pkg/controller/certificates/signer): approved requests for the
// kubelet-serving, kube-apiserver-client-kubelet and kube-apiserver-client signers are checked
// against their signer's rules and signed with the cluster CA; a request that breaks the rules
// gets a Failed condition instead. The legacy-unknown signer is never served (v1 refuses it).
import type { ResourceClient } from '../../../client/index.js';
import type { CertificateAuthority } from '../../../pki/certs.js';
import { describeCertificate } from '../../../pki/inspect.js';
import type { InformerView } from '../../informer-view.js';
import { CertificateController } from '../certificate-controller.js';
import {
  hasTrueCondition,
  isApproved,
  kubeAPIServerClientKubeletSignerName,
  kubeAPIServerClientSignerName,
  kubeletServingSignerName,
  requestPem,
  rfc3339,
  type Csr,
} from '../csr.js';
import { defaultClusterSigningDurationMs } from '../limits.js';
import { apiServerClientUsagesError, kubeletClientRequestError, kubeletServingRequestError } from '../request-rules.js';
import { certificateBoundaries, signingDurationMs } from './boundaries.js';
import type { ParsedCertificateRequest } from '../../../pki/csr.js';

/** Each signer's check: undefined when the request is fine, else the Failed condition's message. */
const signerRules: Record<string, (request: ParsedCertificateRequest, usages: readonly string[]) => string | undefined> = {
  [kubeletServingSignerName]: kubeletServingRequestError,
  [kubeAPIServerClientKubeletSignerName]: kubeletClientRequestError,
  [kubeAPIServerClientSignerName]: (_request, usages) => apiServerClientUsagesError(usages),
};

/** @peculiar/x509 is slow to load; a controller manager that never signs never loads it. */
const pki = async () => ({ ...(await import('../../../pki/csr.js')), ...(await import('../../../pki/sign-request.js')) });

export interface CsrSigningOptions {
  csrs: InformerView;
  csrClient: Pick<ResourceClient<Csr>, 'updateStatus'>;
  /** --cluster-signing-cert-file and --cluster-signing-key-file, read. */
  ca: CertificateAuthority;
  /** --cluster-signing-duration. */
  signingDurationMs?: number;
  now?: () => Date;
  log?: (message: string) => void;
}

export class CsrSigningController {
  readonly controller: CertificateController;
  private readonly caNotAfter: Date;

  constructor(private readonly options: CsrSigningOptions) {
    this.caNotAfter = describeCertificate(options.ca.certPem).notAfter;
    this.controller = new CertificateController({ name: 'csrsigning', csrs: options.csrs, handler: (csr) => this.handle(csr), log: options.log });
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  shutDown(): void {
    this.controller.shutDown();
  }

  async handle(csr: Csr): Promise<void> {
    // Unapproved or failed requests are not ours to act on.
    if (!isApproved(csr) || hasTrueCondition(csr, 'Failed')) return;
    const signerName = csr.spec?.signerName ?? '';
    const rule = signerRules[signerName];
    if (!rule) return;
    const { parseCertificateRequest, verifyCertificateRequest, signCertificateRequest } = await pki();
    let request: ParsedCertificateRequest;
    try {
      request = parseCertificateRequest(requestPem(csr));
    } catch (error) {
      throw new Error(`unable to parse csr ${JSON.stringify(csr.metadata?.name)}: ${(error as Error).message}`);
    }
    const usages = csr.spec?.usages ?? [];
    const now = this.options.now?.() ?? new Date();
    const problem = rule(request, usages);
    if (problem) {
      const conditions = [...(csr.status?.conditions ?? []), { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: problem, lastUpdateTime: rfc3339(now) }];
      csr.status = { ...csr.status, conditions };
      try {
        await this.options.csrClient.updateStatus(undefined, csr);
      } catch (error) {
        throw new Error(`error adding failure condition for csr: ${(error as Error).message}`);
      }
      return;
    }
    if (!(await verifyCertificateRequest(request))) throw new Error('error auto signing csr: unable to verify certificate request signature: x509: ECDSA verification failure');
    const ttlMs = signingDurationMs(csr.spec?.expirationSeconds, this.options.signingDurationMs ?? defaultClusterSigningDurationMs);
    const { notBefore, notAfter } = certificateBoundaries(now, ttlMs, this.caNotAfter);
    let certPem: string;
    try {
      certPem = await signCertificateRequest(this.options.ca, request, { usages, notBefore, notAfter });
    } catch (error) {
      throw new Error(`error auto signing csr: ${(error as Error).message}`);
    }
    csr.status = { ...csr.status, certificate: Buffer.from(certPem).toString('base64') };
    try {
      await this.options.csrClient.updateStatus(undefined, csr);
    } catch (error) {
      throw new Error(`error updating signature for csr: ${(error as Error).message}`);
    }
  }
}
