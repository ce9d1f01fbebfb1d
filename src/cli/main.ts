// bin/k8ts: one binary, several commands, as k3s.
import { helpText, parseFlags, UsageError, type Command } from './flags.js';
import { agentCommand } from './agent-command.js';
import { controllerManagerCommand } from './controller-manager-command.js';
import { ctrCommand } from './ctr-command.js';
import { imageCommand } from './image-command.js';
import { schedulerCommand } from './scheduler-command.js';
import { serverCommand } from './server-command.js';
import { simCommand } from './sim-command.js';
import { versionCommand } from './version-command.js';

const commands: readonly Command[] = [serverCommand, agentCommand, controllerManagerCommand, schedulerCommand, simCommand, imageCommand, ctrCommand, versionCommand];

function rootHelp(): string {
  const lines = ['k8ts — Kubernetes, written in TypeScript', '', 'Usage:', '  k8ts <command> [flags]', '', 'Commands:'];
  for (const command of commands) lines.push(`  ${command.name.padEnd(12)}${command.summary}`);
  lines.push('', 'Run "k8ts <command> --help" for a command\'s flags.');
  return lines.join('\n') + '\n';
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(rootHelp());
    return name ? 0 : 1;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`Error: unknown command "${name}" for "k8ts"\nRun 'k8ts --help' for usage.\n`);
    return 1;
  }
  try {
    // A command that runs other commands (ctr run IMAGE CMD…) parses its own arguments.
    if (command.rawArgs && !(rest.length === 1 && (rest[0] === '--help' || rest[0] === '-h'))) return await command.run(new Map(), rest);
    const parsed = parseFlags(command.flags, rest);
    if (parsed.help) {
      process.stdout.write(helpText(command));
      return 0;
    }
    return await command.run(parsed.values, parsed.args);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`Error: ${error.message}\n\n${helpText(command)}`);
      return 1;
    }
    process.stderr.write(`Error: ${(error as Error).message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
