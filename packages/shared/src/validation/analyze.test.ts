import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MeshEndpoint, MeshService, ServiceRegistry } from '../registry';
import type { MeshResource } from '../resource';
import type { MeshSnapshot } from '../snapshot';
import { analyze } from './analyze';

const service = (name: string, ns = 'default'): MeshService => ({
  name,
  namespace: ns,
  hostname: `${name}.${ns}.svc.cluster.local`,
  ports: [{ port: 9080, protocol: 'HTTP' }],
});

const endpoint = (svc: string, version: string): MeshEndpoint => ({
  id: `${svc}-${version}-1`,
  workload: `${svc}-${version}`,
  namespace: 'default',
  serviceAccount: `bookinfo-${svc}`,
  labels: { app: svc, version },
  service: svc,
  servicePort: 9080,
  address: '127.0.0.1',
  port: 15006,
  hasSidecar: true,
});

function resource(
  kind: MeshResource['kind'],
  name: string,
  spec: unknown,
  namespace = 'default',
): MeshResource {
  const group =
    kind === 'VirtualService' || kind === 'DestinationRule' ? 'networking.istio.io' : 'security.istio.io';
  return { apiVersion: `${group}/v1`, kind, metadata: { name, namespace }, spec };
}

const reviewsVs = (name: string, subsets: string[], extra: Record<string, unknown> = {}) =>
  resource('VirtualService', name, {
    hosts: ['reviews'],
    http: [{ route: subsets.map((subset) => ({ destination: { host: 'reviews', subset } })) }],
    ...extra,
  });

const reviewsDr = resource('DestinationRule', 'reviews', {
  host: 'reviews',
  subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })),
});

const registry: ServiceRegistry = {
  services: [service('reviews')],
  endpoints: [endpoint('reviews', 'v1'), endpoint('reviews', 'v2'), endpoint('reviews', 'v3')],
};

function snapshot(resources: MeshResource[], reg: ServiceRegistry = registry): MeshSnapshot {
  return {
    version: '1',
    resources,
    registry: reg,
    settings: {
      rootNamespace: 'istio-system',
      trustDomain: 'cluster.local',
      accessLog: true,
      tracing: { samplingPercent: 1 },
    },
  };
}

describe('analyze', () => {
  test('a consistent mesh has no findings', () => {
    assert.deepEqual(analyze(snapshot([reviewsVs('reviews', ['v1']), reviewsDr])), []);
  });

  test('IST0101: a subset no DestinationRule defines', () => {
    const found = analyze(snapshot([reviewsVs('reviews', ['v4']), reviewsDr]));
    assert.deepEqual(found, [
      {
        code: 'IST0101',
        level: 'Error',
        resource: { kind: 'VirtualService', namespace: 'default', name: 'reviews' },
        field: 'spec.http[0].route[0].destination.subset',
        message: 'Referenced host+subset in destinationrule not found: "reviews+v4"',
      },
    ]);
  });

  test('IST0101: a subset when there is no DestinationRule at all', () => {
    const found = analyze(snapshot([reviewsVs('reviews', ['v1'])]));
    assert.deepEqual(
      found.map((m) => [m.code, m.field]),
      [['IST0101', 'spec.http[0].route[0].destination.subset']],
    );
  });

  test('IST0101: a destination host that is not in the registry', () => {
    const vs = resource('VirtualService', 'ratings', {
      hosts: ['ratings'],
      http: [{ route: [{ destination: { host: 'ratings' } }] }],
    });
    const found = analyze(snapshot([vs]));
    assert.deepEqual(
      found.map((m) => [m.code, m.field, m.message]),
      [['IST0101', 'spec.http[0].route[0].destination.host', 'Referenced host not found: "ratings"']],
    );
  });

  test('a host in another namespace resolves by its FQDN', () => {
    const vs = resource(
      'VirtualService',
      'r',
      {
        hosts: ['reviews.default.svc.cluster.local'],
        http: [{ route: [{ destination: { host: 'reviews.default' } }] }],
      },
      'other',
    );
    assert.deepEqual(analyze(snapshot([vs])), []);
  });

  test('IST0109: two mesh VirtualServices claiming one host, each reported', () => {
    const found = analyze(
      snapshot([reviewsVs('reviews-a', ['v1']), reviewsVs('reviews-b', ['v2']), reviewsDr]),
    );
    assert.deepEqual(
      found.map((m) => [m.code, m.resource.name, m.field]),
      [
        ['IST0109', 'reviews-a', 'spec.hosts[0]'],
        ['IST0109', 'reviews-b', 'spec.hosts[0]'],
      ],
    );
    assert.match(
      found[0]?.message ?? '',
      /default\/reviews-a,default\/reviews-b .* same host reviews\.default\.svc\.cluster\.local/,
    );
  });

  test('IST0109 does not fire when one VirtualService is bound to a gateway only', () => {
    const gatewayVs = reviewsVs('reviews-gw', ['v1'], { gateways: ['istio-system/ingress'] });
    assert.deepEqual(analyze(snapshot([reviewsVs('reviews', ['v1']), gatewayVs, reviewsDr])), []);
  });

  test('KIA0203: a subset whose labels select no endpoint', () => {
    const reg: ServiceRegistry = { services: registry.services, endpoints: [endpoint('reviews', 'v1')] };
    const found = analyze(snapshot([reviewsDr], reg));
    assert.deepEqual(
      found.map((m) => [m.code, m.level, m.field]),
      [
        ['KIA0203', 'Warning', 'spec.subsets[1]'],
        ['KIA0203', 'Warning', 'spec.subsets[2]'],
      ],
    );
  });

  test('an endpoint of another service does not count for a subset', () => {
    const reg: ServiceRegistry = {
      services: [service('reviews'), service('ratings')],
      endpoints: [endpoint('ratings', 'v1')],
    };
    const dr = resource('DestinationRule', 'reviews', {
      host: 'reviews',
      subsets: [{ name: 'v1', labels: { version: 'v1' } }],
    });
    assert.deepEqual(
      analyze(snapshot([dr], reg)).map((m) => m.code),
      ['KIA0203'],
    );
  });

  test('KIA0202: a DestinationRule for a host with no service', () => {
    const dr = resource('DestinationRule', 'details', {
      host: 'details',
      subsets: [{ name: 'v1', labels: { version: 'v1' } }],
    });
    const found = analyze(snapshot([dr]));
    assert.deepEqual(
      found.map((m) => [m.code, m.level, m.field]),
      [['KIA0202', 'Warning', 'spec.host']],
    );
  });
});
