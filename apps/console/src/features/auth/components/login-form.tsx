'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { ApiError } from '@/lib/errors';
import { queryKeys } from '@/lib/query-keys';

/** Only same-site paths: ?next= must not send a signed-in user to another site. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

async function postLogin(token: string): Promise<void> {
  const res = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (res.ok) return;
  const body: unknown = await res.json().catch(() => null);
  const error =
    typeof body === 'object' && body !== null && 'error' in body
      ? (body as { error: ApiError['body'] }).error
      : null;
  throw new ApiError(
    error ?? { code: 'CONSOLE_BAD_RESPONSE', message: `The console answered ${res.status}.` },
    res.status,
  );
}

export function LoginForm() {
  const router = useRouter();
  const params = useSearchParams();
  const client = useQueryClient();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await postLogin(token);
      // A who-am-I sent before the session existed may still be in flight (a slow first load), and
      // invalidating would only wait for its signed-out answer: drop it, then ask again.
      await client.cancelQueries({ queryKey: queryKeys.me() });
      await client.invalidateQueries({ queryKey: queryKeys.me() });
      router.push(safeNext(params.get('next')));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <section className="login panel" data-testid="login">
      <h1>Sign in</h1>
      <p className="page-lead">
        Paste the token your administrator gave you. It is sent once; the console keeps only a session cookie.
      </p>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          Token{' '}
          <input
            type="password"
            name="token"
            autoComplete="current-password"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            data-testid="login-token"
            required
            style={{ width: '100%' }}
          />
        </label>
        {error ? (
          <p className="form-error" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <button
          type="submit"
          className="button button-primary"
          disabled={busy || token === ''}
          data-testid="login-submit"
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
