import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { ISTIO_DURATION_BUCKETS_MS, IstioMetrics } from './metrics';
import type { RequestRecord } from './record';

function rec(over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    reporter: 'source',
    source: {
      workload: 'productpage-v1',
      namespace: 'default',
      principal: 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage',
      version: 'v1',
      app: 'productpage',
    },
    destination: {
      workload: 'reviews-v2',
      namespace: 'default',
      principal: 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews',
      version: 'v2',
      app: 'reviews',
      service: 'reviews.default.svc.cluster.local',
      serviceName: 'reviews',
      cluster: 'outbound|9080|v2|reviews.default.svc.cluster.local',
    },
    protocol: 'http',
    method: 'GET',
    path: '/reviews/0',
    authority: 'reviews:9080',
    responseCode: 200,
    responseFlags: [],
    attempts: 1,
    durationMs: 12,
    requestBytes: 0,
    responseBytes: 300,
    mtls: true,
    startTimeMs: Date.now(),
    ...over,
  };
}

/** The series lines of one metric, parsed just enough to assert on. */
async function series(
  registry: Registry,
  name: string,
): Promise<{ labels: Record<string, string>; value: number }[]> {
  const text = await registry.metrics();
  const out: { labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const brace = line.lastIndexOf('}');
    const labels: Record<string, string> = {};
    if (brace < 0) {
      out.push({ labels, value: Number(line.slice(name.length).trim()) });
      continue;
    }
    for (const m of line.slice(name.length + 1, brace).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[m[1]!] = m[2]!;
    out.push({ labels, value: Number(line.slice(brace + 1).trim()) });
  }
  return out;
}

test('a request is counted with Istio labels and no path', async () => {
  const registry = new Registry();
  const m = new IstioMetrics({ registry });
  m.record(rec());
  m.record(rec());
  m.record(rec({ responseCode: 503, responseFlags: ['URX'], durationMs: 40 }));

  const total = await series(registry, 'istio_requests_total');
  assert.equal(total.length, 2);
  const ok = total.find((s) => s.labels.response_code === '200')!;
  assert.equal(ok.value, 2);
  assert.deepEqual(
    {
      reporter: ok.labels.reporter,
      source_workload: ok.labels.source_workload,
      source_canonical_service: ok.labels.source_canonical_service,
      source_canonical_revision: ok.labels.source_canonical_revision,
      destination_workload: ok.labels.destination_workload,
      destination_service: ok.labels.destination_service,
      destination_service_name: ok.labels.destination_service_name,
      destination_service_namespace: ok.labels.destination_service_namespace,
      destination_version: ok.labels.destination_version,
      destination_principal: ok.labels.destination_principal,
      request_protocol: ok.labels.request_protocol,
      response_flags: ok.labels.response_flags,
      grpc_response_status: ok.labels.grpc_response_status,
      connection_security_policy: ok.labels.connection_security_policy,
    },
    {
      reporter: 'source',
      source_workload: 'productpage-v1',
      source_canonical_service: 'productpage',
      source_canonical_revision: 'v1',
      destination_workload: 'reviews-v2',
      destination_service: 'reviews.default.svc.cluster.local',
      destination_service_name: 'reviews',
      destination_service_namespace: 'default',
      destination_version: 'v2',
      destination_principal: 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews',
      request_protocol: 'http',
      response_flags: '-',
      grpc_response_status: '',
      connection_security_policy: 'mutual_tls',
    },
  );
  const failed = total.find((s) => s.labels.response_code === '503')!;
  assert.equal(failed.labels.response_flags, 'URX');
  const text = await registry.metrics();
  assert.doesNotMatch(text, /reviews\/0/, 'the path must never become a label');
});

test('the duration histogram uses Istio buckets and observes milliseconds', async () => {
  const registry = new Registry();
  const m = new IstioMetrics({ registry });
  m.record(rec({ durationMs: 3 }));
  m.record(rec({ durationMs: 30 }));
  const buckets = await series(registry, 'istio_request_duration_milliseconds_bucket');
  const les = buckets.map((b) => b.labels.le);
  assert.deepEqual(les, [...ISTIO_DURATION_BUCKETS_MS.map(String), '+Inf']);
  const at = (le: string) => buckets.find((b) => b.labels.le === le)!.value;
  assert.equal(at('1'), 0);
  assert.equal(at('5'), 1);
  assert.equal(at('50'), 2);
  const sum = await series(registry, 'istio_request_duration_milliseconds_sum');
  assert.equal(sum[0]!.value, 33);
  const respBytes = await series(registry, 'istio_response_bytes_sum');
  assert.equal(respBytes[0]!.value, 600);
});

test('an unmeshed caller and plaintext are reported as unknown and none', async () => {
  const registry = new Registry();
  const m = new IstioMetrics({ registry });
  m.record(
    rec({
      reporter: 'destination',
      source: { workload: '', namespace: '', principal: '', version: '', app: '' },
      mtls: false,
      protocol: 'grpc',
      grpcStatus: 14,
    }),
  );
  const [s] = await series(registry, 'istio_requests_total');
  assert.equal(s!.labels.source_workload, 'unknown');
  assert.equal(s!.labels.source_principal, 'unknown');
  assert.equal(s!.labels.source_cluster, 'unknown');
  assert.equal(s!.labels.source_canonical_revision, 'latest');
  assert.equal(s!.labels.connection_security_policy, 'none');
  assert.equal(s!.labels.request_protocol, 'grpc');
  assert.equal(s!.labels.grpc_response_status, '14');
  assert.equal(s!.labels.destination_cluster, 'Kubernetes');
});

test('series beyond the limit are dropped and counted, not stored', async () => {
  const registry = new Registry();
  const m = new IstioMetrics({ registry, maxSeries: 3 });
  for (let code = 200; code < 210; code++) m.record(rec({ responseCode: code }));
  assert.equal((await series(registry, 'istio_requests_total')).length, 3);
  const [dropped] = await series(registry, 'trellis_telemetry_dropped_records_total');
  assert.equal(dropped!.value, 7);
});

test('tcp connections and bytes use the tcp metrics', async () => {
  const registry = new Registry();
  const m = new IstioMetrics({ registry });
  const r = rec();
  const conn = {
    reporter: r.reporter,
    source: r.source,
    destination: r.destination,
    responseFlags: [],
    mtls: true,
  };
  m.tcpOpened(conn);
  m.tcpBytes(conn, 100, 20);
  m.tcpBytes(conn, 5, 0);
  m.tcpClosed(conn);
  const [opened] = await series(registry, 'istio_tcp_connections_opened_total');
  const [closed] = await series(registry, 'istio_tcp_connections_closed_total');
  const [sent] = await series(registry, 'istio_tcp_sent_bytes_total');
  const [received] = await series(registry, 'istio_tcp_received_bytes_total');
  assert.equal(opened!.value, 1);
  assert.equal(closed!.value, 1);
  assert.equal(sent!.value, 105);
  assert.equal(received!.value, 20);
  assert.equal(sent!.labels.request_protocol, 'tcp');
});
