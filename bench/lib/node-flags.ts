// How bin/k8ts runs k8ts: the node flags and the bundled CLI. The benchmarks spawn node directly
// (to add flags such as --cpu-prof and to hold the server's own pid), so they repeat both;
// node-flags.test.ts keeps them equal to bin/k8ts.
import { fileURLToPath } from 'node:url';

export const k8tsNodeFlags: readonly string[] = ['--enable-source-maps', '--max-semi-space-size=32'];

/** dist/bundle/k8ts.js (scripts/bundle.ts), from this file's place in dist/bench/lib. */
export const k8tsEntry = fileURLToPath(new URL('../../bundle/k8ts.js', import.meta.url));
