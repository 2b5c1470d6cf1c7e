import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import type { ProxyConfig } from '@trellis/shared';
import { trellisProto } from '../src/grpc/proto';
import type { ConfigPush, ProxyStatus } from '../src/xds';
import { node, resource, startClient, startPush, waitFor } from './xds-harness';

const REVIEWS_HOST = 'reviews.default.svc.cluster.local';

function statusOf(push: ConfigPush, id: string): ProxyStatus | undefined {
  return push.proxies().find((p) => p.id === id);
}

function routeNames(config: ProxyConfig | undefined, host: string): string[] {
  return config?.outbound.virtualHosts.find((v) => v.name === host)?.routes.map((r) => r.name) ?? [];
}

const splitVs = (name: string, weights: [number, number]) =>
  resource('VirtualService', 'default', name, {
    hosts: ['reviews'],
    http: [
      {
        route: [
          { destination: { host: 'reviews', subset: 'v1' }, weight: weights[0] },
          { destination: { host: 'reviews', subset: 'v2' }, weight: weights[1] },
        ],
      },
    ],
  });

describe('ConfigDiscovery stream', () => {
  it('pushes the first config on connect and records SYNCED at the ACKed version', async (t) => {
    const h = await startPush(t);
    const c = startClient(t, h.target, node('productpage-v1.default'));
    const status = await waitFor('SYNCED', () => {
      const s = statusOf(h.push, 'productpage-v1.default');
      return s?.state === 'SYNCED' ? s : undefined;
    });
    assert.equal(status.workload, 'productpage-v1');
    assert.equal(status.namespace, 'default');
    // The console links a proxy to the services it serves.
    assert.deepEqual(status.services, [{ name: 'productpage', port: 9080 }]);
    assert.equal(status.version, c.applied.at(-1));
    assert.ok(status.lastAckTime);
    assert.equal(status.lastError, null);
    // The proxy registered itself: its own service is in its config.
    assert.ok(
      c.received[0]!.outbound.virtualHosts.some(
        (v) => v.name === 'productpage.default.svc.cluster.local:9080',
      ),
    );
    assert.equal(c.client.state().connection, 'CONNECTED');
    assert.equal(c.client.state().version, status.version);
  });

  it('NACK → NACKED with the error; the proxy keeps the old version; a fixed config syncs again', async (t) => {
    const h = await startPush(t);
    // The "proxy" refuses any config with a direct response status it cannot serve.
    const c = startClient(t, h.target, node('productpage-v1.default'), (cfg) => {
      const bad = cfg.outbound.virtualHosts.some((v) =>
        v.routes.some((r) => r.action.type === 'direct' && r.action.status > 599),
      );
      return bad
        ? { ok: false, error: 'route default/reviews/0: status 999 is not an HTTP status' }
        : { ok: true };
    });
    startClient(t, h.target, node('reviews-v1.default', { inboundAddress: '127.0.0.1:16001' }));
    const synced = await waitFor('first SYNCED', () => {
      const s = statusOf(h.push, 'productpage-v1.default');
      return s?.state === 'SYNCED' &&
        c.received.some((r) => r.outbound.virtualHosts.some((v) => v.name === `${REVIEWS_HOST}:9080`))
        ? s
        : undefined;
    });
    const good = synced.version;

    h.resources.set([
      resource('VirtualService', 'default', 'reviews', {
        hosts: ['reviews'],
        http: [{ directResponse: { status: 999 } }],
      }),
    ]);
    const nacked = await waitFor('NACKED', () => {
      const s = statusOf(h.push, 'productpage-v1.default');
      return s?.state === 'NACKED' ? s : undefined;
    });
    assert.match(nacked.lastError ?? '', /status 999/);
    assert.equal(nacked.version, good, 'still serving the last good version');
    assert.notEqual(nacked.sentVersion, good);
    assert.equal(c.client.state().version, good);
    assert.match(c.client.state().lastNack?.error ?? '', /status 999/);
    assert.equal(h.push.metrics.totals.nacks, 1);

    h.resources.set([
      resource('VirtualService', 'default', 'reviews', {
        hosts: ['reviews'],
        http: [{ directResponse: { status: 503 } }],
      }),
    ]);
    const again = await waitFor('SYNCED after fix', () => {
      const s = statusOf(h.push, 'productpage-v1.default');
      return s?.state === 'SYNCED' && s.version !== good ? s : undefined;
    });
    assert.equal(again.lastError, null);
    assert.equal(c.client.state().version, again.version);
  });

  it('debounces a burst of changes into few pushes carrying the final state', async (t) => {
    const h = await startPush(t, { debounce: { quietMs: 100, maxDelayMs: 1000 } });
    const c = startClient(t, h.target, node('productpage-v1.default'));
    startClient(t, h.target, node('reviews-v1.default', { inboundAddress: '127.0.0.1:16001' }));
    await waitFor(
      'both connected and synced',
      () =>
        h.push.proxies().length === 2 &&
        h.push.proxies().every((p) => p.state === 'SYNCED') &&
        c.received.length >= 2,
    );
    await sleep(300);
    const before = c.received.length;
    for (let i = 1; i <= 20; i++) {
      h.resources.set([splitVs('reviews', [100 - i, i])]);
      await sleep(5);
    }
    await waitFor('final split pushed', () => {
      const last = c.received.at(-1);
      const route = last?.outbound.virtualHosts.find((v) => v.name === `${REVIEWS_HOST}:9080`)?.routes[0];
      return route?.action.type === 'forward' && route.action.destinations[1]?.weight === 20;
    });
    await sleep(300);
    const pushes = c.received.length - before;
    assert.ok(pushes >= 1 && pushes <= 2, `20 changes within ~100 ms should give 1-2 pushes, got ${pushes}`);
  });

  it('pushes only to proxies whose config changed', async (t) => {
    const h = await startPush(t);
    const pp = startClient(t, h.target, node('productpage-v1.default'));
    const rv = startClient(t, h.target, node('reviews-v1.default', { inboundAddress: '127.0.0.1:16001' }));
    await waitFor('both synced', () => {
      const all = h.push.proxies();
      return all.length === 2 && all.every((p) => p.state === 'SYNCED') && pp.received.length >= 2;
    });
    await sleep(300);
    const [ppBefore, rvBefore] = [pp.received.length, rv.received.length];
    // Selects only reviews: productpage's config is the same, so it gets nothing.
    h.resources.set([
      resource('AuthorizationPolicy', 'default', 'reviews-viewers', {
        selector: { matchLabels: { app: 'reviews' } },
        rules: [{ from: [{ source: { principals: ['cluster.local/ns/default/sa/productpage'] } }] }],
      }),
    ]);
    await waitFor('reviews got the policy', () => rv.received.at(-1)?.inbound.authorization.length === 1);
    await sleep(400);
    assert.equal(pp.received.length, ppBefore, 'productpage was not pushed an identical config');
    assert.equal(rv.received.length, rvBefore + 1);
  });

  it('adds a connecting proxy to the others’ endpoints and removes it after it leaves', async (t) => {
    const h = await startPush(t);
    const pp = startClient(t, h.target, node('productpage-v1.default'));
    const rv = startClient(t, h.target, node('reviews-v2.default', { inboundAddress: '127.0.0.1:16002' }));
    const endpointsOfReviews = () =>
      pp.received.at(-1)?.outbound.clusters.find((c) => c.name === `outbound|9080||${REVIEWS_HOST}`)
        ?.endpoints ?? [];
    await waitFor('reviews endpoint in productpage config', () => endpointsOfReviews().length === 1);
    assert.equal(endpointsOfReviews()[0]!.port, 16002);
    assert.equal(endpointsOfReviews()[0]!.tlsMode, 'ISTIO_MUTUAL');
    rv.client.close();
    await waitFor('DISCONNECTED', () => statusOf(h.push, 'reviews-v2.default')?.state === 'DISCONNECTED');
    await waitFor(
      'reviews gone from productpage config',
      () => routeNames(pp.received.at(-1), `${REVIEWS_HOST}:9080`).length === 0,
    );
  });

  it('reconnects with backoff after the control plane restarts, serving the old config meanwhile', async (t) => {
    const first = await startPush(t);
    const port = first.server.port;
    const c = startClient(t, first.target, node('productpage-v1.default'));
    await waitFor('synced', () => statusOf(first.push, 'productpage-v1.default')?.state === 'SYNCED');
    const version = c.client.state().version;
    await first.stop();
    await waitFor('client noticed', () => c.client.state().connection === 'BACKOFF');
    await sleep(300);
    assert.equal(c.client.state().version, version, 'still on the last good config');
    const second = await startPush(t, { port });
    const s = await waitFor(
      'synced with the new control plane',
      () => {
        const st = statusOf(second.push, 'productpage-v1.default');
        return st?.state === 'SYNCED' ? st : undefined;
      },
      8000,
    );
    assert.equal(c.client.state().connection, 'CONNECTED');
    assert.ok(c.client.state().reconnects >= 1);
    assert.equal(c.client.state().version, s.version);
    assert.ok(Number(s.version) > Number(version), `version ${s.version} continues above ${version}`);
  });

  it('coalesces configs queued behind one awaiting its ACK, counting the dropped ones', async (t) => {
    const h = await startPush(t, { debounce: { quietMs: 20, maxDelayMs: 50 } });
    startClient(t, h.target, node('reviews-v1.default', { inboundAddress: '127.0.0.1:16001' }));
    let slow = false;
    const c = startClient(t, h.target, node('productpage-v1.default'), async () => {
      if (slow) await sleep(600);
      return { ok: true };
    });
    await waitFor(
      'synced',
      () => h.push.proxies().every((p) => p.state === 'SYNCED') && h.push.proxies().length === 2,
    );
    await sleep(200);
    slow = true;
    const before = c.received.length;
    for (let i = 1; i <= 4; i++) {
      h.resources.set([splitVs('reviews', [100 - 10 * i, 10 * i])]);
      await sleep(100);
    }
    await waitFor(
      'last split applied',
      () => {
        const route = c.received.at(-1)?.outbound.virtualHosts.find((v) => v.name === `${REVIEWS_HOST}:9080`)
          ?.routes[0];
        return route?.action.type === 'forward' && route.action.destinations[1]?.weight === 40;
      },
      8000,
    );
    await waitFor('SYNCED', () => statusOf(h.push, 'productpage-v1.default')?.state === 'SYNCED');
    assert.ok(
      c.received.length - before < 4,
      `4 changes while the proxy was busy: ${c.received.length - before} pushes`,
    );
    assert.ok(h.push.metrics.totals.dropped >= 1, 'a superseded config was dropped from the queue');
  });

  it('refuses a stream whose first request has no node', async (t) => {
    const h = await startPush(t);
    const Ctor = trellisProto().ConfigDiscovery;
    const client = new Ctor(h.target, grpc.credentials.createInsecure()) as unknown as grpc.Client & {
      Stream(): grpc.ClientDuplexStream<unknown, unknown>;
    };
    t.after(() => client.close());
    const call = client.Stream();
    const err = await new Promise<grpc.ServiceError>((resolve) => {
      call.on('error', resolve);
      call.on('data', () => {});
      call.write({ version_info: '', response_nonce: '' });
    });
    assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
    assert.match(err.details, /node/);
    assert.equal(h.push.proxies().length, 0);
  });
});
