import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { validateResource } from './validate';

const fixtures = join(import.meta.dirname, '../../fixtures');

function documents(dir: string, file: string): Record<string, unknown>[] {
  return parseAllDocuments(readFileSync(join(fixtures, dir, file), 'utf8'))
    .map((d) => d.toJS() as unknown)
    .filter((d): d is Record<string, unknown> => d !== null && typeof d === 'object');
}

describe("Istio's Bookinfo samples", () => {
  const files = readdirSync(join(fixtures, 'bookinfo')).filter((f) => f.endsWith('.yaml'));

  test('every object is valid, with no unknown field even in Strict mode', () => {
    assert.ok(files.length >= 8);
    for (const file of files) {
      for (const doc of documents('bookinfo', file)) {
        const r = validateResource(doc, { fieldValidation: 'Strict' });
        assert.ok(r.valid, `${file}: ${JSON.stringify(r.valid || r.causes)}`);
      }
    }
  });

  test('only the unreachable-rule sample warns, as istioctl does', () => {
    const warned = files.filter((file) =>
      documents('bookinfo', file).some((doc) => {
        const r = validateResource(doc);
        return r.valid && r.warnings.length > 0;
      }),
    );
    // Its first rule has no match, so the second can never be reached.
    assert.deepEqual(warned, ['fault-injection-details-v1.yaml']);
  });
});

describe("Istio's own CRD validation cases", () => {
  const files = readdirSync(join(fixtures, 'istio-validation')).filter((f) => f.endsWith('.yaml'));

  test('every *-valid document is accepted', () => {
    for (const file of files.filter((f) => f.endsWith('-valid.yaml'))) {
      for (const doc of documents('istio-validation', file)) {
        const r = validateResource(doc, { fieldValidation: 'Strict' });
        assert.ok(r.valid, `${file} ${JSON.stringify(doc.metadata)}: ${JSON.stringify(r.valid || r.causes)}`);
      }
    }
  });

  test('every *-invalid document is refused', () => {
    let count = 0;
    for (const file of files.filter((f) => f.endsWith('-invalid.yaml'))) {
      for (const { _err, ...doc } of documents('istio-validation', file)) {
        const r = validateResource(doc, { fieldValidation: 'Strict' });
        assert.equal(
          r.valid,
          false,
          `${file} ${JSON.stringify(doc.metadata)} should fail with: ${String(_err)}`,
        );
        count++;
      }
    }
    assert.ok(count >= 10);
  });
});
