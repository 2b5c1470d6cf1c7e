import { z } from 'zod';
import {
  DurationSchema,
  PercentSchema,
  PortSelectorSchema,
  StringMapSchema,
  StringMatchSchema,
} from './common';

/** networking.istio.io VirtualService, every field of Istio's virtual_service.proto. */

export const DestinationSchema = z.object({
  host: z.string().optional(),
  subset: z.string().optional(),
  port: PortSelectorSchema.optional(),
});

const HeaderOperationsSchema = z.object({
  set: StringMapSchema.optional(),
  add: StringMapSchema.optional(),
  remove: z.array(z.string()).optional(),
});

export const HeadersSchema = z.object({
  request: HeaderOperationsSchema.optional(),
  response: HeaderOperationsSchema.optional(),
});

export const HTTPMatchRequestSchema = z.object({
  name: z.string().optional(),
  uri: StringMatchSchema.optional(),
  scheme: StringMatchSchema.optional(),
  method: StringMatchSchema.optional(),
  authority: StringMatchSchema.optional(),
  headers: z.record(z.string(), StringMatchSchema).optional(),
  port: z.number().int().optional(),
  sourceLabels: StringMapSchema.optional(),
  gateways: z.array(z.string()).optional(),
  queryParams: z.record(z.string(), StringMatchSchema).optional(),
  ignoreUriCase: z.boolean().optional(),
  withoutHeaders: z.record(z.string(), StringMatchSchema).optional(),
  sourceNamespace: z.string().optional(),
  statPrefix: z.string().optional(),
});

export const HTTPRouteDestinationSchema = z.object({
  destination: DestinationSchema.optional(),
  weight: z.number().int().optional(),
  headers: HeadersSchema.optional(),
});

export const HTTPRedirectSchema = z.object({
  uri: z.string().optional(),
  authority: z.string().optional(),
  port: z.number().int().optional(),
  derivePort: z.enum(['FROM_PROTOCOL_DEFAULT', 'FROM_REQUEST_PORT']).optional(),
  scheme: z.string().optional(),
  /** On a redirect, replace the matched prefix with this value. */
  prefixRewrite: z.string().optional(),
  redirectCode: z.number().int().optional(),
});

export const HTTPDirectResponseSchema = z.object({
  status: z.number().int().optional(),
  body: z
    .object({
      string: z.string().optional(),
      /** base64, as protobuf bytes are in JSON */
      bytes: z.string().optional(),
    })
    .optional(),
});

export const DelegateSchema = z.object({
  name: z.string().optional(),
  namespace: z.string().optional(),
});

export const HTTPRewriteSchema = z.object({
  uri: z.string().optional(),
  authority: z.string().optional(),
  uriRegexRewrite: z
    .object({
      match: z.string().optional(),
      rewrite: z.string().optional(),
    })
    .optional(),
});

export const HTTPRetrySchema = z.object({
  attempts: z.number().int().optional(),
  perTryTimeout: DurationSchema.optional(),
  retryOn: z.string().optional(),
  retryRemoteLocalities: z.boolean().optional(),
  retryIgnorePreviousHosts: z.boolean().optional(),
  backoff: DurationSchema.optional(),
});

export const HTTPFaultInjectionSchema = z.object({
  delay: z
    .object({
      fixedDelay: DurationSchema.optional(),
      exponentialDelay: DurationSchema.optional(),
      percentage: PercentSchema.optional(),
      /** Deprecated integer percentage; use percentage. */
      percent: z.number().int().optional(),
    })
    .optional(),
  abort: z
    .object({
      httpStatus: z.number().int().optional(),
      grpcStatus: z.string().optional(),
      http2Error: z.string().optional(),
      percentage: PercentSchema.optional(),
    })
    .optional(),
});

export const HTTPMirrorPolicySchema = z.object({
  destination: DestinationSchema.optional(),
  percentage: PercentSchema.optional(),
});

export const CorsPolicySchema = z.object({
  /** Deprecated plain origins; use allowOrigins. */
  allowOrigin: z.array(z.string()).optional(),
  allowOrigins: z.array(StringMatchSchema).optional(),
  allowMethods: z.array(z.string()).optional(),
  allowHeaders: z.array(z.string()).optional(),
  exposeHeaders: z.array(z.string()).optional(),
  maxAge: DurationSchema.optional(),
  allowCredentials: z.boolean().optional(),
  unmatchedPreflights: z.enum(['UNSPECIFIED', 'FORWARD', 'IGNORE']).optional(),
});

export const HTTPRouteSchema = z.object({
  name: z.string().optional(),
  match: z.array(HTTPMatchRequestSchema).optional(),
  route: z.array(HTTPRouteDestinationSchema).optional(),
  redirect: HTTPRedirectSchema.optional(),
  directResponse: HTTPDirectResponseSchema.optional(),
  delegate: DelegateSchema.optional(),
  rewrite: HTTPRewriteSchema.optional(),
  timeout: DurationSchema.optional(),
  retries: HTTPRetrySchema.optional(),
  fault: HTTPFaultInjectionSchema.optional(),
  mirror: DestinationSchema.optional(),
  mirrors: z.array(HTTPMirrorPolicySchema).optional(),
  /** Deprecated integer percentage; use mirrorPercentage. */
  mirrorPercent: z.number().int().optional(),
  /** The proto's original JSON name, still in Istio's CRD. */
  mirror_percent: z.number().int().optional(),
  mirrorPercentage: PercentSchema.optional(),
  corsPolicy: CorsPolicySchema.optional(),
  headers: HeadersSchema.optional(),
});

export const RouteDestinationSchema = z.object({
  destination: DestinationSchema.optional(),
  weight: z.number().int().optional(),
});

export const L4MatchAttributesSchema = z.object({
  destinationSubnets: z.array(z.string()).optional(),
  port: z.number().int().optional(),
  sourceSubnet: z.string().optional(),
  sourceLabels: StringMapSchema.optional(),
  gateways: z.array(z.string()).optional(),
  sourceNamespace: z.string().optional(),
});

export const TLSMatchAttributesSchema = z.object({
  sniHosts: z.array(z.string()).optional(),
  destinationSubnets: z.array(z.string()).optional(),
  port: z.number().int().optional(),
  sourceLabels: StringMapSchema.optional(),
  gateways: z.array(z.string()).optional(),
  sourceNamespace: z.string().optional(),
});

export const TCPRouteSchema = z.object({
  match: z.array(L4MatchAttributesSchema).optional(),
  route: z.array(RouteDestinationSchema).optional(),
});

export const TLSRouteSchema = z.object({
  match: z.array(TLSMatchAttributesSchema).optional(),
  route: z.array(RouteDestinationSchema).optional(),
});

export const VirtualServiceSpecSchema = z.object({
  hosts: z.array(z.string()).optional(),
  gateways: z.array(z.string()).optional(),
  http: z.array(HTTPRouteSchema).optional(),
  tls: z.array(TLSRouteSchema).optional(),
  tcp: z.array(TCPRouteSchema).optional(),
  exportTo: z.array(z.string()).optional(),
});

export type Destination = z.infer<typeof DestinationSchema>;
export type IstioHeaders = z.infer<typeof HeadersSchema>;
export type IstioHeaderOperations = z.infer<typeof HeaderOperationsSchema>;
export type HTTPMatchRequest = z.infer<typeof HTTPMatchRequestSchema>;
export type HTTPRouteDestination = z.infer<typeof HTTPRouteDestinationSchema>;
export type HTTPRedirect = z.infer<typeof HTTPRedirectSchema>;
export type HTTPDirectResponse = z.infer<typeof HTTPDirectResponseSchema>;
export type Delegate = z.infer<typeof DelegateSchema>;
export type HTTPRewrite = z.infer<typeof HTTPRewriteSchema>;
export type HTTPRetry = z.infer<typeof HTTPRetrySchema>;
export type HTTPFaultInjection = z.infer<typeof HTTPFaultInjectionSchema>;
export type HTTPMirrorPolicy = z.infer<typeof HTTPMirrorPolicySchema>;
export type CorsPolicy = z.infer<typeof CorsPolicySchema>;
export type HTTPRoute = z.infer<typeof HTTPRouteSchema>;
export type RouteDestination = z.infer<typeof RouteDestinationSchema>;
export type L4MatchAttributes = z.infer<typeof L4MatchAttributesSchema>;
export type TLSMatchAttributes = z.infer<typeof TLSMatchAttributesSchema>;
export type TCPRoute = z.infer<typeof TCPRouteSchema>;
export type TLSRoute = z.infer<typeof TLSRouteSchema>;
export type VirtualServiceSpec = z.infer<typeof VirtualServiceSpecSchema>;
