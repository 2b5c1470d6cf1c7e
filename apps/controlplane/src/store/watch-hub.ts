/**
 * Fans committed changes out to watchers. Pure bookkeeping: the store decides what a change is and
 * when it is committed; this turns one change into at most one event per watcher, honouring each
 * watcher's kind, namespace and selectors the way the API server's watch cache does (an object
 * that stops matching a selector is DELETED for that watcher, one that starts matching is ADDED).
 */
import type { MeshKind, MeshResource } from '@trellis/shared';
import type { WatchCallbacks, WatchEvent } from './types';

/** One committed change: before is null for a create, after is null for a delete. */
export interface Change {
  resourceVersion: string;
  before: MeshResource | null;
  after: MeshResource | null;
}

export interface WatchFilter {
  kind?: MeshKind;
  namespace?: string;
  match: (r: MeshResource) => boolean;
}

export function inScope(filter: WatchFilter, r: MeshResource | null): r is MeshResource {
  if (r === null) return false;
  if (filter.kind !== undefined && r.kind !== filter.kind) return false;
  if (filter.namespace !== undefined && r.metadata.namespace !== filter.namespace) return false;
  return filter.match(r);
}

/** The object a DELETED event carries: the last state, stamped with the deletion's version. */
function atVersion(r: MeshResource, resourceVersion: string): MeshResource {
  return { ...r, metadata: { ...r.metadata, resourceVersion } };
}

export function eventFor(change: Change, filter: WatchFilter): WatchEvent | undefined {
  const was = inScope(filter, change.before);
  const is = inScope(filter, change.after);
  if (was && is && change.after) return { type: 'MODIFIED', object: change.after };
  if (is && change.after) return { type: 'ADDED', object: change.after };
  if (was && change.before) {
    // Left the selector but still exists: Kubernetes sends the new state as DELETED.
    return { type: 'DELETED', object: change.after ?? atVersion(change.before, change.resourceVersion) };
  }
  return undefined;
}

interface Subscriber {
  filter: WatchFilter;
  callbacks: WatchCallbacks;
  timer?: NodeJS.Timeout;
}

export class WatchHub {
  private readonly subscribers = new Set<Subscriber>();

  constructor(private readonly currentRevision: () => string) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Starts delivering live changes; with bookmarkIntervalMs, BOOKMARKs between them. */
  subscribe(filter: WatchFilter, callbacks: WatchCallbacks, bookmarkIntervalMs?: number): () => void {
    const sub: Subscriber = { filter, callbacks };
    if (bookmarkIntervalMs !== undefined && bookmarkIntervalMs > 0) {
      sub.timer = setInterval(() => {
        const bookmark: WatchEvent = { type: 'BOOKMARK', resourceVersion: this.currentRevision() };
        if (filter.kind !== undefined) bookmark.kind = filter.kind;
        this.deliver(sub, bookmark);
      }, bookmarkIntervalMs);
      sub.timer.unref();
    }
    this.subscribers.add(sub);
    return () => this.remove(sub);
  }

  publish(change: Change): void {
    for (const sub of this.subscribers) {
      const event = eventFor(change, sub.filter);
      if (event) this.deliver(sub, event);
    }
  }

  closeAll(reason: string): void {
    for (const sub of [...this.subscribers]) {
      this.remove(sub);
      sub.callbacks.onClose?.(reason);
    }
  }

  private deliver(sub: Subscriber, event: WatchEvent): void {
    try {
      sub.callbacks.onEvent(event);
    } catch {
      // A watcher that throws is broken; drop it rather than fail the write that fed it.
      this.remove(sub);
      sub.callbacks.onClose?.('watcher failed');
    }
  }

  private remove(sub: Subscriber): void {
    if (sub.timer) clearInterval(sub.timer);
    this.subscribers.delete(sub);
  }
}
