// Cross-version conversion of API objects. k8ts stores one version per kind; only two kinds
// are served in versions whose shapes differ: HorizontalPodAutoscaler (autoscaling/v1 next
// to the v2 storage form) and Event (events.k8s.io/v1 next to the core/v1 storage form).
// Every other kind is served in versions with identical schemas, so converting it only
// rewrites apiVersion.
import { parseApiVersion, type KubeObject } from '../object.js';
import { coreEventToEventsV1, eventsV1ToCoreEvent } from './events.js';
import { hpaV1ToV2, hpaV2ToV1, withoutRoundTripAnnotations } from './hpa.js';

type Converter = (obj: KubeObject) => KubeObject;

/** "Kind from->to" for every conversion that changes the shape of the object. */
const converters: Record<string, Converter> = {
  'HorizontalPodAutoscaler autoscaling/v2->autoscaling/v1': hpaV2ToV1,
  'HorizontalPodAutoscaler autoscaling/v1->autoscaling/v2': hpaV1ToV2,
  'Event v1->events.k8s.io/v1': coreEventToEventsV1,
  'Event events.k8s.io/v1->v1': eventsV1ToCoreEvent,
};

/** Kinds that legitimately live in two API groups. */
const CROSS_GROUP_KINDS = new Set(['Event']);

/**
 * Returns obj as an object of toApiVersion; the input is never modified. Throws when no
 * conversion exists (a kind moved between unrelated groups, or an unknown pairing).
 */
export function convert(obj: KubeObject, toApiVersion: string): KubeObject {
  const fromApiVersion = obj.apiVersion;
  const kind = obj.kind;
  if (!fromApiVersion || !kind) {
    throw new Error(`cannot convert an object without apiVersion and kind to ${toApiVersion}`);
  }
  const converter = converters[`${kind} ${fromApiVersion}->${toApiVersion}`];
  if (converter) return converter(obj);

  const from = parseApiVersion(fromApiVersion);
  const to = parseApiVersion(toApiVersion);
  if (from.group !== to.group) {
    const reason = CROSS_GROUP_KINDS.has(kind) ? 'that version pair is not supported' : 'the groups differ';
    throw new Error(`no conversion for ${kind} from ${fromApiVersion} to ${toApiVersion}: ${reason}`);
  }
  const out: KubeObject = { ...structuredClone(obj), apiVersion: toApiVersion };
  // Upstream strips the v1 round-trip annotations whenever an HPA is read or written as v2.
  if (kind === 'HorizontalPodAutoscaler' && toApiVersion === 'autoscaling/v2') {
    const metadata = withoutRoundTripAnnotations(out.metadata);
    if (metadata === undefined) delete out.metadata;
    else out.metadata = metadata;
  }
  return out;
}

export { coreEventToEventsV1, eventsV1ToCoreEvent, hpaV1ToV2, hpaV2ToV1 };
export {
  HPA_BEHAVIOR_ANNOTATION,
  HPA_CONDITIONS_ANNOTATION,
  HPA_CURRENT_METRICS_ANNOTATION,
  HPA_METRICS_ANNOTATION,
} from './hpa.js';
