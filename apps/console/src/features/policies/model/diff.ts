import { diffLines } from 'diff';

export type DiffRow =
  | { type: 'same' | 'removed' | 'added'; oldLine: number | null; newLine: number | null; text: string }
  /** A run of unchanged lines left out around the changes. */
  | { type: 'skipped'; count: number };

export interface DiffView {
  rows: DiffRow[];
  added: number;
  removed: number;
  /** True when both texts are the same. */
  identical: boolean;
}

function splitLines(value: string): string[] {
  const lines = value.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * A line diff (the `diff` package's Myers diff) as rows the page renders, with old and new line
 * numbers, like `kubectl diff`. Unchanged runs longer than twice `context` lines keep `context`
 * lines on each side of a change and collapse the rest into one "skipped" row.
 */
export function diffView(oldText: string, newText: string, context = 3): DiffView {
  const full: DiffRow[] = [];
  let oldLine = 1;
  let newLine = 1;
  let added = 0;
  let removed = 0;
  for (const part of diffLines(oldText, newText)) {
    for (const text of splitLines(part.value)) {
      if (part.added) {
        full.push({ type: 'added', oldLine: null, newLine: newLine++, text });
        added += 1;
      } else if (part.removed) {
        full.push({ type: 'removed', oldLine: oldLine++, newLine: null, text });
        removed += 1;
      } else full.push({ type: 'same', oldLine: oldLine++, newLine: newLine++, text });
    }
  }
  if (added === 0 && removed === 0) return { rows: [], added, removed, identical: true };

  const keep = full.map(() => false);
  full.forEach((row, i) => {
    if (row.type === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(full.length - 1, i + context); j += 1)
      keep[j] = true;
  });
  const rows: DiffRow[] = [];
  let skipped = 0;
  full.forEach((row, i) => {
    if (keep[i]) {
      if (skipped > 0) rows.push({ type: 'skipped', count: skipped });
      skipped = 0;
      rows.push(row);
    } else skipped += 1;
  });
  if (skipped > 0) rows.push({ type: 'skipped', count: skipped });
  return { rows, added, removed, identical: false };
}
