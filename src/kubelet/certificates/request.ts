// client-go's util/certificate/csr: create a CertificateSigningRequest for a PEM request and wait
// (watching that one object) until it is issued, denied or failed.
import type { RestClient, ResourceClient, WatchStream } from '../../client/index.js';
import { isNotFound } from '../../client/index.js';
import type { KubeObject } from '../../api/object.js';
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';

type Csr = CertificateSigningRequest & KubeObject;

export const csrResource = { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests', namespaced: false } as const;

export interface CsrRequest {
  requestPem: string;
  signerName: string;
  usages: string[];
  expirationSeconds?: number;
}

/** RequestCertificate: a new CSR named csr-<random>; returns its name and uid. */
export async function createCsr(csrs: Pick<ResourceClient<Csr>, 'create'>, request: CsrRequest): Promise<{ name: string; uid: string }> {
  const created = await csrs.create(undefined, {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { generateName: 'csr-' },
    spec: {
      request: Buffer.from(request.requestPem).toString('base64'),
      signerName: request.signerName,
      usages: request.usages,
      ...(request.expirationSeconds !== undefined ? { expirationSeconds: request.expirationSeconds } : {}),
    },
  } as Csr);
  return { name: created.metadata?.name ?? '', uid: created.metadata?.uid ?? '' };
}

export type CsrState = { kind: 'issued'; certificatePem: string } | { kind: 'pending'; approved: boolean };

/** Where a CSR stands; denied and failed ones throw upstream's errors. */
export function csrState(csr: Csr): CsrState {
  let approved = false;
  for (const condition of csr.status?.conditions ?? []) {
    if (condition.type === 'Denied') throw new Error(`certificate signing request is denied, reason: ${condition.reason ?? ''}, message: ${condition.message ?? ''}`);
    if (condition.type === 'Failed') throw new Error(`certificate signing request failed, reason: ${condition.reason ?? ''}, message: ${condition.message ?? ''}`);
    if (condition.type === 'Approved') approved = true;
  }
  if (approved && csr.status?.certificate) return { kind: 'issued', certificatePem: Buffer.from(csr.status.certificate, 'base64').toString('utf8') };
  return { kind: 'pending', approved };
}

export interface WaitOptions {
  name: string;
  uid: string;
  timeoutMs: number;
  /** Called once when the CSR is first seen unapproved, and once when approved but not yet issued. */
  onPending?: (approved: boolean) => void;
  /** Lets the caller end the wait (agent shutdown). */
  signal?: AbortSignal;
}

/** WaitForCertificate: resolves with the certificate PEM; rejects when denied, failed, deleted, timed out or aborted. */
export async function waitForCertificate(client: RestClient, options: WaitOptions): Promise<string> {
  const csrs = client.resource<Csr>(csrResource);
  const deadline = Date.now() + options.timeoutMs;
  const told = new Set<boolean>();
  const check = (csr: Csr): string | undefined => {
    if (csr.metadata?.uid !== options.uid) throw new Error(`certificate signing request ${options.name} was deleted`);
    const state = csrState(csr);
    if (state.kind === 'issued') return state.certificatePem;
    if (!told.has(state.approved)) {
      told.add(state.approved);
      options.onPending?.(state.approved);
    }
    return undefined;
  };
  let stream: WatchStream<Csr> | undefined;
  const abort = (): void => stream?.stop();
  options.signal?.addEventListener('abort', abort);
  try {
    while (Date.now() < deadline && !options.signal?.aborted) {
      let current: Csr;
      try {
        current = await csrs.get(undefined, options.name);
      } catch (error) {
        if (isNotFound(error)) throw new Error(`certificate signing request ${options.name} was deleted`);
        throw error;
      }
      const issued = check(current);
      if (issued) return issued;
      const timeoutSeconds = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
      stream = await csrs.watch(undefined, { fieldSelector: `metadata.name=${options.name}`, resourceVersion: current.metadata?.resourceVersion, timeoutSeconds });
      if (options.signal?.aborted) stream.stop();
      for await (const event of stream) {
        if (event.type === 'ERROR') break;
        if (event.type === 'DELETED') throw new Error(`certificate signing request ${options.name} was deleted`);
        if (event.type === 'BOOKMARK') continue;
        const found = check(event.object);
        if (found) return found;
      }
      stream.stop();
    }
    if (options.signal?.aborted) throw new Error('stopped waiting for the certificate: the agent is stopping');
    throw new Error('timed out waiting for the condition');
  } finally {
    options.signal?.removeEventListener('abort', abort);
    stream?.stop();
  }
}
