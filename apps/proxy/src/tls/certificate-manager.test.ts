import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { inspect } from 'node:util';
import type { CertificateBundle } from './bundle';
import type { CsrSigner } from './ca-client';
import { CertificateManager } from './certificate-manager';
import { TestCa } from './testing';
import { x509 } from './x509';

function waitFor(
  m: CertificateManager,
  event: 'rotated' | 'renewFailed',
  timeoutMs = 10_000,
): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    m.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

test('the first certificate is for the workload’s own identity and its key stays out of dumps', async (t) => {
  const ca = await TestCa.create();
  const m = new CertificateManager({
    signer: ca,
    namespace: 'default',
    serviceAccount: 'reviews',
    lifetimeSeconds: 600,
  });
  t.after(() => m.stop());
  const b = await m.start();
  assert.equal(b.self.spiffeId, 'spiffe://cluster.local/ns/default/sa/reviews');
  assert.equal(m.current(), b);
  const keyBody = b.contextOptions().key as string;
  const secret = keyBody.split('\n')[1]!;
  assert.ok(secret.length > 20);
  for (const dump of [
    JSON.stringify(b),
    inspect(b, { depth: 10, showHidden: true }),
    inspect(m, { depth: 5 }),
  ])
    assert.ok(!dump.includes(secret));
});

test('renews at about half life with a new key, and emits rotated each time', async (t) => {
  const ca = await TestCa.create();
  const m = new CertificateManager({
    signer: ca,
    namespace: 'default',
    serviceAccount: 'reviews',
    lifetimeSeconds: 4,
  });
  t.after(() => m.stop());
  const first = await m.start();
  const started = Date.now();
  const [second, prev] = (await waitFor(m, 'rotated')) as [CertificateBundle, CertificateBundle];
  const elapsed = Date.now() - started;
  assert.equal(prev, first);
  assert.notEqual(second.serial, first.serial);
  assert.ok(!second.leaf.publicKey.equals(first.leaf.publicKey), 'each renewal uses a fresh key');
  // Half of what is left of a 4 s certificate (3–4 s: notAfter has whole seconds), ± 5 % jitter;
  // generous bounds for a busy machine.
  assert.ok(elapsed >= 1200 && elapsed < 3500, `renewed after ${elapsed} ms`);
});

test('when the CA fails, the last good certificate stays in use and renewal retries', async (t) => {
  const ca = await TestCa.create();
  const m = new CertificateManager({
    signer: ca,
    namespace: 'default',
    serviceAccount: 'reviews',
    lifetimeSeconds: 60,
    retryInitialMs: 50,
    retryMaxMs: 200,
  });
  t.after(() => m.stop());
  const first = await m.start();
  ca.failWith = new Error('CA down');
  void m.renewNow();
  const [err, attempt] = (await waitFor(m, 'renewFailed')) as [Error, number];
  assert.equal(err.message, 'CA down');
  assert.equal(attempt, 1);
  await waitFor(m, 'renewFailed');
  assert.equal(m.current(), first);
  ca.failWith = undefined;
  const [next] = (await waitFor(m, 'rotated')) as [CertificateBundle];
  assert.notEqual(next.serial, first.serial);
});

test('a certificate for another identity or another key is not installed', async (t) => {
  const ca = await TestCa.create();
  const other: CsrSigner = {
    sign: (req) => ca.sign({ ...req, serviceAccount: 'admin' }),
  };
  const m1 = new CertificateManager({
    signer: other,
    namespace: 'default',
    serviceAccount: 'reviews',
    retryInitialMs: 50,
  });
  t.after(() => m1.stop());
  void m1.start().catch(() => {});
  const [e1] = (await waitFor(m1, 'renewFailed')) as [Error];
  assert.match(e1.message, /sa\/admin/);
  assert.equal(m1.current(), undefined);

  let stolen: string | undefined;
  const replay: CsrSigner = {
    async sign(req) {
      const signed = await ca.sign(req);
      stolen ??= signed.certChainPem[0];
      return { ...signed, certChainPem: [stolen!] };
    },
  };
  const m2 = new CertificateManager({
    signer: replay,
    namespace: 'default',
    serviceAccount: 'reviews',
    retryInitialMs: 50,
  });
  t.after(() => m2.stop());
  await m2.start();
  void m2.renewNow();
  const [e2] = (await waitFor(m2, 'renewFailed')) as [Error];
  assert.match(e2.message, /another key/);
  assert.equal(m2.current()?.leaf.toString(), new X509Certificate(stolen!).toString());
});

test('stop() before the first certificate rejects start()', async () => {
  const m = new CertificateManager({
    signer: { sign: () => Promise.reject(new Error('unreachable')) },
    namespace: 'default',
    serviceAccount: 'reviews',
    retryInitialMs: 20,
  });
  const started = m.start();
  await waitFor(m, 'renewFailed');
  m.stop();
  await assert.rejects(started, /stopped/);
});

test('the CSR names the workload’s SPIFFE id', async () => {
  let csrPem = '';
  const ca = await TestCa.create('corp.example');
  const m = new CertificateManager({
    signer: {
      sign: (req) => {
        csrPem = req.csrPem;
        return ca.sign(req);
      },
    },
    namespace: 'shop',
    serviceAccount: 'cart',
    trustDomain: 'corp.example',
  });
  await m.start();
  m.stop();
  const csr = new x509.Pkcs10CertificateRequest(csrPem);
  const san = new x509.SubjectAlternativeNameExtension(csr.getExtension('2.5.29.17')!.rawData);
  assert.deepEqual(
    san.names.items.map((n) => n.value),
    ['spiffe://corp.example/ns/shop/sa/cart'],
  );
});

test('a Sign call may take what is left of the current certificate, within 3–10 s', async (t) => {
  const ca = await TestCa.create();
  const timeouts: (number | undefined)[] = [];
  const m = new CertificateManager({
    signer: {
      sign: (req) => {
        timeouts.push(req.timeoutMs);
        return ca.sign(req);
      },
    },
    namespace: 'default',
    serviceAccount: 'reviews',
    lifetimeSeconds: 8,
  });
  t.after(() => m.stop());
  await m.start();
  await m.renewNow();
  // No certificate yet: the full 10 s. Then at most 8 s left: under 8 s, never the full 10 s.
  assert.equal(timeouts[0], 10_000);
  assert.ok(timeouts[1]! >= 3_000 && timeouts[1]! < 8_000, `second Sign call allowed ${timeouts[1]} ms`);
});
