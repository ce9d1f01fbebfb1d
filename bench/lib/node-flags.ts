// The node flags bin/k8ts runs every command with. The benchmarks spawn dist/src/cli/main.js
// directly (to add flags such as --cpu-prof and to hold the server's own pid), so they repeat
// them; node-flags.test.ts keeps the two lists equal.
export const k8tsNodeFlags: readonly string[] = ['--enable-source-maps', '--max-semi-space-size=32'];
