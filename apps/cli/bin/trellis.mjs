#!/usr/bin/env node
// The `trellis` command. Sources are TypeScript run through tsx's loader, so a checkout works
// without a build step; tsx only transpiles at load time, so request paths run plain JS.
// `trellis proxy` runs the prebuilt sidecar bundle instead while it matches the sources
// (sidecar-bundle.mjs): every workload has a sidecar, so its memory and start-up count most.
// TRELLIS_FROM_SOURCE=1 always runs the sources.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleFreshness } from './sidecar-bundle.mjs';

const argv = process.argv.slice(2);
const bundle =
  argv[0] === 'proxy' && process.env.TRELLIS_FROM_SOURCE !== '1'
    ? bundleFreshness(fileURLToPath(new URL('../../../', import.meta.url)))
    : null;

if (bundle?.fresh) {
  const { runProxy } = await import(pathToFileURL(bundle.path).href);
  process.exitCode = await runProxy(argv.slice(1));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/main.ts');
  process.exitCode = await main(argv);
}
