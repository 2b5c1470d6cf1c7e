/**
 * `npm run bench`: the data-plane benchmark. Measures, in one run, the direct path
 * (load generator → app) and the meshed path (load generator → client sidecar outbound →
 * server sidecar inbound → app) at a constant request rate, and writes
 * bench/results/data-plane.{md,json}.
 *
 * The load generator is vegeta (constant-rate, open-loop, so queueing shows in the tail
 * instead of being hidden by coordinated omission). It is a Go module, installed into
 * .cache/bin with `go install` on first use.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBundle } from '../apps/cli/bin/sidecar-bundle.mjs';
import { startMeshForBench } from './lib/mesh';
import { summariseProfile } from './lib/profile';
import { type BenchRow, gcDelta, gcTotals, markdownTable } from './lib/report';
import { ensureVegeta, vegetaAttack } from './lib/vegeta';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '20s' },
    warmup: { type: 'string', default: '5s' },
    'skip-profile': { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/results' },
  },
});

const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, values.out);
mkdirSync(outDir, { recursive: true });
const rate = Number(values.rate);

const vegeta = await ensureVegeta(root);
// Sidecars run the prebuilt bundle, as `npm test` and the demo run them.
const bundle = await ensureBundle(root);
console.log(`sidecar bundle: ${bundle.built ? `built (${bundle.reason})` : 'up to date'}`);
const mesh = await startMeshForBench({ root });
try {
  // Warm both paths (JIT, pools) before measuring either.
  await vegetaAttack(vegeta, { url: mesh.directUrl, rate, duration: values.warmup });
  await vegetaAttack(vegeta, { url: mesh.meshUrl, host: mesh.meshHost, rate, duration: values.warmup });

  const direct = await vegetaAttack(vegeta, { url: mesh.directUrl, rate, duration: values.duration });
  const before = mesh.sidecarUsage();
  const gcBefore = (await mesh.sidecarMetrics()).map(gcTotals);
  const meshed = await vegetaAttack(vegeta, {
    url: mesh.meshUrl,
    host: mesh.meshHost,
    rate,
    duration: values.duration,
  });
  const after = mesh.sidecarUsage();
  const gcAfter = (await mesh.sidecarMetrics()).map(gcTotals);

  const rows: BenchRow[] = mesh.sidecars.map((name, i) => {
    const cpuSeconds = (after[i]?.cpuSeconds ?? 0) - (before[i]?.cpuSeconds ?? 0);
    return {
      name,
      cpuSecondsPer1000: (cpuSeconds / Math.max(1, meshed.requests)) * 1000,
      peakRssMb: (after[i]?.peakRssBytes ?? 0) / 1024 / 1024,
      gc: gcDelta(gcBefore[i] ?? gcTotals(''), gcAfter[i] ?? gcTotals('')),
    };
  });
  const result = {
    date: new Date().toISOString(),
    machine: {
      cores: availableParallelism(),
      node: process.version,
      // Other work on the machine skews latency; the load average says how much there was.
      loadAverage1m: loadavg()[0] ?? 0,
    },
    rate,
    duration: values.duration,
    direct,
    meshed,
    addedMs: {
      p50: meshed.p50Ms - direct.p50Ms,
      p90: meshed.p90Ms - direct.p90Ms,
      p99: meshed.p99Ms - direct.p99Ms,
    },
    sidecars: rows,
    targets: { addedP90Ms: 1, addedP99Ms: 2, vcpuPer1000Rps: 0.2, rssMb: 50 },
  };
  await mesh.stop();
  // Profile in a separate pass so the profiler's overhead never shows in the numbers above.
  const profile = !values['skip-profile'] ? await profileClientSidecar() : undefined;
  writeFileSync(join(outDir, 'data-plane.json'), `${JSON.stringify({ ...result, profile }, null, 2)}\n`);
  writeFileSync(join(outDir, 'data-plane.md'), markdownTable(result, profile));
  console.log(markdownTable(result, profile));
} finally {
  await mesh.stop();
}

async function profileClientSidecar() {
  const profileDir = join(outDir, 'profiles');
  rmSync(profileDir, { recursive: true, force: true });
  const profiled = await startMeshForBench({ root, profileDir });
  try {
    await vegetaAttack(vegeta, {
      url: profiled.meshUrl,
      host: profiled.meshHost,
      rate,
      duration: values.duration,
    });
  } finally {
    await profiled.stop();
  }
  return summariseProfile(profileDir);
}
