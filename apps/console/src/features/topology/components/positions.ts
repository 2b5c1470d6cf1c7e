/**
 * Node positions the graph remembers, so a refresh (every 5 s) or a reload never moves what
 * the operator has seen or dragged: the layout runs once, later nodes are placed beside their
 * neighbours. Kept for the browser tab (sessionStorage); compound boxes follow their children.
 */
export interface Position {
  x: number;
  y: number;
}

const KEY = 'trellis.topology.positions.v1';
/** Enough for ~2,000 services; beyond that the oldest entries are dropped. */
const MAX_ENTRIES = 5_000;

export function loadPositions(): Map<string, Position> {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return new Map();
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return new Map();
    const out = new Map<string, Position>();
    for (const entry of parsed) {
      if (!Array.isArray(entry) || entry.length !== 3) continue;
      const [id, x, y] = entry as unknown[];
      if (typeof id === 'string' && typeof x === 'number' && typeof y === 'number') out.set(id, { x, y });
    }
    return out;
  } catch {
    // Storage disabled or corrupt: lay out afresh.
    return new Map();
  }
}

export function savePositions(positions: Map<string, Position>): void {
  try {
    const entries = [...positions].slice(-MAX_ENTRIES).map(([id, p]) => [id, p.x, p.y]);
    sessionStorage.setItem(KEY, JSON.stringify(entries));
  } catch {
    // Quota or privacy mode: positions live only as long as the page.
  }
}

export function clearPositions(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing to clear
  }
}
