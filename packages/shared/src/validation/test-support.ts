import assert from 'node:assert/strict';
import type { FieldCause, ValidationResult } from '../validation-types';
import { type ValidateOptions, validateResource } from './validate';

/** Helpers for the validation tests: build objects, and say which causes came back. */

const GROUPS = {
  VirtualService: 'networking.istio.io/v1',
  DestinationRule: 'networking.istio.io/v1',
  PeerAuthentication: 'security.istio.io/v1',
  AuthorizationPolicy: 'security.istio.io/v1',
} as const;

export function object(kind: keyof typeof GROUPS, spec: unknown, name = 'test'): Record<string, unknown> {
  return { apiVersion: GROUPS[kind], kind, metadata: { name, namespace: 'default' }, spec };
}

export function validate(
  kind: keyof typeof GROUPS,
  spec: unknown,
  options?: ValidateOptions,
): ValidationResult {
  return validateResource(object(kind, spec), options);
}

/** Asserts the object is refused with a cause at `field` whose message contains `text`. */
export function assertRefused(
  result: ValidationResult,
  field: string,
  text: string,
  reason?: FieldCause['reason'],
) {
  assert.equal(result.valid, false, `expected a refusal at ${field}`);
  const causes = result.valid ? [] : result.causes;
  const hit = causes.find((c) => c.field === field && c.message.includes(text));
  assert.ok(hit, `no cause at ${field} containing "${text}"; got ${JSON.stringify(causes, null, 1)}`);
  if (reason) assert.equal(hit.reason, reason);
}

/** Asserts the object is accepted; returns its warnings. */
export function assertAccepted(result: ValidationResult): string[] {
  assert.ok(
    result.valid,
    `expected acceptance; got ${JSON.stringify(result.valid ? [] : result.causes, null, 1)}`,
  );
  return result.warnings;
}
