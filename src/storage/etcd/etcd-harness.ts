// Test support: real etcd processes on free loopback ports in a temporary directory.
// Each member is stopped by the pid we spawned, and the directory is removed afterwards.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3, type IOptions } from 'etcd3';
import type { EtcdTlsFiles } from './etcd-client.js';

export const etcdBinary = process.env['K8TS_TEST_ETCD'] ?? '/usr/bin/etcd';
/** How long a member (or a cluster) may take to answer a read after start. */
const readyTimeoutMs = 20_000;
const readyPollMs = 100;
/** Fast heartbeats and elections, so losing and regaining a member takes well under a second. */
const heartbeatIntervalMs = 50;
const electionTimeoutMs = 500;

/** A port free right now: listen on 0 and close. (A race with other processes is possible but rare.) */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Member {
  name: string;
  clientPort: number;
  peerPort: number;
  dataDir: string;
  process?: ChildProcess;
}

export interface EtcdClusterOptions {
  /** Serve clients over TLS and require a client certificate (peers stay plain on loopback). */
  tls?: boolean;
}

export class EtcdCluster {
  /** The CA, client certificate and key a client needs when the cluster was started with tls. */
  tlsFiles: Required<EtcdTlsFiles> | undefined;

  private constructor(
    readonly dir: string,
    private readonly members: Member[],
  ) {}

  /** Starts `size` members and waits until the cluster answers reads. */
  static async start(size = 1, options: EtcdClusterOptions = {}): Promise<EtcdCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-etcd-'));
    const members: Member[] = [];
    const cluster = new EtcdCluster(dir, members);
    try {
      for (let i = 0; i < size; i++) {
        members.push({ name: `m${i}`, clientPort: await freePort(), peerPort: await freePort(), dataDir: join(dir, `m${i}`) });
      }
      if (options.tls) cluster.tlsFiles = makeCertificates(join(dir, 'pki'));
      for (let i = 0; i < size; i++) cluster.spawnMember(i);
      await cluster.waitReady(members.map((_, i) => i));
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** host:port of every member. */
  get endpoints(): string[] {
    return this.members.map((member) => `127.0.0.1:${member.clientPort}`);
  }

  get datastore(): string {
    return `etcd://${this.endpoints.join(',')}`;
  }

  /** Kills one member (SIGKILL, by its pid); its data stays for a restart. */
  async kill(index: number): Promise<void> {
    const member = this.member(index);
    const child = member.process;
    member.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** Restarts a killed member from its data directory (use waitReady to wait for it). */
  async restart(index: number): Promise<void> {
    this.spawnMember(index);
  }

  /** Waits until each named member answers a linearizable read (needs a quorum). */
  async waitReady(indexes: number[]): Promise<void> {
    await Promise.all(indexes.map((index) => this.waitMemberReady(index)));
  }

  /** The index of the member that is raft leader now, as that member itself reports. */
  async leaderIndex(): Promise<number> {
    for (let index = 0; index < this.members.length; index++) {
      if (!this.member(index).process) continue;
      const client = new Etcd3(this.clientOptions(this.endpoints[index]!));
      try {
        const status = await client.maintenance.status({ deadline: new Date(Date.now() + 1_000) });
        if (status.header.member_id === status.leader) return index;
      } catch {
        // A member that does not answer is not the leader we can use.
      } finally {
        client.close();
      }
    }
    throw new Error('no etcd member reports itself as leader');
  }

  async stop(): Promise<void> {
    for (let i = 0; i < this.members.length; i++) await this.kill(i);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Options for a plain etcd3 client on this cluster (test checks and probes). */
  clientOptions(hosts: string | string[] = this.endpoints): IOptions {
    const tls = this.tlsFiles;
    return {
      hosts,
      dialTimeout: 1_000,
      ...(tls ? { credentials: { rootCertificate: readFileSync(tls.caFile), certChain: readFileSync(tls.certFile), privateKey: readFileSync(tls.keyFile) } } : {}),
    };
  }

  private member(index: number): Member {
    const member = this.members[index];
    if (!member) throw new Error(`no etcd member ${index}`);
    return member;
  }

  private spawnMember(index: number): void {
    const member = this.member(index);
    if (member.process) throw new Error(`etcd member ${index} is running`);
    mkdirSync(member.dataDir, { recursive: true, mode: 0o700 });
    const peerUrl = (m: Member): string => `http://127.0.0.1:${m.peerPort}`;
    const clientUrl = `${this.tlsFiles ? 'https' : 'http'}://127.0.0.1:${member.clientPort}`;
    const tlsFlags = this.tlsFiles
      ? [`--cert-file=${join(this.dir, 'pki', 'server.crt')}`, `--key-file=${join(this.dir, 'pki', 'server.key')}`, `--trusted-ca-file=${this.tlsFiles.caFile}`, '--client-cert-auth']
      : [];
    const log = openSync(join(this.dir, `${member.name}.log`), 'a');
    const child = spawn(
      etcdBinary,
      [
        `--name=${member.name}`,
        `--data-dir=${member.dataDir}`,
        `--listen-client-urls=${clientUrl}`,
        `--advertise-client-urls=${clientUrl}`,
        `--listen-peer-urls=${peerUrl(member)}`,
        `--initial-advertise-peer-urls=${peerUrl(member)}`,
        `--initial-cluster=${this.members.map((m) => `${m.name}=${peerUrl(m)}`).join(',')}`,
        '--initial-cluster-state=new',
        `--initial-cluster-token=k8ts-test-${this.members[0]!.clientPort}`,
        `--heartbeat-interval=${heartbeatIntervalMs}`,
        `--election-timeout=${electionTimeoutMs}`,
        '--logger=zap',
        ...tlsFlags,
      ],
      { stdio: ['ignore', log, log] },
    );
    closeSync(log);
    member.process = child;
  }

  private async waitMemberReady(index: number): Promise<void> {
    const client = new Etcd3(this.clientOptions(this.endpoints[index]!));
    const deadline = Date.now() + readyTimeoutMs;
    try {
      for (;;) {
        try {
          await client.kv.range({ key: Buffer.from('\0'), count_only: true }, { deadline: new Date(Date.now() + 1_000) });
          return;
        } catch (error) {
          if (Date.now() > deadline) throw new Error(`etcd member ${index} not ready after ${readyTimeoutMs} ms (log in ${this.dir}): ${(error as Error).message}`);
          await new Promise((resolve) => setTimeout(resolve, readyPollMs));
        }
      }
    } finally {
      client.close();
    }
  }
}

/** A throwaway CA, an etcd serving certificate for 127.0.0.1, and a client certificate (openssl). */
function makeCertificates(dir: string): Required<EtcdTlsFiles> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const at = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'ignore' });
  };
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('ca.key'), '-out', at('ca.crt'), '-days', '1', '-subj', '/CN=k8ts-test-etcd-ca');
  const issue = (name: string, subject: string, extensions: string): void => {
    writeFileSync(at(`${name}.ext`), extensions);
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at(`${name}.key`), '-out', at(`${name}.csr`), '-subj', subject);
    openssl('x509', '-req', '-in', at(`${name}.csr`), '-CA', at('ca.crt'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at(`${name}.crt`), '-days', '1', '-extfile', at(`${name}.ext`));
  };
  issue('server', '/CN=etcd', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issue('client', '/CN=k8ts-apiserver', 'extendedKeyUsage=clientAuth\n');
  return { caFile: at('ca.crt'), certFile: at('client.crt'), keyFile: at('client.key') };
}
