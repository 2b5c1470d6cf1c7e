import { z } from 'zod';
import { DurationSchema, PortSelectorSchema, StringMapSchema, WorkloadSelectorSchema } from './common';

/** networking.istio.io DestinationRule, every field of Istio's destination_rule.proto. */

const LocalityLoadBalancerSettingSchema = z.object({
  distribute: z
    .array(
      z.object({
        from: z.string().optional(),
        to: z.record(z.string(), z.number().int()).optional(),
      }),
    )
    .optional(),
  failover: z.array(z.object({ from: z.string().optional(), to: z.string().optional() })).optional(),
  failoverPriority: z.array(z.string()).optional(),
  enabled: z.boolean().optional(),
});

export const ConsistentHashLBSchema = z.object({
  httpHeaderName: z.string().optional(),
  httpCookie: z
    .object({
      name: z.string().optional(),
      path: z.string().optional(),
      ttl: DurationSchema.optional(),
      attributes: z.array(z.object({ name: z.string().optional(), value: z.string().optional() })).optional(),
    })
    .optional(),
  useSourceIp: z.boolean().optional(),
  httpQueryParameterName: z.string().optional(),
  ringHash: z.object({ minimumRingSize: z.number().int().optional() }).optional(),
  maglev: z.object({ tableSize: z.number().int().optional() }).optional(),
  /** Deprecated; use ringHash.minimumRingSize. */
  minimumRingSize: z.number().int().optional(),
});

export const LoadBalancerSettingsSchema = z.object({
  simple: z
    .enum(['UNSPECIFIED', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH', 'ROUND_ROBIN', 'LEAST_REQUEST'])
    .optional(),
  consistentHash: ConsistentHashLBSchema.optional(),
  localityLbSetting: LocalityLoadBalancerSettingSchema.optional(),
  zoneAwareLbSetting: z
    .object({
      enabled: z.boolean().optional(),
      failover: z.array(z.object({ from: z.string().optional(), to: z.string().optional() })).optional(),
      failoverPriority: z.array(z.string()).optional(),
      minClusterSize: z.number().int().optional(),
    })
    .optional(),
  warmupDurationSecs: DurationSchema.optional(),
  warmup: z
    .object({
      duration: DurationSchema.optional(),
      minimumPercent: z.number().optional(),
      aggression: z.number().optional(),
    })
    .optional(),
});

export const ConnectionPoolSettingsSchema = z.object({
  tcp: z
    .object({
      maxConnections: z.number().int().optional(),
      connectTimeout: DurationSchema.optional(),
      tcpKeepalive: z
        .object({
          probes: z.number().int().optional(),
          time: DurationSchema.optional(),
          interval: DurationSchema.optional(),
        })
        .optional(),
      maxConnectionDuration: DurationSchema.optional(),
      idleTimeout: DurationSchema.optional(),
    })
    .optional(),
  http: z
    .object({
      http1MaxPendingRequests: z.number().int().optional(),
      http2MaxRequests: z.number().int().optional(),
      maxRequestsPerConnection: z.number().int().optional(),
      maxRetries: z.number().int().optional(),
      idleTimeout: DurationSchema.optional(),
      h2UpgradePolicy: z.enum(['DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE']).optional(),
      useClientProtocol: z.boolean().optional(),
      maxConcurrentStreams: z.number().int().optional(),
      http2KeepAlive: z
        .object({ interval: DurationSchema.optional(), timeout: DurationSchema.optional() })
        .optional(),
    })
    .optional(),
});

export const OutlierDetectionSchema = z.object({
  splitExternalLocalOriginErrors: z.boolean().optional(),
  consecutiveLocalOriginFailures: z.number().int().optional(),
  consecutiveGatewayErrors: z.number().int().optional(),
  consecutive5xxErrors: z.number().int().optional(),
  /** Deprecated; use consecutive5xxErrors. */
  consecutiveErrors: z.number().int().optional(),
  interval: DurationSchema.optional(),
  baseEjectionTime: DurationSchema.optional(),
  maxEjectionPercent: z.number().int().optional(),
  minHealthPercent: z.number().int().optional(),
  outlierDetectionHttpErrorCodes: z.array(z.number().int()).optional(),
});

export const ClientTLSSettingsSchema = z.object({
  mode: z.enum(['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL']).optional(),
  clientCertificate: z.string().optional(),
  privateKey: z.string().optional(),
  caCertificates: z.string().optional(),
  credentialName: z.string().optional(),
  subjectAltNames: z.array(z.string()).optional(),
  sni: z.string().optional(),
  insecureSkipVerify: z.boolean().optional(),
  caCrl: z.string().optional(),
});

const TunnelSettingsSchema = z.object({
  protocol: z.string().optional(),
  targetHost: z.string().optional(),
  targetPort: z.number().int().optional(),
});

const ProxyProtocolSchema = z.object({ version: z.enum(['V1', 'V2']).optional() });

const RetryBudgetSchema = z.object({
  percent: z.number().optional(),
  minRetryConcurrency: z.number().int().optional(),
  budgetInterval: DurationSchema.optional(),
});

export const PortTrafficPolicySchema = z.object({
  port: PortSelectorSchema.optional(),
  loadBalancer: LoadBalancerSettingsSchema.optional(),
  connectionPool: ConnectionPoolSettingsSchema.optional(),
  outlierDetection: OutlierDetectionSchema.optional(),
  tls: ClientTLSSettingsSchema.optional(),
});

export const TrafficPolicySchema = z.object({
  loadBalancer: LoadBalancerSettingsSchema.optional(),
  connectionPool: ConnectionPoolSettingsSchema.optional(),
  outlierDetection: OutlierDetectionSchema.optional(),
  tls: ClientTLSSettingsSchema.optional(),
  portLevelSettings: z.array(PortTrafficPolicySchema).optional(),
  tunnel: TunnelSettingsSchema.optional(),
  proxyProtocol: ProxyProtocolSchema.optional(),
  retryBudget: RetryBudgetSchema.optional(),
});

export const SubsetSchema = z.object({
  name: z.string().optional(),
  labels: StringMapSchema.optional(),
  trafficPolicy: TrafficPolicySchema.optional(),
});

export const DestinationRuleSpecSchema = z.object({
  host: z.string().optional(),
  trafficPolicy: TrafficPolicySchema.optional(),
  subsets: z.array(SubsetSchema).optional(),
  exportTo: z.array(z.string()).optional(),
  workloadSelector: WorkloadSelectorSchema.optional(),
});

export type ConsistentHashLB = z.infer<typeof ConsistentHashLBSchema>;
export type LoadBalancerSettings = z.infer<typeof LoadBalancerSettingsSchema>;
export type ConnectionPoolSettings = z.infer<typeof ConnectionPoolSettingsSchema>;
export type IstioOutlierDetection = z.infer<typeof OutlierDetectionSchema>;
export type ClientTLSSettings = z.infer<typeof ClientTLSSettingsSchema>;
export type PortTrafficPolicy = z.infer<typeof PortTrafficPolicySchema>;
export type TrafficPolicy = z.infer<typeof TrafficPolicySchema>;
export type Subset = z.infer<typeof SubsetSchema>;
export type DestinationRuleSpec = z.infer<typeof DestinationRuleSpecSchema>;
