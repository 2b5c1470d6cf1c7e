/**
 * The real kubectl against `trellis controlplane` (a child process), with default validation on:
 * Istio's published Bookinfo resources apply, get, change and delete as on a cluster; invalid
 * objects are refused with their field paths and change nothing; warnings are printed; a stale
 * write gets 409.
 */
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { assertOk, BOOKINFO, kubectlFor, startCli, tempDir, yamlFile } from './kubectl-support';

const bookinfo = (file: string) => join(BOOKINFO, file);

interface Obj {
  metadata: {
    name: string;
    namespace: string;
    resourceVersion: string;
    uid: string;
    generation: number;
    creationTimestamp: string;
  };
  spec: Record<string, unknown> & {
    http?: {
      route: { destination: { subset: string }; weight?: number }[];
      match?: { headers: Record<string, { exact: string }> }[];
    }[];
    subsets?: { name: string }[];
  };
}

test('kubectl apply, get, change and delete the Bookinfo resources', async (t) => {
  const cp = await startCli(t, tempDir(t));
  const kubectl = kubectlFor(t, cp.url);

  let r = await kubectl(
    'apply',
    '-f',
    bookinfo('destination-rule-all.yaml'),
    '-f',
    bookinfo('virtual-service-all-v1.yaml'),
  );
  assertOk(r, 'apply bookinfo');
  for (const name of ['productpage', 'reviews', 'ratings', 'details']) {
    assert.match(r.stdout, new RegExp(`destinationrule.networking.istio.io/${name} created`));
    assert.match(r.stdout, new RegExp(`virtualservice.networking.istio.io/${name} created`));
  }

  r = await kubectl('apply', '-f', bookinfo('virtual-service-reviews-80-20.yaml'));
  assertOk(r, 'apply 80/20');
  assert.match(r.stdout, /virtualservice.networking.istio.io\/reviews configured/);

  // The Table kubectl asks for: Istio's printer columns, all namespaces.
  r = await kubectl('get', 'vs', '-A');
  assertOk(r, 'get vs -A');
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0] ?? '', /^NAMESPACE\s+NAME\s+GATEWAYS\s+HOSTS\s+AGE$/);
  assert.deepEqual(
    lines.slice(1).map((l) => l.split(/\s+/).slice(0, 3)),
    [
      ['default', 'details', '["details"]'],
      ['default', 'productpage', '["productpage"]'],
      ['default', 'ratings', '["ratings"]'],
      ['default', 'reviews', '["reviews"]'],
    ],
  );

  r = await kubectl('get', 'dr', 'reviews', '-o', 'yaml');
  assertOk(r, 'get dr reviews -o yaml');
  const dr = parseYaml(r.stdout) as Obj & { apiVersion: string; kind: string };
  assert.equal(dr.apiVersion, 'networking.istio.io/v1');
  assert.equal(dr.kind, 'DestinationRule');
  assert.deepEqual(
    dr.spec.subsets?.map((s) => s.name),
    ['v1', 'v2', 'v3'],
  );
  assert.match(dr.metadata.resourceVersion, /^\d+$/);
  assert.match(dr.metadata.uid, /^[0-9a-f-]{36}$/);
  assert.equal(dr.metadata.generation, 1);
  assert.ok(!Number.isNaN(Date.parse(dr.metadata.creationTimestamp)));

  r = await kubectl('get', 'virtualservice', 'reviews', '-o', 'json');
  assertOk(r, 'get vs reviews');
  const split = JSON.parse(r.stdout) as Obj;
  assert.deepEqual(
    split.spec.http?.[0]?.route.map((d) => [d.destination.subset, d.weight]),
    [
      ['v1', 80],
      ['v2', 20],
    ],
  );
  assert.equal(split.metadata.generation, 2, 'the 80/20 apply changed the spec once');

  // kubectl edit: the editor changes the split, kubectl sends the difference as a merge patch.
  const editor = yamlFile(
    t,
    `#!/bin/sh\nsed -i 's/weight: 80/weight: 70/; s/weight: 20/weight: 30/' "$1"\n`,
    'editor.sh',
  );
  chmodSync(editor, 0o755);
  const kubectlWithEditor = kubectlFor(t, cp.url, { KUBE_EDITOR: editor });
  r = await kubectlWithEditor('edit', 'vs', 'reviews');
  assertOk(r, 'kubectl edit');
  assert.match(r.stdout, /virtualservice.networking.istio.io\/reviews edited/);
  r = await kubectl('get', 'vs', 'reviews', '-o', 'jsonpath={.spec.http[0].route[*].weight}');
  assert.equal(r.stdout, '70 30');

  // A changed file: the header match on end-user: jason replaces the split.
  r = await kubectl('apply', '-f', bookinfo('virtual-service-reviews-jason-v2-v3.yaml'));
  assertOk(r, 'apply jason');
  r = await kubectl('get', 'vs', 'reviews', '-o', 'json');
  const jason = JSON.parse(r.stdout) as Obj;
  assert.equal(jason.spec.http?.[0]?.match?.[0]?.headers['end-user']?.exact, 'jason');
  assert.deepEqual(
    jason.spec.http?.map((h) => h.route.map((d) => d.destination.subset)),
    [['v2'], ['v3']],
  );
  assert.equal(jason.spec.http?.[0]?.route[0]?.weight, undefined, 'merge patch removed the old weights');
  assert.equal(jason.metadata.generation, 4, '80/20, edit, jason: three spec changes after create');
  assert.equal(jason.metadata.uid, split.metadata.uid);

  // Applying the same file again changes nothing, not even the resourceVersion.
  r = await kubectl('apply', '-f', bookinfo('virtual-service-reviews-jason-v2-v3.yaml'));
  assertOk(r, 're-apply');
  assert.match(r.stdout, /reviews unchanged/);
  r = await kubectl('get', 'vs', 'reviews', '-o', 'jsonpath={.metadata.resourceVersion}');
  assert.equal(r.stdout, jason.metadata.resourceVersion);

  r = await kubectl('delete', 'vs', 'ratings');
  assertOk(r, 'delete');
  assert.match(r.stdout, /virtualservice.networking.istio.io "ratings" deleted/);
  r = await kubectl('get', 'vs', 'ratings');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /NotFound.*virtualservices.networking.istio.io "ratings" not found/);
  assertOk(await kubectl('delete', '-f', bookinfo('destination-rule-all.yaml')), 'delete -f');
  r = await kubectl('get', 'dr');
  assert.match(r.stderr, /No resources found in default namespace/);
  r = await kubectl('get', 'vs', '-o', 'name');
  assert.deepEqual(r.stdout.trim().split('\n'), [
    'virtualservice.networking.istio.io/details',
    'virtualservice.networking.istio.io/productpage',
    'virtualservice.networking.istio.io/reviews',
  ]);

  // Other namespaces, short names and the other kinds.
  const pa = yamlFile(
    t,
    `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: istio-system
spec:
  mtls:
    mode: STRICT
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: deny-ratings
  namespace: bookinfo
spec:
  action: DENY
  rules:
  - to:
    - operation:
        methods: ["POST"]
`,
  );
  assertOk(await kubectl('apply', '-f', pa), 'apply pa and ap');
  r = await kubectl('get', 'pa', '-n', 'istio-system');
  assert.match(r.stdout, /^NAME\s+MODE\s+AGE\ndefault\s+STRICT\s+\d+s\n$/);
  r = await kubectl('get', 'ap', '-A');
  assert.match(r.stdout, /bookinfo\s+deny-ratings\s+DENY\s+\d+s/);
  r = await kubectl('get', 'vs', '-n', 'bookinfo');
  assert.match(r.stderr, /No resources found in bookinfo namespace/);
  r = await kubectl('get', 'namespaces', '-o', 'name');
  assert.deepEqual(r.stdout.trim().split('\n'), [
    'namespace/bookinfo',
    'namespace/default',
    'namespace/istio-system',
  ]);
});

test('kubectl apply refuses invalid objects with their field paths and stores nothing', async (t) => {
  const cp = await startCli(t, tempDir(t));
  const kubectl = kubectlFor(t, cp.url);
  assertOk(await kubectl('apply', '-f', bookinfo('virtual-service-reviews-80-20.yaml')), 'apply 80/20');
  const before = (await kubectl('get', 'vs', 'reviews', '-o', 'json')).stdout;

  const negative = yamlFile(
    t,
    `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: -20
    - destination: {host: reviews, subset: v2}
      weight: 120
`,
  );
  let r = await kubectl('apply', '-f', negative);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /The VirtualService "reviews" is invalid/);
  assert.match(r.stderr, /spec\.http\[0\]\.route\[0\]\.weight/);

  const fault = yamlFile(
    t,
    `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
spec:
  hosts: [ratings]
  http:
  - fault:
      delay:
        fixedDelay: 7s
        percentage: {value: 150}
    route:
    - destination: {host: ratings, subset: v1}
`,
  );
  r = await kubectl('apply', '-f', fault);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /The VirtualService "ratings" is invalid/);
  assert.match(r.stderr, /spec\.http\[0\]\.fault\.delay\.percentage/);

  // Nothing stored, nothing changed.
  assert.equal((await kubectl('get', 'vs', 'reviews', '-o', 'json')).stdout, before);
  r = await kubectl('get', 'vs', 'ratings');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not found/);

  // An object that only draws warnings is stored, and kubectl prints the warnings.
  const warned = yamlFile(
    t,
    `apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: details
spec:
  hosts: [details]
  retryBudget: 3
  http:
  - route:
    - destination: {host: details}
`,
  );
  r = await kubectl('apply', '--validate=warn', '-f', warned);
  assertOk(r, 'apply with warnings');
  assert.match(r.stdout, /virtualservice.networking.istio.io\/details created/);
  assert.match(r.stderr, /^Warning: .*unknown field "spec.retryBudget"/m);
  assert.match(r.stderr, /^Warning: \[IST0101\] spec\.http\[0\]\.route\[0\]\.destination\.host: .*details/m);
  r = await kubectl('get', 'vs', 'details', '-o', 'json');
  assertOk(r, 'get warned object');
  const stored = JSON.parse(r.stdout) as Obj;
  assert.deepEqual(stored.spec.hosts, ['details']);
  assert.equal(stored.spec.retryBudget, undefined, 'unknown fields are not stored');
});

test('a stale write gets 409 Conflict', async (t) => {
  const cp = await startCli(t, tempDir(t));
  const kubectl = kubectlFor(t, cp.url);
  assertOk(await kubectl('apply', '-f', bookinfo('destination-rule-reviews.yaml')), 'apply dr');

  // kubectl replace of a copy read before someone else's change.
  const stale = (await kubectl('get', 'dr', 'reviews', '-o', 'yaml')).stdout;
  assertOk(await kubectl('label', 'dr', 'reviews', 'owner=alice'), 'label');
  const r = await kubectl.withInput(
    stale.replace('host: reviews', 'host: reviews.default.svc.cluster.local'),
    'replace',
    '-f',
    '-',
  );
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /Operation cannot be fulfilled on destinationrules.networking.istio.io "reviews": the object has been modified/,
  );

  // Two writers racing with the same resourceVersion: exactly one wins.
  const current = JSON.parse((await kubectl('get', 'dr', 'reviews', '-o', 'json')).stdout) as Obj;
  const url = `${cp.url}/apis/networking.istio.io/v1/namespaces/default/destinationrules/reviews`;
  const put = (host: string) =>
    fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...current, spec: { ...current.spec, host } }),
    });
  const answers = await Promise.all([put('reviews.default.svc.cluster.local'), put('reviews.default')]);
  const codes = answers.map((a) => a.status).sort();
  assert.deepEqual(codes, [200, 409]);
  const loser = answers.find((a) => a.status === 409);
  const status = (await loser?.json()) as {
    kind: string;
    reason: string;
    code: number;
    details: { name: string; kind: string };
  };
  assert.equal(status.kind, 'Status');
  assert.equal(status.reason, 'Conflict');
  assert.equal(status.code, 409);
  assert.deepEqual(status.details, {
    name: 'reviews',
    group: 'networking.istio.io',
    kind: 'destinationrules',
  });
  const winner = answers.find((a) => a.status === 200);
  const won = (await winner?.json()) as Obj;
  const after = JSON.parse((await kubectl('get', 'dr', 'reviews', '-o', 'json')).stdout) as Obj;
  assert.equal(after.spec.host, won.spec.host);
  assert.equal(after.metadata.resourceVersion, won.metadata.resourceVersion);
});
