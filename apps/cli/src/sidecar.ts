/**
 * Entry of the prebuilt sidecar bundle (apps/cli/dist/sidecar.mjs, see sidecar-bundle.ts): only
 * `trellis proxy`, so a sidecar loads neither tsx nor the other commands' code.
 */
import { command } from './commands/proxy';
import { runCommand } from './run-command';

export function runProxy(argv: string[]): Promise<number> {
  return runCommand('proxy', command, argv);
}
