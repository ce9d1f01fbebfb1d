// Certificate issuing for the cluster, the way kubeadm's certs phase shapes them: a 10-year CA,
// 1-year leaves, serverAuth serving certs with SANs, clientAuth client certs whose CN/O are the
// user/groups the API server reads. Keys are ECDSA P-256 (fast to make; Go's crypto/tls, hence
// kubectl, and Node's TLS both accept them) stored as PKCS#8 "PRIVATE KEY" PEM.
import { createPrivateKey, createPublicKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import './reflect-metadata-shim.js';
import * as x509 from '@peculiar/x509';

// Without the DOM lib these WebCrypto types come from node:crypto's webcrypto namespace.
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
type SigningAlgorithm = webcrypto.Algorithm | webcrypto.EcdsaParams;

x509.cryptoProvider.set(webcrypto);
const subtle = webcrypto.subtle;

/** A certificate and its private key, both PEM. */
export interface CertAndKey {
  certPem: string;
  keyPem: string;
}

/** A CA is just its certificate and key: plain strings, easy to store and pass around. */
export type CertificateAuthority = CertAndKey;

export interface ServingCertOptions {
  commonName: string;
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  /** Defaults to one year. */
  validityDays?: number;
}

export interface ClientCertOptions {
  /** The user name the API server reads from CN. */
  commonName: string;
  /** The groups the API server reads from O, one attribute each. */
  organizations?: readonly string[];
  validityDays?: number;
}

export interface ServiceAccountKey {
  /** PKCS#8 "PRIVATE KEY" PEM, for signing tokens (ES256). */
  privateKeyPem: string;
  /** SPKI "PUBLIC KEY" PEM, for verifying them. */
  publicKeyPem: string;
}

const ecdsaKeyParams = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const dayMs = 24 * 60 * 60 * 1000;
export const caValidityDays = 3650;
export const leafValidityDays = 365;
/** Backdating covers small clock differences between the machines that check the certificate. */
const backdateMs = 5 * 60 * 1000;

// ---- keys ----

async function generateKeyPair(): Promise<CryptoKeyPair> {
  return subtle.generateKey(ecdsaKeyParams, true, ['sign', 'verify']);
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Signing parameters that fit a key: ECDSA or RSA keys loaded from disk both work. */
function signingAlgorithmFor(key: KeyObject): { importParams: webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams; sign: SigningAlgorithm } {
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const namedCurve = curve === 'secp384r1' ? 'P-384' : curve === 'secp521r1' ? 'P-521' : 'P-256';
    return { importParams: { name: 'ECDSA', namedCurve }, sign: { name: 'ECDSA', hash: 'SHA-256' } };
  }
  if (key.asymmetricKeyType === 'rsa') {
    return { importParams: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, sign: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } };
  }
  throw new Error(`unsupported CA key type ${key.asymmetricKeyType ?? 'unknown'}`);
}

/** Imports a PEM private key (PKCS#8, SEC1 or PKCS#1) for signing, with the matching algorithm. */
export async function importSigningKey(pem: string): Promise<{ key: CryptoKey; algorithm: SigningAlgorithm }> {
  const keyObject = createPrivateKey(pem);
  const { importParams, sign } = signingAlgorithmFor(keyObject);
  const der = keyObject.export({ type: 'pkcs8', format: 'der' });
  const key = await subtle.importKey('pkcs8', der, importParams, false, ['sign']);
  return { key, algorithm: sign };
}

// ---- certificate building ----

/** A random positive serial (high bit clear, never zero) as Go and OpenSSL expect. */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - backdateMs), notAfter: new Date(now + days * dayMs) };
}

/** Subject with one O attribute per group, then CN, the order kubeadm's certs print in. */
function subjectName(commonName: string, organizations: readonly string[] = []): x509.JsonName {
  return [...organizations.map((o) => ({ O: [o] })), { CN: [commonName] }];
}

function assertName(what: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`${what} must be a non-empty string`);
}

/** Creates a self-signed CA valid for ten years. */
export async function generateCA(commonName: string, validityDays = caValidityDays): Promise<CertificateAuthority> {
  assertName('CA common name', commonName);
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: subjectName(commonName),
    ...validity(validityDays),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

async function issueLeaf(ca: CertificateAuthority, subject: x509.JsonName, usage: x509.ExtendedKeyUsage, days: number, sans?: x509.JsonGeneralName[]): Promise<CertAndKey> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const signer = await importSigningKey(ca.keyPem);
  const keys = await generateKeyPair();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([usage], false),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
  ];
  if (sans && sans.length) extensions.push(new x509.SubjectAlternativeNameExtension(sans, false));
  const { notBefore, notAfter } = validity(days);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject,
    issuer: caCert.subject,
    // A leaf never outlives its CA.
    notBefore,
    notAfter: notAfter > caCert.notAfter ? caCert.notAfter : notAfter,
    signingAlgorithm: signer.algorithm,
    publicKey: keys.publicKey,
    signingKey: signer.key,
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

/** A serving certificate (serverAuth) for the given DNS names and IPs. */
export async function issueServingCert(ca: CertificateAuthority, opts: ServingCertOptions): Promise<CertAndKey> {
  assertName('serving certificate common name', opts.commonName);
  for (const ip of opts.ipAddresses ?? []) if (!isIP(ip)) throw new Error(`invalid IP address for certificate: ${JSON.stringify(ip)}`);
  const sans: x509.JsonGeneralName[] = [
    ...[...new Set(opts.dnsNames ?? [])].map((value) => ({ type: 'dns' as const, value })),
    ...[...new Set(opts.ipAddresses ?? [])].map((value) => ({ type: 'ip' as const, value })),
  ];
  return issueLeaf(ca, subjectName(opts.commonName), x509.ExtendedKeyUsage.serverAuth, opts.validityDays ?? leafValidityDays, sans);
}

/** A client certificate (clientAuth): CN is the user name, each O a group. */
export async function issueClientCert(ca: CertificateAuthority, opts: ClientCertOptions): Promise<CertAndKey> {
  assertName('client certificate common name', opts.commonName);
  return issueLeaf(ca, subjectName(opts.commonName, opts.organizations), x509.ExtendedKeyUsage.clientAuth, opts.validityDays ?? leafValidityDays);
}

/** The service-account token signing key pair (ECDSA P-256, i.e. ES256 tokens). */
export async function generateServiceAccountKey(): Promise<ServiceAccountKey> {
  const keys = await generateKeyPair();
  const privatePem = await privateKeyPem(keys.privateKey);
  const publicKeyPem = createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKeyPem: privatePem, publicKeyPem };
}

// Inspection (describeCertificate, isSignedBy, keyMatchesCertificate) lives in inspect.ts: it uses
// node:crypto only, so a restart that reuses its certificates never loads @peculiar/x509.
export { classifySANs, describeCertificate, isSignedBy, keyMatchesCertificate, type CertificateFacts } from './inspect.js';
