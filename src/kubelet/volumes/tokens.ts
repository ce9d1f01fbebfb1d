// Bound service-account tokens from the TokenRequest API (POST serviceaccounts/<sa>/token),
// bound to the pod, cached per pod/audience/expiry and renewed after 80% of their life, as
// upstream's token manager.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { RestClient } from '../../client/index.js';
import type { Clock } from '../../controllers/common/clock.js';
import { tokenRenewFraction } from '../limits.js';

const serviceAccountsResource = { group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true };

interface Cached {
  token: string;
  renewAtMs: number;
}

export class TokenCache {
  private readonly tokens = new Map<string, Cached>();

  constructor(private readonly client: RestClient, private readonly clock: Clock) {}

  async token(pod: Pod, audience: string | undefined, expirationSeconds: number): Promise<string> {
    const uid = pod.metadata?.uid ?? '';
    const serviceAccount = pod.spec?.serviceAccountName || 'default';
    const key = `${uid}/${serviceAccount}/${audience ?? ''}/${expirationSeconds}`;
    const cached = this.tokens.get(key);
    if (cached && this.clock.now() < cached.renewAtMs) return cached.token;
    const namespace = pod.metadata?.namespace ?? 'default';
    const path = this.client.resource(serviceAccountsResource).path(namespace, serviceAccount, 'token');
    const body = {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { ...(audience ? { audiences: [audience] } : {}), expirationSeconds, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name, uid } },
    };
    const reply = await this.client.transport.request<{ status?: { token?: string; expirationTimestamp?: string } }>({ method: 'POST', path, body });
    const token = reply.status?.token ?? '';
    const nowMs = this.clock.now();
    const expiresMs = reply.status?.expirationTimestamp ? Date.parse(reply.status.expirationTimestamp) : nowMs + expirationSeconds * 1000;
    this.tokens.set(key, { token, renewAtMs: nowMs + (expiresMs - nowMs) * tokenRenewFraction });
    return token;
  }

  forget(uid: string): void {
    for (const key of this.tokens.keys()) if (key.startsWith(`${uid}/`)) this.tokens.delete(key);
  }
}
