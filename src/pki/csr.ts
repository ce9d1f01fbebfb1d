// PKCS#10 certificate requests (what `openssl req -new` makes and the certificates API carries in
// spec.request): building one for a key we hold, and reading one a client sent. Node's crypto
// has no CSR support, so this uses @peculiar/x509 like certs.ts.
import { createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';
import './reflect-metadata-shim.js';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);
const subtle = webcrypto.subtle;
const subjectAltNameOid = '2.5.29.17';

export interface CertificateRequestOptions {
  /** PKCS#8 (or SEC1) PEM of an ECDSA P-256 key: the request is signed with it. */
  keyPem: string;
  commonName: string;
  organizations?: readonly string[];
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
}

/** What a signer needs to know about a request (Go's x509.CertificateRequest, reduced). */
export interface ParsedCertificateRequest {
  commonName: string;
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  /** "ECDSA", "RSA", "Ed25519"… from the public key. */
  publicKeyAlgorithm: string;
  /** The request as parsed by @peculiar/x509, for signing. */
  request: x509.Pkcs10CertificateRequest;
}

/** A "CERTIFICATE REQUEST" PEM for the key, with CN, one O per organization, and DNS/IP SANs. */
export async function createCertificateRequest(options: CertificateRequestOptions): Promise<string> {
  const privateKey = createPrivateKey(options.keyPem);
  if (privateKey.asymmetricKeyType !== 'ec') throw new Error(`unsupported key type ${privateKey.asymmetricKeyType ?? 'unknown'} for a certificate request`);
  const importParams = { name: 'ECDSA', namedCurve: 'P-256' } as const;
  const keys = {
    privateKey: await subtle.importKey('pkcs8', privateKey.export({ type: 'pkcs8', format: 'der' }), importParams, true, ['sign']),
    publicKey: await subtle.importKey('spki', createPublicKey(privateKey).export({ type: 'spki', format: 'der' }), importParams, true, ['verify']),
  };
  const sans: x509.JsonGeneralName[] = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    // Go's pkix.Name orders O before CN; openssl and kubeadm print them the same way.
    name: [...(options.organizations ?? []).map((o) => ({ O: [o] })), { CN: [options.commonName] }],
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions: sans.length ? [new x509.SubjectAlternativeNameExtension(sans, false)] : [],
  });
  return request.toString('pem');
}

/** ParseCSR: the first PEM block must be a CERTIFICATE REQUEST (upstream's message otherwise). */
export function parseCertificateRequest(pem: string): ParsedCertificateRequest {
  const match = /-----BEGIN ([^-]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(pem);
  if (!match || match[1] !== 'CERTIFICATE REQUEST') throw new Error('PEM block type must be CERTIFICATE REQUEST');
  let request: x509.Pkcs10CertificateRequest;
  try {
    request = new x509.Pkcs10CertificateRequest(Buffer.from(match[2]!.replace(/\s+/g, ''), 'base64'));
  } catch (error) {
    throw new Error(`asn1: structure error: ${(error as Error).message}`);
  }
  const names = { dns: [] as string[], ip: [] as string[], email: [] as string[], url: [] as string[] };
  const sanExtension = request.extensions.find((extension) => extension.type === subjectAltNameOid);
  if (sanExtension) {
    for (const name of new x509.SubjectAlternativeNameExtension(sanExtension.rawData).names.toJSON()) {
      if (name.type in names) names[name.type as keyof typeof names].push(name.value);
    }
  }
  return {
    commonName: request.subjectName.getField('CN').at(-1) ?? '',
    organizations: request.subjectName.getField('O'),
    dnsNames: names.dns,
    ipAddresses: names.ip,
    emailAddresses: names.email,
    uris: names.url,
    publicKeyAlgorithm: request.publicKey.algorithm.name,
    request,
  };
}

/** CheckSignature: the request is signed by the key it carries. */
export async function verifyCertificateRequest(parsed: ParsedCertificateRequest): Promise<boolean> {
  try {
    return await parsed.request.verify();
  } catch {
    return false;
  }
}
