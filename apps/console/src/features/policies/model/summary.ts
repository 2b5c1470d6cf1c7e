type Obj = { [key: string]: unknown };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A VirtualService's first route as "v1 90 · v2 10" (subset or host, then weight). */
function weights(spec: Obj): string | null {
  const first = arr(spec.http).find(isObj);
  const route = first ? arr(first.route) : [];
  if (route.length < 2) return null;
  return route
    .filter(isObj)
    .map((r) => {
      const d = isObj(r.destination) ? r.destination : {};
      return `${str(d.subset) ?? str(d.host) ?? '?'} ${typeof r.weight === 'number' ? r.weight : 0}`;
    })
    .join(' · ');
}

/** The one line the policy list shows per object: what an operator scans for. */
export function summarize(kind: string, spec: unknown): string {
  const s = isObj(spec) ? spec : {};
  switch (kind) {
    case 'VirtualService': {
      const hosts = arr(s.hosts).filter((h) => typeof h === 'string');
      const w = weights(s);
      return [`hosts ${hosts.join(', ') || '—'}`, w].filter(Boolean).join(' · ');
    }
    case 'DestinationRule': {
      const subsets = arr(s.subsets)
        .filter(isObj)
        .map((x) => str(x.name))
        .filter(Boolean);
      return [`host ${str(s.host) ?? '—'}`, subsets.length ? `subsets ${subsets.join(', ')}` : null]
        .filter(Boolean)
        .join(' · ');
    }
    case 'PeerAuthentication': {
      const mode = isObj(s.mtls) ? str(s.mtls.mode) : null;
      const selector = isObj(s.selector) ? 'workload' : 'namespace';
      return `mTLS ${mode ?? 'UNSET'} · ${selector}`;
    }
    case 'AuthorizationPolicy': {
      const rules = arr(s.rules).length;
      return `${str(s.action) ?? 'ALLOW'} · ${rules} rule${rules === 1 ? '' : 's'}`;
    }
    default:
      return '';
  }
}
