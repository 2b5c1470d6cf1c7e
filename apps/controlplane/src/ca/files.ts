import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, statSync, writeSync } from 'node:fs';

/**
 * Writes a file atomically (temp file + rename) with the given mode. The temp file is created
 * with that mode from the start, so a secret is never readable by others, even briefly.
 */
export function writeFileAtomic(path: string, data: string, mode: number): void {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // The umask may have cleared bits we asked for; never bits we did not.
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

/** The permission bits of a file (e.g. 0o600). */
export function fileMode(path: string): number {
  return statSync(path).mode & 0o777;
}

/** True when group or others may read, write or execute the file. */
export function isGroupOrWorldAccessible(path: string): boolean {
  return (fileMode(path) & 0o077) !== 0;
}
