import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalReply, UpstreamResponse } from '../upstream/outcome';
import { classifyOutcome, observe, sweep } from './outlier';
import { compiled, testCluster, testConfig } from './testing';

function clusterWith(od: {
  consecutive5xxErrors?: number;
  consecutiveGatewayErrors?: number;
  maxEjectionPercent: number;
}) {
  return compiled(
    testConfig(
      [],
      [
        testCluster('c', [1, 2, 3, 4], {
          outlierDetection: { intervalMs: 10, baseEjectionTimeMs: 100, ...od },
        }),
      ],
    ),
  ).clusters.get('c')!;
}

test('consecutive 5xx ejects at the threshold; a success resets the count', () => {
  const c = clusterWith({ consecutive5xxErrors: 3, maxEjectionPercent: 100 });
  const e = c.endpoints[0]!.state;
  observe(c, e, 'error5xx', 0);
  observe(c, e, 'error5xx', 0);
  observe(c, e, 'success', 0);
  observe(c, e, 'error5xx', 0);
  observe(c, e, 'error5xx', 0);
  assert.equal(e.ejected, false);
  assert.equal(observe(c, e, 'local', 0), true);
  assert.equal(e.ejected, true);
});

test('ejection lasts baseEjectionTime × times ejected', () => {
  const c = clusterWith({ consecutive5xxErrors: 1, maxEjectionPercent: 100 });
  const e = c.endpoints[0]!.state;
  observe(c, e, 'error5xx', 0);
  sweep(c, 99);
  assert.equal(e.ejected, true);
  sweep(c, 100);
  assert.equal(e.ejected, false);
  observe(c, e, 'error5xx', 200);
  assert.equal(e.ejections, 2);
  sweep(c, 350);
  assert.equal(e.ejected, true, 'second ejection lasts 200 ms');
  sweep(c, 400);
  assert.equal(e.ejected, false);
});

test('maxEjectionPercent caps ejections, but one host can always be ejected', () => {
  const c = clusterWith({ consecutive5xxErrors: 1, maxEjectionPercent: 10 });
  const [a, b] = c.endpoints.map((x) => x.state);
  assert.equal(observe(c, a!, 'error5xx', 0), true, 'the first ejection is always allowed');
  assert.equal(observe(c, b!, 'error5xx', 0), false);
  const c2 = clusterWith({ consecutive5xxErrors: 1, maxEjectionPercent: 50 });
  const s = c2.endpoints.map((x) => x.state);
  assert.equal(observe(c2, s[0]!, 'error5xx', 0), true);
  assert.equal(observe(c2, s[1]!, 'error5xx', 0), true, '2 of 4 is 50%');
  assert.equal(observe(c2, s[2]!, 'error5xx', 0), false);
});

test('gateway errors count only 502/503/504 and local failures', () => {
  const c = clusterWith({ consecutiveGatewayErrors: 2, maxEjectionPercent: 100 });
  const e = c.endpoints[0]!.state;
  observe(c, e, 'error5xx', 0);
  observe(c, e, 'error5xx', 0);
  assert.equal(e.ejected, false);
  observe(c, e, 'gateway', 0);
  observe(c, e, 'local', 0);
  assert.equal(e.ejected, true);
  const r = new UpstreamResponse('c');
  r.onHead(503, {});
  assert.equal(classifyOutcome(r), 'gateway');
  assert.equal(
    classifyOutcome(new LocalReply(503, 'UO', '')),
    'success',
    'overflow is the proxy, not the host',
  );
});
