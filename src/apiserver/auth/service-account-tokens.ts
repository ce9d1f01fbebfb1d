// Service-account tokens as upstream's TokenRequest issues them: audience-bound, expiring,
// optionally bound to a Pod or Secret, and authenticated only while the service account (and
// the bound object) still exist with the same uid.
import { randomUUID } from 'node:crypto';
import { badRequest, invalid, notFound } from '../../api/errors.js';
import { invalid as invalidField, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/object.js';
import type { UserInfo } from '../handlers/context.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { JwtSigner } from './jwt.js';

export const serviceAccountIssuer = 'https://kubernetes.default.svc.cluster.local';
/** Upstream refuses tokens shorter than 10 minutes and caps them at the max (48 h here). */
const minExpirationSeconds = 600;
const maxExpirationSeconds = 48 * 3600;
const defaultExpirationSeconds = 3600;

interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds?: number;
  boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string };
}

export interface TokenStores {
  serviceAccounts: ResourceStore;
  pods: ResourceStore;
  secrets: ResourceStore;
}

export class ServiceAccountTokens {
  constructor(
    private readonly signer: JwtSigner,
    private readonly stores: () => TokenStores,
  ) {}

  /** Answers a TokenRequest for ns/name: fills status.token and status.expirationTimestamp. */
  async issue(namespace: string, name: string, request: KubeObject, now = new Date()): Promise<KubeObject> {
    const { serviceAccounts, pods, secrets } = this.stores();
    const account = (await serviceAccounts.get(namespace, name)).object;
    const spec = (request.spec ?? {}) as TokenRequestSpec;
    const errors: FieldError[] = [];
    const expiration = spec.expirationSeconds ?? defaultExpirationSeconds;
    if (expiration < minExpirationSeconds) errors.push(invalidField('spec.expirationSeconds', expiration, 'may not specify a duration less than 10 minutes'));
    if (expiration > 2 ** 32) errors.push(invalidField('spec.expirationSeconds', expiration, 'may not specify a duration larger than 2^32 seconds'));
    if (errors.length > 0) throw invalid('authentication.k8s.io', 'TokenRequest', name, errors);
    const seconds = Math.min(expiration, maxExpirationSeconds);
    const audiences = spec.audiences && spec.audiences.length > 0 ? spec.audiences : [serviceAccountIssuer];
    const issuedAt = Math.floor(now.getTime() / 1000);
    const k8sClaims: Record<string, unknown> = { namespace, serviceaccount: { name, uid: account.metadata?.uid } };
    const bound = spec.boundObjectRef;
    if (bound?.name) {
      const store = bound.kind === 'Pod' ? pods : bound.kind === 'Secret' ? secrets : undefined;
      if (!store) throw badRequest(`cannot bind token to object of type ${bound.kind ?? ''}`);
      const target = await store.get(namespace, bound.name).catch(() => {
        throw notFound({ group: '', resource: bound.kind === 'Pod' ? 'pods' : 'secrets' }, bound.name!);
      });
      if (bound.uid && bound.uid !== target.object.metadata?.uid) throw badRequest(`the UID in the bound object reference (${bound.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
      k8sClaims[bound.kind === 'Pod' ? 'pod' : 'secret'] = { name: bound.name, uid: target.object.metadata?.uid };
    }
    const claims = {
      aud: audiences,
      exp: issuedAt + seconds,
      iat: issuedAt,
      iss: serviceAccountIssuer,
      jti: randomUUID(),
      'kubernetes.io': k8sClaims,
      nbf: issuedAt,
      sub: `system:serviceaccount:${namespace}:${name}`,
    };
    return {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace, creationTimestamp: null as unknown as string },
      spec: { ...spec, audiences, expirationSeconds: seconds, boundObjectRef: spec.boundObjectRef ?? null },
      status: { token: this.signer.sign(claims), expirationTimestamp: new Date((issuedAt + seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
    };
  }

  /** The user a bearer token stands for, or undefined when it is not a valid, live token. */
  async authenticate(token: string, audience = serviceAccountIssuer, now = new Date()): Promise<UserInfo | undefined> {
    const claims = this.signer.verify(token);
    if (!claims || claims.iss !== serviceAccountIssuer) return undefined;
    const seconds = now.getTime() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp < seconds) return undefined;
    if (typeof claims.nbf === 'number' && claims.nbf > seconds + 60) return undefined;
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(audience)) return undefined;
    const k8s = claims['kubernetes.io'] as { namespace?: string; serviceaccount?: { name?: string; uid?: string }; pod?: { name?: string; uid?: string }; secret?: { name?: string; uid?: string } } | undefined;
    const namespace = k8s?.namespace;
    const name = k8s?.serviceaccount?.name;
    if (!namespace || !name) return undefined;
    const { serviceAccounts, pods, secrets } = this.stores();
    // A token outlives nothing it is bound to: a deleted (or re-created) account or pod ends it.
    const account = await serviceAccounts.get(namespace, name).catch(() => undefined);
    if (!account || account.object.metadata?.uid !== k8s.serviceaccount?.uid) return undefined;
    const extra: Record<string, string[]> = {};
    for (const [kind, store] of [['pod', pods], ['secret', secrets]] as const) {
      const ref = k8s[kind];
      if (!ref?.name) continue;
      const target = await store.get(namespace, ref.name).catch(() => undefined);
      if (!target || target.object.metadata?.uid !== ref.uid) return undefined;
      if (kind === 'pod') {
        extra['authentication.kubernetes.io/pod-name'] = [ref.name];
        extra['authentication.kubernetes.io/pod-uid'] = [ref.uid ?? ''];
      }
    }
    if (typeof claims.jti === 'string') extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
    return {
      username: `system:serviceaccount:${namespace}:${name}`,
      uid: k8s.serviceaccount?.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
      extra,
    };
  }
}
