import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { OBJECT_SCHEMAS } from './index';

const fixtures = join(import.meta.dirname, '../../fixtures/bookinfo');

function documents(file: string): Record<string, unknown>[] {
  return parseAllDocuments(readFileSync(join(fixtures, file), 'utf8'))
    .map((d) => d.toJS() as unknown)
    .filter((d): d is Record<string, unknown> => d !== null && typeof d === 'object');
}

test('every Bookinfo networking object parses unchanged', () => {
  const files = readdirSync(fixtures).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 8);
  for (const file of files) {
    for (const doc of documents(file)) {
      const kind = doc.kind as keyof typeof OBJECT_SCHEMAS;
      const parsed = OBJECT_SCHEMAS[kind].safeParse(doc);
      assert.ok(parsed.success, `${file}: ${parsed.error?.message}`);
      // Stripping would hide fields we do not model: the parsed spec must equal the input.
      assert.deepEqual(parsed.data.spec, doc.spec, file);
    }
  }
});

test('the 80/20 split keeps its weights and subsets', () => {
  const [doc] = documents('virtual-service-reviews-80-20.yaml');
  const vs = OBJECT_SCHEMAS.VirtualService.parse(doc);
  const route = vs.spec.http?.[0]?.route ?? [];
  assert.deepEqual(
    route.map((r) => [r.destination?.subset, r.weight]),
    [
      ['v1', 80],
      ['v2', 20],
    ],
  );
});

test('a wrong type is refused with its path', () => {
  const bad = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'x' },
    spec: { hosts: ['a'], http: [{ route: [{ destination: { host: 'a' }, weight: 'ten' }] }] },
  };
  const parsed = OBJECT_SCHEMAS.VirtualService.safeParse(bad);
  assert.equal(parsed.success, false);
  assert.deepEqual(parsed.error?.issues[0]?.path, ['spec', 'http', 0, 'route', 0, 'weight']);
});

test('a missing spec is an empty spec', () => {
  const pa = OBJECT_SCHEMAS.PeerAuthentication.parse({
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name: 'default', namespace: 'istio-system' },
  });
  assert.deepEqual(pa.spec, {});
});
