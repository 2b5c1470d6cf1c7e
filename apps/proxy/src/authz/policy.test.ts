import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuthorizationPolicyConfig, StringPattern } from '@trellis/shared';
import { Authorizer, type AuthzRequest } from './policy';

const P = (values: string[], notValues: string[] = []): StringPattern => ({ values, notValues });

function req(o: Partial<AuthzRequest> = {}): AuthzRequest {
  return {
    principal: 'cluster.local/ns/default/sa/productpage',
    namespace: 'default',
    path: '/ratings/1',
    method: 'GET',
    host: 'ratings:9080',
    port: '31000',
    servicePort: '9080',
    ...o,
  };
}

const allowProductpage: AuthorizationPolicyConfig = {
  name: 'default/ratings',
  action: 'ALLOW',
  rules: [
    {
      from: [{ principals: P(['cluster.local/ns/default/sa/productpage']) }],
      to: [{ paths: P(['/ratings/*']), methods: P(['GET']) }],
    },
  ],
};

test('no policy allows; an ALLOW policy with no rules allows nothing', () => {
  assert.equal(new Authorizer([]).decide(req()).allowed, true);
  assert.equal(new Authorizer([{ name: 'x/none', action: 'ALLOW', rules: [] }]).decide(req()).allowed, false);
  // A DENY policy with no rules denies nothing; a rule with no from/to matches everything.
  assert.equal(new Authorizer([{ name: 'x/d', action: 'DENY', rules: [] }]).decide(req()).allowed, true);
  assert.equal(
    new Authorizer([{ name: 'x/all', action: 'ALLOW', rules: [{ from: [], to: [] }] }]).decide(req()).allowed,
    true,
  );
});

test('ALLOW on principal, path prefix and method', () => {
  const a = new Authorizer([allowProductpage]);
  assert.equal(a.decide(req()).allowed, true);
  assert.equal(a.decide(req({ method: 'POST' })).allowed, false);
  assert.equal(a.decide(req({ path: '/details/1' })).allowed, false);
  assert.equal(a.decide(req({ principal: 'cluster.local/ns/default/sa/reviews' })).allowed, false);
  assert.equal(
    a.decide(req({ principal: null, namespace: null })).allowed,
    false,
    'plaintext has no principal',
  );
});

test('DENY wins over ALLOW, and names the policy', () => {
  const deny: AuthorizationPolicyConfig = {
    name: 'default/no-post',
    action: 'DENY',
    rules: [{ from: [], to: [{ methods: P(['POST', 'DELETE']) }] }],
  };
  const all: AuthorizationPolicyConfig = {
    name: 'default/all',
    action: 'ALLOW',
    rules: [{ from: [], to: [] }],
  };
  const a = new Authorizer([all, deny]);
  assert.deepEqual(a.decide(req({ method: 'POST' })), { allowed: false, policy: 'default/no-post' });
  assert.equal(a.decide(req()).allowed, true);
});

test('string forms: exact, prefix, suffix, presence, and not-forms', () => {
  const rule = (to: AuthorizationPolicyConfig['rules'][number]['to']): Authorizer =>
    new Authorizer([{ name: 't/t', action: 'ALLOW', rules: [{ from: [], to }] }]);
  assert.equal(rule([{ paths: P(['/ratings/1']) }]).decide(req()).allowed, true);
  assert.equal(rule([{ paths: P(['/ratings']) }]).decide(req()).allowed, false);
  assert.equal(rule([{ paths: P(['*/1']) }]).decide(req()).allowed, true);
  assert.equal(rule([{ paths: P(['*']) }]).decide(req()).allowed, true);
  assert.equal(rule([{ paths: P([], ['/ratings*']) }]).decide(req()).allowed, false);
  assert.equal(rule([{ paths: P([], ['/admin*']) }]).decide(req()).allowed, true);
  assert.equal(rule([{ paths: P(['/ratings*'], ['*/1']) }]).decide(req()).allowed, false);
  // Several operations: any one may match.
  assert.equal(rule([{ paths: P(['/x']) }, { methods: P(['GET']) }]).decide(req()).allowed, true);
});

test('sources: principals and namespaces, presence requires mTLS, notPrincipals holds for plaintext', () => {
  const from = (sources: AuthorizationPolicyConfig['rules'][number]['from']): Authorizer =>
    new Authorizer([{ name: 't/t', action: 'ALLOW', rules: [{ from: sources, to: [] }] }]);
  const plain = req({ principal: null, namespace: null });
  assert.equal(from([{ namespaces: P(['default']) }]).decide(req()).allowed, true);
  assert.equal(from([{ namespaces: P(['prod']) }]).decide(req()).allowed, false);
  assert.equal(from([{ namespaces: P([], ['prod']) }]).decide(req()).allowed, true);
  assert.equal(from([{ principals: P(['*']) }]).decide(req()).allowed, true);
  assert.equal(from([{ principals: P(['*']) }]).decide(plain).allowed, false);
  assert.equal(from([{ principals: P(['cluster.local/ns/default/*']) }]).decide(req()).allowed, true);
  assert.equal(from([{ principals: P(['*/sa/productpage']) }]).decide(req()).allowed, true);
  assert.equal(from([{ principals: P([], ['cluster.local/ns/default/sa/x']) }]).decide(plain).allowed, true);
  // Both fields of one source must hold.
  assert.equal(from([{ principals: P(['*']), namespaces: P(['prod']) }]).decide(req()).allowed, false);
});

test('hosts are case-insensitive and match with or without the port; ports match the app or the service port', () => {
  const to = (t: AuthorizationPolicyConfig['rules'][number]['to']): Authorizer =>
    new Authorizer([{ name: 't/t', action: 'DENY', rules: [{ from: [], to: t }] }]);
  assert.equal(to([{ hosts: P(['RATINGS']) }]).decide(req()).allowed, false);
  assert.equal(to([{ hosts: P(['ratings:9080']) }]).decide(req()).allowed, false);
  assert.equal(to([{ hosts: P(['*.example.com']) }]).decide(req()).allowed, true);
  assert.equal(
    to([{ hosts: P(['ratings.*']) }]).decide(req({ host: 'ratings.default:9080' })).allowed,
    false,
  );
  assert.equal(to([{ ports: P(['9080']) }]).decide(req()).allowed, false);
  assert.equal(to([{ ports: P(['31000']) }]).decide(req()).allowed, false);
  assert.equal(to([{ ports: P(['8080']) }]).decide(req()).allowed, true);
  assert.equal(to([{ ports: P([], ['9080']) }]).decide(req()).allowed, true);
});
