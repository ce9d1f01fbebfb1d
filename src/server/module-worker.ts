// A worker thread running one of this project's modules. From dist/ that is plain `new Worker`;
// from the TypeScript sources (unit tests under tsx) the thread must register tsx's loader before
// it imports the module, since the parent's `--import tsx` hooks do not reach worker threads.
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function moduleWorker(module: URL, options: WorkerOptions): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, options);
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
