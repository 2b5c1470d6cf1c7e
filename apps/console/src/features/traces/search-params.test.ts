import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  controlPlaneTraceQuery,
  DEFAULT_SEARCH,
  normaliseTraceId,
  parseTraceSearch,
  traceSearchQueryString,
} from './search-params';

test('every filter round-trips through the URL in one canonical form', () => {
  const s = parseTraceSearch(
    new URLSearchParams(
      'limit=50&errors=1&service=reviews.default&operation=GET%20%2Freviews&minDurationMs=250&lookback=15m',
    ),
  );
  assert.deepEqual(s, {
    service: 'reviews.default',
    operation: 'GET /reviews',
    minDurationMs: 250,
    errorsOnly: true,
    lookback: '15m',
    limit: 50,
  });
  assert.equal(
    traceSearchQueryString(s),
    'service=reviews.default&operation=GET+%2Freviews&minDurationMs=250&errors=1&lookback=15m&limit=50',
  );
  assert.deepEqual(parseTraceSearch(new URLSearchParams(traceSearchQueryString(s))), s);
  assert.equal(traceSearchQueryString(DEFAULT_SEARCH), '', 'defaults stay out of the URL');
});

test('bad values fall back to defaults instead of reaching the control plane', () => {
  assert.deepEqual(
    parseTraceSearch({
      minDurationMs: '-5',
      lookback: '10y',
      limit: '100000',
      errors: 'maybe',
      service: '  ',
    }),
    DEFAULT_SEARCH,
  );
  assert.equal(parseTraceSearch({ minDurationMs: 'abc' }).minDurationMs, null);
  assert.equal(parseTraceSearch({ service: 'a\nb' }).service, null);
  assert.equal(parseTraceSearch({ service: ['x', 'y'] }).service, 'x');
});

test('the lookback becomes a start time; only set filters are sent', () => {
  const now = 10_000_000;
  assert.deepEqual(controlPlaneTraceQuery(DEFAULT_SEARCH, now), {
    start: String(now - 3_600_000),
    limit: '20',
  });
  assert.deepEqual(
    controlPlaneTraceQuery(
      { ...DEFAULT_SEARCH, service: 's', errorsOnly: true, minDurationMs: 5, lookback: '5m' },
      now,
    ),
    { start: String(now - 300_000), limit: '20', service: 's', minDurationMs: '5', error: 'true' },
  );
});

test('trace ids are 32 hex digits', () => {
  assert.equal(normaliseTraceId('4BF92F3577B34DA6A3CE929D0E0E4736'), '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.equal(normaliseTraceId('4bf92f3577b34da6'), null);
  assert.equal(normaliseTraceId('../../etc/passwd'), null);
});
