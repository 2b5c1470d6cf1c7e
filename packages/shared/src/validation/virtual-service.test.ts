import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertAccepted, assertRefused, object, validate } from './test-support';
import { validateResource } from './validate';

/** A VirtualService with one HTTP route; `route` and `extra` replace parts of it. */
function vs(route: unknown[], extra: Record<string, unknown> = {}) {
  return { hosts: ['reviews'], http: [{ route, ...extra }] };
}
const to = (subset: string, weight?: number) => ({ destination: { host: 'reviews', subset }, weight });

describe('VirtualService weights', () => {
  test('a negative weight is refused; zero and positive weights are accepted', () => {
    assertRefused(
      validate('VirtualService', vs([to('v1', 110), to('v2', -10)])),
      'spec.http[0].route[1].weight',
      'weight -10 < 0',
    );
    assertAccepted(validate('VirtualService', vs([to('v1', 100), to('v2', 0)])));
  });

  test('a zero total across several destinations is refused; a lone destination needs no weight', () => {
    assertRefused(
      validate('VirtualService', vs([to('v1', 0), to('v2', 0)])),
      'spec.http[0].route',
      'total destination weight = 0',
    );
    assertRefused(
      validate('VirtualService', vs([to('v1'), to('v2')])),
      'spec.http[0].route',
      'total destination weight = 0',
    );
    assert.deepEqual(assertAccepted(validate('VirtualService', vs([to('v1')]))), []);
  });

  test('weights that do not sum to 100 only warn, saying Istio normalises them', () => {
    const warnings = assertAccepted(validate('VirtualService', vs([to('v1', 30), to('v2', 30)])));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /^spec\.http\[0\]\.route: weights sum to 60, not 100; Istio normalises/);
    assert.deepEqual(assertAccepted(validate('VirtualService', vs([to('v1', 80), to('v2', 20)]))), []);
  });
});

describe('VirtualService destinations', () => {
  test('a route with no destination host is refused', () => {
    const r = validate('VirtualService', vs([{ destination: { subset: 'v1' } }]));
    assertRefused(
      r,
      'spec.http[0].route[0].destination.host',
      'destination host is required',
      'FieldValueRequired',
    );
    assertRefused(
      validate('VirtualService', vs([{ weight: 100 }])),
      'spec.http[0].route[0].destination',
      'destination is required',
    );
    assertAccepted(
      validate('VirtualService', vs([{ destination: { host: 'reviews.default.svc.cluster.local' } }])),
    );
  });

  test('an invalid host, subset name or port is refused', () => {
    const r = validate(
      'VirtualService',
      vs([{ destination: { host: 'bad_host', subset: 'V_1', port: { number: 70000 } } }]),
    );
    assertRefused(r, 'spec.http[0].route[0].destination.host', 'invalid');
    assertRefused(r, 'spec.http[0].route[0].destination.subset', 'subset name is invalid');
    assertRefused(r, 'spec.http[0].route[0].destination.port.number', 'must be in the range 1..65535');
    assertAccepted(
      validate(
        'VirtualService',
        vs([{ destination: { host: 'reviews', subset: 'v1', port: { number: 9080 } } }]),
      ),
    );
  });

  test('an HTTP route needs a route, a redirect or a direct response', () => {
    assertRefused(
      validate('VirtualService', { hosts: ['a'], http: [{ timeout: '1s' }] }),
      'spec.http[0].route',
      'HTTP route, redirect or directResponse is required',
    );
    assertAccepted(validate('VirtualService', { hosts: ['a'], http: [{ redirect: { uri: '/new' } }] }));
    assertAccepted(validate('VirtualService', { hosts: ['a'], http: [{ directResponse: { status: 503 } }] }));
  });

  test('hosts: "*" is refused for the mesh; duplicates are refused', () => {
    assertRefused(
      validate('VirtualService', { hosts: ['*'], http: [{ route: [to('v1')] }] }),
      'spec.hosts[0]',
      'wildcard host * is not allowed',
    );
    assertRefused(
      validate('VirtualService', {
        hosts: ['a.example.com', '*.example.com'],
        http: [{ route: [to('v1')] }],
      }),
      'spec.hosts[1]',
      'duplicate hosts',
    );
    assertAccepted(
      validate('VirtualService', {
        hosts: ['a.example.com', 'b.example.com'],
        http: [{ route: [to('v1')] }],
      }),
    );
  });
});

describe('VirtualService durations', () => {
  test('unparsable, sub-millisecond, negative or zero timeouts are refused', () => {
    assertRefused(
      validate('VirtualService', vs([to('v1')], { timeout: 'soon' })),
      'spec.http[0].timeout',
      'invalid duration',
    );
    assertRefused(
      validate('VirtualService', vs([to('v1')], { timeout: '0.5ms' })),
      'spec.http[0].timeout',
      'millisecond precision',
    );
    assertRefused(
      validate('VirtualService', vs([to('v1')], { timeout: '-1s' })),
      'spec.http[0].timeout',
      'must not be negative',
    );
    assertRefused(
      validate('VirtualService', vs([to('v1')], { timeout: '0s' })),
      'spec.http[0].timeout',
      'at least 1ms',
    );
  });

  test('Go-style timeouts are accepted', () => {
    for (const timeout of ['1s', '0.5s', '100ms', '1m', '1h30m', '2.5s']) {
      assertAccepted(validate('VirtualService', vs([to('v1')], { timeout })));
    }
  });

  test('a fault delay needs a valid fixedDelay duration', () => {
    const fault = (fixedDelay: string) => ({ fault: { delay: { fixedDelay, percentage: { value: 100 } } } });
    assertRefused(
      validate('VirtualService', vs([to('v1')], fault('7 seconds'))),
      'spec.http[0].fault.delay.fixedDelay',
      'invalid duration',
    );
    assertAccepted(validate('VirtualService', vs([to('v1')], fault('7s'))));
  });
});

describe('VirtualService regexes', () => {
  const uri = (regex: string) => ({ match: [{ uri: { regex } }] });

  test('a regex RE2 cannot compile is refused (lookahead, backreference, unbalanced)', () => {
    for (const regex of ['/api(?=/v1)', '(a)\\1', '/api/(v1']) {
      assertRefused(
        validate('VirtualService', vs([to('v1')], uri(regex))),
        'spec.http[0].match[0].uri.regex',
        'RE2',
      );
    }
  });

  test('an RE2 regex is accepted, in uri, headers and queryParams', () => {
    assertAccepted(validate('VirtualService', vs([to('v1')], uri('/api/v[0-9]+/.*'))));
    const match = {
      match: [{ headers: { 'end-user': { regex: 'jason|json' } }, queryParams: { q: { regex: '\\d+' } } }],
    };
    assertAccepted(validate('VirtualService', vs([to('v1')], match)));
  });

  test('a regex longer than 1,024 characters is refused; 1,024 is accepted', () => {
    assertRefused(
      validate('VirtualService', vs([to('v1')], uri('a'.repeat(1025)))),
      'spec.http[0].match[0].uri.regex',
      'max length allowed is 1024',
    );
    assertAccepted(validate('VirtualService', vs([to('v1')], uri('a'.repeat(1024)))));
  });

  test('a bad header regex is refused at its map key', () => {
    const match = { match: [{ headers: { 'end-user': { regex: '(' } } }] };
    assertRefused(
      validate('VirtualService', vs([to('v1')], match)),
      'spec.http[0].match[0].headers[end-user].regex',
      'RE2',
    );
  });
});

describe('VirtualService percentages', () => {
  test('fault percentages outside 0–100 are refused; inside are accepted', () => {
    const abort = (value: number) => ({ fault: { abort: { httpStatus: 500, percentage: { value } } } });
    assertRefused(
      validate('VirtualService', vs([to('v1')], abort(101))),
      'spec.http[0].fault.abort.percentage.value',
      'range',
    );
    assertRefused(
      validate('VirtualService', vs([to('v1')], abort(-1))),
      'spec.http[0].fault.abort.percentage.value',
      'range',
    );
    assertAccepted(validate('VirtualService', vs([to('v1')], abort(0))));
    assertAccepted(validate('VirtualService', vs([to('v1')], abort(100))));
    assertAccepted(validate('VirtualService', vs([to('v1')], abort(0.5))));
  });

  test('mirror percentages outside 0–100 are refused', () => {
    const mirror = (value: number) => ({ mirror: { host: 'ratings' }, mirrorPercentage: { value } });
    assertRefused(
      validate('VirtualService', vs([to('v1')], mirror(150))),
      'spec.http[0].mirrorPercentage.value',
      'range',
    );
    assertAccepted(validate('VirtualService', vs([to('v1')], mirror(25))));
  });

  test('an abort HTTP status outside 200–599 is refused', () => {
    const abort = { fault: { abort: { httpStatus: 99, percentage: { value: 10 } } } };
    assertRefused(
      validate('VirtualService', vs([to('v1')], abort)),
      'spec.http[0].fault.abort.httpStatus',
      'not in range 200-599',
    );
  });
});

describe('VirtualService retries', () => {
  const retries = (r: Record<string, unknown>) => ({ retries: r });

  test('attempts 0 with perTryTimeout or retryOn is refused, as Istio does', () => {
    assertRefused(
      validate('VirtualService', vs([to('v1')], retries({ attempts: 0, perTryTimeout: '2s' }))),
      'spec.http[0].retries.attempts',
      'attempts are set to 0',
    );
    assertRefused(
      validate('VirtualService', vs([to('v1')], retries({ retryOn: '5xx' }))),
      'spec.http[0].retries.attempts',
      'attempts are set to 0',
    );
  });

  test('attempts 0 alone (retries off) and a full policy are accepted', () => {
    assertAccepted(validate('VirtualService', vs([to('v1')], retries({ attempts: 0 }))));
    assertAccepted(
      validate(
        'VirtualService',
        vs(
          [to('v1')],
          retries({ attempts: 3, perTryTimeout: '2s', retryOn: 'gateway-error,connect-failure,503' }),
        ),
      ),
    );
  });

  test('negative attempts, an unknown retryOn policy and a bad perTryTimeout are refused', () => {
    const r = validate(
      'VirtualService',
      vs([to('v1')], retries({ attempts: -1, perTryTimeout: '1us', retryOn: '5xx,sometimes' })),
    );
    assertRefused(r, 'spec.http[0].retries.attempts', 'cannot be negative');
    assertRefused(
      r,
      'spec.http[0].retries.retryOn',
      '"sometimes" is not a valid retryOn policy',
      'FieldValueNotSupported',
    );
    assertRefused(r, 'spec.http[0].retries.perTryTimeout', 'millisecond precision');
  });
});

describe('apiVersion, kind, metadata and shape', () => {
  test('every served version is accepted; others are refused', () => {
    for (const apiVersion of [
      'networking.istio.io/v1alpha3',
      'networking.istio.io/v1beta1',
      'networking.istio.io/v1',
    ]) {
      assertAccepted(validateResource({ ...object('VirtualService', vs([to('v1')])), apiVersion }));
    }
    for (const apiVersion of ['networking.istio.io/v2', 'security.istio.io/v1', 'v1']) {
      assertRefused(
        validateResource({ ...object('VirtualService', vs([to('v1')])), apiVersion }),
        'apiVersion',
        'Unsupported value',
        'FieldValueNotSupported',
      );
    }
    assertRefused(
      validateResource({ ...object('VirtualService', {}), kind: 'Gateway' }),
      'kind',
      'Unsupported value',
    );
  });

  test('metadata.name must be a DNS-1123 subdomain', () => {
    assertRefused(
      validateResource({ ...object('VirtualService', vs([to('v1')])), metadata: { name: 'Reviews_Route' } }),
      'metadata.name',
      'RFC 1123',
    );
    assertRefused(
      validateResource({ ...object('VirtualService', vs([to('v1')])), metadata: {} }),
      'metadata.name',
      'name is required',
      'FieldValueRequired',
    );
    assertAccepted(
      validateResource({
        ...object('VirtualService', vs([to('v1')])),
        metadata: { name: 'reviews.route-1' },
      }),
    );
  });

  test('a wrong type is refused at its Kubernetes field path', () => {
    const r = validate(
      'VirtualService',
      vs([to('v1', 50), { destination: { host: 'reviews' }, weight: 'fifty' }]),
    );
    assertRefused(r, 'spec.http[0].route[1].weight', 'must be of type number');
  });

  test('every problem is reported at once', () => {
    const r = validate(
      'VirtualService',
      vs([to('v1', -1), { weight: 1 }], { timeout: 'x', retries: { attempts: 0, retryOn: '5xx' } }),
    );
    assert.equal(r.valid, false);
    const fields = r.valid ? [] : r.causes.map((c) => c.field);
    for (const f of [
      'spec.http[0].route[0].weight',
      'spec.http[0].route[1].destination',
      'spec.http[0].timeout',
      'spec.http[0].retries.attempts',
    ]) {
      assert.ok(fields.includes(f), `missing ${f} in ${fields.join(', ')}`);
    }
  });

  test('no namespace in metadata takes the one given in options', () => {
    const r = validateResource(
      { ...object('VirtualService', vs([to('v1')])), metadata: { name: 'x' } },
      { namespace: 'shop' },
    );
    assert.ok(r.valid);
    assert.equal(r.valid && r.resource.metadata.namespace, 'shop');
  });
});

describe('unknown fields', () => {
  const spec = { ...vs([to('v1')]), hostz: ['typo'] };

  test('Warn (the default) accepts and warns with the field path', () => {
    const warnings = assertAccepted(validate('VirtualService', spec));
    assert.deepEqual(warnings, ['unknown field "spec.hostz"']);
  });

  test('Strict refuses', () => {
    assertRefused(
      validate('VirtualService', spec, { fieldValidation: 'Strict' }),
      'spec.hostz',
      'unknown field "hostz"',
    );
    const nested = vs([{ destination: { host: 'reviews', subsett: 'v1' } }]);
    assertRefused(
      validate('VirtualService', nested, { fieldValidation: 'Strict' }),
      'spec.http[0].route[0].destination.subsett',
      'unknown field',
    );
  });

  test('Ignore accepts silently, and unknown fields are never kept', () => {
    const r = validate('VirtualService', spec, { fieldValidation: 'Ignore' });
    assert.deepEqual(assertAccepted(r), []);
    assert.equal(r.valid && 'hostz' in (r.resource.spec as object), false);
  });

  test('map keys are data, not fields', () => {
    const match = {
      match: [{ headers: { 'x-anything': { exact: 'y' } }, sourceLabels: { app: 'productpage' } }],
    };
    assert.deepEqual(
      assertAccepted(validate('VirtualService', vs([to('v1')], match), { fieldValidation: 'Strict' })),
      [],
    );
  });
});
