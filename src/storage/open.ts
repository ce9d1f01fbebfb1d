// Opens the datastore named by --datastore: sqlite://<path> now, etcd:// in the declarative-API issue.
import { join } from 'node:path';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './types.js';

export function defaultDatastore(dataDir: string): string {
  return `sqlite://${join(dataDir, 'state.db')}`;
}

export async function openStore(datastore: string, dataDir: string): Promise<Store> {
  if (datastore === '' ) datastore = defaultDatastore(dataDir);
  if (datastore.startsWith('sqlite://')) {
    const path = datastore.slice('sqlite://'.length);
    return new SqliteStore({ path: path === '' ? join(dataDir, 'state.db') : path });
  }
  if (datastore.startsWith('etcd://')) throw new Error('the etcd datastore is not available in this build yet; use sqlite://');
  throw new Error(`unsupported --datastore ${JSON.stringify(datastore)}: expected sqlite://<path> or etcd://<host:port>[,...]`);
}
