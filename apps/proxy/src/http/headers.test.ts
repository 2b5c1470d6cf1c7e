import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileHeaderOps, downstreamHeadersH1, NO_OPS, upstreamRequestHeaders } from './headers';

test('upstream request headers: hop-by-hop and spoofed identity dropped, ops applied, Host set', () => {
  const raw = [
    'Host',
    'a:1',
    'Connection',
    'keep-alive',
    'X-Trellis-Source',
    'spoof',
    'Content-Length',
    '3',
    'X-Keep',
    '1',
    'X-Drop',
    '1',
    'X-Set',
    'old',
  ];
  const ops = compileHeaderOps({ set: { 'X-Set': 'new' }, add: { 'x-add': 'a' }, remove: ['x-drop'] });
  assert.deepEqual(upstreamRequestHeaders(raw, ops, NO_OPS, 'b:2', 'x-trellis-source', 'me'), [
    'host',
    'b:2',
    'x-keep',
    '1',
    'x-set',
    'new',
    'x-add',
    'a',
    'x-trellis-source',
    'me',
  ]);
});

test('downstream response headers keep repeated values and drop connection-specific fields', () => {
  const out = downstreamHeadersH1(
    { 'set-cookie': ['a=1', 'b=2'], 'transfer-encoding': 'chunked', 'content-type': 'text/plain' },
    compileHeaderOps({ add: { 'x-mesh': '1' } }),
    NO_OPS,
  );
  assert.deepEqual(out, [
    'set-cookie',
    'a=1',
    'set-cookie',
    'b=2',
    'content-type',
    'text/plain',
    'x-mesh',
    '1',
  ]);
});
