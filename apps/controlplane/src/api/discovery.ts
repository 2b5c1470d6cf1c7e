/**
 * Kubernetes API discovery: /version, /api, /apis, /apis/GROUP, /apis/GROUP/VERSION, built from
 * the shared KINDS table. kubectl 1.32 offers aggregated discovery (apidiscovery.k8s.io/v2) in
 * its Accept header; it is served too, so one round trip lists everything, and clients that do
 * not offer it get the classic documents.
 */
import { KINDS, type KindInfo } from '@trellis/shared';
import { sendJson } from './http';
import type { RouteContext, Router } from './router';

/** The Kubernetes minor this API imitates; kubectl warns beyond one minor of skew. */
export const KUBERNETES_VERSION = { major: '1', minor: '32' } as const;

export const VERBS = [
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'create',
  'update',
  'watch',
] as const;

/** Categories as Istio's CRDs declare them, so `kubectl get istio-io` lists every mesh kind. */
function categoriesOf(info: KindInfo): string[] {
  return ['istio-io', `${info.group.split('.')[0]}-istio-io`];
}

/** Served versions, most preferred first (GA before beta before alpha, as CRD versions sort). */
export function versionsByPriority(group: string): string[] {
  const versions = new Set<string>();
  for (const k of KINDS) if (k.group === group) for (const v of k.versions) versions.add(v);
  const rank = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const stability = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  return [...versions].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    return (rb[0] ?? 0) - (ra[0] ?? 0) || (rb[1] ?? 0) - (ra[1] ?? 0) || (rb[2] ?? 0) - (ra[2] ?? 0);
  });
}

export function groups(): string[] {
  return [...new Set(KINDS.map((k) => k.group))];
}

export function kindsIn(group: string, version: string): KindInfo[] {
  return KINDS.filter((k) => k.group === group && k.versions.includes(version));
}

function apiGroup(group: string) {
  const versions = versionsByPriority(group).map((version) => ({
    groupVersion: `${group}/${version}`,
    version,
  }));
  return { name: group, versions, preferredVersion: versions[0] };
}

function apiResourceList(group: string, version: string) {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${group}/${version}`,
    resources: kindsIn(group, version).map((k) => ({
      name: k.plural,
      singularName: k.singular,
      namespaced: true,
      kind: k.kind,
      verbs: VERBS,
      shortNames: k.shortNames,
      categories: categoriesOf(k),
    })),
  };
}

/** The core group serves only namespaces (derived from the objects; see ./core). */
const CORE_RESOURCES = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    {
      name: 'namespaces',
      singularName: 'namespace',
      namespaced: false,
      kind: 'Namespace',
      verbs: ['get', 'list'],
      shortNames: ['ns'],
    },
  ],
};

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const AGGREGATED_BETA = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Which aggregated discovery media type the client offers, if any. */
function aggregatedType(accept: string | undefined): string | undefined {
  const offered = (accept ?? '').split(',').map((c) => c.replaceAll(' ', ''));
  for (const o of offered) {
    if (
      o.startsWith('application/json') &&
      o.includes('as=APIGroupDiscoveryList') &&
      o.includes('g=apidiscovery.k8s.io')
    ) {
      if (o.includes('v=v2beta1')) return AGGREGATED_BETA;
      if (o.includes('v=v2')) return AGGREGATED;
    }
  }
  return undefined;
}

function aggregatedGroups(type: string, core: boolean) {
  const apiVersion = type === AGGREGATED ? 'apidiscovery.k8s.io/v2' : 'apidiscovery.k8s.io/v2beta1';
  const items = core
    ? [
        {
          metadata: { creationTimestamp: null },
          versions: [
            {
              version: 'v1',
              resources: CORE_RESOURCES.resources.map((r) => ({
                resource: r.name,
                responseKind: { group: '', version: 'v1', kind: r.kind },
                scope: 'Cluster',
                singularResource: r.singularName,
                verbs: r.verbs,
                shortNames: r.shortNames,
              })),
              freshness: 'Current',
            },
          ],
        },
      ]
    : groups().map((group) => ({
        metadata: { name: group, creationTimestamp: null },
        versions: versionsByPriority(group).map((version) => ({
          version,
          resources: kindsIn(group, version).map((k) => ({
            resource: k.plural,
            responseKind: { group, version, kind: k.kind },
            scope: 'Namespaced',
            singularResource: k.singular,
            verbs: VERBS,
            shortNames: k.shortNames,
            categories: categoriesOf(k),
          })),
          freshness: 'Current',
        })),
      }));
  return { kind: 'APIGroupDiscoveryList', apiVersion, metadata: {}, items };
}

export function registerDiscovery(router: Router): void {
  router.get('/version', ({ res }) =>
    sendJson(res, 200, {
      ...KUBERNETES_VERSION,
      gitVersion: `v${KUBERNETES_VERSION.major}.${KUBERNETES_VERSION.minor}.0-trellis`,
      gitCommit: '',
      gitTreeState: 'clean',
      buildDate: '',
      goVersion: '',
      compiler: 'node',
      platform: `${process.platform}/${process.arch}`,
    }),
  );

  router.get('/api', ({ req, res }: RouteContext) => {
    const agg = aggregatedType(req.headers.accept);
    if (agg) return sendJson(res, 200, aggregatedGroups(agg, true), agg);
    const host = req.headers.host ?? '127.0.0.1';
    sendJson(res, 200, {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }],
    });
  });

  router.get('/api/v1', ({ res }) => sendJson(res, 200, CORE_RESOURCES));

  router.get('/apis', ({ req, res }) => {
    const agg = aggregatedType(req.headers.accept);
    if (agg) return sendJson(res, 200, aggregatedGroups(agg, false), agg);
    sendJson(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: groups().map(apiGroup) });
  });

  for (const group of groups()) {
    router.get(`/apis/${group}`, ({ res }) =>
      sendJson(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group) }),
    );
    for (const version of versionsByPriority(group))
      router.get(`/apis/${group}/${version}`, ({ res }) =>
        sendJson(res, 200, apiResourceList(group, version)),
      );
  }
}
