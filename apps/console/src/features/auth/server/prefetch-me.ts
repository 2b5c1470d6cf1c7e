import 'server-only';
import type { QueryClient } from '@tanstack/react-query';
import { headers } from 'next/headers';
import { principalFromCookieHeader } from '@/lib/auth';
import { getEnv } from '@/lib/env';
import { meQueryOptions } from '../api/get-me';
import type { MeResponse } from '../types';

/** Puts who-am-I in the page's first HTML, so write controls are right before any script runs. */
export async function prefetchMe(queryClient: QueryClient): Promise<void> {
  const cookie = (await headers()).get('cookie');
  const me: MeResponse = {
    principal: principalFromCookieHeader(cookie),
    mode: getEnv().TRELLIS_CONSOLE_AUTH,
  };
  queryClient.setQueryData(meQueryOptions().queryKey, me);
}
