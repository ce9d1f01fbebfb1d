// A small, strict flag parser: --name=value, --name value, --bool, --help. Unknown flags are
// errors that name the flag, as cobra prints them: "unknown flag: --foo".
export interface FlagSpec {
  name: string;
  description: string;
  /** The default shown in --help; booleans default to false. */
  defaultText?: string;
  boolean?: boolean;
  /** A one-letter alias: "t" makes `-t x` mean `--tag x` (docker build's -t, -f). */
  short?: string;
  /** May be given more than once (--build-arg); read the values with flagValues(). */
  repeatable?: boolean;
}

/** Separates the values of a repeatable flag in the values map. */
const repeatSeparator = '\u0000';

/** Every value given for a repeatable flag, in order. */
export function flagValues(values: Map<string, string | boolean>, name: string): string[] {
  const value = values.get(name);
  return typeof value === 'string' ? value.split(repeatSeparator) : [];
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  flags: readonly FlagSpec[];
  /** The command gets its arguments unparsed (values empty) and parses them itself. */
  rawArgs?: boolean;
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
    const shortSpec = /^-[a-zA-Z]$/.test(arg) ? specs.find((s) => s.short === arg.slice(1)) : undefined;
    if (!arg.startsWith('--') && !shortSpec) {
      args.push(arg);
      continue;
    }
    const eq = shortSpec ? -1 : arg.indexOf('=');
    const name = shortSpec ? shortSpec.name : eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = shortSpec ?? specs.find((s) => s.name === name);
    if (!spec) throw new UsageError(`unknown flag: --${name}`);
    if (spec.boolean) {
      const text = eq > 0 ? arg.slice(eq + 1) : 'true';
      if (text !== 'true' && text !== 'false') throw new UsageError(`invalid argument "${text}" for "--${name}" flag: must be true or false`);
      values.set(name, text === 'true');
    } else {
      let value: string;
      if (eq > 0) {
        value = arg.slice(eq + 1);
      } else {
        const next = argv[i + 1];
        if (next === undefined) throw new UsageError(`flag needs an argument: --${name}`);
        value = next;
        i++;
      }
      const previous = values.get(name);
      values.set(name, spec.repeatable && typeof previous === 'string' ? `${previous}${repeatSeparator}${value}` : value);
    }
  }
  return { values, args, help };
}

export function helpText(command: Command): string {
  const lines = [command.summary, '', 'Usage:', `  ${command.usage}`, ''];
  if (command.flags.length > 0) {
    lines.push('Flags:');
    const width = Math.max(...command.flags.map((f) => f.name.length + (f.boolean ? 0 : 7) + (f.short ? 4 : 0))) + 4;
    for (const flag of command.flags) {
      const left = `${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${flag.boolean ? '' : ' string'}`;
      const def = flag.defaultText !== undefined ? ` (default ${JSON.stringify(flag.defaultText)})` : '';
      lines.push(`  ${left.padEnd(width)}${flag.description}${def}`);
    }
    lines.push(`  ${'-h, --help'.padEnd(width)}help for ${command.name}`);
  }
  return lines.join('\n') + '\n';
}
