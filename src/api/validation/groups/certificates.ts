// certificates.k8s.io/v1 CertificateSigningRequest (upstream pkg/apis/certificates/validation).
// The request must hold a PEM "CERTIFICATE REQUEST" block; signature checks are left to the signer.
import { FieldPath, duplicate, invalid, notSupported, required, tooLong, type FieldError } from '../../field-errors.js';
import type { KubeObject } from '../../object.js';
import { DNS1123_LABEL_MAX_LENGTH, DNS1123_SUBDOMAIN_MAX_LENGTH, isDNS1123Label, isDNS1123Subdomain, nameIsDNSSubdomain } from '../names.js';
import { arr, num, o, root, str, type GroupValidator } from './common.js';
import { invalidRendered } from './go-format.js';

const VALID_USAGES = [
  'any',
  'cert sign',
  'client auth',
  'code signing',
  'content commitment',
  'crl sign',
  'data encipherment',
  'decipher only',
  'digital signature',
  'email protection',
  'encipher only',
  'ipsec end system',
  'ipsec tunnel',
  'ipsec user',
  'key agreement',
  'key encipherment',
  'microsoft sgc',
  'netscape sgc',
  'ocsp signing',
  's/mime',
  'server auth',
  'signing',
  'timestamping',
];
const LEGACY_SIGNER = 'kubernetes.io/legacy-unknown';

/** Go's %#v of a []byte. */
function goBytes(bytes: Buffer): string {
  return `[]byte{${[...bytes].map((b) => `0x${b.toString(16)}`).join(', ')}}`;
}

/** ParseCSR's first check: a PEM block of type CERTIFICATE REQUEST holding some DER. */
function requestError(pem: Buffer): string | undefined {
  const text = pem.toString('latin1');
  const match = /-----BEGIN ([^-]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!match || match[1] !== 'CERTIFICATE REQUEST') return 'PEM block type must be CERTIFICATE REQUEST';
  const der = Buffer.from(match[2]!.replace(/\s+/g, ''), 'base64');
  // A DER SEQUENCE starts with 0x30; anything else cannot be a PKCS#10 request.
  if (der.length < 2 || der[0] !== 0x30) return 'asn1: structure error: tags don\'t match';
  return undefined;
}

/** ValidateSignerName: "<domain>/<path>". */
export function validateSignerName(path: FieldPath, signer: string): FieldError[] {
  if (signer === '') return [required(path)];
  const segments = signer.split('/');
  if (segments.length !== 2) return [invalid(path, signer, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  const [domain, rest] = segments as [string, string];
  const errs: FieldError[] = [];
  if (domain.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(tooLong(path, domain, DNS1123_SUBDOMAIN_MAX_LENGTH));
  const labels = domain.split('.');
  for (const label of labels) {
    const msgs = isDNS1123Label(label);
    if (msgs.length > 0) {
      for (const m of msgs) errs.push(invalid(path, domain, `validating label ${JSON.stringify(label)}: ${m}`));
      break;
    }
  }
  if (labels.length < 2) errs.push(invalid(path, domain, 'should be a domain with at least two segments separated by dots'));
  for (const component of rest.split('.')) {
    const msgs = isDNS1123Subdomain(component);
    if (msgs.length > 0) {
      for (const m of msgs) errs.push(invalid(path, rest, `validating component ${JSON.stringify(component)}: ${m}`));
      break;
    }
  }
  const maxPath = DNS1123_SUBDOMAIN_MAX_LENGTH + DNS1123_LABEL_MAX_LENGTH + 1;
  if (rest.length > maxPath) errs.push(tooLong(path, rest, maxPath));
  return errs;
}

function validateCSR(obj: KubeObject): FieldError[] {
  const s = o(obj.spec);
  const spec = root('spec');
  const errs: FieldError[] = [];
  const request = Buffer.from(str(s.request), 'base64');
  const problem = requestError(request);
  if (problem) errs.push(invalidRendered(spec.child('request'), s.request, goBytes(request), problem));
  const usages = arr(s.usages).map(str);
  if (usages.length === 0) errs.push(required(spec.child('usages')));
  usages.forEach((u, i) => {
    if (!VALID_USAGES.includes(u)) errs.push(notSupported(spec.child('usages').index(i), u, VALID_USAGES));
  });
  const seen = new Set<string>();
  usages.forEach((u, i) => {
    if (seen.has(u)) errs.push(duplicate(spec.child('usages').index(i), u));
    seen.add(u);
  });
  const signer = str(s.signerName);
  if (signer === LEGACY_SIGNER) errs.push(invalid(spec.child('signerName'), signer, 'the legacy signerName is not allowed via this API version'));
  else errs.push(...validateSignerName(spec.child('signerName'), signer));
  const expiration = num(s.expirationSeconds);
  if (expiration !== undefined && expiration < 600) {
    errs.push(invalid(spec.child('expirationSeconds'), expiration, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
  return errs;
}

export const certificatesValidators: Record<string, GroupValidator> = {
  'CertificateSigningRequest.certificates.k8s.io': { nameValidator: nameIsDNSSubdomain, validate: validateCSR },
};
