import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertAccepted, assertRefused, validate } from './test-support';

const dr = (extra: Record<string, unknown>) => ({ host: 'reviews', ...extra });
const v = (name: string, version = name) => ({ name, labels: { version } });

describe('DestinationRule subsets', () => {
  test('duplicate subset names are refused; distinct names are accepted', () => {
    const r = validate('DestinationRule', dr({ subsets: [v('v1'), v('v2'), v('v1', 'other')] }));
    assertRefused(r, 'spec.subsets[2].name', 'duplicate subset names: v1', 'FieldValueDuplicate');
    assertAccepted(validate('DestinationRule', dr({ subsets: [v('v1'), v('v2'), v('v3')] })));
  });

  test('a subset needs a DNS-label name', () => {
    assertRefused(
      validate('DestinationRule', dr({ subsets: [{ labels: { version: 'v1' } }] })),
      'spec.subsets[0].name',
      'subset name cannot be empty',
      'FieldValueRequired',
    );
    assertRefused(
      validate('DestinationRule', dr({ subsets: [v('V_1')] })),
      'spec.subsets[0].name',
      'subset name is invalid',
    );
    assertAccepted(validate('DestinationRule', dr({ subsets: [v('v2-mysql-vm')] })));
  });

  test('subset labels must be valid Kubernetes labels', () => {
    assertRefused(
      validate('DestinationRule', dr({ subsets: [{ name: 'v1', labels: { version: 'not ok' } }] })),
      'spec.subsets[0].labels.version',
      'invalid tag value',
    );
    assertRefused(
      validate('DestinationRule', dr({ subsets: [{ name: 'v1', labels: { '-bad': 'v1' } }] })),
      'spec.subsets[0].labels[-bad]',
      'invalid tag key',
    );
    assertAccepted(
      validate(
        'DestinationRule',
        dr({ subsets: [{ name: 'v1', labels: { 'app.kubernetes.io/version': 'v1.2_3' } }] }),
      ),
    );
  });

  test('a host is required and must be a valid name', () => {
    assertRefused(
      validate('DestinationRule', { subsets: [v('v1')] }),
      'spec.host',
      'host is required',
      'FieldValueRequired',
    );
    assertRefused(validate('DestinationRule', dr({ host: 'bad host' })), 'spec.host', 'invalid');
    assertAccepted(validate('DestinationRule', dr({ host: '*.example.com' })));
  });
});

describe('DestinationRule traffic policy', () => {
  const policy = (trafficPolicy: unknown) => dr({ trafficPolicy });

  test('outlier detection percentages outside 0–100 are refused', () => {
    const r = validate(
      'DestinationRule',
      policy({ outlierDetection: { maxEjectionPercent: 101, minHealthPercent: -1 } }),
    );
    assertRefused(
      r,
      'spec.trafficPolicy.outlierDetection.maxEjectionPercent',
      'percentage 101 is not in range 0..100',
    );
    assertRefused(r, 'spec.trafficPolicy.outlierDetection.minHealthPercent', 'not in range');
    const ok = { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '3m', maxEjectionPercent: 100 };
    assert.deepEqual(assertAccepted(validate('DestinationRule', policy({ outlierDetection: ok }))), []);
  });

  test('outlier detection durations are checked; deprecated consecutiveErrors warns', () => {
    assertRefused(
      validate('DestinationRule', policy({ outlierDetection: { interval: '1' } })),
      'spec.trafficPolicy.outlierDetection.interval',
      'invalid duration',
    );
    const warnings = assertAccepted(
      validate('DestinationRule', policy({ outlierDetection: { consecutiveErrors: 7 } })),
    );
    assert.match(warnings.join(), /consecutive errors is deprecated/);
  });

  test('connection pool limits must not be negative', () => {
    const r = validate(
      'DestinationRule',
      policy({
        connectionPool: {
          tcp: { maxConnections: -1 },
          http: {
            http1MaxPendingRequests: -1,
            maxRequestsPerConnection: -2,
            maxRetries: -3,
            http2MaxRequests: -4,
          },
        },
      }),
    );
    assertRefused(r, 'spec.trafficPolicy.connectionPool.tcp.maxConnections', 'non-negative');
    for (const key of [
      'http1MaxPendingRequests',
      'maxRequestsPerConnection',
      'maxRetries',
      'http2MaxRequests',
    ]) {
      assertRefused(r, `spec.trafficPolicy.connectionPool.http.${key}`, 'non-negative');
    }
    const ok = {
      tcp: { maxConnections: 1, connectTimeout: '30ms' },
      http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1, maxRetries: 0 },
    };
    assertAccepted(validate('DestinationRule', policy({ connectionPool: ok })));
  });

  test('a non-integer connection limit is refused by the schema', () => {
    assertRefused(
      validate('DestinationRule', policy({ connectionPool: { tcp: { maxConnections: 1.5 } } })),
      'spec.trafficPolicy.connectionPool.tcp.maxConnections',
      'integer',
    );
  });

  test('an unknown load balancer or TLS mode is refused with the supported values', () => {
    assertRefused(
      validate('DestinationRule', policy({ loadBalancer: { simple: 'FASTEST' } })),
      'spec.trafficPolicy.loadBalancer.simple',
      '"ROUND_ROBIN"',
      'FieldValueNotSupported',
    );
    assertRefused(
      validate('DestinationRule', policy({ tls: { mode: 'ON' } })),
      'spec.trafficPolicy.tls.mode',
      '"ISTIO_MUTUAL"',
      'FieldValueNotSupported',
    );
    for (const simple of ['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM']) {
      assertAccepted(
        validate('DestinationRule', policy({ loadBalancer: { simple }, tls: { mode: 'ISTIO_MUTUAL' } })),
      );
    }
  });

  test('an empty traffic policy is refused', () => {
    assertRefused(validate('DestinationRule', policy({})), 'spec.trafficPolicy', 'at least one field');
  });

  test('per-subset and per-port policies are checked with their paths', () => {
    const subsets = [{ ...v('v1'), trafficPolicy: { connectionPool: { tcp: { maxConnections: -5 } } } }];
    assertRefused(
      validate('DestinationRule', dr({ subsets })),
      'spec.subsets[0].trafficPolicy.connectionPool.tcp.maxConnections',
      'non-negative',
    );
    const ports = { portLevelSettings: [{ port: { number: 0 }, loadBalancer: { simple: 'RANDOM' } }] };
    assertRefused(
      validate('DestinationRule', policy(ports)),
      'spec.trafficPolicy.portLevelSettings[0].port.number',
      '1..65535',
    );
  });

  test('a maglev table size must be prime', () => {
    const lb = (tableSize: number) =>
      policy({ loadBalancer: { consistentHash: { httpHeaderName: 'x-user', maglev: { tableSize } } } });
    assertRefused(
      validate('DestinationRule', lb(1000)),
      'spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize',
      'prime',
    );
    assertAccepted(validate('DestinationRule', lb(65537)));
  });
});
