import { z } from 'zod';
import { WorkloadSelectorSchema } from './common';

/** security.istio.io PeerAuthentication. */

export const MTLS_MODES = ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'] as const;
export type IstioMtlsMode = (typeof MTLS_MODES)[number];

export const MutualTLSSchema = z.object({
  mode: z.enum(MTLS_MODES).optional(),
});

export const PeerAuthenticationSpecSchema = z.object({
  selector: WorkloadSelectorSchema.optional(),
  mtls: MutualTLSSchema.optional(),
  /** Keys are port numbers written as strings (JSON map keys). */
  portLevelMtls: z.record(z.string(), MutualTLSSchema).optional(),
});

export type MutualTLS = z.infer<typeof MutualTLSSchema>;
export type PeerAuthenticationSpec = z.infer<typeof PeerAuthenticationSpecSchema>;
