// Bundles the compiled CLI (dist/src) into dist/bundle, which bin/k8ts runs. Loading the ~520 ES
// modules of `k8ts server` one by one took Node about 0.6 s of every start, more than the server's
// own start-up; a bundle of a few files loads in a fraction of that. Packages stay external
// (node_modules, including the native better-sqlite3). Entries are flat in dist/bundle because
// modules find their siblings from import.meta.url: the scheduler's thread (scheduler-worker.js)
// and the runtime's spawn helper (spawn-helper.js).
//   node dist/scripts/bundle.js [DIST_DIR]      (default: the dist/ this script is in)
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const outdir = join(dist, 'bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: ['src/cli/k8ts.js', 'src/server/scheduler-worker.js', 'src/runtime/exec/spawn-helper.js'].map((entry) => join(dist, entry)),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  // Modules loaded on demand (the kubelet, etcd, CSR handling) stay in chunks of their own.
  splitting: true,
  outdir,
  entryNames: '[name]',
  // Stack traces through --enable-source-maps point at the TypeScript sources (esbuild follows
  // tsc's maps of its inputs).
  sourcemap: true,
  logLevel: 'warning',
});
