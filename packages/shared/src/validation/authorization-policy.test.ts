import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertAccepted, assertRefused, validate } from './test-support';

const rule = (to: Record<string, unknown>) => ({ to: [{ operation: to }] });

describe('AuthorizationPolicy actions', () => {
  test('CUSTOM needs a provider; with one it is accepted', () => {
    assertRefused(
      validate('AuthorizationPolicy', { action: 'CUSTOM', rules: [{}] }),
      'spec.provider.name',
      '`provider.name` must not be empty',
    );
    assertAccepted(
      validate('AuthorizationPolicy', { action: 'CUSTOM', provider: { name: 'ext-authz' }, rules: [{}] }),
    );
  });

  test('a provider with a non-CUSTOM action is refused', () => {
    assertRefused(
      validate('AuthorizationPolicy', { action: 'ALLOW', provider: { name: 'x' }, rules: [{}] }),
      'spec.provider',
      'must not be with non CUSTOM action',
    );
  });

  test('DENY without rules is refused; with an empty rule it is accepted', () => {
    assertRefused(
      validate('AuthorizationPolicy', { action: 'DENY' }),
      'spec.rules',
      'DENY action without `rules`',
    );
    assertAccepted(
      validate('AuthorizationPolicy', {
        action: 'DENY',
        rules: [{ to: [{ operation: { ports: ['8080'] } }] }],
      }),
    );
  });

  test('an unknown action is refused; every Istio action is accepted', () => {
    assertRefused(
      validate('AuthorizationPolicy', { action: 'BLOCK' }),
      'spec.action',
      '"AUDIT"',
      'FieldValueNotSupported',
    );
    assertAccepted(validate('AuthorizationPolicy', {}));
    assertAccepted(validate('AuthorizationPolicy', { action: 'ALLOW', rules: [] }));
    assertAccepted(validate('AuthorizationPolicy', { action: 'AUDIT', rules: [{}] }));
  });

  test('CUSTOM cannot match on peer identity', () => {
    const spec = {
      action: 'CUSTOM',
      provider: { name: 'x' },
      rules: [{ from: [{ source: { principals: ['a'] } }] }],
    };
    assertRefused(
      validate('AuthorizationPolicy', spec),
      'spec.rules[0].from[0].source.principals',
      'not supported with CUSTOM',
    );
  });
});

describe('AuthorizationPolicy operations', () => {
  test('paths: exact, prefix, suffix, presence and templates are accepted', () => {
    const paths = ['/api', '/api/*', '*.html', '*', '/books/{*}/reviews', '/static/{**}'];
    assert.deepEqual(assertAccepted(validate('AuthorizationPolicy', { rules: [rule({ paths })] })), []);
  });

  test('paths: bad templates are refused; a path not starting with / or * warns', () => {
    assertRefused(
      validate('AuthorizationPolicy', { rules: [rule({ paths: ['/a/{**}/b/{*}'] })] }),
      'spec.rules[0].to[0].operation.paths[0]',
      '{**} is not the last operator',
    );
    assertRefused(
      validate('AuthorizationPolicy', { rules: [rule({ notPaths: ['/a/{id}'] })] }),
      'spec.rules[0].to[0].operation.notPaths[0]',
      "'{' or '}'",
    );
    const warnings = assertAccepted(
      validate('AuthorizationPolicy', { rules: [rule({ paths: ['api/v1'] })] }),
    );
    assert.match(
      warnings.join(),
      /spec\.rules\[0\]\.to\[0\]\.operation\.paths\[0\]: path "api\/v1" does not start with "\/"/,
    );
  });

  test('ports must be numbers; numeric ports are accepted', () => {
    assertRefused(
      validate('AuthorizationPolicy', { rules: [rule({ ports: ['http'] })] }),
      'spec.rules[0].to[0].operation.ports[0]',
      'bad port (http)',
    );
    assertRefused(
      validate('AuthorizationPolicy', { rules: [rule({ notPorts: ['70000'] })] }),
      'spec.rules[0].to[0].operation.notPorts[0]',
      'bad port',
    );
    assertAccepted(validate('AuthorizationPolicy', { rules: [rule({ ports: ['9080'], methods: ['GET'] })] }));
  });

  test('an empty operation or value is refused', () => {
    assertRefused(
      validate('AuthorizationPolicy', { rules: [rule({})] }),
      'spec.rules[0].to[0].operation',
      'must not be empty',
    );
    assertRefused(
      validate('AuthorizationPolicy', { rules: [rule({ methods: [''] })] }),
      'spec.rules[0].to[0].operation.methods[0]',
      'empty value',
    );
  });
});

describe('AuthorizationPolicy sources and conditions', () => {
  test('sources: bad IP blocks are refused; Istio examples are accepted', () => {
    const from = (source: unknown) => ({ rules: [{ from: [{ source }] }] });
    assertRefused(
      validate('AuthorizationPolicy', from({ ipBlocks: ['10.0.0.0/33'] })),
      'spec.rules[0].from[0].source.ipBlocks[0]',
      'bad CIDR',
    );
    assertRefused(
      validate('AuthorizationPolicy', from({})),
      'spec.rules[0].from[0].source',
      'must not be empty',
    );
    const ok = {
      principals: ['cluster.local/ns/default/sa/bookinfo-productpage'],
      namespaces: ['default'],
      ipBlocks: ['10.1.2.3', '2001:db8::/32'],
    };
    assertAccepted(validate('AuthorizationPolicy', from(ok)));
  });

  test('conditions: unknown keys are refused; known keys are accepted', () => {
    const when = (c: unknown) => ({ rules: [{ when: [c] }] });
    assertRefused(
      validate('AuthorizationPolicy', when({ key: 'request.colour', values: ['red'] })),
      'spec.rules[0].when[0].key',
      'unknown attribute',
    );
    assertRefused(
      validate('AuthorizationPolicy', when({ key: 'request.headers', values: ['x'] })),
      'spec.rules[0].when[0].key',
      'should have format a[b]',
    );
    assertRefused(
      validate('AuthorizationPolicy', when({ key: 'source.ip' })),
      'spec.rules[0].when[0]',
      'at least one of `values` or `notValues`',
    );
    assertAccepted(
      validate('AuthorizationPolicy', when({ key: 'request.headers[version]', values: ['v1', 'v2'] })),
    );
    assertAccepted(
      validate('AuthorizationPolicy', when({ key: 'request.auth.claims[iss]', notValues: ['https://evil'] })),
    );
  });

  test('selector and targetRefs are exclusive; a targetRef must name a Service or Gateway here', () => {
    const both = {
      selector: { matchLabels: { app: 'a' } },
      targetRefs: [{ kind: 'Service', name: 'reviews' }],
    };
    assertRefused(
      validate('AuthorizationPolicy', both),
      'spec',
      'only one of targetRefs or workloadSelector',
    );
    assertRefused(
      validate('AuthorizationPolicy', { targetRef: { kind: 'Pod', name: 'x' } }),
      'spec.targetRef',
      'targetRef must be to a Service',
    );
    assertAccepted(
      validate('AuthorizationPolicy', { targetRefs: [{ kind: 'Service', group: '', name: 'reviews' }] }),
    );
  });
});
