// Named pipes carry a container's stdout and stderr to the log writer. The container's side is
// opened read-write, so a write never meets "no reader" (no SIGPIPE) while the agent restarts:
// output waits in the pipe (64 KiB) until a new agent opens the reading side again.
import { closeSync, constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { runCommand } from '../exec/run-command.js';

const run = (file: string, args: readonly string[]) => runCommand(file, args);

/** Node has no mkfifo: one `mkfifo` for all of a container's pipes, without blocking the agent. */
export async function makeFifos(paths: readonly string[]): Promise<void> {
  await run('mkfifo', ['-m', '0600', ...paths]);
}

/** The fd handed to the container (read-write, see above). */
export function openFifoForContainer(path: string): number {
  return openSync(path, constants.O_RDWR);
}

/**
 * The reading side, non-blocking so opening never waits for a writer; it ends when every
 * writer (the supervisor, the runtime and the container) has exited.
 */
export function openFifoReader(path: string): Socket {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  // Linux reports hang-up to a FIFO reader only if a writer opened after the reader did. When
  // the container is already running (a restarted agent), open and close a writer once, so
  // the reader still learns when the container's last writer goes.
  closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
  return new Socket({ fd, readable: true, writable: false });
}
