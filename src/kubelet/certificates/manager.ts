// The kubelet's serving certificate through the certificates API (upstream's
// NewKubeletServerCertificateManager with serverTLSBootstrap): for an agent that holds no CA key.
// It reuses the pair on disk while it is valid and names this node's addresses; otherwise it makes
// a fresh ECDSA P-256 key, asks for a kubernetes.io/kubelet-serving certificate (CN
// system:node:<node>, O system:nodes) and waits for it; then it renews at 70–90% of its lifetime.
import { generateKeyPairSync } from 'node:crypto';
import type { RestClient } from '../../client/index.js';
import type { CertAndKey } from '../../pki/certs.js';
import { describeCertificate, keyMatchesCertificate } from '../../pki/inspect.js';
import { certificateWaitTimeoutMs, requestRetryInitialMs, requestRetryMaxMs, rotationCheckMaxMs } from './limits.js';
import { createCsr, csrResource, waitForCertificate } from './request.js';
import { nextRotationDeadline } from './rotation.js';
import { ServingCertificateStore } from './store.js';

export const kubeletServingSignerName = 'kubernetes.io/kubelet-serving';
/** Upstream's usages for a non-RSA key: no key encipherment. */
export const kubeletServingUsages = ['digital signature', 'server auth'];

export interface ServingCertificateManagerOptions {
  client: RestClient;
  nodeName: string;
  /** <data-dir>/pki. */
  dir: string;
  /** The node's names and addresses (its Node's Hostname/InternalIP…), the certificate's SANs. */
  subjectAltNames: { dnsNames: string[]; ipAddresses: string[] };
  /** A new certificate is ready: the first one, and each renewal. */
  onCertificate: (pair: CertAndKey) => void | Promise<void>;
  log: (message: string) => void;
  random?: () => number;
}

export class ServingCertificateManager {
  private readonly store: ServingCertificateStore;
  private readonly abort = new AbortController();
  private current: CertAndKey | undefined;
  /** Drawn once per certificate: drawing again at every wake-up would pull renewal early. */
  private rotationDeadline: Date | undefined;
  private loop: Promise<void> | undefined;
  private wakeSleep: (() => void) | undefined;

  constructor(private readonly options: ServingCertificateManagerOptions) {
    this.store = new ServingCertificateStore(options.dir);
  }

  get commonName(): string {
    return `system:node:${this.options.nodeName}`;
  }

  /** Loads the stored pair (delivering it at once when usable) and runs the renewal loop in the background. */
  async start(): Promise<void> {
    const stored = await this.store.current();
    if (stored && this.usable(stored)) {
      this.current = stored;
      await this.options.onCertificate(stored);
    }
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.wakeSleep?.();
    await this.loop;
  }

  /** Still valid, ours (CN) and naming every address we have now. */
  private usable(pair: CertAndKey): boolean {
    try {
      const facts = describeCertificate(pair.certPem);
      const now = Date.now();
      if (facts.notAfter.getTime() <= now || facts.subjectCommonName !== this.commonName || !keyMatchesCertificate(pair.certPem, pair.keyPem)) return false;
      const { dnsNames, ipAddresses } = this.options.subjectAltNames;
      return dnsNames.every((name) => facts.dnsNames.includes(name)) && ipAddresses.every((ip) => facts.ipAddresses.includes(ip));
    } catch {
      return false;
    }
  }

  private async run(): Promise<void> {
    let retryMs = requestRetryInitialMs;
    while (!this.abort.signal.aborted) {
      if (this.current) {
        const { notBefore, notAfter } = describeCertificate(this.current.certPem);
        const deadline = (this.rotationDeadline ??= nextRotationDeadline(notBefore, notAfter, this.options.random));
        if (deadline.getTime() > Date.now()) {
          await this.sleep(Math.min(deadline.getTime() - Date.now(), rotationCheckMaxMs));
          continue;
        }
        this.options.log(`kubelet serving certificate: rotating (it expires ${notAfter.toISOString()})`);
      }
      try {
        const pair = await this.requestNew();
        await this.store.update(pair);
        this.current = pair;
        this.rotationDeadline = undefined;
        retryMs = requestRetryInitialMs;
        const { notAfter } = describeCertificate(pair.certPem);
        this.options.log(`kubelet serving certificate: issued, valid until ${notAfter.toISOString()}`);
        await this.options.onCertificate(pair);
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.options.log(`kubelet serving certificate: ${(error as Error).message}; retrying in ${Math.round(retryMs / 1000)}s`);
        await this.sleep(retryMs);
        retryMs = Math.min(retryMs * 2, requestRetryMaxMs);
      }
    }
  }

  /** A fresh key (never logged, only written 0600 with its certificate), a CSR, and the wait for it. */
  private async requestNew(): Promise<CertAndKey> {
    const keyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const { createCertificateRequest } = await import('../../pki/csr.js');
    const requestPem = await createCertificateRequest({ keyPem, commonName: this.commonName, organizations: ['system:nodes'], ...this.options.subjectAltNames });
    const { name, uid } = await createCsr(this.options.client.resource(csrResource), { requestPem, signerName: kubeletServingSignerName, usages: kubeletServingUsages });
    const certPem = await waitForCertificate(this.options.client, {
      name,
      uid,
      timeoutMs: certificateWaitTimeoutMs,
      signal: this.abort.signal,
      onPending: (approved) =>
        this.options.log(
          approved
            ? `kubelet serving certificate: CSR ${name} is approved, waiting to be issued`
            : `kubelet serving certificate: CSR ${name} is pending approval (approve it with: kubectl certificate approve ${name})`,
        ),
    });
    if (!keyMatchesCertificate(certPem, keyPem)) throw new Error(`the certificate issued for CSR ${name} does not match its key`);
    return { certPem, keyPem };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
