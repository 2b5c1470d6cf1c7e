import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clearedSessionCookie,
  decodeSession,
  encodeSession,
  newSessionSecret,
  readCookie,
  SESSION_COOKIE,
  sessionCookie,
} from './session';

const NOW = 1_800_000_000_000;

test('a session made with a secret is read back with it until it expires', () => {
  const secret = newSessionSecret();
  const value = encodeSession(secret, 'alice', NOW, 60);
  assert.deepEqual(decodeSession(secret, value, NOW + 59_000), {
    ok: true,
    payload: { u: 'alice', exp: NOW / 1000 + 60 },
  });
  assert.deepEqual(decodeSession(secret, value, NOW + 60_000), { ok: false, reason: 'expired' });
});

test('another secret, or any edit of the payload, is a bad signature', () => {
  const secret = newSessionSecret();
  const value = encodeSession(secret, 'bob', NOW);
  assert.deepEqual(decodeSession(newSessionSecret(), value, NOW), { ok: false, reason: 'bad-signature' });

  // A viewer who rewrites the user name to an operator's keeps the old signature.
  const [, mac] = value.split('.');
  const forged = Buffer.from(JSON.stringify({ u: 'alice', exp: NOW / 1000 + 3600 })).toString('base64url');
  assert.deepEqual(decodeSession(secret, `${forged}.${mac}`, NOW), { ok: false, reason: 'bad-signature' });
  assert.deepEqual(decodeSession(secret, `${value}x`, NOW), { ok: false, reason: 'bad-signature' });
});

test('values that are not ours are malformed, never a principal', () => {
  const secret = newSessionSecret();
  for (const v of ['', 'abc', 'a.b.c', '.sig'])
    assert.equal(decodeSession(secret, v, NOW).ok, false, JSON.stringify(v));
});

test('the cookie is HttpOnly and SameSite=Strict, Secure only over https; sign-out expires it', () => {
  const plain = sessionCookie('v', false);
  assert.match(plain, /^trellis_session=v; /);
  assert.match(plain, /; HttpOnly/);
  assert.match(plain, /; SameSite=Strict/);
  assert.match(plain, /; Path=\//);
  assert.doesNotMatch(plain, /Secure/);
  assert.match(sessionCookie('v', true), /; Secure$/);
  assert.match(clearedSessionCookie(false), /^trellis_session=; .*Max-Age=0/);
});

test('reads one cookie out of a Cookie header', () => {
  assert.equal(readCookie(`a=1; ${SESSION_COOKIE}=x.y; b=2`, SESSION_COOKIE), 'x.y');
  assert.equal(readCookie('a=1', SESSION_COOKIE), null);
  assert.equal(readCookie(null, SESSION_COOKIE), null);
  assert.equal(readCookie(`my${SESSION_COOKIE}=z`, SESSION_COOKIE), null);
});
