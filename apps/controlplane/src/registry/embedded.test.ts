import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProxyIdentity } from '@trellis/shared';
import { EmbeddedRegistry } from './embedded';

function identity(id: string, overrides: Partial<ProxyIdentity> = {}): ProxyIdentity {
  return {
    id,
    workload: id.split('.')[0]!,
    namespace: 'default',
    serviceAccount: 'reviews',
    labels: { app: 'reviews', version: 'v1' },
    services: [{ name: 'reviews', port: 9080 }],
    inboundAddress: '127.0.0.1:16001',
    appPort: 19080,
    ...overrides,
  };
}

describe('EmbeddedRegistry', () => {
  it('turns a connected proxy into a service and one endpoint per service port', () => {
    const reg = new EmbeddedRegistry();
    reg.register(
      identity('reviews-v1.default', {
        services: [
          { name: 'reviews', port: 9080 },
          { name: 'reviews-admin', port: 9090 },
        ],
      }),
    );
    const { services, endpoints } = reg.current();
    assert.deepEqual(
      services.map((s) => [s.hostname, s.ports.map((p) => p.port)]),
      [
        ['reviews-admin.default.svc.cluster.local', [9090]],
        ['reviews.default.svc.cluster.local', [9080]],
      ],
    );
    assert.equal(endpoints.length, 2);
    const ep = endpoints.find((e) => e.service === 'reviews')!;
    assert.equal(ep.address, '127.0.0.1:16001');
    assert.equal(ep.port, 16001);
    assert.equal(ep.targetPort, 19080);
    assert.equal(ep.hasSidecar, true);
    reg.close();
  });

  it('merges ports of one service across proxies', () => {
    const reg = new EmbeddedRegistry();
    reg.register(identity('a.default'));
    reg.register(identity('b.default', { inboundAddress: '127.0.0.1:16002' }));
    assert.equal(reg.current().services.length, 1);
    assert.equal(reg.current().endpoints.length, 2);
    reg.close();
  });

  it('removes a released proxy only after the grace period, and tells listeners', async () => {
    const reg = new EmbeddedRegistry({ graceMs: 80 });
    let changes = 0;
    reg.onChange(() => changes++);
    const lease = reg.register(identity('a.default'));
    assert.equal(changes, 1);
    lease.release();
    assert.equal(reg.current().endpoints.length, 1, 'still there during the grace period');
    await sleep(200);
    assert.equal(reg.current().endpoints.length, 0);
    assert.equal(reg.current().services.length, 0);
    assert.equal(changes, 2);
    reg.close();
  });

  it('keeps a proxy that reconnects within the grace period, without a change event', async () => {
    const reg = new EmbeddedRegistry({ graceMs: 80 });
    const first = reg.register(identity('a.default'));
    let changes = 0;
    reg.onChange(() => changes++);
    first.release();
    reg.register(identity('a.default'));
    await sleep(200);
    assert.equal(reg.current().endpoints.length, 1);
    assert.equal(changes, 0, 'no flap');
    reg.close();
  });

  it('ignores the release of a stream that a newer one of the same proxy replaced', async () => {
    const reg = new EmbeddedRegistry({ graceMs: 20 });
    const old = reg.register(identity('a.default'));
    reg.register(identity('a.default', { inboundAddress: '127.0.0.1:17000' }));
    old.release();
    await sleep(100);
    assert.deepEqual(
      reg.current().endpoints.map((e) => e.address),
      ['127.0.0.1:17000'],
    );
    reg.close();
  });
});
