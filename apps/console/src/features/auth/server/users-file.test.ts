import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseUsersFile, sha256Hex, userByName, userForToken } from './users-file';

const ALICE = 'alice-token-1b6f';
const VIC = 'vic-token-77c0';
const FILE = `
- name: alice
  role: operator
  tokenSha256: ${sha256Hex(ALICE)}
- name: vic
  role: viewer
  tokenSha256: ${sha256Hex(VIC).toUpperCase()}
`;

test('a token signs in as the user whose hash it matches, with that role', () => {
  const r = parseUsersFile(FILE);
  assert.ok(r.ok);
  assert.deepEqual(userForToken(r.users, ALICE), { user: 'alice', role: 'operator' });
  assert.deepEqual(userForToken(r.users, VIC), { user: 'vic', role: 'viewer' }, 'upper-case hex is accepted');
  assert.equal(userForToken(r.users, 'guess'), null);
  assert.equal(userForToken(r.users, ''), null);
  assert.equal(userForToken(r.users, sha256Hex(ALICE)), null, 'the stored hash is not itself a token');
  assert.deepEqual(userByName(r.users, 'vic'), { user: 'vic', role: 'viewer' });
  assert.equal(userByName(r.users, 'mallory'), null);
});

test('a broken users file says where it is broken', () => {
  const cases: [string, RegExp][] = [
    ['[', /^not YAML/],
    ['{}', /^\(root\)/],
    ['[]', /lists no user/],
    [`- name: a\n  role: admin\n  tokenSha256: ${sha256Hex('x')}`, /^\[0\.role\]/],
    [`- name: a\n  role: viewer\n  tokenSha256: abc`, /^\[0\.tokenSha256\]: tokenSha256 is 64 hex digits/],
    [`- name: a\n  role: viewer\n  token: plain\n  tokenSha256: ${sha256Hex('x')}`, /^\[0\]/],
    [`- name: a b\n  role: viewer\n  tokenSha256: ${sha256Hex('x')}`, /^\[0\.name\]/],
    [
      `- name: a\n  role: viewer\n  tokenSha256: ${sha256Hex('x')}\n- name: a\n  role: operator\n  tokenSha256: ${sha256Hex('y')}`,
      /user "a" is listed twice/,
    ],
  ];
  for (const [text, want] of cases) {
    const r = parseUsersFile(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) assert.match(r.problem, want, text);
  }
});
