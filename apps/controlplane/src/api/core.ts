/**
 * The sliver of the core v1 API that kubectl needs beside the mesh kinds: namespaces, read-only,
 * derived from the stored objects plus "default" and the mesh root namespace. Namespaces exist
 * implicitly here (writing an object into one creates it), as in a cluster where every namespace
 * already exists.
 */
import { type MeshResource, ROOT_NAMESPACE } from '@trellis/shared';
import { Errors, StatusError } from '../errors';
import type { ResourceStore } from '../store/types';
import { negotiate, sendJson } from './http';
import type { Router } from './router';
import { AGE_COLUMN, ageOf, genericTable, NAME_COLUMN, partialObjectMetadata } from './table';

interface Namespace {
  apiVersion: 'v1';
  kind: 'Namespace';
  metadata: { name: string; creationTimestamp?: string; labels: Record<string, string> };
  spec: { finalizers: string[] };
  status: { phase: 'Active' };
}

const ALWAYS = ['default', ROOT_NAMESPACE];

function namespacesOf(items: readonly MeshResource[], startedAt: string): Namespace[] {
  const created = new Map<string, string>(ALWAYS.map((n) => [n, startedAt]));
  for (const r of items) {
    const ts = r.metadata.creationTimestamp ?? startedAt;
    const prev = created.get(r.metadata.namespace);
    if (prev === undefined || ts < prev) created.set(r.metadata.namespace, ts);
  }
  return [...created.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, creationTimestamp]) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, creationTimestamp, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    }));
}

const STATUS_COLUMN = {
  name: 'Status',
  type: 'string' as const,
  format: '',
  description: 'The current lifecycle phase of the namespace.',
  priority: 0,
};

export function registerCore(router: Router, store: ResourceStore, startedAt: string): void {
  const all = async () => {
    const listed = await store.list({});
    return { namespaces: namespacesOf(listed.items, startedAt), resourceVersion: listed.resourceVersion };
  };
  const table = (nss: Namespace[], version: 'v1' | 'v1beta1', resourceVersion?: string) => {
    const now = Date.now();
    return genericTable(
      [NAME_COLUMN, STATUS_COLUMN, AGE_COLUMN],
      nss,
      { version, includeObject: 'Metadata', ...(resourceVersion ? { resourceVersion } : {}) },
      (n) => [n.metadata.name, n.status.phase, ageOf(n.metadata.creationTimestamp, now)],
    );
  };

  router.get('/api/v1/namespaces', async ({ req, res }) => {
    const rep = negotiate(req.headers.accept);
    const { namespaces, resourceVersion } = await all();
    if (rep.type === 'table') return sendJson(res, 200, table(namespaces, rep.version, resourceVersion));
    if (rep.type === 'partial')
      return sendJson(res, 200, {
        kind: 'PartialObjectMetadataList',
        apiVersion: `meta.k8s.io/${rep.version}`,
        metadata: { resourceVersion },
        items: namespaces.map((n) => partialObjectMetadata(n, rep.version)),
      });
    sendJson(res, 200, {
      kind: 'NamespaceList',
      apiVersion: 'v1',
      metadata: { resourceVersion },
      items: namespaces,
    });
  });

  router.get('/api/v1/namespaces/:name', async ({ req, res, params }) => {
    const rep = negotiate(req.headers.accept);
    const { namespaces } = await all();
    const ns = namespaces.find((n) => n.metadata.name === params.name);
    if (!ns)
      throw new StatusError(Errors.notFound({ group: '', resource: 'namespaces', name: params.name ?? '' }));
    if (rep.type === 'table') return sendJson(res, 200, table([ns], rep.version));
    if (rep.type === 'partial') return sendJson(res, 200, partialObjectMetadata(ns, rep.version));
    sendJson(res, 200, ns);
  });
}
