// The scheduler's thread inside `k8ts server` (see scheduler-thread.ts): a whole kube-scheduler
// (informers, queue, leader election) whose connections to the API server are MessagePorts to the
// main thread, where the API server's handler chain serves them as it serves loopback ones. The
// thread loads its modules as soon as it is spawned, while the main thread opens the datastore
// and starts the API server, and runs the scheduler when told where that server listens.
import { parentPort } from 'node:worker_threads';
import { RestClient } from '../client/index.js';
import { portConnector } from '../client/port-socket.js';
import { loadSchedulerConfiguration } from '../scheduler/config/index.js';
import { SchedulerRunner } from '../scheduler/runtime/run.js';
import type { SchedulerThreadMessage } from './scheduler-thread.js';

const port = parentPort!;
let running: { client: RestClient; runner: SchedulerRunner } | undefined;

port.on('message', (message: SchedulerThreadMessage) => {
  if (message.type === 'run' && !running) {
    const client = new RestClient({ ...message.data.rest, loopback: portConnector(port) });
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
