// Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. BENCH_CPU_PROF=DIR npm run bench:api):
// self time by function and by file/package, and inclusive time of the heaviest frames.
//   node dist/bench/profile-summary.js FILE.cpuprofile [TOP] [--wall] [--window FROM:TO]
// --window keeps only the samples taken FROM..TO seconds after the profile started (either may be
// left out), e.g. the measured phase of a benchmark without the server's start-up before it.
// By default every sample counts as one sampling interval, which approximates on-CPU time: the
// time deltas V8 records include spells the thread spent descheduled (a busy machine shows them
// as huge self time in the native call that was running, typically writev). --wall uses them.
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const args = process.argv.slice(2);
const wall = args.includes('--wall');
const windowAt = args.indexOf('--window');
const [windowFrom, windowTo] = windowAt >= 0 ? (args.splice(windowAt, 2)[1] ?? ':').split(':').map((t) => (t === '' ? undefined : Number(t) * 1e6)) : [];
const [file, topText] = args.filter((a) => a !== '--wall');
if (!file) {
  process.stderr.write('usage: profile-summary FILE.cpuprofile [TOP]\n');
  process.exit(2);
}
const top = Number(topText ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const sortedDeltas = [...profile.timeDeltas].sort((a, b) => a - b);
const intervalUs = sortedDeltas[Math.floor(sortedDeltas.length / 2)] ?? 1000;
const selfUs = new Map<number, number>();
let sampledUs = 0;
let kept = 0;
let atUs = 0;
profile.samples.forEach((id, i) => {
  atUs += profile.timeDeltas[i] ?? 0;
  if ((windowFrom !== undefined && atUs < windowFrom) || (windowTo !== undefined && atUs > windowTo)) return;
  const us = wall ? (profile.timeDeltas[i] ?? 0) : intervalUs;
  selfUs.set(id, (selfUs.get(id) ?? 0) + us);
  sampledUs += us;
  kept++;
});
const totalUs = sampledUs;

const shortUrl = (url: string): string => {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
};
const frameName = (f: CallFrame): string => `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;

const selfByFunction = new Map<string, number>();
const selfByFile = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  const name = frameName(node.callFrame);
  selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + us);
  const fileKey = shortUrl(node.callFrame.url).replace(/^((?:@[^/]+\/)?[^/]+)\/.*$/, (m, pkg: string) => (node.callFrame.url.includes('node_modules/') ? pkg : m));
  selfByFile.set(fileKey, (selfByFile.get(fileKey) ?? 0) + us);
  // Inclusive: every distinct frame on the stack gets the sample once.
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const key = frameName(byId.get(cur)!.callFrame);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}

const print = (title: string, map: Map<string, number>): void => {
  console.log(`\n${title}`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${name}`);
  }
};
console.log(`profile: ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s wall, ${kept} of ${profile.samples.length} samples every ~${intervalUs} µs; weights: ${wall ? 'wall time deltas' : 'sample counts'}`);
print('self time by function', selfByFunction);
print('self time by file / package', selfByFile);
print('inclusive time by function', inclusive);
