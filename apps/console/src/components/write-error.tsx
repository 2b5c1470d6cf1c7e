import { ApiError } from '@/lib/errors';
import './write-error.css';

/**
 * Why a write failed, as the route answered: a conflict offers a reload, a refused object lists the
 * control plane's causes with their field paths exactly as it sent them.
 */
export function WriteErrorBanner({ error, onReload }: { error: unknown; onReload?: () => void }) {
  const body = error instanceof ApiError ? error.body : null;
  return (
    <div
      className="banner banner-bad"
      role="alert"
      data-testid="write-error"
      data-code={body?.code ?? 'UNKNOWN'}
    >
      <strong>{body?.message ?? (error instanceof Error ? error.message : String(error))}</strong>
      {body?.causes && body.causes.length > 0 ? (
        <ul className="causes" data-testid="write-error-causes">
          {body.causes.map((c) => (
            <li key={`${c.field}:${c.message}`}>
              {c.field ? <code>{c.field}</code> : null}
              {c.field ? ': ' : null}
              {c.message}
            </li>
          ))}
        </ul>
      ) : body?.detail ? (
        <div data-testid="write-error-detail">{body.detail}</div>
      ) : null}
      {onReload && body?.code === 'CONTROL_PLANE_CONFLICT' ? (
        <div className="banner-actions">
          <button type="button" className="button" onClick={onReload} data-testid="reload">
            Reload
          </button>
        </div>
      ) : null}
    </div>
  );
}
