/**
 * Watches through @kubernetes/client-node, the client the console and the Kubernetes store use:
 * events arrive in order, a watch resumed from a resourceVersion misses nothing, a compacted
 * version answers 410 Expired, and selectors and bookmarks work on list and watch.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CustomObjectsApi,
  KubeConfig,
  ListWatch,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import { silentLogger, startControlPlane } from '../src/server';
import type { SqliteResourceStore } from '../src/store/sqlite-store';
import { tempDir } from './kubectl-support';

const GROUP = 'networking.istio.io';
const VERSION = 'v1';
const PLURAL = 'virtualservices';

interface Event {
  type: string;
  name: string;
  resourceVersion: string;
  hosts?: string[];
  code?: number;
  reason?: string;
}

function vs(name: string, hosts: string[], labels: Record<string, string> = {}) {
  return {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: 'VirtualService',
    metadata: { name, labels },
    spec: { hosts, http: [{ route: [{ destination: { host: hosts[0] } }] }] },
  };
}

async function start(t: import('node:test').TestContext, bookmarkIntervalMs?: number) {
  const cp = await startControlPlane({
    dataDir: tempDir(t),
    port: 0,
    log: silentLogger,
    ...(bookmarkIntervalMs ? { bookmarkIntervalMs } : {}),
  });
  t.after(() => cp.stop());
  const kc = new KubeConfig();
  kc.loadFromFile(cp.kubeconfigPath);
  return { cp, kc, api: kc.makeApiClient(CustomObjectsApi) };
}

/** Opens a watch and collects its events; `until` resolves once `n` events arrived. */
async function collect(kc: KubeConfig, path: string, query: Record<string, string | boolean>) {
  const events: Event[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let done: unknown = 'open';
  const controller = await new Watch(kc).watch(
    path,
    query,
    (
      type,
      obj: {
        metadata?: { name?: string; resourceVersion?: string };
        spec?: { hosts?: string[] };
        code?: number;
        reason?: string;
      },
    ) => {
      const e: Event = {
        type,
        name: obj.metadata?.name ?? '',
        resourceVersion: obj.metadata?.resourceVersion ?? '',
      };
      if (obj.spec?.hosts) e.hosts = obj.spec.hosts;
      if (obj.code !== undefined) e.code = obj.code;
      if (obj.reason !== undefined) e.reason = obj.reason;
      events.push(e);
      for (const w of waiters.filter((x) => events.length >= x.n)) w.resolve();
    },
    (err) => {
      done = err ?? 'closed';
    },
  );
  const until = (n: number) =>
    new Promise<void>((resolve, reject) => {
      if (events.length >= n) return resolve();
      const timer = setTimeout(
        () => reject(new Error(`saw ${events.length} of ${n} events: ${JSON.stringify(events)}`)),
        10_000,
      );
      waiters.push({
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  return { events, until, stop: () => controller.abort(), closed: () => done };
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

test('a client-node watch sees ADDED, MODIFIED and DELETED in order, and resumes without gaps', async (t) => {
  const { kc, api } = await start(t);
  const path = `/apis/${GROUP}/${VERSION}/namespaces/default/${PLURAL}`;
  const w = await collect(kc, path, {});
  t.after(() => w.stop());

  await api.createNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    namespace: 'default',
    plural: PLURAL,
    body: vs('reviews', ['reviews']),
  });
  await api.patchNamespacedCustomObject(
    {
      group: GROUP,
      version: VERSION,
      namespace: 'default',
      plural: PLURAL,
      name: 'reviews',
      body: { spec: { hosts: ['reviews.default.svc.cluster.local'] } },
    },
    mergePatch,
  );
  await api.deleteNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    namespace: 'default',
    plural: PLURAL,
    name: 'reviews',
  });
  await w.until(3);
  assert.deepEqual(
    w.events.map((e) => [e.type, e.name]),
    [
      ['ADDED', 'reviews'],
      ['MODIFIED', 'reviews'],
      ['DELETED', 'reviews'],
    ],
  );
  assert.deepEqual(w.events[1]?.hosts, ['reviews.default.svc.cluster.local']);
  const versions = w.events.map((e) => Number(e.resourceVersion));
  assert.ok(versions[0]! < versions[1]! && versions[1]! < versions[2]!, `increasing: ${versions}`);

  // Resume: a watcher that saw only the ADDED event misses none of what followed, even though it
  // was not connected when it happened; then it keeps receiving live changes.
  const resumed = await collect(kc, path, { resourceVersion: w.events[0]!.resourceVersion });
  t.after(() => resumed.stop());
  await resumed.until(2);
  await api.createNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    namespace: 'default',
    plural: PLURAL,
    body: vs('ratings', ['ratings']),
  });
  await resumed.until(3);
  assert.deepEqual(
    resumed.events.map((e) => [e.type, e.name, e.resourceVersion]),
    [
      ['MODIFIED', 'reviews', w.events[1]!.resourceVersion],
      ['DELETED', 'reviews', w.events[2]!.resourceVersion],
      ['ADDED', 'ratings', String(Number(w.events[2]!.resourceVersion) + 1)],
    ],
  );
});

test('a watch from a compacted resourceVersion gets 410 Expired; informers re-list', async (t) => {
  const { cp, kc, api } = await start(t);
  const path = `/apis/${GROUP}/${VERSION}/namespaces/default/${PLURAL}`;
  for (const name of ['a', 'b', 'c'])
    await api.createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: 'default',
      plural: PLURAL,
      body: vs(name, [name]),
    });
  (cp.store as SqliteResourceStore).compact(2);

  const old = await collect(kc, path, { resourceVersion: '1' });
  t.after(() => old.stop());
  await old.until(1);
  assert.deepEqual(old.events, [
    { type: 'ERROR', name: '', resourceVersion: '', code: 410, reason: 'Expired' },
  ]);

  // From the compaction point on, history is still there.
  const fine = await collect(kc, path, { resourceVersion: '2' });
  t.after(() => fine.stop());
  await fine.until(1);
  assert.deepEqual(
    fine.events.map((e) => [e.type, e.name]),
    [['ADDED', 'c']],
  );

  // client-node's informer (list, then watch from the list's version) sees everything.
  const informer = new ListWatch(
    path,
    new Watch(kc),
    () =>
      api.listNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: 'default',
        plural: PLURAL,
      }),
    false,
  );
  const seen: string[] = [];
  informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
  informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
  await informer.start();
  t.after(() => informer.stop());
  await api.deleteNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    namespace: 'default',
    plural: PLURAL,
    name: 'b',
  });
  for (let i = 0; i < 100 && seen.length < 4; i += 1) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(seen, ['add a', 'add b', 'add c', 'delete b']);
  assert.deepEqual(
    informer
      .list()
      .map((o) => o.metadata?.name)
      .sort(),
    ['a', 'c'],
  );
});

test('labelSelector and fieldSelector filter lists and watches; bookmarks arrive when allowed', async (t) => {
  const { kc, api } = await start(t, 200);
  const path = `/apis/${GROUP}/${VERSION}/${PLURAL}`;
  const create = (ns: string, name: string, labels: Record<string, string>) =>
    api.createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: ns,
      plural: PLURAL,
      body: vs(name, [name], labels),
    });
  await create('default', 'reviews', { app: 'reviews', tier: 'back' });
  await create('default', 'productpage', { app: 'productpage', tier: 'front' });
  await create('bookinfo', 'reviews', { app: 'reviews', tier: 'back' });

  const names = async (query: Record<string, string>) => {
    const res = (await api.listClusterCustomObject({
      group: GROUP,
      version: VERSION,
      plural: PLURAL,
      ...query,
    })) as {
      items: { metadata: { namespace: string; name: string } }[];
    };
    return res.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`);
  };
  assert.deepEqual(await names({ labelSelector: 'app=reviews' }), ['bookinfo/reviews', 'default/reviews']);
  assert.deepEqual(await names({ labelSelector: 'tier in (front),app' }), ['default/productpage']);
  assert.deepEqual(await names({ labelSelector: 'tier!=back' }), ['default/productpage']);
  assert.deepEqual(await names({ fieldSelector: 'metadata.name=reviews,metadata.namespace=bookinfo' }), [
    'bookinfo/reviews',
  ]);
  assert.deepEqual(await names({ fieldSelector: 'metadata.namespace!=default' }), ['bookinfo/reviews']);
  await assert.rejects(
    names({ fieldSelector: 'spec.hosts=x' }),
    (err: { code?: number }) => err.code === 400,
  );

  // A watch with selectors: an object that stops matching is DELETED for this watcher.
  const w = await collect(kc, path, {
    labelSelector: 'app=reviews',
    fieldSelector: 'metadata.namespace=default',
    allowWatchBookmarks: true,
  });
  t.after(() => w.stop());
  await w.until(1);
  await api.patchNamespacedCustomObject(
    {
      group: GROUP,
      version: VERSION,
      namespace: 'default',
      plural: PLURAL,
      name: 'productpage',
      body: { metadata: { labels: { app: 'reviews' } } },
    },
    mergePatch,
  );
  await api.patchNamespacedCustomObject(
    {
      group: GROUP,
      version: VERSION,
      namespace: 'bookinfo',
      plural: PLURAL,
      name: 'reviews',
      body: { spec: { hosts: ['r'] } },
    },
    mergePatch,
  );
  await api.patchNamespacedCustomObject(
    {
      group: GROUP,
      version: VERSION,
      namespace: 'default',
      plural: PLURAL,
      name: 'reviews',
      body: { metadata: { labels: { app: 'old' } } },
    },
    mergePatch,
  );
  // Wait for a bookmark after the last change: it proves everything before it was delivered.
  for (let i = 0; i < 100 && !w.events.slice(3).some((e) => e.type === 'BOOKMARK'); i += 1)
    await new Promise((r) => setTimeout(r, 50));
  const changes = w.events.filter((e) => e.type !== 'BOOKMARK');
  assert.deepEqual(
    changes.map((e) => [e.type, e.name]),
    [
      ['ADDED', 'reviews'],
      ['ADDED', 'productpage'],
      ['DELETED', 'reviews'],
    ],
  );
  const bookmarks = w.events.filter((e) => e.type === 'BOOKMARK');
  assert.ok(bookmarks.length > 0, 'bookmarks arrive');
  assert.equal(bookmarks.at(-1)?.resourceVersion, '6', 'a bookmark carries the newest version');
});
