import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAccepted, assertRefused, validate } from './test-support';

test('an unknown mTLS mode is refused with the supported modes', () => {
  const r = validate('PeerAuthentication', { mtls: { mode: 'STRICKT' } });
  assertRefused(
    r,
    'spec.mtls.mode',
    'supported values: "UNSET", "DISABLE", "PERMISSIVE", "STRICT"',
    'FieldValueNotSupported',
  );
  assertRefused(
    validate('PeerAuthentication', {
      selector: { matchLabels: { app: 'a' } },
      portLevelMtls: { 8080: { mode: 'ON' } },
    }),
    'spec.portLevelMtls[8080].mode',
    'Unsupported value',
  );
});

test('every mode is accepted, mesh-wide and per workload', () => {
  for (const mode of ['STRICT', 'PERMISSIVE', 'DISABLE', 'UNSET']) {
    assert.deepEqual(assertAccepted(validate('PeerAuthentication', { mtls: { mode } })), []);
    assertAccepted(
      validate('PeerAuthentication', { selector: { matchLabels: { app: 'reviews' } }, mtls: { mode } }),
    );
  }
  assertAccepted(validate('PeerAuthentication', {}));
});

test('portLevelMtls without a selector is refused; with one it is accepted', () => {
  const ports = { 9080: { mode: 'DISABLE' } };
  assertRefused(
    validate('PeerAuthentication', { mtls: { mode: 'STRICT' }, portLevelMtls: ports }),
    'spec.portLevelMtls',
    'cannot have port level mTLS',
  );
  assertAccepted(
    validate('PeerAuthentication', {
      selector: { matchLabels: { app: 'reviews' } },
      mtls: { mode: 'STRICT' },
      portLevelMtls: ports,
    }),
  );
});

test('portLevelMtls keys must be ports', () => {
  const selector = { matchLabels: { app: 'reviews' } };
  assertRefused(
    validate('PeerAuthentication', { selector, portLevelMtls: { 0: { mode: 'STRICT' } } }),
    'spec.portLevelMtls[0]',
    '1..65535',
  );
  assertRefused(
    validate('PeerAuthentication', { selector, portLevelMtls: { http: { mode: 'STRICT' } } }),
    'spec.portLevelMtls.http',
    '1..65535',
  );
  assertRefused(
    validate('PeerAuthentication', { selector, portLevelMtls: {} }),
    'spec.portLevelMtls',
    'at least one element',
  );
});

test('a selector may not use wildcards; an empty one warns', () => {
  assertRefused(
    validate('PeerAuthentication', { selector: { matchLabels: { app: 'rev*' } } }),
    'spec.selector.matchLabels.app',
    'wildcard is not supported',
  );
  const warnings = assertAccepted(validate('PeerAuthentication', { selector: {} }));
  assert.match(warnings.join(), /workload selector specified without labels/);
});
