// certificates.k8s.io/v1 CertificateSigningRequest (upstream pkg/apis/certificates/validation).
// The request must hold a PEM "CERTIFICATE REQUEST" block signed by the key it carries.
import { X509Certificate } from 'node:crypto';
import { certificateRequestSignatureError } from '../../../pki/csr-signature.js';
import { FieldPath, duplicate, forbidden, invalid, notSupported, required, tooLong, type FieldError } from '../../field-errors.js';
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
  // validateCSR ends with CheckSignature: the request must be signed by the key it carries.
  return certificateRequestSignatureError(der);
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

const TRUE_ONLY_CONDITIONS = ['Approved', 'Denied', 'Failed'];
const ALL_STATUS_VALUES = ['False', 'True', 'Unknown'];

/** validateConditions: type and status set, Approved and Denied exclusive, no type twice. */
function validateConditions(obj: KubeObject, old: KubeObject): FieldError[] {
  const path = root('status').child('conditions');
  const conditions = arr(o(obj.status).conditions).map(o);
  const oldTypes = arr(o(old.status).conditions).map((c) => str(o(c).type));
  // Stored data that already breaks a rule keeps being accepted, as upstream's validation options.
  const allowBoth = oldTypes.includes('Approved') && oldTypes.includes('Denied');
  const allowDuplicates = new Set(oldTypes).size !== oldTypes.length;
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  conditions.forEach((c, i) => {
    const type = str(c.type);
    const status = str(c.status);
    if (type === '' && !oldTypes.includes('')) errs.push(required(path.index(i).child('type')));
    const allowed = TRUE_ONLY_CONDITIONS.includes(type) ? ['True'] : ALL_STATUS_VALUES;
    if (status === '') errs.push(required(path.index(i).child('status')));
    else if (!allowed.includes(status)) errs.push(notSupported(path.index(i).child('status'), status, allowed));
    if (!allowBoth && ((type === 'Approved' && denied) || (type === 'Denied' && approved))) {
      errs.push(invalid(path.index(i).child('type'), type, 'Approved and Denied conditions are mutually exclusive'));
    }
    if (type === 'Approved') approved = true;
    if (type === 'Denied') denied = true;
    if (!allowDuplicates && seen.has(type)) errs.push(duplicate(path.index(i).child('type'), type));
    seen.add(type);
  });
  return errs;
}

/** validateCertificate: only CERTIFICATE PEM blocks, without headers, each parsable. */
function certificateError(pem: string): string | undefined {
  const blocks = [...pem.matchAll(/-----BEGIN ([^-]+)-----\r?\n([\s\S]*?)-----END \1-----/g)];
  if (blocks.length === 0) return 'must contain at least one CERTIFICATE PEM block';
  for (const block of blocks) {
    if (block[1] !== 'CERTIFICATE') return `only CERTIFICATE PEM blocks are allowed, found ${JSON.stringify(block[1])}`;
    if (/^[\w-]+:/m.test(block[2]!)) return 'no PEM block headers are permitted';
    try {
      new X509Certificate(Buffer.from(block[2]!.replace(/\s+/g, ''), 'base64'));
    } catch {
      return 'x509: malformed certificate';
    }
  }
  return undefined;
}

function conditionsOfType(obj: KubeObject, type: string): unknown[] {
  return arr(o(obj.status).conditions).filter((c) => o(c).type === type);
}

/**
 * validateCertificateSigningRequestUpdate for the status-like subresources: /status may set the
 * certificate once, /approval may add Approved or Denied; neither removes Approved, Denied or Failed.
 */
function validateCSRStatusUpdate(obj: KubeObject, old: KubeObject, subresource = 'status'): FieldError[] {
  const errs = [...validateCSR(obj), ...validateConditions(obj, old)];
  const conditionsPath = root('status').child('conditions');
  for (const type of ['Approved', 'Denied', 'Failed']) {
    if (conditionsOfType(obj, type).length < conditionsOfType(old, type).length) errs.push(forbidden(conditionsPath, `updates may not remove a condition of type ${JSON.stringify(type)}`));
  }
  if (subresource !== 'approval') {
    for (const type of ['Approved', 'Denied']) {
      const before = conditionsOfType(old, type);
      const after = conditionsOfType(obj, type);
      if (after.length > before.length) errs.push(forbidden(conditionsPath, `updates may not add a condition of type ${JSON.stringify(type)}`));
      else if (after.length === before.length && JSON.stringify(after) !== JSON.stringify(before)) errs.push(forbidden(conditionsPath, `updates may not modify a condition of type ${JSON.stringify(type)}`));
    }
  }
  const certificate = str(o(obj.status).certificate);
  const oldCertificate = str(o(old.status).certificate);
  if (certificate !== oldCertificate) {
    const certificatePath = root('status').child('certificate');
    if (subresource === 'approval') errs.push(forbidden(certificatePath, 'updates may not set certificate content'));
    else if (oldCertificate !== '') errs.push(forbidden(certificatePath, 'updates may not modify existing certificate content'));
    else {
      const problem = certificateError(Buffer.from(certificate, 'base64').toString('latin1'));
      if (problem) errs.push(invalid(certificatePath, '<certificate data>', problem));
    }
  }
  return errs;
}

export const certificatesValidators: Record<string, GroupValidator> = {
  'CertificateSigningRequest.certificates.k8s.io': { nameValidator: nameIsDNSSubdomain, validate: validateCSR, validateStatusUpdate: validateCSRStatusUpdate },
};
