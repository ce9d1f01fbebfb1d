// The runtime conformance suite, run on every OCI runtime installed (the Makefile installs runc
// and crun): real namespaces, overlayfs, cgroups and CNI, as root. Each test cleans up what it made.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { availableRuntimes, type OciRuntimeName } from './driver/oci-runtime.js';
import { importImages } from './images/import.js';
import { parseCriLogLine } from './logs/cri-log.js';
import { Runtime } from './runtime.js';
import { primaryAddress } from '../server/run-server.js';
import { defaultNetworkList } from './sandbox/cni.js';
import { buildBusyboxLayout } from './testing/busybox-layout.js';
import type { ContainerConfig, PodSandboxConfig } from './cri/types.js';

const work = mkdtempSync(join(tmpdir(), 'k8ts-runtime-'));
const layout = join(work, 'busybox-layout');
before(async () => {
  await buildBusyboxLayout(layout);
});
after(() => rmSync(work, { recursive: true, force: true }));

test('runc and crun are both installed (make test-debs installs them)', () => {
  assert.deepEqual(availableRuntimes().sort(), ['crun', 'runc']);
});

/** portmap's shared chains (CNI-HOSTPORT-*) in the nat table, which its first ADD creates and no DEL removes. */
function portmapChainsExist(): boolean {
  return natRules().some((rule) => rule.startsWith('-N CNI-HOSTPORT-'));
}

/** Removes portmap's shared chains and the jumps to them: what the test made, when the machine had none before. */
function removePortmapChains(): void {
  const rules = natRules();
  for (const rule of rules) {
    if (/^-A (PREROUTING|OUTPUT|POSTROUTING) .*-j CNI-HOSTPORT-/.test(rule)) execFileSync('sh', ['-c', `iptables -t nat ${rule.replace(/^-A/, '-D')}`]);
  }
  const chains = rules.filter((rule) => rule.startsWith('-N CNI-HOSTPORT-')).map((rule) => rule.slice(3));
  for (const chain of chains) execFileSync('iptables', ['-t', 'nat', '-F', chain]);
  for (const chain of chains) execFileSync('iptables', ['-t', 'nat', '-X', chain]);
}

/** The nftables nat tables present ("ip nat", "ip6 nat"). */
function natTables(): string[] {
  return execFileSync('nft', ['list', 'tables']).toString().split('\n').map((line) => line.replace(/^table /, '').trim()).filter((table) => /^ip6? nat$/.test(table));
}

/** A table with no rules in any chain (iptables-nft's bare base chains only). */
function isEmptyTable(table: string): boolean {
  const listing = execFileSync('nft', ['list', 'table', ...table.split(' ')]).toString();
  return listing.split('\n').every((line) => /^\s*(table |chain |type |\}|$)/.test(line));
}

function natRules(): string[] {
  return execFileSync('iptables', ['-t', 'nat', '-S']).toString().split('\n');
}

function logLines(path: string, stream?: 'stdout' | 'stderr'): string[] {
  if (!existsSync(path)) return [];
  const records = readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((line) => parseCriLogLine(line));
  return records.filter((r) => r && (!stream || r.stream === stream)).map((r) => r!.content);
}

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function collect(child: import('node:child_process').ChildProcess, options: { keepStdinOpen?: boolean } = {}): Promise<{ stdout: string; code: number | null }> {
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  // A terminal echoes an end-of-file on its input; a command on a tty keeps stdin open.
  if (!options.keepStdinOpen) child.stdin?.end();
  return new Promise((resolve) =>
    child.once('close', (code) => {
      child.stdin?.end();
      resolve({ stdout, code });
    }),
  );
}

for (const name of ['runc', 'crun'] as OciRuntimeName[]) {
  describe(`runtime conformance on ${name}`, () => {
    const root = join(work, name);
    const tag = Math.random().toString(36).slice(2, 7);
    const octet = 100 + Math.floor(Math.random() * 100);
    const podCidr = `10.${octet}.${name === 'runc' ? 1 : 2}.0/24`;
    const bridge = `k8t${tag}`;
    let runtime: Runtime;
    const sandboxes: string[] = [];

    before(async () => {
      runtime = await Runtime.open({ root, runtime: name, network: defaultNetworkList({ bridge, podCidr, ipamDataDir: join(root, 'ipam') }), netnsPrefix: `k8t-${tag}-` });
      await importImages(runtime.images, layout, { name: 'busybox' });
    });
    after(async () => {
      for (const id of sandboxes) await runtime.removePodSandbox(id).catch(() => undefined);
      await runtime.close();
      execFileSync('ip', ['link', 'delete', bridge], { stdio: 'ignore' });
      const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
      // The namespace directory's own private bind mount is the last thing to go.
      if (mounts.includes(join(root, 'ns'))) execFileSync('umount', [join(root, 'ns')]);
      assert.equal(readFileSync('/proc/self/mountinfo', 'utf8').includes(root), false, 'no mounts left');
    });

    const pod = (podName: string, extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig => ({
      metadata: { name: podName, namespace: 'default', uid: `${tag}-${podName}`, attempt: 0 },
      hostname: podName,
      logDirectory: join(root, 'logs', podName),
      ...extra,
    });
    const container = (containerName: string, command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
      metadata: { name: containerName, attempt: 0 },
      image: 'busybox',
      command,
      logPath: `${containerName}/0.log`,
      ...extra,
    });
    async function sandbox(podName: string, extra: Partial<PodSandboxConfig> = {}): Promise<string> {
      const id = await runtime.runPodSandbox(pod(podName, extra));
      sandboxes.push(id);
      return id;
    }

    test('a container runs in its own namespaces with the pod hostname and IP, its output in CRI logs, exit 0 Completed', async () => {
      const sb = await sandbox('hello');
      const status = runtime.podSandboxStatus(sb);
      assert.equal(status.state, 'SANDBOX_READY');
      assert.match(status.ip, new RegExp(`^10\\.${octet}\\.`));
      const id = await runtime.createContainer(sb, container('main', ['sh', '-c', 'echo hello; hostname; cat /etc/hostname; ip addr 2>/dev/null | grep -c eth0 || true; echo oops >&2; echo $$']));
      assert.equal((await runtime.containerStatus(id)).state, 'CONTAINER_CREATED');
      await runtime.startContainer(id);
      assert.ok(await runtime.waitForExit(id, 10_000));
      const final = await runtime.containerStatus(id);
      assert.equal(final.state, 'CONTAINER_EXITED');
      assert.equal(final.exitCode, 0);
      assert.equal(final.reason, 'Completed');
      const lines = await until('logs', () => logLines(final.logPath, 'stdout').length >= 5 && logLines(final.logPath, 'stdout'));
      assert.deepEqual(lines.slice(0, 3), ['hello', 'hello', 'hello']);
      assert.deepEqual(logLines(final.logPath, 'stderr'), ['oops']);
      assert.equal(lines[lines.length - 1], '1', 'PID 1 in its own pid namespace');
      assert.match(readFileSync(final.logPath, 'utf8'), / stderr F oops\n/);
    });

    test('containers of one pod share its network; exec runs in a running container and reports exit codes', async () => {
      const sb = await sandbox('shared');
      const server = await runtime.createContainer(sb, container('server', ['sh', '-c', 'while true; do echo pong | nc -l -p 8080; done']));
      await runtime.startContainer(server);
      const client = await runtime.createContainer(sb, container('client', ['sleep', '1000']));
      await runtime.startContainer(client);
      assert.equal((await runtime.containerStatus(client)).state, 'CONTAINER_RUNNING');
      const answer = await until('the server to answer', () => {
        const out = execFileSync('ip', ['netns', 'exec', `k8t-${tag}-${sb.slice(0, 12)}`, 'sh', '-c', 'echo | busybox nc -w 1 127.0.0.1 8080 || true']).toString();
        return out.includes('pong') && out;
      });
      assert.match(answer, /pong/);
      const viaExec = await collect(await runtime.exec(client, ['sh', '-c', 'echo | nc -w 1 127.0.0.1 8080; cat /etc/hostname']));
      assert.equal(viaExec.code, 0);
      assert.match(viaExec.stdout, /pong\nshared\n/);
      assert.equal((await collect(await runtime.exec(client, ['sh', '-c', 'exit 3']))).code, 3);
      // On a terminal: stderr arrives merged into stdout, lines end in CR LF; a resize reaches it.
      const onTerminal = await runtime.exec(client, ['sh', '-c', 'tty; sleep 1; stty size 2>/dev/null || echo no size; echo err >&2'], { tty: true });
      setTimeout(() => void runtime.resizeExecTerminal(onTerminal, { rows: 40, cols: 100 }), 300);
      const viaTty = await collect(onTerminal, { keepStdinOpen: true });
      assert.equal(viaTty.code, 0);
      assert.match(viaTty.stdout, /^\/dev\/pts\/\d+\r\n40 100\r\nerr\r\n$/);
      await runtime.stopContainer(server, 0);
      await runtime.stopContainer(client, 0);
      assert.equal((await runtime.containerStatus(client)).exitCode, 137);
      assert.equal((await runtime.containerStatus(client)).reason, 'Error');
    });

    test('attach streams output and feeds stdin; with stdinOnce the container reads EOF when the client goes; logs reopen', async () => {
      const sb = await sandbox('attached');
      const id = await runtime.createContainer(sb, container('reader', ['sh', '-c', 'while read line; do echo "got $line"; done; echo eof'], { stdin: true, stdinOnce: true }));
      await runtime.startContainer(id);
      let output = '';
      const session = await runtime.attach(id, (_stream, chunk) => (output += chunk.toString()));
      session.stdin!.write('one\ntwo\n');
      await until('echoed input', () => output.includes('got two'));
      const logPath = (await runtime.containerStatus(id)).logPath;
      renameSync(logPath, `${logPath}.moved`);
      await runtime.reopenContainerLog(id);
      session.detach();
      assert.ok(await runtime.waitForExit(id, 10_000), 'EOF ends the read loop');
      assert.equal((await runtime.containerStatus(id)).exitCode, 0);
      assert.deepEqual(logLines(`${logPath}.moved`, 'stdout'), ['got one', 'got two']);
      await until('the last line in the reopened log', () => logLines(logPath, 'stdout').includes('eof'));
    });

    test('containers of a pod with a shared PID namespace see each other, under an init the sandbox holds', async () => {
      const shared = { namespaceOptions: { pid: 'POD' as const } };
      const sb = await sandbox('pids', { linux: { securityContext: shared } });
      const first = await runtime.createContainer(sb, container('first', ['sleep', '1001'], { linux: { securityContext: shared } }));
      await runtime.startContainer(first);
      const second = await runtime.createContainer(sb, container('second', ['sleep', '1002'], { linux: { securityContext: shared } }));
      await runtime.startContainer(second);
      const ps = await collect(await runtime.exec(second, ['ps', '-o', 'pid,args']));
      assert.match(ps.stdout, /\n\s*1 \/bin\/busybox sh -c/, 'PID 1 is the holder');
      assert.match(ps.stdout, /sleep 1001/);
      assert.match(ps.stdout, /sleep 1002/);
      const holder = JSON.parse(readFileSync(join(root, 'sandboxes', sb, 'sandbox.json'), 'utf8')).pidHolder as number;
      await runtime.removePodSandbox(sb);
      sandboxes.splice(sandboxes.indexOf(sb), 1);
      await until('the holder gone', () => !existsSync(`/proc/${holder}`) || readFileSync(`/proc/${holder}/stat`, 'utf8').split(' ')[2] === 'Z');
    });

    test('a hostPort mapping (CNI portmap) reaches the container from the host address', async () => {
      const portmapWasSetUp = portmapChainsExist();
      const natTablesBefore = natTables();
      const hostPort = 20000 + Math.floor(Math.random() * 20000);
      const sb = await sandbox('mapped', { portMappings: [{ protocol: 'TCP', containerPort: 8080, hostPort }] });
      try {
        const server = await runtime.createContainer(sb, container('server', ['sh', '-c', 'while true; do echo mapped | nc -l -p 8080; done']));
        await runtime.startContainer(server);
        const hostAddress = primaryAddress();
        const answer = await until('the mapped port to answer', () => {
          const out = execFileSync('sh', ['-c', `echo | busybox nc -w 1 ${hostAddress} ${hostPort} || true`]).toString();
          return out.includes('mapped') && out;
        });
        assert.match(answer, /mapped/);
      } finally {
        await runtime.removePodSandbox(sb);
        sandboxes.splice(sandboxes.indexOf(sb), 1);
        if (!portmapWasSetUp) removePortmapChains();
        // iptables-nft made the nat tables for portmap: gone with it when the machine had none.
        for (const table of natTables()) if (!natTablesBefore.includes(table) && isEmptyTable(table)) execFileSync('nft', ['delete', 'table', ...table.split(' ')]);
      }
      assert.equal(portmapChainsExist(), portmapWasSetUp, 'the machine\'s nat table is as the test found it');
    });

    test('stop sends SIGTERM, then SIGKILL after the grace period', async () => {
      const sb = await sandbox('stubborn');
      const graceful = await runtime.createContainer(sb, container('graceful', ['sh', '-c', "trap 'echo bye; exit 0' TERM; while true; do sleep 0.1; done"]));
      await runtime.startContainer(graceful);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await runtime.stopContainer(graceful, 5);
      assert.equal((await runtime.containerStatus(graceful)).exitCode, 0);
      const stubborn = await runtime.createContainer(sb, container('stubborn', ['sh', '-c', "trap '' TERM; while true; do sleep 0.1; done"]));
      await runtime.startContainer(stubborn);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      await runtime.stopContainer(stubborn, 1);
      const took = Date.now() - started;
      assert.ok(took >= 900, `waited the grace period (${took} ms)`);
      assert.equal((await runtime.containerStatus(stubborn)).exitCode, 137);
      assert.equal((await runtime.containerStatus(stubborn)).reason, 'Error', 'killed by k8ts, not OOMKilled');
    });

    test('a container over its memory limit is OOMKilled; a pids limit stops a fork bomb', async () => {
      const sb = await sandbox('limits');
      const hog = await runtime.createContainer(sb, container('hog', ['sh', '-c', 'x=$(yes | head -c 80000000); echo survived'], { linux: { resources: { memoryLimitInBytes: 16 * 1024 * 1024 } } }));
      await runtime.startContainer(hog);
      assert.ok(await runtime.waitForExit(hog, 20_000));
      const status = await runtime.containerStatus(hog);
      assert.equal(status.exitCode, 137);
      assert.equal(status.reason, 'OOMKilled');
      const bomb = await runtime.createContainer(sb, container('bomb', ['sh', '-c', 'i=0; while [ $i -lt 60 ]; do sleep 30 & i=$((i+1)); done; wait'], { linux: { resources: { pidsLimit: 10 } } }));
      await runtime.startContainer(bomb);
      const bombLog = (await runtime.containerStatus(bomb)).logPath;
      const lines = await until('fork failures', () => logLines(bombLog).some((l) => /can't fork|Resource temporarily unavailable/.test(l)) && logLines(bombLog), 20_000);
      assert.ok(lines.length > 0);
      const record = JSON.parse(readFileSync(join(root, 'containers', bomb, 'record.json'), 'utf8')) as { cgroupPath: string };
      const pids = Number(readFileSync(join('/sys/fs/cgroup/pids', record.cgroupPath, 'pids.current'), 'utf8'));
      assert.ok(pids <= 10, `at most 10 processes (${pids})`);
      await runtime.stopContainer(bomb, 0);
    });

    test('a new Runtime on the same state finds running containers and keeps their logs going; removal releases everything', async () => {
      const sb = await sandbox('survivor');
      const id = await runtime.createContainer(sb, container('ticker', ['sh', '-c', 'while true; do echo tick; sleep 0.1; done']));
      await runtime.startContainer(id);
      await runtime.close();
      await new Promise((resolve) => setTimeout(resolve, 300));
      runtime = await Runtime.open({ root, runtime: name, network: defaultNetworkList({ bridge, podCidr, ipamDataDir: join(root, 'ipam') }), netnsPrefix: `k8t-${tag}-` });
      assert.equal((await runtime.containerStatus(id)).state, 'CONTAINER_RUNNING', 'still running, not restarted');
      const path = (await runtime.containerStatus(id)).logPath;
      const before = logLines(path).length;
      await until('more ticks after the restart', () => logLines(path).length > before + 3);
      const status = runtime.podSandboxStatus(sb);
      await runtime.removePodSandbox(sb);
      sandboxes.splice(sandboxes.indexOf(sb), 1);
      assert.equal(existsSync(join('/var/run/netns', `k8t-${tag}-${sb.slice(0, 12)}`)), false, 'netns gone');
      assert.equal(existsSync(join(root, 'containers', id)), false, 'container state gone');
      assert.equal(existsSync(`/sys/fs/cgroup/memory/k8ts/pod-${tag}-survivor`), false, 'pod cgroup gone');
      assert.ok(status.ip);
    });
  });
}
