// The entry of the bundled CLI (dist/bundle/k8ts.js, see scripts/bundle.ts): @peculiar/x509 needs
// Reflect metadata as it loads, and a bundle hoists every package import above its own code, so
// the shim is installed here first and the CLI is loaded after it.
import '../pki/reflect-metadata-shim.js';

await import('./main.js');
