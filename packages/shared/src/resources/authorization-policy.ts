import { z } from 'zod';
import { PolicyTargetReferenceSchema, WorkloadSelectorSchema } from './common';

/** security.istio.io AuthorizationPolicy. */

export const AUTHZ_ACTIONS = ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'] as const;
export type AuthorizationAction = (typeof AUTHZ_ACTIONS)[number];

const strings = z.array(z.string()).optional();

export const AuthorizationSourceSchema = z.object({
  principals: strings,
  notPrincipals: strings,
  requestPrincipals: strings,
  notRequestPrincipals: strings,
  namespaces: strings,
  notNamespaces: strings,
  trustDomains: strings,
  notTrustDomains: strings,
  serviceAccounts: strings,
  notServiceAccounts: strings,
  ipBlocks: strings,
  notIpBlocks: strings,
  remoteIpBlocks: strings,
  notRemoteIpBlocks: strings,
});

export const AuthorizationOperationSchema = z.object({
  hosts: strings,
  notHosts: strings,
  ports: strings,
  notPorts: strings,
  methods: strings,
  notMethods: strings,
  paths: strings,
  notPaths: strings,
});

export const AuthorizationConditionSchema = z.object({
  key: z.string().optional(),
  values: strings,
  notValues: strings,
});

export const AuthorizationPolicyRuleSchema = z.object({
  from: z.array(z.object({ source: AuthorizationSourceSchema.optional() })).optional(),
  to: z.array(z.object({ operation: AuthorizationOperationSchema.optional() })).optional(),
  when: z.array(AuthorizationConditionSchema).optional(),
});

export const AuthorizationPolicySpecSchema = z.object({
  selector: WorkloadSelectorSchema.optional(),
  targetRef: PolicyTargetReferenceSchema.optional(),
  targetRefs: z.array(PolicyTargetReferenceSchema).optional(),
  rules: z.array(AuthorizationPolicyRuleSchema).optional(),
  action: z.enum(AUTHZ_ACTIONS).optional(),
  provider: z.object({ name: z.string().optional() }).optional(),
});

export type AuthorizationSource = z.infer<typeof AuthorizationSourceSchema>;
export type AuthorizationOperation = z.infer<typeof AuthorizationOperationSchema>;
export type AuthorizationCondition = z.infer<typeof AuthorizationConditionSchema>;
export type AuthorizationPolicyRule = z.infer<typeof AuthorizationPolicyRuleSchema>;
export type AuthorizationPolicySpec = z.infer<typeof AuthorizationPolicySpecSchema>;
