/**
 * Trace-context headers on the flat [name, value, ...] header lists the request path uses: a
 * cheap look at what the caller sent (so untraced requests cost one scan), and replacing the
 * context on the way upstream. W3C Trace Context (https://www.w3.org/TR/trace-context/) and
 * B3 (https://github.com/openzipkin/b3-propagation), single and multi header.
 */
import { randomFillSync } from 'node:crypto';
import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

/** Every header that carries trace context; dropped before ours are added upstream. */
export const TRACE_HEADERS: ReadonlySet<string> = new Set([
  'traceparent',
  'tracestate',
  'b3',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
]);

/** What the caller's headers say about sampling, without parsing ids. */
export type IncomingDecision = 'sampled' | 'unsampled' | 'none';

/**
 * traceparent's flags (last field), else B3's sampled/flags, else none. A context with a
 * decision we cannot read counts as sampled so the full parser looks at it.
 */
export function incomingDecision(raw: readonly string[]): IncomingDecision {
  let b3: IncomingDecision = 'none';
  for (let i = 0; i < raw.length; i += 2) {
    const n = raw[i]!;
    // Cheap reject: every trace header starts with t, b or x.
    const c = n.charCodeAt(0) | 0x20;
    if (c !== 0x74 && c !== 0x62 && c !== 0x78) continue;
    const name = n.toLowerCase();
    const v = raw[i + 1]!;
    if (name === 'traceparent') {
      const flags = Number.parseInt(v.trim().slice(-2), 16);
      if (Number.isNaN(flags)) return 'sampled';
      return (flags & 1) === 1 ? 'sampled' : 'unsampled';
    }
    if (name === 'b3') {
      const parts = v.trim().split('-');
      const d = parts.length === 1 ? parts[0] : parts[2];
      b3 = d === '0' ? 'unsampled' : 'sampled';
    } else if (name === 'x-b3-sampled') {
      b3 = v.trim() === '0' || v.trim().toLowerCase() === 'false' ? 'unsampled' : 'sampled';
    } else if (name === 'x-b3-flags' && v.trim() === '1') {
      return 'sampled';
    } else if (name === 'x-b3-traceid' && b3 === 'none') {
      // Ids without a decision: B3 says the receiver decides; treat as sampled-by-parent.
      b3 = 'sampled';
    }
  }
  return b3;
}

/** The caller's headers with every trace header replaced by `inject` ([name, value, ...]). */
export function replaceTraceHeaders(raw: readonly string[], inject: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (TRACE_HEADERS.has(raw[i]!.toLowerCase())) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  for (const x of inject) out.push(x);
  return out;
}

export const flatGetter: TextMapGetter<readonly string[]> = {
  keys: (raw) => {
    const out: string[] = [];
    for (let i = 0; i < raw.length; i += 2) out.push(raw[i]!.toLowerCase());
    return out;
  },
  get: (raw, key) => {
    for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === key) return raw[i + 1];
    return undefined;
  },
};

export const flatSetter: TextMapSetter<string[]> = {
  set: (carrier, key, value) => {
    carrier.push(key.toLowerCase(), value);
  },
};

const ids = Buffer.alloc(24);

/**
 * A fresh not-sampled traceparent for a request that arrived without context and lost the
 * sampling roll, so the sidecars after this one keep the same decision instead of rolling again.
 */
export function unsampledTraceparent(): string[] {
  randomFillSync(ids);
  // An all-zero id is invalid; the odds are negligible but the fix is free.
  ids[0] = ids[0]! | 1;
  ids[16] = ids[16]! | 1;
  const hex = ids.toString('hex');
  return ['traceparent', `00-${hex.slice(0, 32)}-${hex.slice(32, 48)}-00`];
}
