import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../object.js';
import { cronTab } from './fixtures.js';
import { compileJsonPath, printerForCustomResource, type CustomResourceColumnDefinition } from './index.js';

const now = new Date('2024-01-01T01:00:00Z');

const columns: CustomResourceColumnDefinition[] = [
  { name: 'Spec', type: 'string', description: 'The cron spec defining the interval a CronJob is run', jsonPath: '.spec.cronSpec' },
  { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
  { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: 'App', type: 'string', jsonPath: '.metadata.labels.app', priority: 1 },
  { name: 'First-Port', type: 'integer', jsonPath: '.spec.ports[0].port' },
  { name: 'Suspended', type: 'boolean', jsonPath: '.spec.suspend' },
  { name: 'Started', type: 'date', format: 'date-time', jsonPath: '.status.startTime' },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

function object(): KubeObject {
  const obj = cronTab(
    { replicas: 3, suspend: false, ports: [{ port: 80 }, { port: 443 }] },
    {
      status: {
        startTime: '2024-01-01T00:30:00Z',
        conditions: [
          { type: 'Synced', status: 'False' },
          { type: 'Ready', status: 'True' },
        ],
      },
    },
  );
  (obj.metadata as Record<string, unknown>).labels = { app: 'cron' };
  return obj as KubeObject;
}

describe('printerForCustomResource', () => {
  it('declares NAME plus each printer column, defaulting the description to the JSONPath', () => {
    const printer = printerForCustomResource(columns);
    assert.deepEqual(
      printer.columns.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ['Name', 'string', 'name', 0],
        ['Spec', 'string', '', 0],
        ['Replicas', 'integer', '', 0],
        ['Ready', 'string', '', 0],
        ['App', 'string', '', 1],
        ['First-Port', 'integer', '', 0],
        ['Suspended', 'boolean', '', 0],
        ['Started', 'date', 'date-time', 0],
        ['Age', 'date', '', 0],
      ],
    );
    assert.equal(printer.columns[1]?.description, 'The cron spec defining the interval a CronJob is run');
    assert.equal(printer.columns[2]?.description, 'Custom resource definition column (in JSONPath format): .spec.replicas');
    assert.match(printer.columns[0]?.description ?? '', /^Name must be unique within a namespace\. Is required/);
  });

  it('evaluates each column, rendering dates as ages like the API server', () => {
    const printer = printerForCustomResource(columns);
    assert.deepEqual(printer.cells(object(), now), ['my-new-cron-object', '* * * * */5', 3, 'True', 'cron', 80, false, '30m', '60m']);
  });

  it('leaves cells empty (null) for missing values and values of the wrong type', () => {
    const printer = printerForCustomResource(columns);
    const obj = cronTab({ replicas: 'many' }) as KubeObject;
    assert.deepEqual(printer.cells(obj, now), ['my-new-cron-object', '* * * * */5', null, null, null, null, null, null, '60m']);
  });

  it('prints compound values as JSON and nulls as <no value> in string columns', () => {
    const printer = printerForCustomResource([
      { name: 'Ports', type: 'string', jsonPath: '.spec.ports' },
      { name: 'Note', type: 'string', jsonPath: '.spec.note' },
      { name: 'Ratio', type: 'string', jsonPath: '.spec.ratio' },
      { name: 'When', type: 'date', jsonPath: '.spec.when' },
    ]);
    const obj = cronTab({ ports: [{ protocol: 'TCP', port: 80 }], note: null, ratio: 0.25, when: 'yesterday' }) as KubeObject;
    assert.deepEqual(printer.cells(obj, now), ['my-new-cron-object', '[{"port":80,"protocol":"TCP"}]', '<no value>', '0.25', '<invalid>']);
  });

  it('serves NAME + Age (a date column) when the CRD declares no columns', () => {
    for (const printer of [printerForCustomResource(undefined), printerForCustomResource([])]) {
      assert.deepEqual(
        printer.columns.map((c) => [c.name, c.type]),
        [
          ['Name', 'string'],
          ['Age', 'date'],
        ],
      );
      assert.match(printer.columns[1]?.description ?? '', /^CreationTimestamp is a timestamp representing the server time/);
      assert.deepEqual(printer.cells(object(), now), ['my-new-cron-object', '60m']);
    }
  });

  it('falls back to NAME only when a column JSONPath cannot be parsed', () => {
    const printer = printerForCustomResource([{ name: 'Bad', type: 'string', jsonPath: '.spec[' }]);
    assert.deepEqual(printer.columns.map((c) => c.name), ['Name']);
    assert.deepEqual(printer.cells(object(), now), ['my-new-cron-object']);
  });
});

describe('compileJsonPath', () => {
  const data = {
    metadata: { labels: { 'app.kubernetes.io/name': 'web' }, annotations: { a: '1' } },
    items: [{ name: 'a', n: 1 }, { name: 'b', n: 5 }, { name: 'c', n: 9 }],
  };
  it('supports escaped dots, quoted keys, indices, slices, wildcards, filters and descent', () => {
    assert.deepEqual(compileJsonPath('.metadata.labels.app\\.kubernetes\\.io/name')(data), ['web']);
    assert.deepEqual(compileJsonPath("{.metadata.labels['app.kubernetes.io/name']}")(data), ['web']);
    assert.deepEqual(compileJsonPath('.items[-1].name')(data), ['c']);
    assert.deepEqual(compileJsonPath('.items[0:2].name')(data), ['a', 'b']);
    assert.deepEqual(compileJsonPath('.items[*].n')(data), [1, 5, 9]);
    assert.deepEqual(compileJsonPath('.items[?(@.n > 3)].name')(data), ['b', 'c']);
    assert.deepEqual(compileJsonPath("$.items[?(@.name=='b')].n")(data), [5]);
    assert.deepEqual(compileJsonPath('..name')(data), ['a', 'b', 'c']);
    assert.deepEqual(compileJsonPath('.items[7].name')(data), []);
    assert.deepEqual(compileJsonPath('.missing.deeper')(data), []);
  });
});
