// Opens the datastore named by --datastore: sqlite://<path> (embedded) or etcd://<host:port>[,...].
import { join } from 'node:path';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './types.js';

/** How to reach etcd over TLS; upstream's kube-apiserver flags --etcd-cafile, --etcd-certfile, --etcd-keyfile. */
export interface DatastoreTlsOptions {
  etcdCaFile?: string;
  etcdCertFile?: string;
  etcdKeyFile?: string;
}

export function defaultDatastore(dataDir: string): string {
  return `sqlite://${join(dataDir, 'state.db')}`;
}

export async function openStore(datastore: string, dataDir: string, tls: DatastoreTlsOptions = {}): Promise<Store> {
  if (datastore === '' ) datastore = defaultDatastore(dataDir);
  if (datastore.startsWith('sqlite://')) {
    const path = datastore.slice('sqlite://'.length);
    return new SqliteStore({ path: path === '' ? join(dataDir, 'state.db') : path });
  }
  if (datastore.startsWith('etcd://')) {
    // The etcd client (gRPC, protobufjs) loads only when it is used, so SQLite start-up stays fast.
    const [{ parseEtcdEndpoints }, { EtcdStore }] = await Promise.all([import('./etcd/etcd-client.js'), import('./etcd/etcd-store.js')]);
    return new EtcdStore({
      endpoints: parseEtcdEndpoints(datastore),
      tls: { caFile: tls.etcdCaFile, certFile: tls.etcdCertFile, keyFile: tls.etcdKeyFile },
    });
  }
  throw new Error(`unsupported --datastore ${JSON.stringify(datastore)}: expected sqlite://<path> or etcd://<host:port>[,...]`);
}
