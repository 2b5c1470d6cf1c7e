import { createHash } from 'node:crypto';
import type { ProxyConfig } from '@trellis/shared';

/**
 * A digest of what a proxy would do with a config: everything but `version`, which changes with
 * every snapshot even when this proxy's config does not. translate() is deterministic (sorted
 * output), so equal configs serialise identically.
 */
export function configHash(config: ProxyConfig): string {
  const { version: _version, ...rest } = config;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}
