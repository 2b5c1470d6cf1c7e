import type { Command } from './main';
import { UsageError } from './usage';

/** One subcommand's run: `--help` prints its usage; usage errors exit 2, other failures 1. */
export async function runCommand(name: string, command: Command, argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`trellis ${name}: ${err.message}\n\n${command.usage}`);
      return 2;
    }
    console.error(`trellis ${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}
