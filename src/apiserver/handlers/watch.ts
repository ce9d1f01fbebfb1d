// Watch: a chunked stream of newline-delimited JSON events. Served from the watch cache; a watch
// from a revision older than the cache's window replays from the store's history instead, and
// one older than the store's compaction gets upstream's 410 Expired error event.
import { resourceExpired } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { eventRevision, type WatchHandle } from '../../storage/types.js';
import type { CacheEvent, CacheEventType } from '../watchcache/watch-cache.js';
import { decodeStored } from '../watchcache/watch-cache.js';
import { queryInt, type RequestContext } from './context.js';
import { filterFromQuery, type ObjectFilter } from './filter.js';
import { buildWatchEventTable, printerFor } from '../../api/printers/index.js';
import { negotiate, served } from './output.js';
import { parseResourceVersion } from './read.js';

/** Events buffered for a client that reads slower than they come; past this it is cut off. */
export const watchQueueMaxBytes = 16 * 1024 * 1024;
/** Upstream closes watches after a random 30–60 minutes (minRequestTimeout 1800 s) to rebalance. */
const maxWatchSeconds = 1800;
/** A bookmark is sent at most this often when the client allows them. */
const bookmarkIntervalMs = 60_000;

export async function handleWatch(ctx: RequestContext): Promise<void> {
  const { endpoint, query, response, info } = ctx;
  const representation = negotiate(ctx.request.headers.accept, query);
  const filter = filterFromQuery(query, endpoint.info.group, endpoint.info.kind);
  const store = endpoint.store;
  await store.fresh();
  const rvText = query.get('resourceVersion') ?? '';
  const sendInitialEvents = query.get('sendInitialEvents') === 'true';
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const timeoutSeconds = Math.min(queryInt(query, 'timeoutSeconds') ?? maxWatchSeconds * (1 + Math.random()), maxWatchSeconds * 2);
  const prefix = store.prefix(info.namespace);
  const inScope = (key: string): boolean => key.startsWith(prefix) && (!info.name || key === store.key(info.namespace, info.name));

  // setHeader rather than writeHead's headers: the server's shutdown finds watches by getHeader('Transfer-Encoding').
  response.setHeader('Content-Type', 'application/json');
  response.setHeader('Transfer-Encoding', 'chunked');
  response.setHeader('Cache-Control', 'no-cache, private');
  response.writeHead(200);
  response.flushHeaders();

  let queuedBytes = 0;
  let closed = false;
  let lastRevision = 0;
  const write = (type: string, object: unknown): void => writeLine(JSON.stringify({ type, object }) + '\n');
  // Events of one store flush reach every watcher in the same tick: corked until the next tick,
  // they leave in one writev per watcher instead of one per event.
  let corked = false;
  const uncork = (): void => {
    corked = false;
    response.uncork();
  };
  const writeLine = (line: string): void => {
    // writableEnded: the server's shutdown ends watch responses from outside this handler.
    if (closed || response.writableEnded) return;
    if (!corked) {
      corked = true;
      response.cork();
      process.nextTick(uncork);
    }
    const ok = response.write(line);
    if (!ok) {
      queuedBytes += line.length;
      if (queuedBytes > watchQueueMaxBytes) finish();
    } else queuedBytes = 0;
  };
  // Upstream sends the column definitions with the first Table event only.
  let firstTable = true;
  const printer = representation.kind === 'table' ? (endpoint.printer ?? printerFor(endpoint.info.group, endpoint.info.kind)) : undefined;
  const render = (object: KubeObject): unknown => {
    if (!printer || representation.kind !== 'table') return object;
    const table = buildWatchEventTable(printer, object, { includeObject: representation.includeObject, now: new Date(), first: firstTable });
    firstTable = false;
    return table;
  };

  const deliver = (event: CacheEvent): void => {
    if (!inScope(event.object.key)) return;
    lastRevision = event.revision;
    const type = visibleType(event, filter);
    if (!type) return;
    // The common case (plain JSON, stored version) shares one serialised line per event and
    // type among all watchers: a selector turns a MODIFIED into ADDED or DELETED for some.
    if (!printer && endpoint.identity) {
      writeLine(eventLine(event, type));
      return;
    }
    write(type, render(served(endpoint, event.object)));
  };

  let cancelSource: (() => void) | undefined;
  const finish = (): void => {
    if (closed) return;
    closed = true;
    cancelSource?.();
    clearTimeout(timer);
    clearInterval(bookmarkTimer);
    response.end();
  };
  const timer = setTimeout(finish, timeoutSeconds * 1000);
  ctx.request.on('close', finish);
  response.on('close', finish);
  const bookmarkTimer = setInterval(() => {
    if (!bookmarks) return;
    const revision = Math.max(lastRevision, store.cache.currentRevision());
    write('BOOKMARK', { kind: endpoint.info.kind, apiVersion: endpoint.apiVersion, metadata: { resourceVersion: String(revision) } });
  }, bookmarkIntervalMs);

  // No resourceVersion (or sendInitialEvents): start with ADDED events for the current state.
  let startRevision: number;
  if (rvText === '' || rvText === '0' || sendInitialEvents) {
    startRevision = store.cache.currentRevision();
    for (const item of store.cache.list(prefix)) {
      if (!inScope(item.key) || !filter.matches(item.object)) continue;
      if (!printer && endpoint.identity) writeLine(`{"type":"ADDED","object":${item.json}}\n`);
      else write('ADDED', render(served(endpoint, item)));
    }
    if (sendInitialEvents && bookmarks) {
      write('BOOKMARK', {
        kind: endpoint.info.kind,
        apiVersion: endpoint.apiVersion,
        metadata: { resourceVersion: String(startRevision), annotations: { 'k8s.io/initial-events-end': 'true' } },
      });
    }
  } else {
    startRevision = parseResourceVersion(rvText);
  }
  lastRevision = startRevision;

  // History below the store's compaction is gone everywhere, even if the cache still holds it.
  const compacted = await store.options.store.compactedRevision();
  if (startRevision > 0 && startRevision < compacted) {
    write('ERROR', resourceExpired(`too old resource version: ${startRevision} (${compacted})`).toStatus());
    finish();
    return;
  }
  const fromCache = store.cache.watch(startRevision, deliver);
  if (fromCache) {
    cancelSource = fromCache.cancel;
    for (const event of fromCache.replay) deliver(event);
    return;
  }
  // Older than the cache's window: replay from the store's history, which fails once compacted.
  const previous = new Map<string, ReturnType<typeof decodeStored>>();
  let handle: WatchHandle | undefined;
  handle = store.options.store.watch(prefix, startRevision, {
    onEvents(events) {
      for (const storeEvent of events) {
        const revision = eventRevision(storeEvent);
        const object = decodeStored(storeEvent.kv.key, storeEvent.kv.value, revision);
        const before = previous.get(object.key);
        const type: CacheEventType = storeEvent.type === 'delete' ? 'DELETED' : storeEvent.created ? 'ADDED' : 'MODIFIED';
        if (type === 'DELETED') previous.delete(object.key);
        else previous.set(object.key, object);
        deliver({ type, object, previous: type === 'ADDED' ? undefined : (before ?? object), revision });
      }
    },
    onError(error) {
      if (error.name === 'CompactedError') {
        const status = resourceExpired(`too old resource version: ${startRevision} (${store.cache.currentRevision()})`).toStatus();
        write('ERROR', status);
      }
      finish();
    },
  });
  cancelSource = () => handle?.cancel();
}

/** The event's JSON line sent as `type`: what JSON.stringify({ type, object }) gives, built once. */
function eventLine(event: CacheEvent, type: CacheEventType): string {
  if (type === event.type) return (event.wire ??= `{"type":"${type}","object":${event.object.json}}\n`);
  const retyped = (event.retypedWire ??= {});
  return (retyped[type] ??= `{"type":"${type}","object":${event.object.json}}\n`);
}

/**
 * What a filtered watcher sees: an object that starts matching is ADDED, one that stops matching
 * is DELETED, as upstream's cacher does.
 */
function visibleType(event: CacheEvent, filter: ObjectFilter): CacheEventType | undefined {
  if (filter.everything) return event.type;
  const now = event.type !== 'DELETED' && filter.matches(event.object.object);
  const before = event.previous !== undefined && filter.matches(event.previous.object);
  if (event.type === 'DELETED') return before ? 'DELETED' : undefined;
  if (now && before) return 'MODIFIED';
  if (now) return 'ADDED';
  if (before) return 'DELETED';
  return undefined;
}
