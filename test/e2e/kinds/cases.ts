// Shared pieces of the every-kind e2e table: the case shape, table matchers and manifests.
import assert from 'node:assert/strict';

/** Every namespaced object of the table lives in this namespace. */
export const NS = 'kinds';

export type Obj = any;

export const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** The header line of a table: the column titles separated by runs of blanks. */
export const header = (...titles: string[]): RegExp => new RegExp(`^${titles.map(escape).join('\\s+')}$`, 'm');
/** AGE cells, RFC 3339 CREATED AT cells, and any cell given as a RegExp are matched as patterns. */
export const AGE = /\d+s/;
export const CREATED_AT = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/;
/** One table row: the cells separated by runs of blanks (empty cells are simply left out). */
export const row = (...cells: (string | RegExp)[]): RegExp =>
  new RegExp(`^${cells.map((cell) => (typeof cell === 'string' ? escape(cell) : cell.source)).join('\\s+')}[ \\t]*$`, 'm');

export interface KindCase {
  /** The resource as typed on the command line (plural, with the group where ambiguous). */
  resource: string;
  name: string;
  /** How kubectl names the object in its messages, e.g. "deployment.apps/web". */
  shown: string;
  manifest: string;
  /** The same object with one visible change, for the "configured" apply. */
  changed: string;
  header: RegExp;
  row: RegExp;
  /** Asserts upstream's defaults on the object as read back with -o yaml. */
  defaults: (obj: Obj) => void;
  /** Asserts the change of `changed` was stored. */
  updated: (obj: Obj) => void;
}

export const podSpec = (image: string, indent: string): string =>
  ['containers:', '- name: app', `  image: ${image}`].map((line) => indent + line).join('\n');

/** Defaults upstream fills into every pod template / pod spec. */
export function assertPodSpecDefaults(spec: Obj): void {
  assert.equal(spec.restartPolicy, 'Always');
  assert.equal(spec.dnsPolicy, 'ClusterFirst');
  assert.equal(spec.schedulerName, 'default-scheduler');
  assert.equal(spec.terminationGracePeriodSeconds, 30);
  assert.deepEqual(spec.securityContext, {});
  const container = spec.containers[0];
  assert.equal(container.terminationMessagePath, '/dev/termination-log');
  assert.equal(container.terminationMessagePolicy, 'File');
  assert.equal(container.imagePullPolicy, 'IfNotPresent');
  assert.deepEqual(container.resources, {});
}

export const CSR_REQUEST =
  'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlIYU1JR0FBZ0VBTUI0eERqQU1CZ05WQkFNTUJXRnNhV05sTVF3d0NnWURWUVFLREFOa1pYWXdXVEFUQmdjcQpoa2pPUFFJQkJnZ3Foa2pPUFFNQkJ3TkNBQVNpaXNYanYyMGFQY1cyZk1NL0RhTWZEZXlsemZ6TWptQVFDQTFhCkduUitybjQvOUV6dUV0dy9rNVFyZjNWVGdEa1ROL1VOZUdWaEh0RWp5VVErY3FTQm9BQXdDZ1lJS29aSXpqMEUKQXdJRFNRQXdSZ0loQUlDNVJXK0pmWUdSYVEwWW4vNGZjcDR2YXRVVnVjRkpJMnZzL0JidFJwOXpBaUVBcGhaSgppSklRRzZvRnA0cUx5SzZ2clBlc3prUUVQVlBmbEloZTNKNGtaZUU9Ci0tLS0tRU5EIENFUlRJRklDQVRFIFJFUVVFU1QtLS0tLQo=';

export const webhook = (name: string, extra: string): string => `- name: ${name}
  admissionReviewVersions: [v1]
  sideEffects: None
  clientConfig:
    service: {namespace: ${NS}, name: hooks, path: /check}
  rules:
  - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
${extra}`;

export function assertWebhookDefaults(hook: Obj): void {
  assert.equal(hook.failurePolicy, 'Fail');
  assert.equal(hook.matchPolicy, 'Equivalent');
  assert.deepEqual(hook.namespaceSelector, {});
  assert.deepEqual(hook.objectSelector, {});
  assert.equal(hook.timeoutSeconds, 10);
  assert.equal(hook.clientConfig.service.port, 443);
  assert.equal(hook.rules[0].scope, '*');
}

