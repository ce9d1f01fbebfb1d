// The scheduler's thread inside `k8ts server` (see scheduler-thread.ts): a whole kube-scheduler
// (informers, queue, leader election) whose requests reach the API server over a MessagePort
// channel to the main thread, where the API server's handler chain serves them as it serves loopback ones. The
// thread loads its modules as soon as it is spawned, while the main thread opens the datastore
// and starts the API server, and runs the scheduler when told where that server listens.
import { writeFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { RestClient } from '../client/index.js';
import { ThreadChannelClient } from '../client/thread-channel.js';
import { loadSchedulerConfiguration } from '../scheduler/config/index.js';
import { SchedulerRunner } from '../scheduler/runtime/run.js';
import type { SchedulerThreadMessage } from './scheduler-thread.js';

const port = parentPort!;
nameThisThread('k8ts-scheduler');
let running: { client: RestClient; runner: SchedulerRunner } | undefined;

port.on('message', (message: SchedulerThreadMessage) => {
  if (message.type === 'run' && !running) {
    const client = new RestClient({ ...message.data.rest, threadChannel: new ThreadChannelClient(port) });
    // The main thread checked the file before starting the thread; a change since then shows here.
    const configuration = message.data.configPath ? loadSchedulerConfiguration(message.data.configPath) : undefined;
    const runner = new SchedulerRunner({ client, configuration });
    running = { client, runner };
    runner.start();
    port.postMessage({ type: 'started' } satisfies SchedulerThreadMessage);
  } else if (message.type === 'stop') {
    const stopping = running;
    void (stopping?.runner.stop() ?? Promise.resolve())
      .catch((error: unknown) => process.stderr.write(`k8ts scheduler: stopping: ${error instanceof Error ? error.message : String(error)}\n`))
      .finally(() => {
        stopping?.client.close();
        port.postMessage({ type: 'stopped' } satisfies SchedulerThreadMessage);
      });
  }
});

/**
 * Linux names every thread of a process after it ("node"); naming this one lets `top -H`, `ps -L`
 * and the scheduler benchmark tell its CPU from the API server's. Synchronous fs calls run on the
 * calling thread, so /proc/thread-self is this thread. Elsewhere there is nothing to name.
 */
function nameThisThread(name: string): void {
  try {
    writeFileSync('/proc/thread-self/comm', name);
  } catch {
    // Not Linux, or /proc is not mounted: the name only helps observation.
  }
}
