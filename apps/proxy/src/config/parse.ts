/**
 * The proxy's trust boundary for pushed config: unknown JSON in, a typed ProxyConfig or a typed
 * error out. Nothing inward of this file sees unparsed config (STYLE.md: parse at the edge).
 */
import type { ProxyConfig } from '@trellis/shared';
import { z } from 'zod';

const stringMatch = z.union([
  z.strictObject({ exact: z.string() }),
  z.strictObject({ prefix: z.string() }),
  z.strictObject({ regex: z.string() }),
]);

const headerOps = z.object({
  set: z.record(z.string(), z.string()).optional(),
  add: z.record(z.string(), z.string()).optional(),
  remove: z.array(z.string()).optional(),
});
const headerPolicy = z.object({ request: headerOps.optional(), response: headerOps.optional() });

const percent = z.number().min(0).max(100);
const ms = z.number().int().nonnegative();
const port = z.number().int().min(1).max(65535);

const routeMatch = z.object({
  uri: stringMatch.optional(),
  method: stringMatch.optional(),
  headers: z
    .array(z.object({ name: z.string().min(1), match: stringMatch, invert: z.boolean().optional() }))
    .optional(),
  queryParams: z.array(z.object({ name: z.string().min(1), match: stringMatch })).optional(),
  ignoreUriCase: z.boolean().optional(),
});

const routeAction = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('forward'),
    destinations: z
      .array(
        z.object({
          cluster: z.string().min(1),
          weight: z.number().nonnegative(),
          headers: headerPolicy.optional(),
        }),
      )
      .min(1),
    timeoutMs: ms.optional(),
    retry: z
      .object({
        attempts: z.number().int().nonnegative(),
        perTryTimeoutMs: ms.optional(),
        retryOn: z.array(z.string()),
        retriableStatusCodes: z.array(z.number().int().min(100).max(599)),
      })
      .optional(),
    fault: z
      .object({
        delay: z.object({ fixedDelayMs: ms, percent }).optional(),
        abort: z
          .object({
            httpStatus: z.number().int().min(200).max(599).optional(),
            grpcStatus: z.number().int().min(0).max(16).optional(),
            percent,
          })
          .optional(),
      })
      .optional(),
    mirror: z.object({ cluster: z.string().min(1), percent }).optional(),
    rewrite: z.object({ uri: z.string().optional(), authority: z.string().optional() }).optional(),
    headers: headerPolicy.optional(),
  }),
  z.object({ type: z.literal('direct'), status: z.number().int().min(100).max(599), body: z.string() }),
]);

const endpoint = z.object({
  host: z.string().min(1),
  port,
  workload: z.string(),
  namespace: z.string(),
  labels: z.record(z.string(), z.string()),
  tlsMode: z.enum(['ISTIO_MUTUAL', 'DISABLE']),
  principal: z.string().optional(),
});

const cluster = z.object({
  name: z.string().min(1),
  service: z.string(),
  port,
  subset: z.string().optional(),
  protocol: z.enum(['HTTP', 'HTTP2', 'GRPC']),
  lb: z.enum(['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM']),
  endpoints: z.array(endpoint),
  connectionPool: z.object({
    maxConnections: z.number().int().positive().optional(),
    http1MaxPendingRequests: z.number().int().nonnegative().optional(),
    maxRequestsPerConnection: z.number().int().nonnegative().optional(),
    maxRetries: z.number().int().nonnegative().optional(),
  }),
  outlierDetection: z
    .object({
      consecutive5xxErrors: z.number().int().nonnegative().optional(),
      consecutiveGatewayErrors: z.number().int().nonnegative().optional(),
      intervalMs: z.number().int().positive(),
      baseEjectionTimeMs: z.number().int().positive(),
      maxEjectionPercent: percent,
    })
    .optional(),
});

const mtlsMode = z.enum(['STRICT', 'PERMISSIVE', 'DISABLE']);
const pattern = z.object({ values: z.array(z.string()), notValues: z.array(z.string()) });

export const proxyConfigSchema = z.object({
  version: z.string(),
  outbound: z.object({
    virtualHosts: z.array(
      z.object({
        name: z.string(),
        domains: z.array(z.string().min(1)),
        port,
        routes: z.array(z.object({ name: z.string(), matches: z.array(routeMatch), action: routeAction })),
      }),
    ),
    clusters: z.array(cluster),
  }),
  inbound: z.object({
    appHost: z.string().min(1),
    appPort: port,
    mtls: z.object({ mode: mtlsMode, portLevel: z.record(z.string(), mtlsMode) }),
    authorization: z.array(
      z.object({
        name: z.string(),
        action: z.enum(['ALLOW', 'DENY']),
        rules: z.array(
          z.object({
            from: z.array(z.object({ principals: pattern.optional(), namespaces: pattern.optional() })),
            to: z.array(
              z.object({
                paths: pattern.optional(),
                methods: pattern.optional(),
                hosts: pattern.optional(),
                ports: pattern.optional(),
              }),
            ),
          }),
        ),
      }),
    ),
  }),
  telemetry: z.object({
    accessLog: z.boolean(),
    tracing: z.object({
      samplingPercent: percent,
      otlpEndpoint: z.string().optional(),
      otlpProtocol: z.enum(['http/protobuf', 'http/json']).optional(),
    }),
  }),
});

// The schema must describe the contract type exactly; this fails to compile when they drift.
type Parsed = z.infer<typeof proxyConfigSchema>;
const _sameShape: (p: Parsed) => ProxyConfig = (p) => p;
void _sameShape;

/** Why a pushed config was not applied; `path` points into the pushed JSON. */
export type ConfigError =
  | { kind: 'schema'; issues: { path: string; message: string }[] }
  | { kind: 'reference'; path: string; message: string }
  | { kind: 'regex'; path: string; message: string }
  | { kind: 'duplicate'; path: string; message: string };

export type ParseResult = { ok: true; config: ProxyConfig } | { ok: false; error: ConfigError };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

/** One line per problem, each prefixed with its JSON path (the NACK's error_detail.message). */
export function describeConfigError(e: ConfigError): string {
  if (e.kind === 'schema') return e.issues.map((i) => `${i.path || '<root>'}: ${i.message}`).join('; ');
  return `${e.path}: ${e.message}`;
}

export function parseProxyConfig(json: unknown): ParseResult {
  const value = typeof json === 'string' ? safeJson(json) : json;
  if (value instanceof Error)
    return { ok: false, error: { kind: 'schema', issues: [{ path: '', message: value.message }] } };
  const r = proxyConfigSchema.safeParse(value);
  if (!r.success)
    return {
      ok: false,
      error: {
        kind: 'schema',
        issues: r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
      },
    };
  return { ok: true, config: r.data };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch (err) {
    return new Error(`config is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}
