// kube-scheduler in a worker thread of `k8ts server`. The API server's thread is the cluster's
// bottleneck under load, and a scheduler on it competes for it: decoding its informers' events,
// filtering and scoring nodes, building its requests. In a thread of its own the scheduler runs on
// another core and reaches the API server as any component does, through API requests, here over
// a MessagePort channel (client/thread-channel.ts) the main thread hands to the API server with the
// admin identity, as it does loopback connections. Nothing is shared but that channel: the thread
// knows only what the API tells it, as a separate kube-scheduler process would.
import type { RestConfig } from '../client/index.js';
import { isThreadChannelMessage } from '../client/thread-channel.js';
import { moduleWorker } from './module-worker.js';
import type { MessagePort, Worker } from 'node:worker_threads';

/** What the thread is started with (structured-cloned into it). */
export interface SchedulerThreadData {
  rest: Pick<RestConfig, 'server' | 'ca' | 'cert' | 'key' | 'userAgent' | 'qps' | 'burst'>;
  /** A KubeSchedulerConfiguration file, already checked by the main thread. */
  configPath?: string;
}

/** Between the main thread and the scheduler's (besides its request channels). */
export type SchedulerThreadMessage = { type: 'run'; data: SchedulerThreadData } | { type: 'started' } | { type: 'stop' } | { type: 'stopped' };

/** A thread that has not said it started by then failed to. */
const startTimeoutMs = 30_000;
/** How long a stopping scheduler may take (it releases its Lease) before the thread is ended anyway. */
const stopTimeoutMs = 10_000;
/** A thread that ends on its own is started again after this, doubling up to the maximum. */
const restartInitialDelayMs = 1_000;
const restartMaxDelayMs = 60_000;
/** A thread that ran this long before ending starts the back-off over. */
const restartResetAfterMs = 10 * 60_000;

export interface SchedulerThreadOptions {
  /** Serves a request channel the thread opened (throws to refuse it, e.g. while the API server is not serving). */
  acceptChannel: (port: MessagePort) => void;
  log: (message: string) => void;
  /** The thread's module; scheduler-worker by default (tests give a stand-in). */
  module?: URL;
}

export class SchedulerThread {
  private worker: Worker | undefined;
  /** What the scheduler runs with, kept for a restarted thread. */
  private data: SchedulerThreadData | undefined;
  /** The current thread's scheduler has started (its exit is then restarted, not a failed start). */
  private running = false;
  private runningSince = 0;
  private stopping = false;
  private restartDelayMs = restartInitialDelayMs;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SchedulerThreadOptions) {}

  /**
   * Spawns the thread, which loads its modules and waits to be told to run: started early, that
   * work overlaps the rest of the server's start. start() spawns it if this was not called.
   */
  load(): void {
    if (this.worker || this.stopping) return;
    const module = this.options.module ?? new URL(`./scheduler-worker${extensionOf(import.meta.url)}`, import.meta.url);
    const worker = moduleWorker(module, { name: 'kube-scheduler' });
    // A thread loaded for a server that then fails to start must not keep the process alive.
    worker.unref();
    this.worker = worker;
    this.running = false;
    worker.on('message', (message: unknown) => {
      if (!isThreadChannelMessage(message)) return;
      try {
        this.options.acceptChannel(message.port);
      } catch {
        // Refused: the thread's requests fail as on a refused connection; its client opens another.
        message.port.close();
      }
    });
    worker.on('error', (error) => this.options.log(`the scheduler thread failed: ${error.stack ?? error.message}`));
    worker.on('exit', (code) => {
      if (this.worker !== worker || this.stopping) return;
      this.worker = undefined;
      // A thread that never ran failed its start() (or dies before it: start() spawns another).
      if (!this.running) return;
      if (performance.now() - this.runningSince > restartResetAfterMs) this.restartDelayMs = restartInitialDelayMs;
      this.scheduleRestart(`the scheduler thread exited with code ${code}`);
    });
  }

  /** Runs the scheduler in the thread (spawning it if need be); resolves once it runs, rejects if the thread fails first. */
  start(data: SchedulerThreadData): Promise<void> {
    this.data = data;
    this.load();
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error('the scheduler thread is stopping'));
    worker.ref();
    return new Promise<void>((resolve, reject) => {
      const fail = (error: Error): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        reject(error);
      };
      const timer = setTimeout(() => {
        fail(new Error(`the scheduler thread did not start within ${startTimeoutMs / 1000} s`));
        void worker.terminate();
      }, startTimeoutMs);
      const onMessage = (message: SchedulerThreadMessage): void => {
        if (message?.type !== 'started') return;
        clearTimeout(timer);
        worker.off('message', onMessage);
        this.running = true;
        this.runningSince = performance.now();
        resolve();
      };
      worker.on('message', onMessage);
      worker.once('error', fail);
      worker.once('exit', (code) => fail(new Error(`the scheduler thread exited with code ${code} while starting`)));
      worker.postMessage({ type: 'run', data } satisfies SchedulerThreadMessage);
    });
  }

  private scheduleRestart(reason: string): void {
    const delay = this.restartDelayMs;
    this.restartDelayMs = Math.min(this.restartDelayMs * 2, restartMaxDelayMs);
    this.options.log(`${reason}; starting it again in ${delay / 1000} s`);
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.start(this.data!).catch((error: Error) => this.scheduleRestart(`the scheduler thread did not start again: ${error.message}`));
    }, delay);
  }

  /** Stops the scheduler (it gives up its Lease), then ends the thread. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, stopTimeoutMs);
      worker.on('message', (message: SchedulerThreadMessage) => message?.type === 'stopped' && (clearTimeout(timer), resolve()));
      worker.once('exit', () => (clearTimeout(timer), resolve()));
      worker.postMessage({ type: 'stop' } satisfies SchedulerThreadMessage);
    });
    await worker.terminate();
  }
}

/** ".js" from dist/, ".ts" from the sources under tsx. */
function extensionOf(url: string): string {
  return url.slice(url.lastIndexOf('.'));
}
