import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testCluster, testConfig } from '../layers/testing';
import { describeConfigError, parseProxyConfig } from './parse';

test('a valid config parses; JSON text is accepted too', () => {
  const cfg = testConfig([], [testCluster('c', [1])]);
  assert.deepEqual(parseProxyConfig(cfg), { ok: true, config: cfg });
  assert.equal(parseProxyConfig(JSON.stringify(cfg)).ok, true);
});

test('schema errors carry the JSON path of every problem', () => {
  const cfg = testConfig([], [testCluster('c', [1])]);
  const json = JSON.parse(
    JSON.stringify(cfg).replace('"ROUND_ROBIN"', '"FASTEST"').replace('"port":1,', '"port":0,'),
  );
  const r = parseProxyConfig(json);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.error.kind, 'schema');
  const msg = describeConfigError(r.error);
  assert.match(msg, /outbound\.clusters\[0\]\.lb: /);
  assert.match(msg, /outbound\.clusters\[0\]\.endpoints\[0\]\.port: /);
});

test('not JSON, not an object: typed schema errors', () => {
  const r = parseProxyConfig('{');
  assert.equal(r.ok, false);
  assert.match(!r.ok ? describeConfigError(r.error) : '', /config is not JSON/);
  assert.equal(parseProxyConfig(null).ok, false);
});
