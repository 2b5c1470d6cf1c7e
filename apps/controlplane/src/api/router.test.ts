import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { Errors, StatusError } from '../errors';
import { sendJson } from './http';
import { Router } from './router';

async function serve(t: import('node:test').TestContext, router: Router): Promise<string> {
  const server = createServer((req, res) => void router.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('the most specific route wins; params are decoded; * takes the rest', async (t) => {
  const router = new Router();
  const answer =
    (name: string) => (ctx: { res: import('node:http').ServerResponse; params: Record<string, string> }) =>
      sendJson(ctx.res, 200, { name, params: ctx.params });
  router.get('/api/v1/namespaces/:name', answer('namespace'));
  router.get('/api/v1/:anything/:name', answer('generic'));
  router.get('/api/v1/mesh/*', answer('mesh'));
  router.get('/openapi/v3', answer('index'));
  router.get('/openapi/v3/*', answer('doc'));
  const base = await serve(t, router);
  const get = async (path: string) => (await fetch(base + path)).json();

  assert.deepEqual(await get('/api/v1/namespaces/bookinfo'), {
    name: 'namespace',
    params: { name: 'bookinfo' },
  });
  assert.deepEqual(await get('/api/v1/pods/x%20y'), {
    name: 'generic',
    params: { anything: 'pods', name: 'x y' },
  });
  assert.deepEqual(await get('/api/v1/mesh/graph/edges'), { name: 'mesh', params: { '*': 'graph/edges' } });
  assert.deepEqual(await get('/openapi/v3'), { name: 'index', params: {} });
  assert.deepEqual(await get('/openapi/v3/apis/g/v1'), { name: 'doc', params: { '*': 'apis/g/v1' } });
  assert.throws(() => router.get('/openapi/v3', answer('again')), /already registered/);
});

test('404, 405 and thrown errors answer as Kubernetes Status', async (t) => {
  const errors: unknown[] = [];
  const router = new Router({ onError: (err) => errors.push(err) });
  router.get('/conflict', () => {
    throw new StatusError(Errors.conflict({ group: 'g', resource: 'things', name: 'x' }));
  });
  router.get('/boom', () => {
    throw new Error('boom');
  });
  const base = await serve(t, router);

  let res = await fetch(`${base}/nowhere`);
  assert.equal(res.status, 404);
  assert.deepEqual(await res.json(), {
    apiVersion: 'v1',
    kind: 'Status',
    metadata: {},
    status: 'Failure',
    message: 'the server could not find the requested resource (/nowhere)',
    reason: 'NotFound',
    details: {},
    code: 404,
  });
  res = await fetch(`${base}/conflict`, { method: 'POST' });
  assert.equal(res.status, 405);
  assert.equal(((await res.json()) as { reason: string }).reason, 'MethodNotAllowed');
  res = await fetch(`${base}/conflict`);
  assert.equal(res.status, 409);
  assert.equal(
    ((await res.json()) as { message: string }).message,
    'Operation cannot be fulfilled on things.g "x": the object has been modified; please apply your changes to the latest version and try again',
  );
  res = await fetch(`${base}/boom`);
  assert.equal(res.status, 500);
  assert.equal(((await res.json()) as { reason: string }).reason, 'InternalError');
  assert.equal(errors.length, 1);
});
