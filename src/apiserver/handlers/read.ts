// GET of one object and of lists, answered from the watch cache with upstream's
// resourceVersion, resourceVersionMatch, limit and continue semantics.
import { badRequest, notFound, resourceExpired, StatusError } from '../../api/errors.js';
import { sendJson, sendObject } from '../http/respond.js';
import type { CachedObject } from '../watchcache/watch-cache.js';
import { decodeStored } from '../watchcache/watch-cache.js';
import { queryInt, type RequestContext } from './context.js';
import { filterFromQuery } from './filter.js';
import { listJson, negotiate, served, tableOf } from './output.js';

/** How long a read waits for the cache to reach a resourceVersion newer than it has. */
const tooLargeResourceVersionWaitMs = 3_000;

export async function handleGet(ctx: RequestContext): Promise<void> {
  const { endpoint, info, query } = ctx;
  const representation = negotiate(ctx.request.headers.accept, query);
  const store = endpoint.store;
  const rv = query.get('resourceVersion') ?? '';
  let found: CachedObject;
  if (rv === '0') {
    // "Any version": whatever the cache holds, without waiting for it to catch up.
    await store.cache.ready();
    const cached = store.cache.get(store.key(info.namespace, info.name));
    if (!cached) throw notFound(store.ref, info.name);
    found = cached;
  } else {
    if (rv !== '') await waitForResourceVersion(ctx, parseResourceVersion(rv));
    found = await store.get(info.namespace, info.name);
  }
  const object = served(endpoint, found);
  if (representation.kind === 'table') sendJson(ctx.response, 200, tableOf(endpoint, [object], representation.includeObject));
  else if (representation.kind === 'yaml') sendObject(ctx.response, 200, object, 'application/yaml');
  else sendJson(ctx.response, 200, endpoint.identity ? found.json : JSON.stringify(object));
}

interface ContinueToken {
  /** resourceVersion the first page was read at. */
  rv: number;
  /** Key to start after. */
  start: string;
}

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'k8ts.continue/1', rv: token.rv, start: token.start })).toString('base64url');
}

function decodeContinue(text: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { v?: string; rv?: number; start?: string };
    if (parsed.v !== 'k8ts.continue/1' || typeof parsed.rv !== 'number' || typeof parsed.start !== 'string') throw new Error('bad token');
    return { rv: parsed.rv, start: parsed.start };
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

export function parseResourceVersion(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) throw badRequest(`invalid resource version: ${text}`);
  return value;
}

async function waitForResourceVersion(ctx: RequestContext, revision: number): Promise<void> {
  const cache = ctx.endpoint.store.cache;
  await cache.ready();
  if (cache.currentRevision() >= revision) return;
  const reached = await Promise.race([
    ctx.endpoint.store.fresh().then(() => cache.currentRevision() >= revision),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), tooLargeResourceVersionWaitMs).unref()),
  ]);
  if (!reached) {
    throw new StatusError(504, 'Timeout', `Too large resource version: ${revision}, current: ${cache.currentRevision()}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    });
  }
}

export async function handleList(ctx: RequestContext): Promise<void> {
  const { endpoint, info, query } = ctx;
  const representation = negotiate(ctx.request.headers.accept, query);
  const filter = filterFromQuery(query, endpoint.info.group, endpoint.info.kind);
  const store = endpoint.store;
  const limit = queryInt(query, 'limit') ?? 0;
  const continueText = query.get('continue') ?? '';
  const rvText = query.get('resourceVersion') ?? '';
  const rvMatch = query.get('resourceVersionMatch') ?? '';
  if (continueText && rvText) throw badRequest('specifying resource version is not allowed when using continue');
  if (rvMatch && !['NotOlderThan', 'Exact'].includes(rvMatch)) {
    throw badRequest(`resourceVersionMatch: Unsupported value: "${rvMatch}": supported values: "Exact", "NotOlderThan"`);
  }
  if (rvMatch && !rvText) throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');

  const prefix = store.prefix(info.namespace);
  let items: CachedObject[];
  let revision: number;
  let next: string | undefined;
  let remaining: number | undefined;

  const pageFrom = (all: CachedObject[], startAfter: string, atRevision: number): void => {
    const matching = all.filter((item) => item.key > startAfter && filter.matches(item.object));
    revision = atRevision;
    if (limit > 0 && matching.length > limit) {
      items = matching.slice(0, limit);
      next = encodeContinue({ rv: atRevision, start: items[items.length - 1]!.key });
      remaining = filter.everything ? matching.length - limit : undefined;
    } else {
      items = matching;
    }
  };

  if (continueText) {
    const token = decodeContinue(continueText);
    await store.fresh();
    if (store.cache.currentRevision() === token.rv || !(await changedSince(ctx, token.rv))) {
      pageFrom(store.cache.list(prefix), token.start, token.rv);
    } else {
      await pageFromStore(ctx, prefix, token, limit, filter.matches).then((page) => {
        items = page.items;
        revision = token.rv;
        next = page.next;
      });
    }
  } else if (rvMatch === 'Exact') {
    const exact = parseResourceVersion(rvText);
    await pageFromStore(ctx, prefix, { rv: exact, start: '' }, limit, filter.matches).then((page) => {
      items = page.items;
      revision = exact;
      next = page.next;
    });
  } else {
    if (rvText === '') await store.fresh();
    else if (rvText !== '0') await waitForResourceVersion(ctx, parseResourceVersion(rvText));
    else await store.cache.ready();
    // A list at "0" or "any" may be served as the cache has it, and upstream ignores limit for it.
    pageFrom(store.cache.list(prefix), '', store.cache.currentRevision());
    if (rvText === '0') {
      next = undefined;
      remaining = undefined;
    }
  }
  const meta = { resourceVersion: String(revision!), continue: next, remainingItemCount: remaining };
  if (representation.kind === 'table') {
    sendJson(ctx.response, 200, tableOf(endpoint, items!.map((item) => served(endpoint, item)), representation.includeObject, meta));
  } else if (representation.kind === 'yaml') {
    sendObject(ctx.response, 200, listJson(endpoint, items!, meta), 'application/yaml');
  } else {
    sendJson(ctx.response, 200, listJson(endpoint, items!, meta));
  }
}

/** True when anything under the resource changed after `revision` (the cache then cannot serve it). */
async function changedSince(ctx: RequestContext, revision: number): Promise<boolean> {
  const cache = ctx.endpoint.store.cache;
  const probe = cache.watch(revision, () => undefined);
  if (!probe) return true;
  probe.cancel();
  return probe.replay.length > 0;
}

/** Reads a page at an old revision from the store itself (410 once it is compacted). */
async function pageFromStore(
  ctx: RequestContext,
  prefix: string,
  token: ContinueToken,
  limit: number,
  matches: (obj: CachedObject['object']) => boolean,
): Promise<{ items: CachedObject[]; next?: string }> {
  const backing = ctx.endpoint.store.options.store;
  const items: CachedObject[] = [];
  let start = token.start ? token.start + '\0' : '';
  const chunk = limit > 0 ? Math.max(limit, 500) : 0;
  for (;;) {
    let result;
    try {
      result = await backing.list(prefix, { revision: token.rv, startKey: start, limit: chunk });
    } catch (error) {
      if ((error as Error).name === 'CompactedError') {
        throw resourceExpired(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
      }
      throw error;
    }
    for (const kv of result.items) {
      const cached = decodeStored(kv.key, kv.value, kv.modRevision);
      if (!matches(cached.object)) continue;
      items.push(cached);
      if (limit > 0 && items.length > limit) {
        items.length = limit;
        return { items, next: encodeContinue({ rv: token.rv, start: items[items.length - 1]!.key }) };
      }
    }
    if (!result.more) return { items };
    start = result.items[result.items.length - 1]!.key + '\0';
  }
}
