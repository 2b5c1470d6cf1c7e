import type { MeshResource } from '@trellis/shared';

/** The stored (already validated) mesh resources the push loop translates. */
export interface ResourceSource {
  list(): readonly MeshResource[];
  /** Called after each change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}

/** A ResourceSource held in memory: for tests, and for embedding without a store. */
export class StaticResources implements ResourceSource {
  #items: readonly MeshResource[];
  readonly #listeners = new Set<() => void>();

  constructor(items: readonly MeshResource[] = []) {
    this.#items = items;
  }

  list(): readonly MeshResource[] {
    return this.#items;
  }

  set(items: readonly MeshResource[]): void {
    this.#items = items;
    for (const l of this.#listeners) l();
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
