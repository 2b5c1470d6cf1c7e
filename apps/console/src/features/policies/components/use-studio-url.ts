'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { isPolicyKind, type PolicyRef, parseRefString, refString } from '../model/ref';

export interface StudioUrl {
  kind: string | null;
  namespace: string | null;
  open: PolicyRef | null;
  set(next: { kind?: string | null; namespace?: string | null; open?: PolicyRef | null }): void;
}

/** The studio's view state lives in the URL (?kind=&namespace=&open=Kind/ns/name): links and reloads keep it. */
export function useStudioUrl(): StudioUrl {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const kind = params.get('kind');
  return {
    kind: isPolicyKind(kind) ? kind : null,
    namespace: params.get('namespace') || null,
    open: parseRefString(params.get('open')),
    set(next) {
      const q = new URLSearchParams(params.toString());
      const put = (key: string, value: string | null | undefined) => {
        if (value === undefined) return;
        if (value) q.set(key, value);
        else q.delete(key);
      };
      put('kind', next.kind);
      put('namespace', next.namespace);
      put('open', next.open === undefined ? undefined : next.open ? refString(next.open) : null);
      const qs = q.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
  };
}
