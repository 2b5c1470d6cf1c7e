import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoLayout } from './layout';
import {
  appProcess,
  childEnv,
  consoleProcess,
  controlPlaneProcess,
  type PlanContext,
  sidecarProcess,
} from './plan';

const layout = demoLayout(30000);
const ctx: PlanContext = {
  root: '/repo',
  dataDir: '/repo/.data/demo',
  rate: 3,
  jasonPercent: 20,
  env: { PATH: '/usr/bin' },
  joinTokenFile: '/repo/.data/demo/join-token',
  nextBin: '/repo/node_modules/next/dist/bin/next',
};
const workload = (name: string) => layout.workloads.find((w) => w.name === name)!;

function flag(args: string[], name: string): string[] {
  return args.flatMap((a, i) => (a === name ? [args[i + 1]!] : []));
}

describe('demo process plan', () => {
  it('gives each sidecar the contract flags, its identity and its ports', () => {
    const p = sidecarProcess(workload('reviews-v2'), layout, ctx);
    assert.equal(p.name, 'reviews-v2-sidecar');
    assert.equal(p.args[1], 'proxy');
    assert.deepEqual(flag(p.args, '--control-plane'), ['127.0.0.1:30001']);
    assert.deepEqual(flag(p.args, '--workload'), ['reviews-v2']);
    assert.deepEqual(flag(p.args, '--namespace'), ['default']);
    assert.deepEqual(flag(p.args, '--service-account'), ['bookinfo-reviews']);
    assert.deepEqual(flag(p.args, '--labels'), ['app=reviews,version=v2']);
    assert.deepEqual(flag(p.args, '--service'), ['reviews:9080']);
    assert.deepEqual(flag(p.args, '--app-port'), ['30040']);
    assert.deepEqual(flag(p.args, '--inbound-port'), ['30041']);
    assert.deepEqual(flag(p.args, '--outbound-port'), ['30042']);
    assert.deepEqual(flag(p.args, '--admin-port'), ['30043']);
    assert.deepEqual(flag(p.args, '--metrics-port'), ['30044']);
    assert.deepEqual(flag(p.args, '--join-token-file'), ['/repo/.data/demo/join-token']);
    assert.equal(p.readyUrl, 'http://127.0.0.1:30043/ready');
  });

  it("traces every request unless the user chose a sampling rate (Istio's demo profile)", () => {
    assert.equal(controlPlaneProcess(layout, ctx).env.TRELLIS_TRACING_SAMPLING, '100');
    const chosen = { ...ctx, env: { ...ctx.env, TRELLIS_TRACING_SAMPLING: '5' } };
    assert.equal(controlPlaneProcess(layout, chosen).env.TRELLIS_TRACING_SAMPLING, '5');
  });

  it('sends each app through its own sidecar with HTTP_PROXY', () => {
    const app = appProcess(workload('reviews-v2'), ctx);
    assert.equal(app.env.HTTP_PROXY, 'http://127.0.0.1:30042');
    assert.deepEqual(flag(app.args, '--service'), ['reviews']);
    assert.deepEqual(flag(app.args, '--version'), ['v2']);
    assert.deepEqual(flag(app.args, '--port'), ['30040']);
    assert.equal(app.readyUrl, 'http://127.0.0.1:30040/health');
  });

  it('runs the load generator by service name through its own sidecar at the chosen rate', () => {
    const lg = appProcess(workload('loadgen'), ctx);
    assert.equal(lg.role, 'loadgen');
    assert.deepEqual(flag(lg.args, '--target'), ['http://productpage:9080']);
    assert.deepEqual(flag(lg.args, '--proxy'), ['http://127.0.0.1:30072']);
    assert.deepEqual(flag(lg.args, '--rate'), ['3']);
    assert.deepEqual(flag(lg.args, '--jason-percent'), ['20']);
    const sidecar = sidecarProcess(workload('loadgen'), layout, ctx);
    assert.deepEqual(flag(sidecar.args, '--service'), [], 'the load generator serves nothing');
  });

  it('points the console at the control plane', () => {
    const c = consoleProcess(layout, ctx);
    assert.equal(c.env.TRELLIS_API_URL, 'http://127.0.0.1:30000');
    assert.deepEqual(c.args, [
      '/repo/node_modules/next/dist/bin/next',
      'start',
      '-p',
      '30002',
      '-H',
      '127.0.0.1',
    ]);
    assert.ok(c.essential);
  });

  it('keeps the user proxy settings away from the children', () => {
    const env = childEnv({ HTTP_PROXY: 'http://corp:3128', https_proxy: 'x', NO_PROXY: 'y', HOME: '/h' });
    assert.deepEqual(env, { HOME: '/h' });
  });
});
