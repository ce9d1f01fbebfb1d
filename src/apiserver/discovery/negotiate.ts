// Picks the discovery format for GET /api and GET /apis from the Accept header.
// client-go (kubectl) asks, most wanted first:
//   1.27–1.29: application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json
//   1.30+:     ...;v=v2;as=APIGroupDiscoveryList,...;v=v2beta1;as=APIGroupDiscoveryList,application/json
// A v1.32 server serves both v2 and v2beta1. Like upstream, clauses are tried by q-value
// (then specificity), and the first one the server can produce wins.

export type DiscoveryFormat = 'aggregated-v2' | 'aggregated-v2beta1' | 'legacy';

export const AGGREGATED_V2_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1_CONTENT_TYPE =
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';
export const LEGACY_CONTENT_TYPE = 'application/json';

interface AcceptClause {
  type: string;
  subtype: string;
  params: Map<string, string>;
  quality: number;
  position: number;
}

/** Parameters that do not change which document is produced. */
const NEUTRAL_PARAMS = new Set(['q', 'charset', 'pretty']);

function parseClause(text: string, position: number): AcceptClause | undefined {
  const [mediaRange = '', ...paramTexts] = text.split(';');
  const [type = '', subtype = ''] = mediaRange.trim().toLowerCase().split('/');
  if (type === '' || subtype === '') return undefined;
  const params = new Map<string, string>();
  for (const paramText of paramTexts) {
    const equals = paramText.indexOf('=');
    if (equals < 0) continue;
    const key = paramText.slice(0, equals).trim().toLowerCase();
    const value = paramText
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    params.set(key, value);
  }
  const q = params.has('q') ? Number(params.get('q')) : 1;
  return { type, subtype, params, quality: Number.isFinite(q) ? q : 0, position };
}

function specificity(clause: AcceptClause): number {
  if (clause.type === '*') return 0;
  if (clause.subtype === '*') return 1;
  return 2;
}

function formatForClause(clause: AcceptClause): DiscoveryFormat | undefined {
  const jsonCompatible =
    clause.type === '*' || (clause.type === 'application' && (clause.subtype === '*' || clause.subtype === 'json'));
  // We only speak JSON; protobuf or YAML clauses are skipped in favour of a later one.
  if (!jsonCompatible) return undefined;

  const group = clause.params.get('g');
  const version = clause.params.get('v');
  const as = clause.params.get('as');
  const unknown = [...clause.params.keys()].filter(
    (key) => !NEUTRAL_PARAMS.has(key) && key !== 'g' && key !== 'v' && key !== 'as',
  );
  // An unrecognised parameter (e.g. the profile=nopeer newer clients add) makes the clause
  // unsatisfiable for a v1.32 server; clients always list a plainer fallback after it.
  if (unknown.length > 0) return undefined;
  if (group === undefined && version === undefined && as === undefined) return 'legacy';
  if (group !== 'apidiscovery.k8s.io' || as !== 'APIGroupDiscoveryList') return undefined;
  if (version === 'v2') return 'aggregated-v2';
  if (version === 'v2beta1') return 'aggregated-v2beta1';
  return undefined;
}

/**
 * Which discovery document to send for GET /api or GET /apis. No header, or one we cannot
 * satisfy at all, gets the legacy document (what upstream sends to a bare `curl`).
 */
export function negotiateDiscovery(acceptHeader: string | undefined): DiscoveryFormat {
  if (acceptHeader === undefined || acceptHeader.trim() === '') return 'legacy';
  const clauses = acceptHeader
    .split(',')
    .map((text, position) => parseClause(text, position))
    .filter((clause): clause is AcceptClause => clause !== undefined && clause.quality > 0)
    .sort((a, b) => b.quality - a.quality || specificity(b) - specificity(a) || a.position - b.position);
  for (const clause of clauses) {
    const format = formatForClause(clause);
    if (format) return format;
  }
  return 'legacy';
}

/** The Content-Type header to answer with for a negotiated format. */
export function discoveryContentType(format: DiscoveryFormat): string {
  switch (format) {
    case 'aggregated-v2':
      return AGGREGATED_V2_CONTENT_TYPE;
    case 'aggregated-v2beta1':
      return AGGREGATED_V2BETA1_CONTENT_TYPE;
    case 'legacy':
      return LEGACY_CONTENT_TYPE;
  }
}
