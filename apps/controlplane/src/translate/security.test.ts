import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MeshResource, ProxyIdentity } from '@trellis/shared';
import { proxy, res, snapshot } from './testing';
import { translate } from './translate';

function inbound(resources: MeshResource[], who: ProxyIdentity = proxy()) {
  return translate(snapshot(resources), who).inbound;
}

const pa = (ns: string, name: string, spec: Record<string, unknown>, created?: string) =>
  res('PeerAuthentication', ns, name, spec, created);
const ap = (ns: string, name: string, spec: Record<string, unknown>) =>
  res('AuthorizationPolicy', ns, name, spec);

describe('PeerAuthentication precedence', () => {
  it('defaults to PERMISSIVE', () => {
    assert.deepEqual(inbound([]).mtls, { mode: 'PERMISSIVE', portLevel: {} });
  });

  it('takes the mesh-wide policy from the root namespace', () => {
    assert.equal(inbound([pa('istio-system', 'default', { mtls: { mode: 'STRICT' } })]).mtls.mode, 'STRICT');
    // A policy in another namespace does not apply.
    assert.equal(inbound([pa('shop', 'default', { mtls: { mode: 'STRICT' } })]).mtls.mode, 'PERMISSIVE');
  });

  it('lets namespace override mesh and workload override namespace', () => {
    const mesh = pa('istio-system', 'default', { mtls: { mode: 'STRICT' } });
    const ns = pa('default', 'ns', { mtls: { mode: 'PERMISSIVE' } });
    const wl = pa('default', 'pp', {
      selector: { matchLabels: { app: 'productpage' } },
      mtls: { mode: 'DISABLE' },
    });
    assert.equal(inbound([mesh, ns]).mtls.mode, 'PERMISSIVE');
    assert.equal(inbound([mesh, ns, wl]).mtls.mode, 'DISABLE');
    assert.equal(inbound([mesh, ns, wl], proxy({ labels: { app: 'other' } })).mtls.mode, 'PERMISSIVE');
  });

  it('inherits through UNSET', () => {
    const mesh = pa('istio-system', 'default', { mtls: { mode: 'STRICT' } });
    const ns = pa('default', 'ns', { mtls: { mode: 'UNSET' } });
    const wl = pa('default', 'pp', { selector: { matchLabels: { app: 'productpage' } } });
    assert.equal(inbound([mesh, ns, wl]).mtls.mode, 'STRICT');
  });

  it('resolves port-level modes from the workload policy, UNSET ports inheriting', () => {
    const wl = pa('default', 'pp', {
      selector: { matchLabels: { app: 'productpage' } },
      mtls: { mode: 'STRICT' },
      portLevelMtls: { '9080': { mode: 'PERMISSIVE' }, '9090': { mode: 'UNSET' } },
    });
    assert.deepEqual(inbound([wl]).mtls, {
      mode: 'STRICT',
      portLevel: { '9080': 'PERMISSIVE', '9090': 'STRICT' },
    });
    // Istio honours portLevelMtls only on policies with a selector.
    const ns = pa('default', 'ns', {
      mtls: { mode: 'STRICT' },
      portLevelMtls: { '9080': { mode: 'DISABLE' } },
    });
    assert.deepEqual(inbound([ns]).mtls.portLevel, {});
  });

  it('picks the oldest of two namespace-wide policies', () => {
    const a = pa('default', 'a', { mtls: { mode: 'STRICT' } }, '2026-01-02T00:00:00Z');
    const b = pa('default', 'b', { mtls: { mode: 'DISABLE' } }, '2026-01-01T00:00:00Z');
    assert.equal(inbound([a, b]).mtls.mode, 'DISABLE');
  });
});

describe('AuthorizationPolicy selection and conversion', () => {
  it('includes policies of its namespace and the root namespace that select it', () => {
    const names = inbound([
      ap('default', 'all-in-ns', { rules: [{}] }),
      ap('default', 'for-me', { selector: { matchLabels: { app: 'productpage' } }, rules: [{}] }),
      ap('default', 'for-other', { selector: { matchLabels: { app: 'ratings' } }, rules: [{}] }),
      ap('istio-system', 'mesh', {
        action: 'DENY',
        rules: [{ to: [{ operation: { paths: ['/admin*'] } }] }],
      }),
      ap('shop', 'elsewhere', { rules: [{}] }),
    ]).authorization.map((a) => a.name);
    assert.deepEqual(names, ['default/all-in-ns', 'default/for-me', 'istio-system/mesh']);
  });

  it('converts sources and operations, not-values included', () => {
    const [cfg] = inbound([
      ap('default', 'p', {
        action: 'ALLOW',
        rules: [
          {
            from: [
              { source: { principals: ['cluster.local/ns/default/sa/sleep'], notNamespaces: ['test'] } },
            ],
            to: [{ operation: { methods: ['GET'], paths: ['/api/*'], notPaths: ['/api/private'] } }],
          },
        ],
      }),
    ]).authorization;
    assert.deepEqual(cfg, {
      name: 'default/p',
      action: 'ALLOW',
      rules: [
        {
          from: [
            {
              principals: { values: ['cluster.local/ns/default/sa/sleep'], notValues: [] },
              namespaces: { values: [], notValues: ['test'] },
            },
          ],
          to: [
            {
              paths: { values: ['/api/*'], notValues: ['/api/private'] },
              methods: { values: ['GET'], notValues: [] },
            },
          ],
        },
      ],
    });
  });

  it('defaults the action to ALLOW and keeps an empty rule list (deny all)', () => {
    const [cfg] = inbound([ap('default', 'nothing', {})]).authorization;
    assert.deepEqual(cfg, { name: 'default/nothing', action: 'ALLOW', rules: [] });
  });

  it('fails closed on conditions it cannot evaluate', () => {
    const when = [{ key: 'request.auth.claims[iss]', values: ['x'] }];
    const [allow] = inbound([
      ap('default', 'a', { rules: [{ when }, { to: [{ operation: { methods: ['GET'] } }] }] }),
    ]).authorization;
    assert.equal(allow!.rules.length, 1, 'the ALLOW rule with `when` never matches');
    const [deny] = inbound([
      ap('default', 'd', { action: 'DENY', rules: [{ from: [{ source: { ipBlocks: ['1.2.3.4'] } }] }] }),
    ]).authorization;
    assert.deepEqual(
      deny!.rules,
      [{ from: [{}], to: [] }],
      'the DENY rule loses the condition and matches more',
    );
  });

  it('skips CUSTOM and AUDIT policies and targetRef attachments', () => {
    assert.deepEqual(
      inbound([
        ap('default', 'c', { action: 'CUSTOM', provider: { name: 'ext' }, rules: [{}] }),
        ap('default', 'w', { targetRefs: [{ kind: 'Gateway', name: 'waypoint' }], rules: [{}] }),
      ]).authorization,
      [],
    );
  });

  it('turns serviceAccounts into principals', () => {
    const [cfg] = inbound([
      ap('default', 's', { rules: [{ from: [{ source: { serviceAccounts: ['default/sleep'] } }] }] }),
    ]).authorization;
    assert.deepEqual(cfg!.rules[0]!.from[0]!.principals, {
      values: ['cluster.local/ns/default/sa/sleep'],
      notValues: [],
    });
  });
});
