// What the approvers ask the API server: may the requester of a CSR do this? (a
// SubjectAccessReview for the CSR's username, uid, groups and extra), and the approval write.
import type { RestClient } from '../../../client/index.js';
import { csrResource, type Csr } from '../csr.js';

export interface ResourceAttributes {
  group: string;
  resource: string;
  verb: string;
  subresource?: string;
  name?: string;
}

export interface ApprovalApi {
  /** True when the CSR's requester may do `attributes`. */
  authorize(csr: Csr, attributes: ResourceAttributes): Promise<boolean>;
  /** PUT …/certificatesigningrequests/<name>/approval. */
  updateApproval(csr: Csr): Promise<void>;
}

const subjectAccessReviewPath = '/apis/authorization.k8s.io/v1/subjectaccessreviews';

export function restApprovalApi(client: RestClient): ApprovalApi {
  const csrs = client.resource<Csr>(csrResource);
  return {
    async authorize(csr, attributes) {
      const spec = csr.spec ?? { request: '', signerName: '' };
      const review = await client.request<{ status?: { allowed?: boolean } }>({
        method: 'POST',
        path: subjectAccessReviewPath,
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          spec: { user: spec.username, uid: spec.uid, groups: spec.groups, extra: spec.extra, resourceAttributes: attributes },
        },
      });
      return review.status?.allowed === true;
    },
    async updateApproval(csr) {
      await client.request({ method: 'PUT', path: csrs.path(undefined, csr.metadata!.name!, 'approval'), body: { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', ...csr } });
    },
  };
}

/** appendApprovalCondition. */
export function appendApproval(csr: Csr, message: string): void {
  csr.status = { ...csr.status, conditions: [...(csr.status?.conditions ?? []), { type: 'Approved', status: 'True', reason: 'AutoApproved', message }] };
}
