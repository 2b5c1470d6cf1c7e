/**
 * The contract between translate and the proxy: every Istio Bookinfo sample, validated as the API
 * validates it, translates for every Bookinfo proxy into a config the proxy's own parser and
 * compiler accept (no NACK), with the sample's meaning intact.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConfigStore } from '@trellis/proxy/config/store';
import type { MeshResource, MeshSnapshot, ProxyIdentity } from '@trellis/shared';
import { validateResource } from '@trellis/shared';
import { parseAllDocuments } from 'yaml';
import { EmbeddedRegistry } from '../src/registry';
import { translate } from '../src/translate';
import { SETTINGS } from './xds-harness';

const FIXTURES = new URL('../../../packages/shared/fixtures/bookinfo/', import.meta.url).pathname;

function load(file: string): MeshResource[] {
  return parseAllDocuments(readFileSync(`${FIXTURES}${file}`, 'utf8'))
    .map((d) => d.toJSON())
    .filter((o) => o)
    .map((o, i) => {
      const r = validateResource(o);
      assert.ok(r.valid, `${file}[${i}] is valid: ${JSON.stringify(!r.valid && r.causes)}`);
      return {
        ...r.resource,
        metadata: {
          ...r.resource.metadata,
          creationTimestamp: `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`,
        },
      };
    });
}

const WORKLOADS: [string, string, number][] = [
  ['productpage', 'v1', 9080],
  ['details', 'v1', 9080],
  ['ratings', 'v1', 9080],
  ['reviews', 'v1', 9080],
  ['reviews', 'v2', 9080],
  ['reviews', 'v3', 9080],
];

function proxies(): ProxyIdentity[] {
  return WORKLOADS.map(([app, version, port], i) => ({
    id: `${app}-${version}.default`,
    workload: `${app}-${version}`,
    namespace: 'default',
    serviceAccount: `bookinfo-${app}`,
    labels: { app, version },
    services: [{ name: app, port }],
    inboundAddress: `127.0.0.1:${16000 + i}`,
    appPort: 19000 + i,
  }));
}

function snapshotOf(resources: MeshResource[]): MeshSnapshot {
  const registry = new EmbeddedRegistry();
  for (const p of proxies()) registry.register(p);
  const snap = { version: '1', resources, registry: registry.current(), settings: SETTINGS };
  registry.close();
  return snap;
}

describe('translate output is accepted by the proxy', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml'));

  it('finds the Bookinfo samples', () => {
    assert.ok(files.length >= 15, `${files.length} samples`);
  });

  for (const file of files) {
    it(file, async () => {
      const snapshot = snapshotOf(load(file));
      for (const proxy of proxies()) {
        const store = new ConfigStore(proxy.namespace);
        try {
          const result = store.applyConfig(JSON.parse(JSON.stringify(translate(snapshot, proxy))));
          assert.ok(result.ok, `${proxy.id}: ${!result.ok && result.error}`);
        } finally {
          await store.close();
        }
      }
    });
  }

  it('keeps the meaning of reviews-jason-v2-v3 and ratings-test-delay', () => {
    const snapshot = snapshotOf([
      ...load('destination-rule-all.yaml'),
      ...load('virtual-service-reviews-jason-v2-v3.yaml'),
      ...load('virtual-service-ratings-test-delay.yaml'),
    ]);
    const cfg = translate(snapshot, proxies()[0]!);
    const reviews = cfg.outbound.virtualHosts.find(
      (v) => v.name === 'reviews.default.svc.cluster.local:9080',
    )!;
    assert.deepEqual(reviews.routes[0]!.matches, [
      { headers: [{ name: 'end-user', match: { exact: 'jason' } }] },
    ]);
    assert.deepEqual(
      reviews.routes.map((r) =>
        r.action.type === 'forward' ? r.action.destinations.map((d) => d.cluster) : [],
      ),
      [
        ['outbound|9080|v2|reviews.default.svc.cluster.local'],
        ['outbound|9080|v3|reviews.default.svc.cluster.local'],
      ],
    );
    const v2 = cfg.outbound.clusters.find(
      (c) => c.name === 'outbound|9080|v2|reviews.default.svc.cluster.local',
    )!;
    assert.deepEqual(
      v2.endpoints.map((e) => e.workload),
      ['reviews-v2'],
    );
    assert.equal(v2.endpoints[0]!.principal, 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews');
    const ratings = cfg.outbound.virtualHosts.find(
      (v) => v.name === 'ratings.default.svc.cluster.local:9080',
    )!;
    const delayed = ratings.routes[0]!.action;
    assert.ok(delayed.type === 'forward');
    assert.deepEqual(delayed.fault, { delay: { fixedDelayMs: 7000, percent: 100 } });
  });
});
