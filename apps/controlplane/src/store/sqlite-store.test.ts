import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import type { MeshResource } from '@trellis/shared';
import { SqliteResourceStore } from './sqlite-store';
import type { WatchEvent } from './types';

function open(t: TestContext, dir?: string): { store: SqliteResourceStore; dir: string } {
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), 'trellis-store-'));
  if (!dir) t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  let clock = Date.parse('2025-01-01T00:00:00Z');
  const now = () => {
    clock += 1000;
    return new Date(clock);
  };
  const store = SqliteResourceStore.open({ dataDir, now });
  t.after(() => store.close());
  return { store, dir: dataDir };
}

const as = { actor: 'alice' };

function vs(name: string, weights: number[] = [100], extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'VirtualService',
    metadata: { name, namespace: 'default', ...extra },
    spec: {
      hosts: ['reviews'],
      http: [
        {
          route: weights.map((weight, i) => ({
            destination: { host: 'reviews', subset: `v${i + 1}` },
            weight,
          })),
        },
      ],
    },
  };
}

function ok<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  assert.ok(r.ok, `expected success: ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
}

test('create stamps server fields and stores at the storage version', async (t) => {
  const { store } = open(t);
  const r = ok(await store.create(vs('reviews'), as));
  assert.equal(r.resource.apiVersion, 'networking.istio.io/v1');
  assert.equal(r.resource.metadata.resourceVersion, '1');
  assert.equal(r.resource.metadata.generation, 1);
  assert.equal(r.resource.metadata.creationTimestamp, '2025-01-01T00:00:01Z');
  assert.match(r.resource.metadata.uid ?? '', /^[0-9a-f-]{36}$/);
  assert.deepEqual(
    await store.get({ kind: 'VirtualService', namespace: 'default', name: 'reviews' }),
    r.resource,
  );
  const again = await store.create(vs('reviews'), as);
  assert.deepEqual(again, {
    ok: false,
    error: {
      reason: 'AlreadyExists',
      ref: { kind: 'VirtualService', namespace: 'default', name: 'reviews' },
    },
  });
  const generated = ok(
    await store.create({ ...vs(''), metadata: { generateName: 'canary-', namespace: 'x' } }, as),
  );
  assert.match(generated.resource.metadata.name, /^canary-[a-z0-9]{5}$/);
});

test('invalid objects are refused with every cause and change nothing', async (t) => {
  const { store } = open(t);
  const r = await store.create(vs('reviews', [-10, 110]), as);
  assert.equal(r.ok, false);
  assert.ok(!r.ok && r.error.reason === 'Invalid');
  assert.ok(
    !r.ok &&
      r.error.reason === 'Invalid' &&
      r.error.causes.some((c) => c.field === 'spec.http[0].route[0].weight'),
  );
  assert.equal(await store.revision(), '0');
  assert.deepEqual(await store.listHistory({}), []);
});

test('updates need the current resourceVersion; generation moves only with the spec', async (t) => {
  const { store } = open(t);
  const created = ok(await store.create(vs('reviews'), as)).resource;

  const labelled = ok(
    await store.update(
      { ...created, metadata: { ...created.metadata, labels: { team: 'a' } } },
      { actor: 'bob' },
    ),
  ).resource;
  assert.equal(labelled.metadata.resourceVersion, '2');
  assert.equal(labelled.metadata.generation, 1, 'metadata-only change');

  const stale = await store.update({ ...created, spec: vs('reviews', [50, 50]).spec }, as);
  assert.deepEqual(stale, {
    ok: false,
    error: { reason: 'Conflict', ref: { kind: 'VirtualService', namespace: 'default', name: 'reviews' } },
  });

  const split = ok(await store.update({ ...labelled, spec: vs('reviews', [50, 50]).spec }, as)).resource;
  assert.equal(split.metadata.generation, 2);
  assert.equal(split.metadata.uid, created.metadata.uid);
  assert.equal(split.metadata.creationTimestamp, created.metadata.creationTimestamp);

  const noRv = await store.update(
    { ...split, metadata: { ...split.metadata, resourceVersion: undefined } },
    as,
  );
  assert.ok(!noRv.ok && noRv.error.reason === 'Invalid');

  const same = ok(await store.update(split, as));
  assert.equal(same.changed, false);
  assert.equal(await store.revision(), '3', 'a no-op update spends no version');
});

test('patches: merge, JSON, apply; preconditions; dry run', async (t) => {
  const { store } = open(t);
  const ref = { kind: 'VirtualService' as const, namespace: 'default', name: 'reviews' };
  ok(await store.create(vs('reviews', [80, 20]), as));

  const merged = ok(
    await store.patch(ref, { type: 'merge', patch: { metadata: { labels: { a: 'b' } } } }, as),
  ).resource;
  assert.deepEqual(merged.metadata.labels, { a: 'b' });

  const json = ok(
    await store.patch(
      ref,
      {
        type: 'json',
        patch: [
          { op: 'replace', path: '/spec/http/0/route/0/weight', value: 70 },
          { op: 'replace', path: '/spec/http/0/route/1/weight', value: 30 },
        ],
      },
      as,
    ),
  ).resource;
  assert.deepEqual(
    (json.spec as { http: { route: { weight: number }[] }[] }).http[0]?.route.map((r) => r.weight),
    [70, 30],
  );

  const bad = await store.patch(
    ref,
    {
      type: 'merge',
      patch: { spec: { http: [{ route: [{ destination: { host: 'reviews' }, weight: -1 }] }] } },
    },
    as,
  );
  assert.ok(!bad.ok && bad.error.reason === 'Invalid');

  const stale = await store.patch(
    ref,
    { type: 'merge', patch: { metadata: { resourceVersion: '1', labels: { c: 'd' } } } },
    as,
  );
  assert.ok(!stale.ok && stale.error.reason === 'Conflict');
  const precondition = await store.patch(
    ref,
    { type: 'merge', patch: {} },
    { ...as, preconditions: { uid: 'nope' } },
  );
  assert.ok(!precondition.ok && precondition.error.reason === 'Conflict');

  const applied = ok(
    await store.patch(
      ref,
      {
        type: 'apply',
        patch: { ...vs('reviews'), metadata: { name: 'reviews', labels: { e: 'f' } } },
        fieldManager: 'me',
        force: false,
      },
      as,
    ),
  ).resource;
  assert.deepEqual(applied.metadata.labels, { a: 'b', e: 'f' });
  assert.equal(
    (applied.spec as { http: { route: unknown[] }[] }).http[0]?.route.length,
    1,
    'apply replaces the spec',
  );

  const rv = await store.revision();
  const dry = ok(
    await store.patch(
      ref,
      { type: 'merge', patch: { metadata: { labels: { g: 'h' } } } },
      { ...as, dryRun: true },
    ),
  );
  assert.deepEqual(dry.resource.metadata.labels, { a: 'b', e: 'f', g: 'h' });
  assert.equal(await store.revision(), rv, 'a dry run stores nothing');
  assert.deepEqual((await store.get(ref))?.metadata.labels, { a: 'b', e: 'f' });
});

test('history records who, when, before and after of every change', async (t) => {
  const { store } = open(t);
  const ref = { kind: 'VirtualService' as const, namespace: 'default', name: 'reviews' };
  ok(await store.create(vs('reviews'), { actor: 'alice' }));
  ok(
    await store.patch(ref, { type: 'merge', patch: { metadata: { labels: { a: 'b' } } } }, { actor: 'bob' }),
  );
  ok(await store.delete(ref, { actor: 'carol' }));
  ok(await store.create(vs('reviews', [50, 50]), { actor: 'dave' }));
  ok(await store.create(vs('ratings'), { actor: 'erin' }));

  const h = await store.history(ref);
  assert.deepEqual(
    h.map((e) => [
      e.resourceVersion,
      e.verb,
      e.actor,
      e.before?.metadata.resourceVersion ?? null,
      e.after?.metadata.resourceVersion ?? null,
    ]),
    [
      ['1', 'create', 'alice', null, '1'],
      ['2', 'patch', 'bob', '1', '2'],
      ['3', 'delete', 'carol', '2', null],
      ['4', 'create', 'dave', null, '4'],
    ],
  );
  assert.notEqual(h[3]?.uid, h[0]?.uid, 're-created objects get a new uid');
  const times = h.map((e) => Date.parse(e.time));
  assert.ok(
    times.every((x, i) => !Number.isNaN(x) && (i === 0 || x > (times[i - 1] ?? 0))),
    `times increase: ${times}`,
  );
  assert.ok((times[0] ?? 0) >= Date.parse(h[0]?.after?.metadata.creationTimestamp ?? ''));
  const newest = await store.listHistory({ newestFirst: true, limit: 2 });
  assert.deepEqual(
    newest.map((e) => e.ref.name),
    ['ratings', 'reviews'],
  );
  assert.equal((await store.historyEntry('2'))?.actor, 'bob');
});

test('watch replays history after a version, then streams live changes in order', async (t) => {
  const { store } = open(t);
  const ref = { kind: 'VirtualService' as const, namespace: 'default', name: 'reviews' };
  ok(await store.create(vs('reviews'), as));
  ok(await store.patch(ref, { type: 'merge', patch: { metadata: { labels: { a: 'b' } } } }, as));
  ok(await store.create({ ...vs('other'), metadata: { name: 'other', namespace: 'prod' } }, as));

  const seen: [string, string, string][] = [];
  const record = (e: WatchEvent) => {
    if (e.type !== 'BOOKMARK')
      seen.push([e.type, e.object.metadata.name, e.object.metadata.resourceVersion ?? '']);
  };
  const w = await store.watch(
    { kind: 'VirtualService', namespace: 'default', resourceVersion: '1' },
    { onEvent: record },
  );
  assert.ok(w.ok);
  ok(await store.delete(ref, as));
  w.stop();
  ok(await store.create(vs('late'), as));
  assert.deepEqual(seen, [
    ['MODIFIED', 'reviews', '2'],
    ['DELETED', 'reviews', '4'],
  ]);

  const initial: string[] = [];
  const all = await store.watch(
    {},
    { onEvent: (e) => e.type === 'ADDED' && initial.push(e.object.metadata.name) },
  );
  assert.ok(all.ok);
  all.stop();
  assert.deepEqual(initial, ['late', 'other'], 'no resourceVersion: the current objects as ADDED');

  store.compact(3);
  const expired = await store.watch({ resourceVersion: '2' }, { onEvent: () => {} });
  assert.deepEqual(expired, { ok: false, error: { reason: 'Expired', requested: '2', oldest: '3' } });
});

test('objects, history and the version counter survive a reopen', async (t) => {
  const first = open(t);
  const created: MeshResource = ok(await first.store.create(vs('reviews'), as)).resource;
  ok(await first.store.delete({ kind: 'VirtualService', namespace: 'default', name: 'reviews' }, as));
  ok(await first.store.create(vs('ratings'), as));
  await first.store.close();

  const second = open(t, first.dir);
  assert.equal(await second.store.revision(), '3');
  const listed = await second.store.list({ kind: 'VirtualService' });
  assert.deepEqual(
    listed.items.map((r) => r.metadata.name),
    ['ratings'],
  );
  assert.equal(listed.resourceVersion, '3');
  assert.equal(
    (await second.store.history({ kind: 'VirtualService', namespace: 'default', name: 'reviews' }))[0]?.after
      ?.metadata.uid,
    created.metadata.uid,
  );
  assert.equal(ok(await second.store.create(vs('details'), as)).resource.metadata.resourceVersion, '4');
});
