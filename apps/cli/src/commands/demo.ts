import type { Command } from '../main';

// Placeholder until its issue lands; exits 1 with a clear message.
export const command: Command = {
  summary: 'not implemented yet',
  usage: 'Usage: trellis demo (not implemented yet)',
  async run() {
    console.error('trellis demo: not implemented yet');
    return 1;
  },
};
