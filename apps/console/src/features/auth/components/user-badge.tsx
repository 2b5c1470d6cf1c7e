'use client';

import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { queryKeys } from '@/lib/query-keys';
import { useMe } from '../api/get-me';

/** Who is signed in and with which role, at the foot of the nav; sign out in token mode. */
export function UserBadge() {
  const me = useMe();
  const router = useRouter();
  const client = useQueryClient();
  if (!me.data) return null;
  const { principal, mode } = me.data;

  const signOut = async () => {
    await fetch('/api/auth/logout', { method: 'POST' });
    client.removeQueries({ queryKey: queryKeys.all });
    router.push('/login');
  };

  return (
    <div className="user-badge" data-testid="user-badge">
      {principal ? (
        <>
          <span className="user-name" data-testid="user-name">
            {principal.user}
          </span>
          <span className={`role role-${principal.role}`} data-testid="user-role">
            {principal.role}
          </span>
          {mode === 'token' ? (
            <button
              type="button"
              className="user-signout"
              onClick={() => void signOut()}
              data-testid="sign-out"
            >
              Sign out
            </button>
          ) : null}
        </>
      ) : (
        <Link href="/login" className="user-signin" data-testid="sign-in-link">
          Sign in
        </Link>
      )}
    </div>
  );
}
