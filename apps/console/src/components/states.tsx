import type { ReactNode } from 'react';
import { ApiError, type ConsoleErrorBody } from '@/lib/errors';

export function LoadingState({ label }: { label: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite" data-testid="state-loading">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty" data-testid="state-empty">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

function bodyOf(error: unknown): ConsoleErrorBody | null {
  return error instanceof ApiError ? error.body : null;
}

/** The message says what to do; the details (code, path, status) let an operator check. */
export function ErrorState({
  title,
  error,
  onRetry,
}: {
  title: string;
  error: unknown;
  onRetry?: () => void;
}) {
  const body = bodyOf(error);
  return (
    <div className="state state-error" role="alert" data-testid="state-error">
      <h2>{title}</h2>
      <p data-testid="state-error-message">
        {body?.message ?? (error instanceof Error ? error.message : String(error))}
      </p>
      {body ? <ErrorDetails error={body} /> : null}
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function ErrorDetails({ error }: { error: ConsoleErrorBody }) {
  return (
    <dl className="error-details">
      <dt>Code</dt>
      <dd>
        <code data-testid="error-code">{error.code}</code>
      </dd>
      {error.path ? (
        <>
          <dt>Control plane path</dt>
          <dd>
            <code>{error.path}</code>
          </dd>
        </>
      ) : null}
      {error.status !== undefined ? (
        <>
          <dt>Status</dt>
          <dd>{error.status}</dd>
        </>
      ) : null}
      {error.detail ? (
        <>
          <dt>Detail</dt>
          <dd>{error.detail}</dd>
        </>
      ) : null}
    </dl>
  );
}
