import { runCommand } from './run-command';

/** A subcommand: parses its own flags, returns an exit code (0 ok, 1 failure, 2 usage). */
export interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<Command>> = {
  controlplane: async () => (await import('./commands/controlplane')).command,
  proxy: async () => (await import('./commands/proxy')).command,
  demo: async () => (await import('./commands/demo')).command,
  status: async () => (await import('./commands/status')).command,
  analyze: async () => (await import('./commands/analyze')).command,
};

async function help(): Promise<string> {
  const lines = ['Usage: trellis <command> [flags]', '', 'Commands:'];
  for (const [name, load] of Object.entries(commands))
    lines.push(`  ${name.padEnd(14)}${(await load()).summary}`);
  lines.push('', 'Run "trellis <command> --help" for the flags of one command.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(await help());
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    console.error(`trellis: unknown command "${name}"\n\n${await help()}`);
    return 2;
  }
  return runCommand(name, await load(), rest);
}
