import type { ConsoleErrorBody } from '@/lib/errors';
import type { DiffView } from '../model/diff';
import { fieldLine, type YamlProblem } from '../model/parse-yaml';
import { warningParts } from '../model/warnings';
import type { PolicyWriteResult, RevertResponse } from '../types';
import type { LineMark } from './yaml-editor';

export type StudioAction = 'check' | 'apply' | 'diff' | 'open' | 'revert';

/** What the panel under the editor shows: the outcome of the last action. */
export type StudioOutput =
  | { type: 'idle' }
  | { type: 'busy'; action: StudioAction }
  /** The text could not be read as one mesh object (found in the browser, nothing sent). */
  | { type: 'problems'; action: StudioAction; problems: YamlProblem[] }
  | { type: 'checked'; result: PolicyWriteResult }
  | { type: 'applied'; result: PolicyWriteResult }
  | { type: 'failed'; action: StudioAction; error: ConsoleErrorBody; httpStatus: number; revertOf?: string }
  | { type: 'diff'; title: string; view: DiffView }
  | { type: 'reverted'; result: RevertResponse };

/** Editor lines to mark for an output: errors where the server or parser put them, warnings too. */
export function marksFor(output: StudioOutput, text: string): Map<number, LineMark> {
  const marks = new Map<number, LineMark>();
  const mark = (line: number | null, kind: LineMark) => {
    if (line !== null && marks.get(line) !== 'error') marks.set(line, kind);
  };
  if (output.type === 'problems') for (const p of output.problems) mark(p.line, 'error');
  if (output.type === 'failed' && output.action !== 'revert')
    for (const c of output.error.causes ?? []) {
      const m = /^line (\d+)$/.exec(c.field);
      mark(m ? Number(m[1]) : c.field ? fieldLine(text, c.field) : null, 'error');
    }
  if (output.type === 'checked' || output.type === 'applied')
    for (const w of output.result.warnings) {
      const field = warningParts(w).field;
      if (field) mark(fieldLine(text, field), 'warning');
    }
  return marks;
}
