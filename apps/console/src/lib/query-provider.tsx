'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { ApiError } from './errors';

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Data the server prefetched stays fresh briefly, so hydration does not refetch at once.
        staleTime: 2_000,
        // A 4xx from our own routes will not change by retrying (as Headlamp: never retry 401/403).
        retry: (failureCount, error) =>
          !(error instanceof ApiError && error.httpStatus >= 400 && error.httpStatus < 500) &&
          failureCount < 2,
        refetchOnWindowFocus: true,
      },
    },
  });
}

export function QueryProvider({ children }: { children: ReactNode }) {
  // One client per browser tab, created lazily so it survives re-renders.
  const [client] = useState(makeQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
