// A stand-in for scheduler-worker.ts in scheduler-thread.test.ts: told to run, it opens one
// request channel to the main thread (so the test sees each start), then behaves as the run
// message's data says.
import { MessageChannel, parentPort } from 'node:worker_threads';
import type { ThreadChannelMessage } from '../../client/thread-channel.js';

const port = parentPort!;
// A thread that dies as soon as it is loaded, before it is told to run.
if (process.env.K8TS_STAND_IN_EXIT_ON_LOAD) process.exit(4);
port.on('message', (message: { type?: string; data?: { behaviour: 'run' | 'exit-after-start' | 'throw' } }) => {
  if (message.type === 'run') {
    const behaviour = message.data!.behaviour;
    if (behaviour === 'throw') throw new Error('stand-in failed to run');
    const { port1, port2 } = new MessageChannel();
    port.postMessage({ type: 'thread-channel', port: port2 } satisfies ThreadChannelMessage, [port2]);
    port1.close();
    port.postMessage({ type: 'started' });
    if (behaviour === 'exit-after-start') setTimeout(() => process.exit(3), 50);
  }
  if (message.type === 'stop') port.postMessage({ type: 'stopped' });
});
