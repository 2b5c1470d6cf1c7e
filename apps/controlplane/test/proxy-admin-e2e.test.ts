/**
 * The console's view of the sidecars' own state through the real chain: `trellis controlplane`,
 * `trellis proxy` sidecars, small apps. A caller (productpage) ejects the reviews endpoint whose
 * app answers 500; the control plane's endpoints route, reading every sidecar's admin /clusters,
 * names that caller; the certs route reads a sidecar's /certs; a killed sidecar is listed as
 * unreachable rather than dropped.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { ProxyCertsStatus, ServiceEndpointsStatus } from '@trellis/shared/proxy-admin-api';
import {
  type ControlPlane,
  kubectl,
  newAgent,
  type Sidecar,
  startControlPlane,
  startSidecar,
  suiteContext,
  tempDir,
  until,
  viaSidecar,
} from './e2e-harness';

const CLUSTER = 'outbound|9080||reviews.default.svc.cluster.local';

/** An app that answers 200 with its version, or 500 while `failing`. */
async function startApp(t: ReturnType<typeof suiteContext>, version: string) {
  const app = { port: 0, failing: false };
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(app.failing ? 500 : 200, { 'content-type': 'text/plain' });
    res.end(app.failing ? 'broken' : version);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  app.port = (server.address() as { port: number }).port;
  return app;
}

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: (await res.json()) as T };
}

describe('proxy admin through the control plane', () => {
  const t = suiteContext();
  let cp: ControlPlane;
  let pp: Sidecar;
  let v1: Sidecar;
  let v1App: Awaited<ReturnType<typeof startApp>>;

  before(async () => {
    cp = await startControlPlane(t, tempDir(t, 'trellis-proxy-admin-'));
    v1App = await startApp(t, 'v1');
    const v2App = await startApp(t, 'v2');
    const ppApp = await startApp(t, 'productpage');
    [v1] = await Promise.all([
      startSidecar(t, cp, { workload: 'reviews-v1', app: 'reviews', version: 'v1', appPort: v1App.port }),
      startSidecar(t, cp, { workload: 'reviews-v2', app: 'reviews', version: 'v2', appPort: v2App.port }),
    ]);
    pp = await startSidecar(t, cp, {
      workload: 'productpage-v1',
      app: 'productpage',
      version: 'v1',
      appPort: ppApp.port,
    });
    // A long baseEjectionTime keeps the endpoint ejected while the test reads it.
    await kubectl(
      cp,
      ['apply'],
      `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: default }
spec:
  host: reviews
  trafficPolicy:
    outlierDetection: { consecutive5xxErrors: 3, interval: 100ms, baseEjectionTime: 120s, maxEjectionPercent: 100 }
`,
    );
    await until('productpage to hold two reviews endpoints with outlier detection', async () => {
      const res = await fetch(`http://127.0.0.1:${pp.admin}/config_dump`);
      const json = JSON.stringify(await res.json());
      return json.includes('"baseEjectionTimeMs":120000') &&
        (json.match(/"workload":"reviews-v/g) ?? []).length >= 2
        ? true
        : undefined;
    });
  });
  after(() => t.run());

  it('names the caller that ejected the failing endpoint; the other endpoint is healthy', async () => {
    const agent = newAgent(t);
    v1App.failing = true;
    const url = `${cp.url}/api/v1/mesh/services/default/reviews/endpoints`;
    // Round robin over two endpoints: the failing one is ejected after its third 5xx.
    const view = await until(
      'the endpoints route to report reviews-v1 ejected',
      async () => {
        await viaSidecar(pp.outbound, agent);
        const { status, body } = await getJson<ServiceEndpointsStatus>(url);
        assert.equal(status, 200);
        return body.endpoints.find((e) => e.id === 'reviews-v1.default')?.state === 'ejected'
          ? body
          : undefined;
      },
      30_000,
      50,
    );
    v1App.failing = false;
    const byId = new Map(view.endpoints.map((e) => [e.id, e]));
    const bad = byId.get('reviews-v1.default')!;
    assert.deepEqual(bad.ejectedBy, ['productpage-v1']);
    assert.equal(bad.address, `127.0.0.1:${v1.inbound}`);
    const report = bad.reports.find((r) => r.proxy === 'productpage-v1.default')!;
    assert.deepEqual(report.ejectedIn, [CLUSTER]);
    assert.ok(report.ejections >= 1 && report.errors >= 3, JSON.stringify(report));
    const good = byId.get('reviews-v2.default')!;
    assert.equal(good.state, 'healthy');
    assert.deepEqual(good.ejectedBy, []);
    assert.ok(good.reports.find((r) => r.proxy === 'productpage-v1.default')!.totalRequests >= 1);
    // Every sidecar holds a cluster for every service (no Sidecar resource scopes them); all answered.
    assert.deepEqual(
      view.callers.map((c) => [c.proxy, c.status]),
      [
        ['productpage-v1.default', 'reported'],
        ['reviews-v1.default', 'reported'],
        ['reviews-v2.default', 'reported'],
      ],
    );
    // Callers that sent nothing to reviews still hold both endpoints healthy.
    assert.deepEqual(
      bad.reports.filter((r) => r.ejected).map((r) => r.proxy),
      ['productpage-v1.default'],
    );
    assert.equal(view.hostname, 'reviews.default.svc.cluster.local');
  });

  it("reads a sidecar's certificate: its SPIFFE id and a notAfter in the future", async () => {
    const { status, body } = await getJson<ProxyCertsStatus>(
      `${cp.url}/api/v1/mesh/proxies/reviews-v2.default/certs`,
    );
    assert.equal(status, 200);
    assert.equal(body.status, 'ok', JSON.stringify(body));
    if (body.status !== 'ok') return;
    assert.equal(body.identity, 'spiffe://cluster.local/ns/default/sa/reviews');
    assert.ok(body.certificate, 'the sidecar holds a certificate');
    assert.equal(body.certificate.spiffeId, 'spiffe://cluster.local/ns/default/sa/reviews');
    assert.ok(Date.parse(body.certificate.notAfter) > Date.now(), body.certificate.notAfter);
    assert.ok(body.certificate.secondsToExpiry > 0 && body.certificate.lifeLeftShare > 0);
    assert.match(body.certificate.serialNumber, /^[0-9a-fA-F:]+$/);

    const missing = await fetch(`${cp.url}/api/v1/mesh/proxies/nope.default/certs`);
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  });

  it('a killed sidecar is listed as unreachable, not left out', async () => {
    await pp.proc.stop('SIGKILL');
    const view = await until(
      'the endpoints route to list productpage as unreachable',
      async () => {
        const { body } = await getJson<ServiceEndpointsStatus>(
          `${cp.url}/api/v1/mesh/services/default/reviews/endpoints`,
        );
        return body.callers.some((c) => c.proxy === 'productpage-v1.default' && c.status === 'unreachable')
          ? body
          : undefined;
      },
      20_000,
      200,
    );
    const c = view.callers.find((x) => x.proxy === 'productpage-v1.default')!;
    assert.equal(c.status, 'unreachable');
    if (c.status === 'unreachable') assert.equal(c.failure.kind, 'unreachable');
    // The ejection lived in productpage's sidecar: with it gone, no answering caller claims it.
    const v1Row = view.endpoints.find((e) => e.id === 'reviews-v1.default')!;
    assert.deepEqual(v1Row.ejectedBy, []);
    assert.ok(!v1Row.reports.some((r) => r.proxy === 'productpage-v1.default'));
    assert.deepEqual(
      view.callers.filter((x) => x.status === 'reported').map((x) => x.proxy),
      ['reviews-v1.default', 'reviews-v2.default'],
    );

    const all = await getJson<ProxyCertsStatus[]>(`${cp.url}/api/v1/mesh/certs`);
    const byProxy = new Map(all.body.map((x) => [x.proxy, x.status]));
    assert.equal(byProxy.get('productpage-v1.default'), 'unreachable');
    assert.equal(byProxy.get('reviews-v1.default'), 'ok');
  });
});
