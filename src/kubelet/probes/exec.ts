// An exec probe or hook: the command runs in the container (runtime.exec); exit 0 is success.
// Past the timeout the probe fails, as upstream's exec prober, and the command is stopped: the
// OCI runtime's `exec` forwards SIGTERM to the process in the container (a SIGKILL would only end
// runc itself and leave the command running), then SIGKILL after execKillGraceMs.
import type { Runtime } from '../../runtime/runtime.js';
import { maxProbeOutputBytes } from '../limits.js';

/** How long a timed-out exec gets between SIGTERM (forwarded into the container) and SIGKILL. */
const execKillGraceMs = 1_000;

export interface ExecOutcome {
  ok: boolean;
  exitCode: number | null;
  output: string;
  timedOut: boolean;
}

export async function execInContainer(runtime: Pick<Runtime, 'exec'>, containerId: string, command: string[], timeoutMs: number): Promise<ExecOutcome> {
  const child = await runtime.exec(containerId, command);
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (chunk: Buffer): void => {
    if (size >= maxProbeOutputBytes) return;
    chunks.push(chunk.subarray(0, maxProbeOutputBytes - size));
    size += chunk.length;
  };
  // Probes get no stdin; a command that reads it sees end of file instead of hanging.
  child.stdin?.end();
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return new Promise((resolve) => {
    let timedOut = false;
    let done = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), execKillGraceMs).unref();
      finish(null);
    }, timeoutMs);
    const finish = (exitCode: number | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const output = Buffer.concat(chunks).toString('utf8');
      resolve({ ok: !timedOut && exitCode === 0, exitCode, output, timedOut });
    };
    child.once('error', () => finish(null));
    child.once('close', (code) => finish(code));
  });
}
