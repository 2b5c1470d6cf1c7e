import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizePath } from './normalize';

test('dot segments, encoded dots and backslashes resolve to the path the app would serve', () => {
  const cases: [string, string][] = [
    ['/public/../private', '/private'],
    ['/public/./../private', '/private'],
    ['/public/%2e%2e/private', '/private'],
    ['/public/%2E/%2E%2E/private', '/private'],
    ['/public/.%2e/private', '/private'],
    ['/a/./b/../c', '/a/c'],
    ['/a/..', '/'],
    ['/a/.', '/a/'],
    ['/../../etc/passwd', '/etc/passwd'],
    ['/public\\..\\private', '/private'],
    ['\\private', '/private'],
    ['/%61%62%63', '/abc'],
    ['/%7euser/%5Fx', '/~user/_x'],
    ['/a/..?x=/../y', '/?x=/../y'],
  ];
  for (const [raw, want] of cases) assert.equal(normalizePath(raw), want, raw);
});

test('BASE leaves encoded slashes, double slashes, dots inside names and other escapes alone', () => {
  for (const p of ['/a%2fb', '/a%5Cb', '/a//b', '/a/b.c/..d', '/a/%20b', '/.well-known/x', '/a?b=%2e%2e'])
    assert.equal(normalizePath(p), p.replace('/.well-known', '/.well-known'));
  // Decoded once only: %252e is the literal text "%2e", not a dot.
  assert.equal(normalizePath('/a/%252e%252e/b'), '/a/%252e%252e/b');
});

test('%00 refuses the request', () => {
  assert.equal(normalizePath('/a%00b'), null);
  assert.equal(normalizePath('/ok?q=%00'), '/ok?q=%00');
});

test('an unchanged path is returned as the same string (nothing allocated)', () => {
  const p = '/ratings/1?x=y';
  assert.equal(normalizePath(p), p);
});
