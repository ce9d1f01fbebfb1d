// kube-scheduler inside `k8ts server`, leading through the kube-system/kube-scheduler Lease like
// upstream's: in a worker thread of its own (scheduler-thread.ts), or on the API server's thread
// (--scheduler-thread=false, and the default on a machine with one CPU, where a thread only adds
// the cost of crossing between threads).
import type { MessagePort } from 'node:worker_threads';
import type { RestClient } from '../client/index.js';
import { buildFrameworks, loadSchedulerConfiguration } from '../scheduler/config/index.js';
import { SchedulerRunner } from '../scheduler/runtime/run.js';
import type { Component } from './components.js';
import type { ComponentRestConfig, MakeClient, ServerConfig } from './run-server.js';
import { SchedulerThread } from './scheduler-thread.js';

/**
 * Bindings, status writes and events: at 1,000 pods/s the scheduler makes ~2,000 requests/s,
 * far past the 50 qps other components use; the server it talks to is in this process.
 */
const schedulerQps = 5_000;
const schedulerBurst = 10_000;
const userAgent = 'kube-scheduler';

export interface SchedulerComponentDeps {
  makeClient: MakeClient;
  /** The API server's URL and the admin credentials, once it serves. */
  restConfig: () => ComponentRestConfig;
  /** Hands a request channel from the scheduler's thread to the API server (throws while it does not serve). */
  acceptChannel: (port: MessagePort) => void;
}

export function schedulerComponent(config: ServerConfig, deps: SchedulerComponentDeps): Component {
  // Read and checked before any component starts, so a bad file stops the server with the
  // configuration's own message instead of leaving the components before it running.
  const configuration = config.schedulerConfig ? loadSchedulerConfiguration(config.schedulerConfig) : undefined;
  if (configuration) buildFrameworks(configuration);
  if (config.schedulerThread) {
    const thread = new SchedulerThread({ acceptChannel: deps.acceptChannel, log: (message) => process.stderr.write(`k8ts server: ${message}\n`) });
    // The thread loads its modules now, while the datastore and the API server start.
    thread.load();
    let running = false;
    return {
      name: 'scheduler',
      async start() {
        await thread.start({ rest: { ...deps.restConfig(), userAgent, qps: schedulerQps, burst: schedulerBurst }, configPath: config.schedulerConfig });
        running = true;
      },
      ready: () => running,
      async stop() {
        await thread.stop();
      },
    };
  }
  let client: RestClient | undefined;
  let runner: SchedulerRunner | undefined;
  return {
    name: 'scheduler',
    async start() {
      client = deps.makeClient(userAgent, { qps: schedulerQps, burst: schedulerBurst });
      runner = new SchedulerRunner({ client, configuration });
      runner.start();
    },
    ready: () => runner !== undefined,
    async stop() {
      await runner?.stop();
      client?.close();
    },
  };
}
