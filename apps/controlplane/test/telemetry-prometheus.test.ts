/**
 * The telemetry backends agree, and Kiali's queries work on our series. Real processes: the
 * control plane (built-in scraper every 1 s), three sidecars, their apps, and a real Prometheus
 * (Debian's /usr/bin/prometheus) that finds the sidecars through GET /api/v1/sd/prometheus.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import type { ServiceGraph } from '@trellis/shared';
import { parsePrometheusText } from '../src/telemetry/prom-text';
import { PrometheusBackend } from '../src/telemetry/prometheus-backend';
import { Telemetry } from '../src/telemetry/telemetry';
import {
  getJson,
  newAgent,
  PROMETHEUS_BIN,
  paced,
  sleep,
  startApp,
  startControlPlane,
  startPrometheus,
  startSidecar,
  until,
  untilRoutable,
  viaInbound,
  viaOutbound,
} from './telemetry-support';

const REVIEWS = 'reviews.default.svc.cluster.local';
const BODY = 'x'.repeat(1000);

/**
 * What Kiali's graph reads (kiali/kiali graph/telemetry/istio: istio.go for traffic,
 * appender/response_time.go, appender/security_policy.go, appender/throughput.go): the series
 * names and every label its queries select on or group by.
 */
const KIALI = {
  traffic: {
    metric: 'istio_requests_total',
    labels: [
      'reporter',
      'source_workload_namespace',
      'source_workload',
      'source_canonical_service',
      'source_canonical_revision',
      'source_cluster',
      'destination_service_namespace',
      'destination_service',
      'destination_service_name',
      'destination_workload_namespace',
      'destination_workload',
      'destination_canonical_service',
      'destination_canonical_revision',
      'destination_cluster',
      'request_protocol',
      'response_code',
      'grpc_response_status',
      'response_flags',
    ],
  },
  responseTime: {
    metric: 'istio_request_duration_milliseconds_bucket',
    labels: [
      'le',
      'reporter',
      'source_workload_namespace',
      'source_workload',
      'source_app',
      'source_version',
      'destination_service_namespace',
      'destination_service_name',
      'destination_workload_namespace',
      'destination_workload',
      'destination_app',
      'destination_version',
      'response_code',
      'grpc_response_status',
    ],
  },
  securityPolicy: {
    metric: 'istio_requests_total',
    labels: [
      'reporter',
      'source_workload_namespace',
      'source_workload',
      'source_canonical_service',
      'source_canonical_revision',
      'source_principal',
      'destination_service_namespace',
      'destination_service_name',
      'destination_workload_namespace',
      'destination_workload',
      'destination_canonical_service',
      'destination_canonical_revision',
      'destination_principal',
      'connection_security_policy',
    ],
  },
  throughput: {
    metric: 'istio_response_bytes_sum',
    labels: [
      'reporter',
      'source_cluster',
      'source_workload_namespace',
      'source_workload',
      'source_canonical_service',
      'source_canonical_revision',
      'destination_cluster',
      'destination_service_namespace',
      'destination_service',
      'destination_service_name',
      'destination_workload_namespace',
      'destination_workload',
      'destination_canonical_service',
      'destination_canonical_revision',
    ],
  },
  requestThroughput: { metric: 'istio_request_bytes_sum', labels: ['reporter', 'source_workload'] },
  // TCP graph edges (istio.go): the family exists; series appear once TCP traffic is proxied.
  tcp: { metric: 'istio_tcp_sent_bytes_total', labels: [] as string[] },
};

function within(a: number, b: number, rel: number): boolean {
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
}

test('the Prometheus backend and the built-in one draw the same graph, and Kiali finds its series', async (t) => {
  // A missing Prometheus fails the test rather than skipping it: .ci/run installs it.
  assert.ok(existsSync(PROMETHEUS_BIN), `${PROMETHEUS_BIN} is not installed (apt-get install prometheus)`);
  const cp = await startControlPlane(t, { TRELLIS_SCRAPE_INTERVAL: '1s' });
  const v1App = await startApp(t, 'reviews-v1', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(BODY);
  });
  let n = 0;
  // v2 is slower (100 ms) and fails one request in ten with a 500 (Istio's default retry
  // policy retries 503s, which would hide them): latency and errors must show.
  const v2App = await startApp(t, 'reviews-v2', (_req, res) => {
    setTimeout(() => {
      n++;
      res.writeHead(n % 10 === 0 ? 500 : 200, { 'content-type': 'text/plain' });
      res.end(BODY);
    }, 100);
  });
  const ppApp = await startApp(t, 'productpage');
  const [v1, v2, pp] = await Promise.all([
    startSidecar(t, cp, { workload: 'reviews-v1', app: 'reviews', version: 'v1', appPort: v1App }),
    startSidecar(t, cp, { workload: 'reviews-v2', app: 'reviews', version: 'v2', appPort: v2App }),
    startSidecar(t, cp, { workload: 'productpage-v1', app: 'productpage', version: 'v1', appPort: ppApp }),
  ]);
  await until('both reviews endpoints in productpage config', async () => {
    await untilRoutable(pp, REVIEWS);
    const r = await fetch(`http://127.0.0.1:${pp.admin}/config_dump`);
    const dump = (await r.json()) as {
      config: { outbound: { clusters: { service: string; endpoints: unknown[] }[] } };
    };
    return dump.config.outbound.clusters.some((c) => c.service === REVIEWS && c.endpoints.length === 2);
  });

  const sd = await getJson<{ targets: string[] }[]>(`${cp.url}/api/v1/sd/prometheus`);
  assert.equal(sd.status, 200);
  assert.deepEqual(
    sd.body.flatMap((g) => g.targets).sort(),
    [v1, v2, pp].map((s) => `127.0.0.1:${s.metrics}`).sort(),
    'service discovery lists every sidecar metrics port',
  );

  const prom = await startPrometheus(t, `${cp.url}/api/v1/sd/prometheus`, 1);
  await until(
    'Prometheus to scrape all three sidecars',
    async () => (await prom.query('up{job="trellis-sidecars"} == 1')).length === 3,
    30_000,
    500,
  );

  // ~25 s of steady traffic: 24 rps from productpage, 4 rps from outside the mesh to v1.
  const agent = newAgent(t);
  const loadStart = Date.now();
  const done: number[] = [];
  const [fromPp, fromOutside] = await Promise.all([
    paced(24, 25, async () => {
      const r = await viaOutbound(agent, pp.outbound, `http://${REVIEWS}:9080/reviews/1`);
      if (r.status !== 0) done.push(Date.now());
      return r;
    }),
    paced(4, 25, () => viaInbound(agent, v1.inbound, 'reviews:9080', '/direct')),
  ]);
  const loadEnd = Date.now();
  t.diagnostic(
    `sent ${fromPp.sent} via productpage (${[...fromPp.statuses]}), ${fromOutside.sent} from outside (${[...fromOutside.statuses]})`,
  );
  assert.ok((fromPp.statuses.get(200) ?? 0) > 0);
  assert.equal(fromOutside.statuses.get(200), fromOutside.sent);
  // Both scrapers catch the last counters, then both are asked about the same 15 s window.
  await sleep(4000);
  const endMs = loadEnd - 2000;
  assert.ok(endMs - 15_000 > loadStart + 3000, 'the window lies inside the load');

  const builtin = await getJson<ServiceGraph>(`${cp.url}/api/v1/mesh/graph?window=15s&end=${endMs}`);
  assert.equal(builtin.status, 200);
  const fromProm = await new Telemetry(
    new PrometheusBackend({ url: prom.url, scrapeIntervalSeconds: 1 }),
  ).graph({
    windowSeconds: 15,
    endMs,
  });
  const a = builtin.body;
  assert.equal(a.backend, 'builtin');
  assert.equal(fromProm.backend, 'prometheus');

  await t.test('same nodes and edges, rates within 10%', () => {
    assert.deepEqual(
      fromProm.nodes.map((x) => x.id),
      a.nodes.map((x) => x.id),
    );
    assert.deepEqual(
      fromProm.edges.map((x) => x.id),
      a.edges.map((x) => x.id),
    );
    assert.deepEqual(
      a.edges.map((e) => e.id),
      [
        'unknown->workload:default/reviews-v1|http',
        'workload:default/productpage-v1->workload:default/reviews-v1|http',
        'workload:default/productpage-v1->workload:default/reviews-v2|http',
      ],
    );
    for (const e of a.edges) {
      const p = fromProm.edges.find((x) => x.id === e.id)!;
      assert.ok(e.rps > 0, `${e.id} has traffic`);
      assert.ok(
        within(e.rps, p.rps, 0.1),
        `${e.id}: built-in ${e.rps.toFixed(2)} rps, Prometheus ${p.rps.toFixed(2)}`,
      );
      assert.ok(Math.abs((e.errorRate ?? 0) - (p.errorRate ?? 0)) < 0.03, `${e.id} error rate`);
      assert.equal(e.mtlsShare, p.mtlsShare, `${e.id} mTLS share`);
      // Quantiles come from coarse buckets (…, 25, 50, 100, 250 ms): one sample more or less in
      // the window moves an interpolated p50 a lot, so only the same order is asked for.
      assert.ok(e.p50Ms !== null && p.p50Ms !== null);
      assert.ok(within(e.p50Ms!, p.p50Ms!, 0.5), `${e.id} p50 ${e.p50Ms} vs ${p.p50Ms}`);
    }
    // The numbers mean what they say: the rate productpage's requests finished at in the window,
    // split over two versions, v2 slower and failing ~10%.
    const toV2 = a.edges.find((e) => e.target === 'workload:default/reviews-v2')!;
    const toV1 = a.edges.find(
      (e) => e.id === 'workload:default/productpage-v1->workload:default/reviews-v1|http',
    )!;
    const finished = done.filter((ms) => ms > endMs - 15_000 && ms <= endMs).length / 15;
    assert.ok(
      within(toV1.rps + toV2.rps, finished, 0.15),
      `graph ${toV1.rps + toV2.rps} rps, sent ${finished}`,
    );
    assert.ok(toV2.errorRate! > 0.04 && toV2.errorRate! < 0.2, `v2 error rate ${toV2.errorRate}`);
    assert.equal(toV1.errorRate, 0);
    assert.ok(
      toV2.p50Ms! >= 100 && toV1.p50Ms! < toV2.p50Ms!,
      `p50 v1 ${toV1.p50Ms} ms, v2 ${toV2.p50Ms} ms`,
    );
  });

  await t.test("every series and label Kiali's graph queries use is on the sidecars' pages", async () => {
    const pages = await Promise.all(
      [v1, v2, pp].map(async (s) => (await fetch(`http://127.0.0.1:${s.metrics}/metrics`)).text()),
    );
    const samples = pages.flatMap((p) => parsePrometheusText(p));
    for (const [use, q] of Object.entries(KIALI)) {
      const family = q.metric.replace(/_(bucket|sum|count)$/, '');
      assert.ok(
        pages.some((p) => p.includes(`# TYPE ${family} `)),
        `${use}: ${family} is exported`,
      );
      if (q.labels.length === 0) continue;
      const series = samples.filter((s) => s.name === q.metric);
      assert.ok(series.length > 0, `${use}: ${q.metric} has series`);
      for (const s of series)
        for (const l of q.labels) assert.ok(l in s.labels, `${use}: ${q.metric} carries ${l}`);
    }
  });

  await t.test("Kiali's queries answer with the right meaning from the real Prometheus", async () => {
    const at = endMs / 1000;
    // istio.go query 1: traffic from outside the mesh, destination-reported.
    const unknown = await prom.query(
      `sum(rate(istio_requests_total{reporter="destination",source_workload="unknown",destination_workload_namespace="default"}[15s])) by (${KIALI.traffic.labels.join(',')})`,
      at,
    );
    assert.deepEqual(
      unknown.map((r) => [r.metric.destination_workload, r.metric.destination_canonical_service]),
      [['reviews-v1', 'reviews']],
    );
    assert.ok(within(Number(unknown[0]!.value[1]), 4, 0.3), `outside traffic ${unknown[0]!.value[1]} rps`);

    // istio.go query 3: traffic from inside the namespace, source-reported.
    const inside = await prom.query(
      `sum(rate(istio_requests_total{reporter="source",source_workload_namespace="default"}[15s])) by (${KIALI.traffic.labels.join(',')})`,
      at,
    );
    assert.ok(inside.length >= 2);
    for (const r of inside) {
      const m = r.metric;
      assert.equal(m.source_workload, 'productpage-v1');
      assert.equal(m.source_canonical_service, 'productpage');
      assert.equal(m.source_canonical_revision, 'v1');
      assert.equal(m.destination_service, REVIEWS);
      assert.equal(m.destination_service_name, 'reviews');
      assert.equal(m.destination_service_namespace, 'default');
      assert.equal(m.destination_canonical_service, 'reviews');
      assert.equal(m.destination_workload, `reviews-${m.destination_canonical_revision}`);
      assert.equal(m.request_protocol, 'http');
      assert.equal(m.response_flags, '-');
    }
    assert.ok(
      inside.some((r) => r.metric.response_code === '500' && r.metric.destination_workload === 'reviews-v2'),
    );

    // response_time.go (its quantile is a parameter; the median is steadier on a busy machine):
    // milliseconds of successful requests, per destination version.
    const p50 = await prom.query(
      `histogram_quantile(0.5, sum(rate(istio_request_duration_milliseconds_bucket{reporter="source",source_workload_namespace="default",response_code=~"2[0-9]{2}$"}[15s])) by (${KIALI.responseTime.labels.filter((l) => !['reporter', 'response_code', 'grpc_response_status'].includes(l)).join(',')}))`,
      at,
    );
    const byVersion = Object.fromEntries(p50.map((r) => [r.metric.destination_version, Number(r.value[1])]));
    // Every v2 answer took at least 100 ms: its median lies in the (100, 250] ms bucket or above.
    assert.ok(byVersion.v2! >= 100, `v2 p50 ${byVersion.v2} ms`);
    assert.ok(byVersion.v1! < byVersion.v2!, `v1 p50 ${byVersion.v1} ms`);

    // security_policy.go: destination-reported policy with principals; consistent with each other.
    const policy = await prom.query(
      `sum(rate(istio_requests_total{reporter="destination",source_workload_namespace="default"}[15s])) by (${KIALI.securityPolicy.labels.join(',')}) > 0`,
      at,
    );
    assert.ok(policy.length > 0);
    for (const r of policy) {
      const m = r.metric;
      assert.ok(m.connection_security_policy === 'mutual_tls' || m.connection_security_policy === 'none');
      if (m.connection_security_policy === 'mutual_tls')
        assert.match(m.source_principal ?? '', /^spiffe:\/\//);
      else assert.equal(m.source_principal, 'unknown');
    }

    // throughput.go: response bytes per second, destination-reported (1000-byte bodies).
    const bytes = await prom.query(
      `sum(rate(istio_response_bytes_sum{reporter="destination",source_workload_namespace="default"}[15s])) by (${KIALI.throughput.labels.join(',')}) > 0`,
      at,
    );
    const perVersion = await prom.query(
      `sum(rate(istio_requests_total{reporter="destination",source_workload_namespace="default"}[15s])) by (destination_workload)`,
      at,
    );
    for (const r of bytes) {
      const reqs = perVersion.find((x) => x.metric.destination_workload === r.metric.destination_workload)!;
      const perRequest = Number(r.value[1]) / Number(reqs.value[1]);
      assert.ok(
        within(perRequest, 1000, 0.05),
        `${r.metric.destination_workload}: ${perRequest} bytes per response`,
      );
    }
  });
});
