import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiErrorFromResponse, isConflict, isGone, isNotFound } from './errors.js';
import { retryAfterMaxMs, retryDelayMs, retryMaxDelayMs } from './transport.js';

const connectionError = (code: string): Error => Object.assign(new Error(code), { code });

test('a Status body becomes an ApiError with its code, reason and message', () => {
  const error = apiErrorFromResponse(404, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "x" not found', reason: 'NotFound', code: 404 }));
  assert.equal(error.code, 404);
  assert.equal(error.message, 'pods "x" not found');
  assert.ok(isNotFound(error));
  assert.ok(!isConflict(error));
});

test('a bare error code gets upstream reason, so helpers work without a Status body', () => {
  assert.ok(isGone(apiErrorFromResponse(410, '')));
  assert.ok(isConflict(apiErrorFromResponse(409, 'busy')));
  assert.equal(apiErrorFromResponse(502, '<html>').reason, 'InternalError');
});

test('429 and 503 are retried, honouring Retry-After up to its cap', () => {
  assert.equal(retryDelayMs(apiErrorFromResponse(429, '', 2), 'POST', 0), 2_000);
  assert.equal(retryDelayMs(apiErrorFromResponse(503, '', 3_600), 'PUT', 0), retryAfterMaxMs);
  const backoffMs = retryDelayMs(apiErrorFromResponse(503, ''), 'GET', 10)!;
  assert.ok(backoffMs > 0 && backoffMs <= retryMaxDelayMs);
});

test('client errors and a bare 500 are not retried: the write may have happened', () => {
  for (const code of [400, 404, 409, 410, 422]) assert.equal(retryDelayMs(apiErrorFromResponse(code, ''), 'GET', 0), undefined);
  assert.equal(retryDelayMs(apiErrorFromResponse(500, ''), 'POST', 0), undefined);
  assert.ok(retryDelayMs(apiErrorFromResponse(500, '', 1), 'POST', 0));
});

test('refused connections are retried for every verb, broken ones only for reads', () => {
  assert.ok(retryDelayMs(connectionError('ECONNREFUSED'), 'POST', 0));
  assert.ok(retryDelayMs(connectionError('ECONNRESET'), 'GET', 0));
  assert.equal(retryDelayMs(connectionError('ECONNRESET'), 'POST', 0), undefined);
  assert.equal(retryDelayMs(new Error('bug'), 'GET', 0), undefined);
});
