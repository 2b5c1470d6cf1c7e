'use client';

import { ErrorDetails } from '@/components/states';
import { fieldLine } from '../model/parse-yaml';
import { refString } from '../model/ref';
import { warningParts } from '../model/warnings';
import { DiffView } from './diff-view';
import type { StudioOutput } from './output';

function Warnings({ warnings }: { warnings: string[] }) {
  if (warnings.length === 0)
    return (
      <p className="ps-muted" data-testid="no-warnings">
        No warnings.
      </p>
    );
  return (
    <ul className="ps-findings" data-testid="warnings">
      {warnings.map((w) => {
        const p = warningParts(w);
        return (
          <li key={w} className="ps-finding ps-finding-warning" data-testid="warning">
            <span className="badge badge-warn">{p.code ?? 'Warning'}</span>
            {p.field ? <code className="ps-field">{p.field}</code> : <span />}
            <span>{p.message}</span>
          </li>
        );
      })}
    </ul>
  );
}

const HTTP_TITLES: Record<number, string> = {
  400: 'Not sent (400)',
  401: 'Sign in first (401)',
  403: 'Not allowed (403)',
  404: 'Not found (404)',
  409: 'Conflict (409): nothing was written',
  422: 'Invalid (422): nothing was stored',
};

export function OutputPanel({
  output,
  text,
  onReload,
  onForceRevert,
}: {
  output: StudioOutput;
  text: string;
  onReload: () => void;
  onForceRevert: (resourceVersion: string) => void;
}) {
  switch (output.type) {
    case 'idle':
      return (
        <p className="ps-muted" data-testid="output-idle">
          Check runs the control plane's validation and analysis without storing anything (dry run). Diff
          compares the text with the stored object. Apply writes it.
        </p>
      );
    case 'busy':
      return (
        <p className="ps-muted" role="status" data-testid="output-busy">
          <span className="spinner ps-inline-spinner" aria-hidden="true" /> Working ({output.action})…
        </p>
      );
    case 'problems':
      return (
        <div data-testid="output-problems">
          <h3 className="ps-out-title ps-out-bad">The text is not one mesh object: nothing was sent</h3>
          <ul className="ps-findings">
            {output.problems.map((p) => (
              <li key={`${p.line}:${p.message}`} className="ps-finding ps-finding-error" data-testid="cause">
                <span className="ps-line">{p.line !== null ? `line ${p.line}` : ''}</span>
                {p.field ? <code className="ps-field">{p.field}</code> : <span />}
                <span>{p.message}</span>
              </li>
            ))}
          </ul>
        </div>
      );
    case 'checked':
    case 'applied': {
      const r = output.result;
      const what = `${r.ref.kind} ${r.ref.namespace}/${r.ref.name}`;
      return (
        <div data-testid={output.type === 'checked' ? 'output-checked' : 'output-applied'}>
          <h3 className="ps-out-title ps-out-ok">
            {output.type === 'checked'
              ? `Valid: the control plane would ${r.action} ${what}`
              : `Applied: ${r.action === 'create' ? 'created' : 'updated'} ${what} (resourceVersion ${r.resourceVersion})`}
          </h3>
          <Warnings warnings={r.warnings} />
        </div>
      );
    }
    case 'failed': {
      const e = output.error;
      return (
        <div data-testid="output-failed" data-code={e.code} data-status={output.httpStatus}>
          <h3 className="ps-out-title ps-out-bad">{HTTP_TITLES[output.httpStatus] ?? e.message}</h3>
          {e.detail ? (
            <p className="ps-detail" data-testid="failure-detail">
              {e.detail}
            </p>
          ) : null}
          {e.causes && e.causes.length > 0 ? (
            <ul className="ps-findings">
              {e.causes.map((c) => {
                // YAML the console could not read names its line as the field ("line 16").
                const lineOnly = /^line (\d+)$/.exec(c.field);
                const line = lineOnly ? Number(lineOnly[1]) : c.field ? fieldLine(text, c.field) : null;
                const field = lineOnly ? '' : c.field;
                return (
                  <li
                    key={`${c.field}:${c.message}`}
                    className="ps-finding ps-finding-error"
                    data-testid="cause"
                  >
                    <span className="ps-line">{line !== null ? `line ${line}` : ''}</span>
                    {field ? (
                      <code className="ps-field" data-testid="cause-field">
                        {field}
                      </code>
                    ) : (
                      <span />
                    )}
                    <span>{c.message}</span>
                  </li>
                );
              })}
            </ul>
          ) : null}
          {output.httpStatus === 409 && (output.action === 'apply' || output.action === 'check') ? (
            <p className="ps-muted">
              Someone changed or created this object after the version you edited.{' '}
              <button type="button" className="button" onClick={onReload} data-testid="reload-stored">
                Load the stored version
              </button>
            </p>
          ) : null}
          {output.httpStatus === 409 && output.revertOf ? (
            <p className="ps-muted">
              Reverting would overwrite the later changes.{' '}
              <button
                type="button"
                className="button ps-danger"
                onClick={() => onForceRevert(output.revertOf as string)}
                data-testid="force-revert"
              >
                Revert anyway
              </button>
            </p>
          ) : null}
          {![409, 422, 400].includes(output.httpStatus) ? <ErrorDetails error={e} /> : null}
        </div>
      );
    }
    case 'diff':
      return (
        <div data-testid="output-diff">
          <h3 className="ps-out-title">{output.title}</h3>
          <p className="ps-muted" data-testid="diff-stats">
            +{output.view.added} −{output.view.removed}
          </p>
          <DiffView view={output.view} />
        </div>
      );
    case 'reverted': {
      const r = output.result;
      const what = refString(r.ref);
      return (
        <div data-testid="output-reverted">
          <h3 className="ps-out-title ps-out-ok">
            {r.changed
              ? `Reverted change ${r.reverted}: ${r.action === 'delete' ? 'deleted' : r.action === 'create' ? 're-created' : 'restored'} ${what}${r.resourceVersion ? ` (resourceVersion ${r.resourceVersion})` : ''}`
              : `Change ${r.reverted} needed no revert: ${what} already was in that state`}
          </h3>
          <Warnings warnings={r.warnings} />
        </div>
      );
    }
  }
}
