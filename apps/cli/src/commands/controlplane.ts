import type { Command } from '../main';

// Placeholder until its issue lands; exits 1 with a clear message.
export const command: Command = {
  summary: 'not implemented yet',
  usage: 'Usage: trellis controlplane (not implemented yet)',
  async run() {
    console.error('trellis controlplane: not implemented yet');
    return 1;
  },
};
