import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaSetupError } from './errors';
import { isGroupOrWorldAccessible, writeFileAtomic } from './files';
import type { CaLogger } from './log';

export function joinTokenPath(dataDir: string): string {
  return join(dataDir, 'join-token');
}

// 32 random bytes: far beyond guessing, and short enough to paste.
const TOKEN_BYTES = 32;
const MIN_TOKEN_LENGTH = 16;

/**
 * The embedded mode's bootstrap credential: DIR/join-token (0600), made at first start and kept
 * across restarts so running proxies can renew. Proxies read it with --join-token-file.
 */
export function loadOrCreateJoinToken(dataDir: string, log: CaLogger): string {
  const path = joinTokenPath(dataDir);
  if (!existsSync(path)) {
    try {
      writeFileAtomic(path, `${randomBytes(TOKEN_BYTES).toString('base64url')}\n`, 0o600);
      log('info', 'created the join token for proxies', { file: path });
    } catch (err) {
      throw new CaSetupError(
        'CA_JOIN_TOKEN_UNUSABLE',
        `cannot write ${path} (${(err as NodeJS.ErrnoException).code})`,
      );
    }
  } else if (isGroupOrWorldAccessible(path)) {
    chmodSync(path, 0o600);
    log('warn', 'the join token file was readable by group or others; set it back to 0600', { file: path });
  }
  const token = readFileSync(path, 'utf8').trim();
  if (token.length < MIN_TOKEN_LENGTH)
    throw new CaSetupError(
      'CA_JOIN_TOKEN_UNUSABLE',
      `${path} holds no usable token; remove it to make a new one`,
    );
  return token;
}
