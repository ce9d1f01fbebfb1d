// Long-running commands (server, scheduler, controller-manager, agents) stop the same way: on
// SIGTERM or SIGINT, or when a test harness that started them (K8TS_EXIT_WITH_PARENT=1) is gone.

/** How often a process started by a test checks that its parent is still there. */
const parentCheckIntervalMs = 1_000;

/** Resolves after `stop` has run, once a stop signal arrives. Errors from `stop` are reported, not thrown. */
export function runUntilSignal(command: string, stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const onStop = (reason: string): void => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`k8ts ${command}: ${reason}, shutting down\n`);
      stop().then(resolve, (error: unknown) => {
        process.stderr.write(`k8ts ${command}: shutdown: ${(error as Error).message}\n`);
        resolve();
      });
    };
    process.once('SIGTERM', () => onStop('SIGTERM received'));
    process.once('SIGINT', () => onStop('SIGINT received'));
    if (process.env.K8TS_EXIT_WITH_PARENT === '1') {
      const parent = process.ppid;
      setInterval(() => {
        if (process.ppid !== parent) onStop('the process that started it exited');
      }, parentCheckIntervalMs).unref();
    }
  });
}
