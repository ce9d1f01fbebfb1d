// The spawn helper (see run-command.ts): a small process that runs the commands its parent
// sends over the IPC channel and sends back their output. It exits with its parent.
import { runLocally, type CommandReply, type CommandRequest } from './run-command.js';

process.on('message', (request: CommandRequest) => {
  runLocally(request.file, request.args, request.options).then(
    (result) => send({ id: request.id, ...result }),
    (error: { message: string; code?: number | string | null; signal?: string | null; stdout?: string; stderr?: string }) =>
      send({ id: request.id, error: { message: error.message, code: error.code ?? null, signal: error.signal ?? null, stdout: error.stdout ?? '', stderr: error.stderr ?? '' } }),
  );
});
process.on('disconnect', () => process.exit(0));

function send(reply: CommandReply): void {
  if (process.connected) process.send?.(reply);
}
