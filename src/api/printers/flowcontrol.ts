// flowcontrol.apiserver.k8s.io printers: FlowSchema (lists sorted by matching precedence)
// and PriorityLevelConfiguration.
import type { FlowSchema, PriorityLevelConfiguration } from 'kubernetes-types/flowcontrol/v1.js';
import type { KubeObject } from '../object.js';
import { age } from './format.js';
import { ageColumn, column, nameColumn, type TablePrinter } from './types.js';

export const flowSchemaPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('PriorityLevel', 'string', 'The priority level requests matching this schema are assigned to.'),
    column('MatchingPrecedence', 'string', 'Lower values are matched first.'),
    column('DistinguisherMethod', 'string', 'How matching requests are split into flows.'),
    ageColumn,
    column('MissingPL', 'string', 'Whether the referenced priority level is missing or broken.'),
  ],
  cells(obj, now) {
    const fs = obj as FlowSchema;
    const dangling = (fs.status?.conditions ?? []).find((c) => c.type === 'Dangling');
    return [
      fs.metadata?.name ?? '',
      fs.spec?.priorityLevelConfiguration?.name ?? '',
      fs.spec?.matchingPrecedence ?? 0,
      fs.spec?.distinguisherMethod?.type ?? '<none>',
      age(fs, now),
      dangling ? (dangling.status ?? '') : '?',
    ];
  },
  sortObjects(objects: readonly KubeObject[]): KubeObject[] {
    // Upstream lists flow schemas in evaluation order: precedence, then name.
    return [...objects].sort((a, b) => {
      const pa = (a as FlowSchema).spec?.matchingPrecedence ?? 0;
      const pb = (b as FlowSchema).spec?.matchingPrecedence ?? 0;
      if (pa !== pb) return pa - pb;
      const na = a.metadata?.name ?? '';
      const nb = b.metadata?.name ?? '';
      return na < nb ? -1 : na > nb ? 1 : 0;
    });
  },
};

export const priorityLevelConfigurationPrinter: TablePrinter = {
  columns: [
    nameColumn,
    column('Type', 'string', 'Exempt or Limited.'),
    column('NominalConcurrencyShares', 'string', 'Share of the server\'s concurrency this level nominally gets.'),
    column('Queues', 'string', 'Number of queues.'),
    column('HandSize', 'string', 'Queues each flow is shuffle-sharded onto.'),
    column('QueueLengthLimit', 'string', 'Maximum requests waiting in one queue.'),
    ageColumn,
  ],
  cells(obj, now) {
    const plc = obj as PriorityLevelConfiguration;
    const limited = plc.spec?.limited;
    let shares: unknown = '<none>';
    let queues: unknown = '<none>';
    let handSize: unknown = '<none>';
    let queueLengthLimit: unknown = '<none>';
    if (limited) {
      // v1beta2 and older called the shares "assuredConcurrencyShares".
      const legacy = (limited as { assuredConcurrencyShares?: number }).assuredConcurrencyShares;
      shares = limited.nominalConcurrencyShares ?? legacy ?? 0;
      const queuing = limited.limitResponse?.queuing;
      if (queuing) {
        queues = queuing.queues ?? 0;
        handSize = queuing.handSize ?? 0;
        queueLengthLimit = queuing.queueLengthLimit ?? 0;
      }
    }
    return [plc.metadata?.name ?? '', plc.spec?.type ?? '', shares, queues, handSize, queueLengthLimit, age(plc, now)];
  },
};
