import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closedPort, countStars, recorder, type Spawned, spawnService } from './support';

const TRACE = {
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  tracestate: 'trellis=t61rcWkgMzE',
  'x-request-id': 'req-1234',
  'x-b3-traceid': '463ac35c9f6413ad48485a3953bb6124',
  'x-b3-spanid': 'a2fb4a1d1a96d312',
  'x-b3-sampled': '1',
};

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers, redirect: 'manual' });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

async function loginAs(productpage: string, user: string): Promise<string> {
  const res = await fetch(`${productpage}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', referer: `${productpage}/productpage` },
    body: `username=${user}&passwd=x`,
    redirect: 'manual',
  });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), '/productpage');
  const cookie = res.headers.get('set-cookie') ?? '';
  assert.match(cookie, /^session=/);
  return cookie.split(';')[0]!;
}

describe('Bookinfo without a sidecar', () => {
  const procs: Spawned[] = [];
  const pages: Record<'v1' | 'v2' | 'v3', string> = { v1: '', v2: '', v3: '' };
  let details: Spawned;
  let ratings: Spawned;

  before(async () => {
    [ratings, details] = await Promise.all([spawnService('ratings', 'v1'), spawnService('details', 'v1')]);
    procs.push(ratings, details);
    const ratingsHost = `ratings=127.0.0.1:${ratings.port}`;
    const reviews = await Promise.all(
      (['v1', 'v2', 'v3'] as const).map((v) => spawnService('reviews', v, { BOOKINFO_HOSTS: ratingsHost })),
    );
    procs.push(...reviews);
    const fronts = await Promise.all(
      reviews.map((r) =>
        spawnService('productpage', 'v1', {
          BOOKINFO_HOSTS: `details=127.0.0.1:${details.port},reviews=127.0.0.1:${r.port},${ratingsHost}`,
        }),
      ),
    );
    procs.push(...fronts);
    pages.v1 = fronts[0]!.url;
    pages.v2 = fronts[1]!.url;
    pages.v3 = fronts[2]!.url;
  });
  after(() => Promise.all(procs.map((p) => p.stop())));

  test('reviews v1 shows no stars, v2 black stars, v3 red stars (5 + 4 of 10)', async () => {
    const v1 = await get(`${pages.v1}/productpage`);
    assert.equal(v1.status, 200);
    assert.match(v1.text, /Book Reviews/);
    assert.match(v1.text, /An extremely entertaining play by Shakespeare/);
    assert.deepEqual(countStars(v1.text), { full: 0, empty: 0, colors: [] });

    const v2 = countStars((await get(`${pages.v2}/productpage`)).text);
    assert.deepEqual(v2, { full: 9, empty: 1, colors: ['black', 'black'] });

    const v3 = countStars((await get(`${pages.v3}/productpage`)).text);
    assert.deepEqual(v3, { full: 9, empty: 1, colors: ['red', 'red'] });
  });

  test('productpage shows book details and answers the Bookinfo JSON API', async () => {
    const page = await get(`${pages.v2}/productpage`);
    assert.match(page.text, /The Comedy of Errors/);
    assert.match(page.text, /PublisherA/);

    const products = JSON.parse((await get(`${pages.v2}/api/v1/products`)).text);
    assert.equal(products[0].title, 'The Comedy of Errors');
    const detailsApi = JSON.parse((await get(`${pages.v2}/api/v1/products/0`)).text);
    assert.equal(detailsApi['ISBN-10'], '1234567890');
    const reviewsApi = JSON.parse((await get(`${pages.v2}/api/v1/products/0/reviews`)).text);
    assert.deepEqual(reviewsApi.reviews[0].rating, { stars: 5, color: 'black' });
    const ratingsApi = JSON.parse((await get(`${pages.v2}/api/v1/products/0/ratings`)).text);
    assert.deepEqual(ratingsApi, { id: 0, ratings: { Reviewer1: 5, Reviewer2: 4 } });

    const bad = await get(`${pages.v2}/api/v1/products/abc`);
    assert.equal(bad.status, 400);
    assert.equal(
      JSON.parse(bad.text).error,
      'Sorry, product details are currently unavailable for this book.',
    );
    assert.equal((await get(`${pages.v2}/health`)).text, 'Product page is healthy');
    assert.equal(JSON.parse((await get(`${details.url}/health`)).text).status, 'Details is healthy');
  });

  test('login shows the user; logout forgets them; a forged session is ignored', async () => {
    const cookie = await loginAs(pages.v1, 'jason');
    assert.match((await get(`${pages.v1}/productpage`, { cookie })).text, /data-testid="user">jason/);
    const out = await get(`${pages.v1}/logout`, { cookie });
    assert.equal(out.status, 302);
    assert.match(out.headers.get('set-cookie') ?? '', /session=;.*Max-Age=0/);
    const forged = `session=${Buffer.from('jason').toString('base64url')}.bm90LWEtc2lnbmF0dXJl`;
    assert.doesNotMatch(
      (await get(`${pages.v1}/productpage`, { cookie: forged })).text,
      /data-testid="user"/,
    );
  });

  test('ratings POST replaces a product rating in memory, as ratings v1 does', async () => {
    const res = await fetch(`${ratings.url}/ratings/7`, {
      method: 'POST',
      body: '{"Reviewer1":1,"Reviewer2":2}',
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { id: 7, ratings: { Reviewer1: 1, Reviewer2: 2 } });
    assert.equal((await fetch(`${ratings.url}/ratings/7`, { method: 'POST', body: 'nope' })).status, 400);
  });
});

describe('header propagation', () => {
  test('end-user after login and the trace headers reach ratings through productpage and reviews', async (t) => {
    const fakeRatings = await recorder(() => ({
      status: 200,
      body: { id: 0, ratings: { Reviewer1: 3, Reviewer2: 1 } },
    }));
    t.after(() => fakeRatings.close());
    const [details, reviews] = await Promise.all([
      spawnService('details', 'v1'),
      spawnService('reviews', 'v2', { BOOKINFO_HOSTS: `ratings=${fakeRatings.address}` }),
    ]);
    t.after(() => Promise.all([details.stop(), reviews.stop()]));
    const productpage = await spawnService('productpage', 'v1', {
      BOOKINFO_HOSTS: `details=127.0.0.1:${details.port},reviews=127.0.0.1:${reviews.port}`,
    });
    t.after(() => productpage.stop());

    // Anonymous: no end-user, and one sent by the client is not trusted.
    const anon = await get(`${productpage.url}/productpage`, { ...TRACE, 'end-user': 'mallory' });
    assert.equal(countStars(anon.text).full, 4, 'ratings from the stand-in (3 + 1) are shown');
    assert.equal(fakeRatings.seen.length, 1);
    const first = fakeRatings.seen[0]!;
    assert.equal(first.url, '/ratings/0');
    assert.equal(first.headers['end-user'], undefined);
    for (const [name, value] of Object.entries(TRACE)) assert.equal(first.headers[name], value, name);
    assert.equal(first.headers.host, 'ratings:9080', 'peers are addressed by service name');

    const cookie = await loginAs(productpage.url, 'jason');
    await get(`${productpage.url}/productpage`, { cookie, traceparent: TRACE.traceparent });
    assert.equal(fakeRatings.seen.length, 2);
    assert.equal(fakeRatings.seen[1]!.headers['end-user'], 'jason');
    assert.equal(fakeRatings.seen[1]!.headers.traceparent, TRACE.traceparent);
  });

  test('with HTTP_PROXY, calls go to the proxy in absolute form by service name', async (t) => {
    const sidecar = await recorder((req) =>
      req.url.startsWith('http://details:9080/')
        ? { status: 200, body: { id: 0, type: 'paperback', pages: 200, publisher: 'ViaProxy' } }
        : { status: 503, body: { error: 'no healthy upstream' } },
    );
    t.after(() => sidecar.close());
    const productpage = await spawnService('productpage', 'v1', { HTTP_PROXY: `http://${sidecar.address}` });
    t.after(() => productpage.stop());

    const page = await get(`${productpage.url}/productpage`, { 'x-request-id': 'via-proxy' });
    assert.match(page.text, /ViaProxy/);
    assert.match(page.text, /Error fetching product reviews!/);
    const urls = sidecar.seen.map((r) => r.url);
    // Reviews is asked twice, as Bookinfo does, before the page gives up on it.
    assert.deepEqual(urls, [
      'http://details:9080/details/0',
      'http://reviews:9080/reviews/0',
      'http://reviews:9080/reviews/0',
    ]);
    assert.ok(sidecar.seen.every((r) => r.headers['x-request-id'] === 'via-proxy'));
    assert.equal(sidecar.seen[0]!.headers.host, 'details:9080');
  });
});

describe('failures render as Bookinfo renders them', () => {
  test('ratings unavailable: reviews v2 says so under each review; reviews unavailable: the page says so', async (t) => {
    const nowhere = await closedPort();
    const [details, reviews] = await Promise.all([
      spawnService('details', 'v1'),
      spawnService('reviews', 'v2', { BOOKINFO_HOSTS: `ratings=127.0.0.1:${nowhere}` }),
    ]);
    t.after(() => Promise.all([details.stop(), reviews.stop()]));
    const [withReviews, withoutReviews] = await Promise.all([
      spawnService('productpage', 'v1', {
        BOOKINFO_HOSTS: `details=127.0.0.1:${details.port},reviews=127.0.0.1:${reviews.port}`,
      }),
      spawnService('productpage', 'v1', {
        BOOKINFO_HOSTS: `details=127.0.0.1:${nowhere},reviews=127.0.0.1:${nowhere}`,
      }),
    ]);
    t.after(() => Promise.all([withReviews.stop(), withoutReviews.stop()]));

    const noRatings = await get(`${withReviews.url}/productpage`);
    assert.equal(noRatings.status, 200);
    assert.match(noRatings.text, /Book Reviews/);
    assert.equal((noRatings.text.match(/Ratings service is currently unavailable/g) ?? []).length, 2);
    assert.equal(countStars(noRatings.text).full, 0);

    const down = await get(`${withoutReviews.url}/productpage`);
    assert.equal(down.status, 200);
    assert.match(down.text, /Error fetching product reviews!/);
    assert.match(down.text, /Sorry, product reviews are currently unavailable for this book\./);
    assert.match(down.text, /Error fetching product details!/);
    const api = await get(`${withoutReviews.url}/api/v1/products/0/reviews`);
    assert.equal(api.status, 500);
    assert.deepEqual(JSON.parse(api.text), {
      error: 'Sorry, product reviews are currently unavailable for this book.',
    });
  });
});
