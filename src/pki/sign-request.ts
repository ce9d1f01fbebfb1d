// Issuing a certificate for a PKCS#10 request with the cluster CA, as upstream's
// pkg/controller/certificates/authority does for the csrsigning controller: the request's subject
// and SANs are copied, its extensions dropped, usages come from the CSR object, never from the request.
import './reflect-metadata-shim.js';
import * as x509 from '@peculiar/x509';
import { importSigningKey, randomSerial, type CertificateAuthority } from './certs.js';
import type { ParsedCertificateRequest } from './csr.js';

/** keyUsageDict: the certificates API's usage names that are x509 key usages. */
const keyUsageFlags: Record<string, number> = {
  signing: x509.KeyUsageFlags.digitalSignature,
  'digital signature': x509.KeyUsageFlags.digitalSignature,
  'content commitment': x509.KeyUsageFlags.nonRepudiation,
  'key encipherment': x509.KeyUsageFlags.keyEncipherment,
  'key agreement': x509.KeyUsageFlags.keyAgreement,
  'data encipherment': x509.KeyUsageFlags.dataEncipherment,
  'cert sign': x509.KeyUsageFlags.keyCertSign,
  'crl sign': x509.KeyUsageFlags.cRLSign,
  'encipher only': x509.KeyUsageFlags.encipherOnly,
  'decipher only': x509.KeyUsageFlags.decipherOnly,
};

/** extKeyUsageDict, in Go's ExtKeyUsage order (the order the extension lists them). */
const extendedKeyUsageOids: [string, string][] = [
  ['any', '2.5.29.37.0'],
  ['server auth', '1.3.6.1.5.5.7.3.1'],
  ['client auth', '1.3.6.1.5.5.7.3.2'],
  ['code signing', '1.3.6.1.5.5.7.3.3'],
  ['email protection', '1.3.6.1.5.5.7.3.4'],
  ['s/mime', '1.3.6.1.5.5.7.3.4'],
  ['ipsec end system', '1.3.6.1.5.5.7.3.5'],
  ['ipsec tunnel', '1.3.6.1.5.5.7.3.6'],
  ['ipsec user', '1.3.6.1.5.5.7.3.7'],
  ['timestamping', '1.3.6.1.5.5.7.3.8'],
  ['ocsp signing', '1.3.6.1.5.5.7.3.9'],
  ['microsoft sgc', '1.3.6.1.4.1.311.10.3.3'],
  ['netscape sgc', '2.16.840.1.113730.4.1'],
];

export interface SigningPolicy {
  /** The CSR object's spec.usages. */
  usages: readonly string[];
  notBefore: Date;
  notAfter: Date;
}

/** keyUsagesFromStrings: the key usage bits and extended usages, or upstream's error for unknown names. */
export function keyUsagesFromStrings(usages: readonly string[]): { keyUsage: number; extendedKeyUsages: string[] } {
  let keyUsage = 0;
  const extended = new Set<string>();
  const unrecognized: string[] = [];
  for (const usage of usages) {
    const flag = keyUsageFlags[usage];
    const oid = extendedKeyUsageOids.find(([name]) => name === usage)?.[1];
    if (flag !== undefined) keyUsage |= flag;
    else if (oid) extended.add(oid);
    else unrecognized.push(usage);
  }
  if (unrecognized.length > 0) throw new Error(`unrecognized usage values: [${unrecognized.map((u) => JSON.stringify(u)).join(' ')}]`);
  const order = extendedKeyUsageOids.map(([, oid]) => oid);
  return { keyUsage, extendedKeyUsages: [...extended].sort((a, b) => order.indexOf(a) - order.indexOf(b)) };
}

/** Signs the request's public key, subject and DNS/IP/email/URI SANs into a PEM certificate. */
export async function signCertificateRequest(ca: CertificateAuthority, parsed: ParsedCertificateRequest, policy: SigningPolicy): Promise<string> {
  const { keyUsage, extendedKeyUsages } = keyUsagesFromStrings(policy.usages);
  const caCert = new x509.X509Certificate(ca.certPem);
  const signer = await importSigningKey(ca.keyPem);
  const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true)];
  if (keyUsage !== 0) extensions.push(new x509.KeyUsagesExtension(keyUsage, true));
  if (extendedKeyUsages.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension(extendedKeyUsages, false));
  extensions.push(await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey));
  const sans: x509.JsonGeneralName[] = [
    ...parsed.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...parsed.emailAddresses.map((value) => ({ type: 'email' as const, value })),
    ...parsed.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
    ...parsed.uris.map((value) => ({ type: 'url' as const, value })),
  ];
  // Go marks the SAN extension critical only when the subject is empty (RFC 5280 4.2.1.6).
  if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans, parsed.request.subjectName.toJSON().length === 0));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: parsed.request.subjectName,
    issuer: caCert.subjectName,
    notBefore: policy.notBefore,
    notAfter: policy.notAfter,
    signingAlgorithm: signer.algorithm,
    publicKey: parsed.request.publicKey,
    signingKey: signer.key,
    extensions,
  });
  return cert.toString('pem');
}
