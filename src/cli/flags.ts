// A small, strict flag parser: --name=value, --name value, --bool, --help. Unknown flags are
// errors that name the flag, as cobra prints them: "unknown flag: --foo".
export interface FlagSpec {
  name: string;
  description: string;
  /** The default shown in --help; booleans default to false. */
  defaultText?: string;
  boolean?: boolean;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  flags: readonly FlagSpec[];
  run(values: Map<string, string | boolean>, args: string[]): Promise<number>;
}

export class UsageError extends Error {}

export function parseFlags(specs: readonly FlagSpec[], argv: readonly string[]): { values: Map<string, string | boolean>; args: string[]; help: boolean } {
  const values = new Map<string, string | boolean>();
  const args: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      args.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new UsageError(`unknown flag: --${name}`);
    if (spec.boolean) {
      const text = eq > 0 ? arg.slice(eq + 1) : 'true';
      if (text !== 'true' && text !== 'false') throw new UsageError(`invalid argument "${text}" for "--${name}" flag: must be true or false`);
      values.set(name, text === 'true');
    } else if (eq > 0) {
      values.set(name, arg.slice(eq + 1));
    } else {
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`flag needs an argument: --${name}`);
      values.set(name, next);
      i++;
    }
  }
  return { values, args, help };
}

export function helpText(command: Command): string {
  const lines = [command.summary, '', 'Usage:', `  ${command.usage}`, ''];
  if (command.flags.length > 0) {
    lines.push('Flags:');
    const width = Math.max(...command.flags.map((f) => f.name.length + (f.boolean ? 0 : 7))) + 4;
    for (const flag of command.flags) {
      const left = `--${flag.name}${flag.boolean ? '' : ' string'}`;
      const def = flag.defaultText !== undefined ? ` (default ${JSON.stringify(flag.defaultText)})` : '';
      lines.push(`  ${left.padEnd(width)}${flag.description}${def}`);
    }
    lines.push(`  ${'-h, --help'.padEnd(width)}help for ${command.name}`);
  }
  return lines.join('\n') + '\n';
}
