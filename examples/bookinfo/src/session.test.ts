import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeSession, encodeSession, sessionUser } from './session';
import { OutboundConfigError, outboundFromEnv, parseHostMap, peerAuthority } from './upstream';

test('a session names its user and survives only untouched', () => {
  const cookie = encodeSession('jason', 's1');
  assert.equal(decodeSession(cookie, 's1'), 'jason');
  assert.equal(decodeSession(cookie, 'other-secret'), null);
  const [value, sig] = cookie.split('.');
  const forged = Buffer.from(JSON.stringify({ u: 'admin', n: '00' })).toString('base64url');
  assert.equal(decodeSession(`${forged}.${sig}`, 's1'), null);
  assert.equal(decodeSession(`${value}`, 's1'), null);
  assert.notEqual(encodeSession('jason', 's1'), cookie, 'each login is its own session');
  assert.equal(sessionUser(`a=b; session=${cookie}; c=d`, 's1'), 'jason');
  assert.equal(sessionUser(undefined, 's1'), null);
});

test('outbound: HTTP_PROXY wins, else the host map; bad values are typed errors', () => {
  assert.deepEqual(outboundFromEnv({ HTTP_PROXY: 'http://127.0.0.1:15001' }), {
    kind: 'proxy',
    proxyUrl: new URL('http://127.0.0.1:15001'),
  });
  const direct = outboundFromEnv({ BOOKINFO_HOSTS: 'reviews=127.0.0.1:1, ratings=127.0.0.1:2' });
  assert.equal(direct.kind, 'direct');
  assert.deepEqual(direct.kind === 'direct' && [...direct.hosts], [
    ['reviews', '127.0.0.1:1'],
    ['ratings', '127.0.0.1:2'],
  ]);
  assert.throws(() => parseHostMap('reviews'), OutboundConfigError);
  assert.throws(() => outboundFromEnv({ HTTP_PROXY: 'https://x:1' }), OutboundConfigError);
  assert.equal(peerAuthority('reviews', {}), 'reviews:9080');
  assert.equal(
    peerAuthority('reviews', { SERVICES_DOMAIN: 'default.svc.cluster.local' }),
    'reviews.default.svc.cluster.local:9080',
  );
});
