/**
 * What a sidecar's admin listener answers (apps/proxy/src/listeners/admin.ts), parsed at the
 * trust boundary: a sidecar is another process, possibly of another version. Not strict, so a
 * newer sidecar may add fields.
 */
import { z } from 'zod';

const endpoint = z.object({
  address: z.string(),
  workload: z.string().optional(),
  ejected: z.boolean(),
  ejections: z.number().int().nonnegative(),
  active: z.number().int().nonnegative(),
  requests: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
});

const cluster = z.object({
  name: z.string(),
  /** Service FQDN ("local-app" for the inbound cluster). */
  service: z.string(),
  subset: z.string().nullish(),
  endpoints: z.array(endpoint),
});

/** GET /clusters?format=json */
export const adminClustersSchema = z.object({ clusters: z.array(cluster) });
export type AdminClusters = z.infer<typeof adminClustersSchema>;

/** GET /certs (200; a sidecar without a mesh identity answers 404). */
export const adminCertsSchema = z.object({
  identity: z.string(),
  rotations: z.number().int().nonnegative(),
  renewFailures: z.number().int().nonnegative(),
  lastRenewError: z.string().nullable(),
  certificate: z
    .object({
      serialNumber: z.string(),
      spiffeId: z.string(),
      validFrom: z.iso.datetime({ offset: true }),
      expirationTime: z.iso.datetime({ offset: true }),
    })
    .nullable(),
});
export type AdminCerts = z.infer<typeof adminCertsSchema>;
