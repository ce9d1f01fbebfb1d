// Long-running commands (server, scheduler, controller-manager, agents) stop the same way: on
// SIGTERM or SIGINT, or when a test harness that started them (K8TS_EXIT_WITH_PARENT=1) is gone.

/** How often a process started by a test checks that its parent is still there. */
const parentCheckIntervalMs = 1_000;
/** A shutdown that takes longer (a component stuck) ends the process anyway. */
export const shutdownTimeoutMs = 60_000;

/** Resolves with the reason ("SIGTERM received", …) once the process is asked to stop. */
export function stopSignal(): Promise<string> {
  return new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM received'));
    process.once('SIGINT', () => resolve('SIGINT received'));
    if (process.env.K8TS_EXIT_WITH_PARENT === '1') {
      const parent = process.ppid;
      setInterval(() => {
        if (process.ppid !== parent) resolve('the process that started it exited');
      }, parentCheckIntervalMs).unref();
    }
  });
}

/** Waits for a stop signal, runs `stop`, and resolves; errors from `stop` are reported, not thrown. */
export async function runUntilSignal(command: string, stop: () => Promise<void>): Promise<void> {
  const reason = await stopSignal();
  process.stdout.write(`k8ts ${command}: ${reason}, shutting down\n`);
  setTimeout(() => {
    process.stderr.write(`k8ts ${command}: shutdown did not finish within ${shutdownTimeoutMs / 1000} s, exiting\n`);
    process.exit(1);
  }, shutdownTimeoutMs).unref();
  try {
    await stop();
  } catch (error) {
    process.stderr.write(`k8ts ${command}: shutdown: ${(error as Error).message}\n`);
  }
}
