// The kubelet's garbage collection flags, as `k8ts agent` and `k8ts server` (its local agent)
// take them, parsed and validated as upstream's kubelet does.
import { UsageError, type FlagSpec } from '../../cli/flags.js';
import { aggregateMessage, defaultGcPolicy, validateGcPolicy, type GcPolicy } from './policy.js';

export const gcFlags: readonly FlagSpec[] = [
  { name: 'image-gc-high-threshold', description: 'Percent of disk usage of the image filesystem after which image garbage collection always runs (100 disables it)', defaultText: '85' },
  { name: 'image-gc-low-threshold', description: 'Percent of disk usage of the image filesystem that image garbage collection frees down to', defaultText: '80' },
  { name: 'image-minimum-gc-age', description: 'Minimum age of an unused image before it is garbage collected', defaultText: '2m0s' },
  { name: 'minimum-container-ttl-duration', description: 'Minimum age of a finished container before it is garbage collected', defaultText: '0s' },
  { name: 'maximum-dead-containers-per-container', description: 'Maximum number of old instances to keep per container (negative: no limit)', defaultText: '1' },
  { name: 'maximum-dead-containers', description: 'Maximum number of old instances of containers to keep on the node (negative: no limit)', defaultText: '-1' },
];

const durationUnitsMs: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** A Go duration ("2m", "1m30s", "-5s", "0") in milliseconds; undefined when it is not one. */
export function parseGoDurationMs(text: string): number | undefined {
  const match = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (!match) return /^[-+]?0$/.test(text) ? 0 : undefined;
  let total = 0;
  for (const part of text.slice(match[1]!.length).matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * durationUnitsMs[part[2]!]!;
  return match[1] === '-' ? -total : total;
}

function intFlag(values: Map<string, string | boolean>, name: string, fallback: number): number {
  const text = values.get(name);
  if (typeof text !== 'string') return fallback;
  if (!/^[-+]?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new UsageError(`invalid argument "${text}" for "--${name}" flag: strconv.ParseInt: parsing "${text}": invalid syntax`);
  return Number(text);
}

function durationFlag(values: Map<string, string | boolean>, name: string, fallback: number): number {
  const text = values.get(name);
  if (typeof text !== 'string') return fallback;
  const ms = parseGoDurationMs(text);
  if (ms === undefined) throw new UsageError(`invalid argument "${text}" for "--${name}" flag: time: invalid duration "${text}"`);
  return ms;
}

/** The policy the flags give (defaults for those not given); a UsageError with upstream's message when invalid. */
export function gcPolicyFromFlags(values: Map<string, string | boolean>): GcPolicy {
  const defaults = defaultGcPolicy;
  const policy: GcPolicy = {
    image: {
      highThresholdPercent: intFlag(values, 'image-gc-high-threshold', defaults.image.highThresholdPercent),
      lowThresholdPercent: intFlag(values, 'image-gc-low-threshold', defaults.image.lowThresholdPercent),
      minAgeMs: durationFlag(values, 'image-minimum-gc-age', defaults.image.minAgeMs),
    },
    container: {
      minAgeMs: durationFlag(values, 'minimum-container-ttl-duration', defaults.container.minAgeMs),
      maxPerPodContainer: intFlag(values, 'maximum-dead-containers-per-container', defaults.container.maxPerPodContainer),
      maxContainers: intFlag(values, 'maximum-dead-containers', defaults.container.maxContainers),
    },
  };
  const errors = validateGcPolicy(policy);
  if (errors.length > 0) throw new UsageError(`failed to validate kubelet configuration, error: ${aggregateMessage(errors)}`);
  return policy;
}
