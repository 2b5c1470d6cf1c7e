'use client';

import { useRef } from 'react';

export type LineMark = 'error' | 'warning';

/**
 * A plain textarea with a line-number gutter: light enough for a page that only edits one object,
 * and what it marks (lines of errors and warnings) comes from the field paths the server reports.
 * Lines never wrap, so gutter and text stay aligned; the gutter scrolls with the text.
 */
export function YamlEditor({
  value,
  onChange,
  marks,
  readOnly = false,
}: {
  value: string;
  onChange: (text: string) => void;
  marks: ReadonlyMap<number, LineMark>;
  readOnly?: boolean;
}) {
  const gutter = useRef<HTMLDivElement>(null);
  // Line numbers are the rows' identity: line 7 is line 7 whatever it holds.
  const numbers = Array.from({ length: Math.max(1, value.split('\n').length) }, (_, i) => i + 1);
  return (
    <div className="ps-editor">
      <div className="ps-gutter" ref={gutter} aria-hidden="true">
        {numbers.map((n) => {
          const mark = marks.get(n);
          return (
            <div
              key={n}
              className={mark ? `ps-gutter-line ps-gutter-${mark}` : 'ps-gutter-line'}
              data-testid={mark ? `gutter-${mark}` : undefined}
              data-line={n}
            >
              {n}
            </div>
          );
        })}
      </div>
      <textarea
        className="ps-textarea"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
        onKeyDown={(e) => {
          // Tab indents (two spaces, as the YAML here is written) instead of leaving the editor.
          if (e.key !== 'Tab' || readOnly) return;
          e.preventDefault();
          const el = e.currentTarget;
          const { selectionStart: start, selectionEnd: end } = el;
          onChange(`${value.slice(0, start)}  ${value.slice(end)}`);
          requestAnimationFrame(() => el.setSelectionRange(start + 2, start + 2));
        }}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        wrap="off"
        readOnly={readOnly}
        aria-label="Policy YAML"
        data-testid="policy-editor"
      />
    </div>
  );
}
