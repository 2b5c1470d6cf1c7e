import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PORT_BASE, demoLayout, layoutPorts, MAX_PORT_BASE, PORT_SPAN } from './layout';

describe('demo port layout', () => {
  it('puts the API, gRPC and console at the base and each workload at base+10*k', () => {
    const l = demoLayout(30000);
    assert.deepEqual([l.apiPort, l.grpcPort, l.consolePort], [30000, 30001, 30002]);
    const reviews = l.workloads.find((w) => w.name === 'reviews-v2')!;
    assert.deepEqual(
      [reviews.appPort, reviews.inboundPort, reviews.outboundPort, reviews.adminPort, reviews.metricsPort],
      [30040, 30041, 30042, 30043, 30044],
    );
  });

  it('runs the six Bookinfo workloads and a meshed load generator', () => {
    const l = demoLayout(DEFAULT_PORT_BASE);
    assert.deepEqual(
      l.workloads.map((w) => `${w.name} ${w.app} ${w.version} ${w.serviceAccount}`),
      [
        'productpage-v1 productpage v1 bookinfo-productpage',
        'details-v1 details v1 bookinfo-details',
        'reviews-v1 reviews v1 bookinfo-reviews',
        'reviews-v2 reviews v2 bookinfo-reviews',
        'reviews-v3 reviews v3 bookinfo-reviews',
        'ratings-v1 ratings v1 bookinfo-ratings',
        'loadgen loadgen v1 loadgen',
      ],
    );
    assert.deepEqual(l.workloads.find((w) => w.name === 'loadgen')!.services, []);
    assert.deepEqual(l.workloads[0]!.services, [{ name: 'productpage', port: 9080 }]);
  });

  it('uses distinct ports, all inside base..base+PORT_SPAN-1', () => {
    const base = 40000;
    const ports = layoutPorts(demoLayout(base)).map((p) => p.port);
    assert.equal(new Set(ports).size, ports.length);
    for (const p of ports) assert.ok(p >= base && p < base + PORT_SPAN, `${p} inside the span`);
  });

  it('refuses bases that would not fit', () => {
    assert.throws(() => demoLayout(80), RangeError);
    assert.throws(() => demoLayout(MAX_PORT_BASE + 1), RangeError);
    assert.throws(() => demoLayout(20000.5), RangeError);
    assert.equal(demoLayout(MAX_PORT_BASE).workloads.at(-1)!.metricsPort, 65535);
  });
});
