import { type MeshResource, refKey, refOf } from '@trellis/shared';
import type { ResourceStore } from '../store/types';
import type { ResourceSource } from './resource-source';

/**
 * The stored resources as a ResourceSource: listed once, then kept current from the store's watch
 * (in commit order, from the listed resourceVersion, so nothing is missed in between).
 */
export class StoreResources implements ResourceSource {
  readonly #items = new Map<string, MeshResource>();
  readonly #listeners = new Set<() => void>();
  #list: readonly MeshResource[] | undefined;
  #stop: (() => void) | undefined;

  static async open(store: ResourceStore, onClose?: (reason: string) => void): Promise<StoreResources> {
    const source = new StoreResources();
    const { items, resourceVersion } = await store.list({});
    for (const item of items) source.#items.set(refKey(refOf(item)), item);
    const started = await store.watch(
      { resourceVersion },
      {
        onEvent: (event) => {
          if (event.type === 'BOOKMARK') return;
          const key = refKey(refOf(event.object));
          if (event.type === 'DELETED') source.#items.delete(key);
          else source.#items.set(key, event.object);
          source.#list = undefined;
          for (const l of source.#listeners) l();
        },
        onClose: (reason) => onClose?.(reason),
      },
    );
    if (!started.ok) throw new Error(`watching the store failed: ${started.error.reason}`);
    source.#stop = started.stop;
    return source;
  }

  list(): readonly MeshResource[] {
    this.#list ??= [...this.#items.values()];
    return this.#list;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#stop?.();
    this.#listeners.clear();
  }
}
