// HPA metric specs and statuses between autoscaling/v2 and the autoscaling/v1 shapes that
// upstream serialises into the round-trip annotations (the old v2beta1-style fields:
// targetAverageUtilization, metricName, currentValue, ...). Keys are built in the order Go
// declares the struct fields, and Go's zero Quantity ("0") is written where v1 requires one.
import { isJsonObject, type JsonObject } from '../object.js';

const ZERO_QUANTITY = '0';

function obj(value: unknown): JsonObject {
  return isJsonObject(value) ? value : {};
}

/** Copies only the entries whose value is present, in the order given. */
function compact(entries: [string, unknown][]): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of entries) if (value !== undefined && value !== null) out[key] = value;
  return out;
}

function crossVersionRef(ref: unknown): JsonObject {
  const r = obj(ref);
  return compact([
    ['kind', r['kind'] ?? ''],
    ['name', r['name'] ?? ''],
    ['apiVersion', r['apiVersion'] === '' ? undefined : r['apiVersion']],
  ]);
}

// ---- spec: v2 -> v1 ----------------------------------------------------------------------

export function metricSpecToV1(metric: JsonObject): JsonObject {
  const out: JsonObject = { type: metric['type'] };
  const object = metric['object'];
  if (isJsonObject(object)) {
    const target = obj(object['target']);
    const id = obj(object['metric']);
    out['object'] = compact([
      ['target', crossVersionRef(object['describedObject'])],
      ['metricName', id['name'] ?? ''],
      ['targetValue', target['value'] ?? ZERO_QUANTITY],
      ['selector', id['selector']],
      ['averageValue', target['averageValue']],
    ]);
  }
  const pods = metric['pods'];
  if (isJsonObject(pods)) {
    const id = obj(pods['metric']);
    out['pods'] = compact([
      ['metricName', id['name'] ?? ''],
      ['targetAverageValue', obj(pods['target'])['averageValue'] ?? ZERO_QUANTITY],
      ['selector', id['selector']],
    ]);
  }
  for (const key of ['resource', 'containerResource']) {
    const source = metric[key];
    if (!isJsonObject(source)) continue;
    const target = obj(source['target']);
    out[key] = compact([
      ['name', source['name']],
      ['targetAverageUtilization', target['averageUtilization']],
      ['targetAverageValue', target['averageValue']],
      ['container', key === 'containerResource' ? (source['container'] ?? '') : undefined],
    ]);
  }
  const external = metric['external'];
  if (isJsonObject(external)) {
    const target = obj(external['target']);
    const id = obj(external['metric']);
    out['external'] = compact([
      ['metricName', id['name'] ?? ''],
      ['metricSelector', id['selector']],
      ['targetValue', target['value']],
      ['targetAverageValue', target['averageValue']],
    ]);
  }
  return out;
}

// ---- spec: v1 -> v2 ----------------------------------------------------------------------

function identifier(name: unknown, selector: unknown): JsonObject {
  return compact([
    ['name', name ?? ''],
    ['selector', selector],
  ]);
}

export function metricSpecFromV1(metric: JsonObject): JsonObject {
  const out: JsonObject = { type: metric['type'] };
  const object = metric['object'];
  if (isJsonObject(object)) {
    const averageValue = object['averageValue'];
    out['object'] = {
      describedObject: crossVersionRef(object['target']),
      // Upstream always carries the value over, even for an AverageValue target.
      target: compact([
        ['type', averageValue === undefined || averageValue === null ? 'Value' : 'AverageValue'],
        ['value', object['targetValue'] ?? ZERO_QUANTITY],
        ['averageValue', averageValue],
      ]),
      metric: identifier(object['metricName'], object['selector']),
    };
  }
  const pods = metric['pods'];
  if (isJsonObject(pods)) {
    out['pods'] = {
      metric: identifier(pods['metricName'], pods['selector']),
      target: { type: 'AverageValue', averageValue: pods['targetAverageValue'] ?? ZERO_QUANTITY },
    };
  }
  for (const key of ['resource', 'containerResource']) {
    const source = metric[key];
    if (!isJsonObject(source)) continue;
    const utilization = source['targetAverageUtilization'];
    out[key] = compact([
      ['name', source['name']],
      [
        'target',
        compact([
          ['type', utilization === undefined || utilization === null ? 'AverageValue' : 'Utilization'],
          ['averageValue', source['targetAverageValue']],
          ['averageUtilization', utilization],
        ]),
      ],
      ['container', key === 'containerResource' ? (source['container'] ?? '') : undefined],
    ]);
  }
  const external = metric['external'];
  if (isJsonObject(external)) {
    const value = external['targetValue'];
    out['external'] = {
      metric: identifier(external['metricName'], external['metricSelector']),
      target: compact([
        ['type', value === undefined || value === null ? 'AverageValue' : 'Value'],
        ['value', value],
        ['averageValue', external['targetAverageValue']],
      ]),
    };
  }
  return out;
}

// ---- status: v2 -> v1 --------------------------------------------------------------------

export function metricStatusToV1(metric: JsonObject): JsonObject {
  const out: JsonObject = { type: metric['type'] };
  const object = metric['object'];
  if (isJsonObject(object)) {
    const current = obj(object['current']);
    const id = obj(object['metric']);
    out['object'] = compact([
      ['target', crossVersionRef(object['describedObject'])],
      ['metricName', id['name'] ?? ''],
      ['currentValue', current['value'] ?? ZERO_QUANTITY],
      ['selector', id['selector']],
      ['averageValue', current['averageValue']],
    ]);
  }
  const pods = metric['pods'];
  if (isJsonObject(pods)) {
    const id = obj(pods['metric']);
    out['pods'] = compact([
      ['metricName', id['name'] ?? ''],
      ['currentAverageValue', obj(pods['current'])['averageValue'] ?? ZERO_QUANTITY],
      ['selector', id['selector']],
    ]);
  }
  for (const key of ['resource', 'containerResource']) {
    const source = metric[key];
    if (!isJsonObject(source)) continue;
    const current = obj(source['current']);
    out[key] = compact([
      ['name', source['name']],
      ['currentAverageUtilization', current['averageUtilization']],
      ['currentAverageValue', current['averageValue'] ?? ZERO_QUANTITY],
      ['container', key === 'containerResource' ? (source['container'] ?? '') : undefined],
    ]);
  }
  const external = metric['external'];
  if (isJsonObject(external)) {
    const current = obj(external['current']);
    const id = obj(external['metric']);
    out['external'] = compact([
      ['metricName', id['name'] ?? ''],
      ['metricSelector', id['selector']],
      ['currentValue', current['value'] ?? ZERO_QUANTITY],
      ['currentAverageValue', current['averageValue']],
    ]);
  }
  return out;
}

// ---- status: v1 -> v2 --------------------------------------------------------------------

export function metricStatusFromV1(metric: JsonObject): JsonObject {
  const out: JsonObject = { type: metric['type'] };
  const object = metric['object'];
  if (isJsonObject(object)) {
    out['object'] = {
      metric: identifier(object['metricName'], object['selector']),
      current: compact([
        ['value', object['currentValue'] ?? ZERO_QUANTITY],
        ['averageValue', object['averageValue']],
      ]),
      describedObject: crossVersionRef(object['target']),
    };
  }
  const pods = metric['pods'];
  if (isJsonObject(pods)) {
    out['pods'] = {
      metric: identifier(pods['metricName'], pods['selector']),
      current: { averageValue: pods['currentAverageValue'] ?? ZERO_QUANTITY },
    };
  }
  for (const key of ['resource', 'containerResource']) {
    const source = metric[key];
    if (!isJsonObject(source)) continue;
    out[key] = compact([
      ['name', source['name']],
      [
        'current',
        compact([
          ['averageValue', source['currentAverageValue'] ?? ZERO_QUANTITY],
          ['averageUtilization', source['currentAverageUtilization']],
        ]),
      ],
      ['container', key === 'containerResource' ? (source['container'] ?? '') : undefined],
    ]);
  }
  const external = metric['external'];
  if (isJsonObject(external)) {
    out['external'] = {
      metric: identifier(external['metricName'], external['metricSelector']),
      current: compact([
        ['value', external['currentValue'] ?? ZERO_QUANTITY],
        ['averageValue', external['currentAverageValue']],
      ]),
    };
  }
  return out;
}
