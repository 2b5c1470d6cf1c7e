/**
 * `?watch=true`: a chunked response of newline-delimited JSON events ({type, object}), as the API
 * server streams them. Resuming from a resourceVersion replays the history after it; one that was
 * compacted away gets a single ERROR event carrying a 410 Expired Status (what client-go and
 * @kubernetes/client-node's informers expect before they re-list).
 */
import type { ServerResponse } from 'node:http';
import type { KindInfo, MeshResource } from '@trellis/shared';
import { Errors, StatusError } from '../errors';
import type { ResourceStore, WatchEvent, WatchOptions } from '../store/types';
import { present, statusOfFailure } from './present';
import { type IncludeObject, partialObjectMetadata, tableOf } from './table';

/** A watcher whose socket is this far behind is cut off; it resumes from its last version. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export type WatchRepresentation =
  | { type: 'json' }
  | { type: 'table'; version: 'v1' | 'v1beta1'; includeObject: IncludeObject }
  | { type: 'partial'; version: 'v1' | 'v1beta1' };

export interface WatchRequest {
  info: KindInfo;
  version: string;
  options: WatchOptions;
  representation: WatchRepresentation;
  /** Bookmarks only go to clients that asked (allowWatchBookmarks). */
  allowBookmarks: boolean;
  timeoutMs: number;
}

/** Open watches, so shutdown can end them and the process can exit. */
export class WatchRegistry {
  private readonly open = new Set<() => void>();

  add(end: () => void): () => void {
    this.open.add(end);
    return () => this.open.delete(end);
  }

  closeAll(): void {
    for (const end of [...this.open]) end();
  }
}

export async function serveWatch(
  res: ServerResponse,
  store: ResourceStore,
  w: WatchRequest,
  registry: WatchRegistry,
): Promise<void> {
  let first = true;
  const encode = (e: WatchEvent): string | undefined => {
    if (e.type === 'BOOKMARK') {
      if (!w.allowBookmarks) return undefined;
      const metadata: Record<string, unknown> = { resourceVersion: e.resourceVersion };
      if (e.initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
      return JSON.stringify({
        type: 'BOOKMARK',
        object: { kind: w.info.kind, apiVersion: `${w.info.group}/${w.version}`, metadata },
      });
    }
    const obj: MeshResource = present(e.object, w.info, w.version);
    let out: unknown = obj;
    const rep = w.representation;
    if (rep.type === 'table') {
      out = tableOf(w.info.kind, [obj], {
        version: rep.version,
        includeObject: rep.includeObject,
        noHeaders: !first,
      });
      first = false;
    } else if (rep.type === 'partial') out = partialObjectMetadata(obj, rep.version);
    return JSON.stringify({ type: e.type, object: out });
  };

  let ended = false;
  let stop = () => {};
  const timer = setTimeout(() => end(), w.timeoutMs);
  const unregister = registry.add(() => end());
  function end() {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    unregister();
    stop();
    res.end();
  }

  // Headers go out before the first event so clients know the watch is established.
  const start = () => {
    if (res.headersSent) return;
    res.writeHead(200, {
      'Content-Type':
        w.representation.type === 'json'
          ? 'application/json'
          : `application/json;as=${w.representation.type === 'table' ? 'Table' : 'PartialObjectMetadata'};g=meta.k8s.io;v=${w.representation.version}`,
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
  };
  start();
  // Attached before the watch starts so a client that leaves early never leaks a subscription.
  res.on('close', () => end());

  const result = await store.watch(w.options, {
    onEvent(e) {
      if (ended) return;
      const line = encode(e);
      if (line === undefined) return;
      res.write(`${line}\n`);
      if (res.writableLength > MAX_BUFFERED_BYTES) end();
    },
    onClose() {
      end();
    },
  });
  if (!result.ok) {
    // The headers are out, so the failure goes in-band as the API server sends it (an ERROR event
    // with a 410 Expired Status makes informers re-list).
    if (!ended) res.write(`${JSON.stringify({ type: 'ERROR', object: statusOfFailure(result.error) })}\n`);
    end();
    return;
  }
  stop = result.stop;
  if (ended) stop();
}

/** Validates ?timeoutSeconds; the API server's default is a random 30–60 minutes. */
export function watchTimeoutMs(value: string | null): number {
  if (value === null || value === '') return (1800 + Math.floor(Math.random() * 1800)) * 1000;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new StatusError(Errors.badRequest(`invalid timeoutSeconds "${value}"`));
  return n === 0 ? (1800 + Math.floor(Math.random() * 1800)) * 1000 : n * 1000;
}
