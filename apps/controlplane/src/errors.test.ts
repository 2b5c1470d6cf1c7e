import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Errors, errorCatalogue } from './errors';

test('docs/api.md lists every reason of the catalogue with its HTTP code and stable id', () => {
  const doc = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');
  for (const { reason, code, id } of errorCatalogue()) {
    const row = new RegExp(`^\\|\\s*${reason}\\s*\\|\\s*${code}\\s*\\|\\s*${id}\\s*\\|`, 'm');
    assert.match(doc, row, `docs/api.md has no row for ${reason}`);
  }
});

test('messages read as the API server words them', () => {
  const s = {
    group: 'networking.istio.io',
    resource: 'virtualservices',
    name: 'reviews',
    kind: 'VirtualService',
  };
  assert.equal(Errors.notFound(s).message, 'virtualservices.networking.istio.io "reviews" not found');
  assert.equal(
    Errors.alreadyExists(s).message,
    'virtualservices.networking.istio.io "reviews" already exists',
  );
  assert.equal(
    Errors.notFound({ group: '', resource: 'namespaces', name: 'x' }).message,
    'namespaces "x" not found',
  );
  const invalid = Errors.invalid(s, [
    { reason: 'FieldValueInvalid', field: 'spec.http[0].route[0].weight', message: 'weight -10 < 0' },
    { reason: 'FieldValueRequired', field: 'spec.hosts', message: 'Required value' },
  ]);
  assert.equal(
    invalid.message,
    'VirtualService.networking.istio.io "reviews" is invalid: [spec.http[0].route[0].weight: weight -10 < 0, spec.hosts: Required value]',
  );
  assert.equal(invalid.code, 422);
  assert.equal(invalid.details?.causes?.length, 2);
});
