/**
 * AuthorizationPolicy enforced by a sidecar's inbound side on real sockets: the caller is the
 * verified peer certificate (never a header), DENY before ALLOW, 403 `RBAC: access denied`, paths
 * normalised before matching and forwarded normalised, a push changes the policy in place.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuthorizationPolicyConfig, StringPattern } from '@trellis/shared';
import { get } from './harness';
import { inboundConfig, meshPair, plainGet } from './mtls-support';

const P = (values: string[], notValues: string[] = []): StringPattern => ({ values, notValues });

const ratingsViewer: AuthorizationPolicyConfig = {
  name: 'default/ratings-viewer',
  action: 'ALLOW',
  rules: [
    {
      from: [{ principals: P(['cluster.local/ns/default/sa/productpage']) }],
      to: [{ paths: P(['/ratings/*']), methods: P(['GET']) }],
    },
  ],
};

test('ALLOW on the verified principal: productpage gets through, another workload and plaintext get 403', async (t) => {
  const pp = await meshPair(t, 'PERMISSIVE', { authorization: [ratingsViewer] });
  const ok = await get(pp.client.outbound, 'reviews:9080', '/ratings/1');
  assert.equal(ok.status, 200, ok.body);
  const post = await get(pp.client.outbound, 'reviews:9080', '/ratings/1', {}, 'POST', 'x');
  assert.deepEqual([post.status, post.body], [403, 'RBAC: access denied']);
  assert.equal((await get(pp.client.outbound, 'reviews:9080', '/details/1')).status, 403);
  // Plaintext (PERMISSIVE lets it in) has no principal, whatever headers it sends.
  assert.equal(await plainGet(pp.server.ports.inbound, '/ratings/1'), 403);
  assert.equal(pp.server.stats.get('inbound.rbac.denied'), 3);
  assert.deepEqual(pp.seen, ['/ratings/1'], 'denied requests never reach the app');

  const other = await meshPair(t, 'PERMISSIVE', {
    authorization: [ratingsViewer],
    clientAccount: 'reviewer',
  });
  const r = await get(other.client.outbound, 'reviews:9080', '/ratings/1', {
    'x-trellis-source': 'productpage-v1,default,v1,productpage',
  });
  assert.deepEqual([r.status, r.body], [403, 'RBAC: access denied']);
});

test('DENY wins; namespaces, ports and hosts; a push swaps the policy without a restart', async (t) => {
  const deny: AuthorizationPolicyConfig = {
    name: 'default/no-admin',
    action: 'DENY',
    rules: [{ from: [{ namespaces: P(['default']) }], to: [{ paths: P(['/admin*']) }] }],
  };
  const allowAll: AuthorizationPolicyConfig = {
    name: 'default/all',
    action: 'ALLOW',
    rules: [{ from: [], to: [] }],
  };
  const pair = await meshPair(t, 'STRICT', { authorization: [allowAll, deny] });
  const send = (path: string) => get(pair.client.outbound, 'reviews:9080', path).then((r) => r.status);
  assert.equal(await send('/x'), 200);
  assert.equal(await send('/admin/users'), 403);
  assert.equal(await send('/public/../admin'), 403, 'normalised before matching');

  // The service port the caller addressed (9080) or the app's own port both name the destination.
  const byPort = (ports: StringPattern, hosts?: StringPattern): AuthorizationPolicyConfig => ({
    name: 'default/ports',
    action: 'ALLOW',
    rules: [{ from: [], to: [{ ports, ...(hosts ? { hosts } : {}) }] }],
  });
  let v = 2;
  const push = (policies: AuthorizationPolicyConfig[]) =>
    assert.deepEqual(pair.server.applyConfig(inboundConfig(pair.appPort, 'STRICT', policies, String(v++))), {
      ok: true,
    });
  push([byPort(P(['9080']))]);
  assert.equal(await send('/x'), 200);
  push([byPort(P([String(pair.appPort)]))]);
  assert.equal(await send('/x'), 200);
  push([byPort(P(['8080']))]);
  assert.equal(await send('/x'), 403);
  push([byPort(P(['9080']), P(['REVIEWS']))]);
  assert.equal(await send('/x'), 200, 'hosts: case-insensitive, port ignored');
  push([byPort(P(['9080']), P(['*.example.com']))]);
  assert.equal(await send('/x'), 403);
  // An ALLOW policy with no rules allows nothing; no policy at all allows everything.
  push([{ name: 'default/nothing', action: 'ALLOW', rules: [] }]);
  assert.equal(await send('/x'), 403);
  push([]);
  assert.equal(await send('/x'), 200);
});

test('paths are normalised as Istio BASE does, for the policy and for the app; %00 is refused', async (t) => {
  const publicOnly: AuthorizationPolicyConfig = {
    name: 'default/public',
    action: 'ALLOW',
    rules: [{ from: [], to: [{ paths: P(['/public*']) }] }],
  };
  const pair = await meshPair(t, 'PERMISSIVE', { authorization: [publicOnly] });
  const port = pair.server.ports.inbound;
  for (const p of [
    '/public/../private',
    '/public/./../private',
    '/public/%2e%2e/private',
    '/public/%2E/%2E%2E/private',
  ])
    assert.equal(await plainGet(port, p), 403, p);
  assert.equal(await plainGet(port, '/public/a/./b/../c?q=/../x'), 200);
  assert.equal(pair.seen.at(-1), '/public/a/c?q=/../x');
  assert.equal(await plainGet(port, '/public\\x'), 200);
  assert.equal(pair.seen.at(-1), '/public/x');
  assert.equal(await plainGet(port, '/public/%00'), 400);
  assert.ok(!pair.seen.some((p) => p.includes('private')));
});
