// A client for one repository on one registry endpoint (OCI distribution spec v1.1): pings
// /v2/, answers its authentication challenge (Basic, or a Bearer token from the realm, cached
// per scope), and retries what failed for transient reasons with back-off.
import { readFileSync } from 'node:fs';
import type { OutgoingHttpHeaders } from 'node:http';
import { dockerHubApiHost, defaultDomain } from '../reference.js';
import { parseChallenges, type Challenge } from './challenge.js';
import type { Credentials } from './credentials.js';
import { describeErrorBody, RegistryError } from './errors.js';
import { credentialsFrom, isInsecureRegistry, type RegistryOptions } from './options.js';
import { readBody, send, type HttpResponse, type TransportOptions } from './transport.js';

/** Attempts per request when the registry is unreachable or answers 429/5xx. */
export const registryRetryLimit = 4;
/** First back-off; doubles on each further attempt. */
export const retryBackoffBaseMs = 200;
/** Tokens without expires_in last 60 s (the distribution token spec's default). */
const defaultTokenLifetimeMs = 60_000;
/** Tokens cached per realm+service+scope+user; a long-running agent must not grow without bound. */
export const tokenCacheMaxEntries = 256;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface CachedToken {
  token: string;
  expiresAtMs: number;
}
const tokenCache = new Map<string, CachedToken>();

/** Hosts whose HTTPS endpoint failed and which answered on plain HTTP (insecure registries only). */
const plainHttpHosts = new Set<string>();

export interface Endpoint {
  /** "https://registry-1.docker.io" or a mirror's URL. */
  base: URL;
  mirror: boolean;
}

export function upstreamEndpoint(domain: string): Endpoint {
  const host = domain === defaultDomain ? dockerHubApiHost : domain;
  return { base: new URL(`https://${host}`), mirror: false };
}

export function mirrorEndpoints(domain: string, options: RegistryOptions): Endpoint[] {
  if (domain !== defaultDomain) return [];
  return (options.mirrors ?? []).map((mirror) => ({ base: new URL(mirror.includes('://') ? mirror : `https://${mirror}`), mirror: true }));
}

function loadCas(caFile: RegistryOptions['caFile']): Buffer[] {
  const files = caFile === undefined ? [] : typeof caFile === 'string' ? [caFile] : [...caFile];
  return files.map((file) => readFileSync(file));
}

function retryable(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET'].includes(code) || /no answer within/.test((error as Error).message);
}

function tlsFailure(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return code === 'EPROTO' || code.startsWith('ERR_SSL') || /wrong version number|packet length too long/.test((error as Error).message);
}

export interface RequestOptions {
  headers?: OutgoingHttpHeaders;
  body?: Buffer | (() => AsyncIterable<Buffer | Uint8Array>);
}

export class RegistryClient {
  private readonly transport: TransportOptions;
  private authorization?: string;
  private challenge?: Challenge;
  private pinged = false;

  constructor(
    readonly domain: string,
    readonly repository: string,
    readonly endpoint: Endpoint,
    private readonly options: RegistryOptions,
    /** Scopes to ask a token for: "repository:library/busybox:pull". */
    private readonly scopes: string[],
  ) {
    const insecure = !endpoint.mirror && isInsecureRegistry(domain, options);
    this.transport = { ca: loadCas(options.caFile), skipVerify: insecure };
    if (insecure && plainHttpHosts.has(endpoint.base.host)) endpoint.base.protocol = 'http:';
  }

  /** The URL of a path under this repository ("manifests/latest") or an absolute Location. */
  url(pathOrLocation: string): URL {
    if (/^https?:\/\//.test(pathOrLocation) || pathOrLocation.startsWith('/')) return new URL(pathOrLocation, this.endpoint.base);
    return new URL(`/v2/${this.repository}/${pathOrLocation}`, this.endpoint.base);
  }

  /** Sends a request with authentication; 401 once more after a fresh token; transient failures retried. */
  async request(method: string, target: string | URL, options: RequestOptions = {}): Promise<HttpResponse> {
    await this.ping();
    const url = typeof target === 'string' ? this.url(target) : target;
    let reauthenticated = false;
    for (let attempt = 1; ; attempt++) {
      let response: HttpResponse;
      try {
        response = await send({ method, url, headers: { ...options.headers, ...(this.authorization ? { authorization: this.authorization } : {}) }, body: options.body }, this.transport);
      } catch (error) {
        if (attempt < registryRetryLimit && retryable(error)) {
          await sleep(retryBackoffBaseMs * 2 ** (attempt - 1));
          continue;
        }
        throw error;
      }
      if (response.status === 401 && !reauthenticated && response.headers['www-authenticate']) {
        response.body.resume();
        reauthenticated = true;
        this.challenge = parseChallenges(String(response.headers['www-authenticate']))[0];
        await this.authenticate(true);
        continue;
      }
      if ((response.status === 429 || response.status >= 500) && attempt < registryRetryLimit) {
        response.body.resume();
        await sleep(retryBackoffBaseMs * 2 ** (attempt - 1));
        continue;
      }
      return response;
    }
  }

  /** An error for a response that was not what the protocol expects, in the registry's own words. */
  async failure(response: HttpResponse): Promise<RegistryError> {
    const body = (await readBody(response).catch(() => Buffer.alloc(0))).toString('utf8');
    const described = describeErrorBody(response.status, body);
    return new RegistryError(described.text, response.status, described.code);
  }

  /** GET /v2/ as Docker does first: finds out whether (and how) the registry wants authentication. */
  private async ping(): Promise<void> {
    if (this.pinged) return;
    const attemptPing = async (): Promise<HttpResponse> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await send({ method: 'GET', url: new URL('/v2/', this.endpoint.base) }, this.transport);
        } catch (error) {
          if (attempt < registryRetryLimit && retryable(error)) {
            await sleep(retryBackoffBaseMs * 2 ** (attempt - 1));
            continue;
          }
          throw error;
        }
      }
    };
    let response: HttpResponse;
    try {
      response = await attemptPing();
    } catch (error) {
      // An insecure registry may speak plain HTTP only: fall back, as dockerd does.
      if (!this.transport.skipVerify || this.endpoint.base.protocol !== 'https:' || !tlsFailure(error)) throw this.unreachable(error);
      this.endpoint.base.protocol = 'http:';
      plainHttpHosts.add(this.endpoint.base.host);
      response = await attemptPing().catch((second: unknown) => {
        throw this.unreachable(second);
      });
    }
    response.body.resume();
    this.pinged = true;
    if (response.status === 401 && response.headers['www-authenticate']) {
      this.challenge = parseChallenges(String(response.headers['www-authenticate']))[0];
      await this.authenticate(false);
    }
  }

  private unreachable(error: unknown): Error {
    const message = (error as Error).message;
    if (!this.transport.skipVerify && this.endpoint.base.protocol === 'https:' && (tlsFailure(error) || /certificate|self.signed/i.test(message))) {
      return new RegistryError(`Get "${new URL('/v2/', this.endpoint.base).href}": ${message} (is ${this.domain} an insecure registry? add it with --insecure-registry, or trust its CA with --registry-ca-file)`);
    }
    return new RegistryError(`Get "${new URL('/v2/', this.endpoint.base).href}": ${message}`);
  }

  private async authenticate(refresh: boolean): Promise<void> {
    const challenge = this.challenge;
    const credentials = credentialsFrom(this.options, this.domain, this.repository);
    if (!challenge) return;
    if (challenge.scheme === 'basic') {
      if (!credentials?.username) throw new RegistryError('unauthorized: authentication required', 401, 'UNAUTHORIZED');
      this.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password ?? ''}`).toString('base64')}`;
      return;
    }
    if (challenge.scheme !== 'bearer') throw new RegistryError(`unsupported authentication scheme "${challenge.scheme}"`);
    if (credentials?.registryToken) {
      this.authorization = `Bearer ${credentials.registryToken}`;
      return;
    }
    this.authorization = `Bearer ${await this.token(challenge, credentials, refresh)}`;
  }

  private async token(challenge: Challenge, credentials: Credentials | undefined, refresh: boolean): Promise<string> {
    const realm = challenge.params.realm;
    if (!realm) throw new RegistryError('the registry asked for a bearer token without a realm');
    const service = challenge.params.service ?? '';
    const key = [realm, service, this.scopes.join(' '), credentials?.username ?? ''].join('|');
    const cached = tokenCache.get(key);
    if (cached && !refresh && cached.expiresAtMs > Date.now()) return cached.token;
    const url = new URL(realm);
    let response: HttpResponse;
    if (credentials?.identityToken) {
      // OAuth2 refresh-token grant, as `docker login` with an identity token does.
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.identityToken, service, client_id: 'k8ts', scope: this.scopes.join(' ') });
      response = await send({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(form.toString()) }, this.transport);
    } else {
      if (service) url.searchParams.set('service', service);
      for (const scope of this.scopes) url.searchParams.append('scope', scope);
      const headers: OutgoingHttpHeaders = credentials?.username ? { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password ?? ''}`).toString('base64')}` } : {};
      response = await send({ method: 'GET', url, headers }, this.transport);
    }
    const body = await readBody(response);
    if (response.status === 401) throw new RegistryError('unauthorized: incorrect username or password', 401, 'UNAUTHORIZED');
    if (response.status !== 200) throw new RegistryError(`fetching a token from ${realm}: ${describeErrorBody(response.status, body.toString('utf8')).text}`, response.status);
    const parsed = JSON.parse(body.toString('utf8')) as { token?: string; access_token?: string; expires_in?: number };
    const token = parsed.token ?? parsed.access_token;
    if (!token) throw new RegistryError(`the token server ${realm} returned no token`);
    if (tokenCache.size >= tokenCacheMaxEntries) tokenCache.delete(tokenCache.keys().next().value!);
    tokenCache.set(key, { token, expiresAtMs: Date.now() + (parsed.expires_in ? parsed.expires_in * 1000 : defaultTokenLifetimeMs) - 5_000 });
    return token;
  }
}
