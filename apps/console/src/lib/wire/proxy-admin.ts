import type { ProxyCertsStatus, ServiceEndpointsStatus } from '@trellis/shared/proxy-admin-api';
import { z } from 'zod';

/**
 * What the control plane reads from the sidecars' admin listeners (docs/api.md, "Sidecar state"):
 * who ejected which endpoint of a service, and each sidecar's certificate. Parsed at the edge; not
 * strict, so the control plane may add fields. The `satisfies` lines keep these schemas to the
 * control plane's own types (@trellis/shared/proxy-admin-api).
 */
const failure = z.object({ kind: z.string(), message: z.string().optional() });

const report = z.object({
  proxy: z.string(),
  workload: z.string(),
  namespace: z.string(),
  ejected: z.boolean(),
  ejectedIn: z.array(z.string()),
  ejections: z.number(),
  activeRequests: z.number(),
  totalRequests: z.number(),
  errors: z.number(),
});

const endpoint = z.object({
  id: z.string(),
  workload: z.string(),
  namespace: z.string(),
  version: z.string().nullable(),
  address: z.string(),
  /** A state this console does not know reads as "unknown". */
  state: z.string(),
  ejectedBy: z.array(z.string()),
  reports: z.array(report),
});

const who = { proxy: z.string(), workload: z.string(), namespace: z.string() };
const caller = z.discriminatedUnion('status', [
  z.object({ ...who, status: z.literal('reported'), clusters: z.array(z.string()) }),
  z.object({ ...who, status: z.literal('unreachable'), failure, connected: z.boolean() }),
]);

export const serviceEndpointsStatusSchema = z.object({
  namespace: z.string(),
  service: z.string(),
  hostname: z.string(),
  generatedAt: z.string(),
  endpoints: z.array(endpoint),
  callers: z.array(caller),
});
export type ServiceEndpointsStatusWire = z.infer<typeof serviceEndpointsStatusSchema>;

const certificate = z.object({
  spiffeId: z.string(),
  serialNumber: z.string(),
  notBefore: z.iso.datetime({ offset: true }),
  notAfter: z.iso.datetime({ offset: true }),
  secondsToExpiry: z.number(),
  lifeLeftShare: z.number(),
});

const proxyCerts = z.discriminatedUnion('status', [
  z.object({
    ...who,
    status: z.literal('ok'),
    identity: z.string(),
    certificate: certificate.nullable(),
    rotations: z.number(),
    renewFailures: z.number(),
    lastRenewError: z.string().nullable(),
  }),
  z.object({ ...who, status: z.literal('no-identity') }),
  z.object({ ...who, status: z.literal('unreachable'), failure, connected: z.boolean() }),
]);
export type ProxyCertsWire = z.infer<typeof proxyCerts>;

/** GET /api/v1/mesh/certs answers a bare list. */
export const proxyCertsListSchema = z.array(proxyCerts);

// Compile-time: the control plane's answers parse with these schemas' types.
type Assignable<T, _U extends T> = true;
export type _ContractChecks = [
  Assignable<ServiceEndpointsStatusWire, ServiceEndpointsStatus>,
  Assignable<ProxyCertsWire, ProxyCertsStatus>,
];
