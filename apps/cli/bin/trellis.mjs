#!/usr/bin/env node
// The `trellis` command. Sources are TypeScript run through tsx's loader, so a checkout works
// without a build step; tsx only transpiles at load time, so request paths run plain JS.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
