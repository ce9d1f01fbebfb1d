// The scheduler's thread inside `k8ts server` (see scheduler-thread.ts): a whole kube-scheduler
// (informers, queue, leader election) whose connections to the API server are MessagePorts to the
// main thread, where the API server's handler chain serves them as it serves loopback ones.
import { parentPort, workerData } from 'node:worker_threads';
import { RestClient } from '../client/index.js';
import { portConnector } from '../client/port-socket.js';
import { loadSchedulerConfiguration } from '../scheduler/config/index.js';
import { SchedulerRunner } from '../scheduler/runtime/run.js';
import type { SchedulerThreadData, SchedulerThreadMessage } from './scheduler-thread.js';

const port = parentPort!;
const data = workerData as SchedulerThreadData;
const client = new RestClient({ ...data.rest, loopback: portConnector(port) });
// The main thread checked the file before starting the thread; a change since then shows here.
const configuration = data.configPath ? loadSchedulerConfiguration(data.configPath) : undefined;
const runner = new SchedulerRunner({ client, configuration });
runner.start();
port.postMessage({ type: 'started' } satisfies SchedulerThreadMessage);

port.on('message', (message: SchedulerThreadMessage) => {
  if (message.type !== 'stop') return;
  void runner
    .stop()
    .catch((error: unknown) => process.stderr.write(`k8ts scheduler: stopping: ${error instanceof Error ? error.message : String(error)}\n`))
    .finally(() => {
      client.close();
      port.postMessage({ type: 'stopped' } satisfies SchedulerThreadMessage);
    });
});
