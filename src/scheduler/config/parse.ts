// Reading a KubeSchedulerConfiguration file (YAML or JSON) as kube-scheduler's --config does:
// decode strictly, default, validate. Every failure is a SchedulerConfigError whose message is
// upstream's.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { formatFieldErrors } from '../../api/field-errors.js';
import { DecodeError, strictCheck } from './decode.js';
import { setDefaults } from './defaults.js';
import { argsSchemas, configurationSchema } from './schema.js';
import { SCHEDULER_CONFIG_API_VERSION, SCHEDULER_CONFIG_GROUP, SCHEDULER_CONFIG_KIND, type KubeSchedulerConfiguration } from './types.js';
import { validateSchedulerConfiguration } from './validate.js';

export class SchedulerConfigError extends Error {
  override readonly name = 'SchedulerConfigError';
}

/** Where kube-scheduler's config scheme is declared; its decoding errors name it. */
const SCHEME_NAME = 'k8s.io/kubernetes/pkg/scheduler/apis/config/scheme/scheme.go:30';

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => !!v && typeof v === 'object' && !Array.isArray(v);

function toJsonValue(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true });
  const problem = doc.errors[0];
  if (problem) throw new SchedulerConfigError(`error converting YAML to JSON: yaml: ${problem.message}`);
  return doc.toJS({ maxAliasCount: 100 }) ?? null;
}

function checkTypeMeta(value: unknown): asserts value is Raw {
  const json = JSON.stringify(value ?? {});
  const raw = isObject(value) ? value : {};
  const kind = typeof raw.kind === 'string' ? raw.kind : '';
  const apiVersion = typeof raw.apiVersion === 'string' ? raw.apiVersion : '';
  if (!kind) throw new SchedulerConfigError(`Object 'Kind' is missing in '${json}'`);
  if (!apiVersion) throw new SchedulerConfigError(`Object 'apiVersion' is missing in '${json}'`);
  if (apiVersion !== SCHEDULER_CONFIG_API_VERSION || kind !== SCHEDULER_CONFIG_KIND) {
    throw new SchedulerConfigError(`no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(apiVersion)} in scheme ${JSON.stringify(SCHEME_NAME)}`);
  }
}

/** Decodes in-tree plugins' args by their `<Plugin>Args` kind; answers the strict errors. */
function decodePluginArgs(raw: Raw): string[] {
  const strict: string[] = [];
  for (const [i, profile] of ((raw.profiles as unknown[] | undefined) ?? []).entries()) {
    if (!isObject(profile)) continue;
    for (const [j, pc] of ((profile.pluginConfig as unknown[] | undefined) ?? []).entries()) {
      if (!isObject(pc)) continue;
      const name = String(pc.name ?? '');
      const schema = argsSchemas[name];
      if (!schema || pc.args === undefined || pc.args === null) continue;
      const where = `decoding .profiles[${i}].pluginConfig[${j}]`;
      const wantKind = `${name}Args`;
      const args = pc.args;
      if (isObject(args) && typeof args.kind === 'string' && args.kind !== wantKind) {
        throw new SchedulerConfigError(`${where}: args for plugin ${name} were not of type ${wantKind}.${SCHEDULER_CONFIG_GROUP}, got ${args.kind}.${SCHEDULER_CONFIG_GROUP}`);
      }
      try {
        const unknown = strictCheck(args, schema);
        if (unknown.length > 0) strict.push(`${where}: strict decoding error: decoding args for plugin ${name}: strict decoding error: ${unknown.join(', ')}`);
      } catch (err) {
        if (err instanceof DecodeError) throw new SchedulerConfigError(`${where}: decoding args for plugin ${name}: ${err.message}`);
        throw err;
      }
    }
  }
  return strict;
}

/** A configuration file's text (YAML or JSON) -> the defaulted, validated configuration. */
export function parseSchedulerConfiguration(text: string): KubeSchedulerConfiguration {
  const value = toJsonValue(text);
  checkTypeMeta(value);
  let strict: string[];
  try {
    strict = strictCheck(value, configurationSchema);
  } catch (err) {
    if (err instanceof DecodeError) throw new SchedulerConfigError(err.message);
    throw err;
  }
  strict.push(...decodePluginArgs(value));
  if (strict.length > 0) throw new SchedulerConfigError(`strict decoding error: ${strict.join(', ')}`);

  const config = setDefaults(value);
  const errors = validateSchedulerConfiguration(config);
  if (errors.length > 0) throw new SchedulerConfigError(formatFieldErrors(errors));
  return config;
}

/** kube-scheduler --config <path>. */
export function loadSchedulerConfiguration(path: string): KubeSchedulerConfiguration {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SchedulerConfigError(`open ${path}: no such file or directory`);
    if (code === 'EACCES') throw new SchedulerConfigError(`open ${path}: permission denied`);
    throw err;
  }
  return parseSchedulerConfiguration(text);
}
