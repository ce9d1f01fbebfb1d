// A stand-in for scheduler-worker.ts in scheduler-thread.test.ts: it opens one connection to the
// main thread (so the test sees each start), then behaves as workerData.behaviour says.
import { parentPort, workerData } from 'node:worker_threads';
import { portConnector } from '../../client/port-socket.js';

const port = parentPort!;
const behaviour = (workerData as { behaviour: 'run' | 'exit-after-start' | 'throw' }).behaviour;
if (behaviour === 'throw') throw new Error('stand-in failed to load');
const socket = portConnector(port)();
socket.end('hello');
port.postMessage({ type: 'started' });
if (behaviour === 'exit-after-start') setTimeout(() => process.exit(3), 50);
port.on('message', (message: { type?: string }) => {
  if (message.type === 'stop') port.postMessage({ type: 'stopped' });
});
