import type { IncomingMessage } from 'node:http';
import type { BookDetails } from './details';
import { forwardHeaders } from './headers';
import type { Handler } from './http-util';
import { pathOf, readBody, sendJson, sendText } from './http-util';
import { type Fetched, indexHtml, type Product, productPageHtml } from './productpage-html';
import type { ReviewsResponse } from './reviews';
import { encodeSession, SESSION_COOKIE, sessionUser } from './session';
import type { CallResult, Upstream } from './upstream';

/** productpage's per-call timeout to details, reviews and ratings (requests' timeout=3.0). */
export const PRODUCTPAGE_TIMEOUT_MS = 3_000;

export const DETAILS_UNAVAILABLE = 'Sorry, product details are currently unavailable for this book.';
export const REVIEWS_UNAVAILABLE = 'Sorry, product reviews are currently unavailable for this book.';
export const RATINGS_UNAVAILABLE_PRODUCT = 'Sorry, product ratings are currently unavailable for this book.';

const PRODUCTS: Product[] = [
  {
    id: 0,
    title: 'The Comedy of Errors',
    descriptionHtml:
      '<a href="https://en.wikipedia.org/wiki/The_Comedy_of_Errors">Wikipedia Summary</a>: The Comedy of Errors is one of <b>William Shakespeare\'s</b> early plays. It is his shortest and one of his most farcical comedies, with a major part of the humour coming from slapstick and mistaken identity, in addition to puns and word play.',
  },
];

type Peer = 'details' | 'reviews' | 'ratings';
const UNAVAILABLE: Record<Peer, string> = {
  details: DETAILS_UNAVAILABLE,
  reviews: REVIEWS_UNAVAILABLE,
  ratings: RATINGS_UNAVAILABLE_PRODUCT,
};

function statusOf(result: CallResult): number {
  return result.kind === 'http-error' ? result.status : 500;
}

export function productpageHandler(opts: { upstream: Upstream; sessionSecret?: string }): Handler {
  const { upstream, sessionSecret } = opts;

  /** The user comes only from the session: productpage is the edge, so an inbound end-user is ignored. */
  function outboundHeaders(req: IncomingMessage): { user: string | null; headers: Record<string, string> } {
    const user = sessionUser(req.headers.cookie, sessionSecret);
    const headers = forwardHeaders(req.headers);
    delete headers['end-user'];
    if (user) headers['end-user'] = user;
    return { user, headers };
  }

  async function fetchPeer<T>(
    peer: Peer,
    productId: string,
    headers: Record<string, string>,
    attempts = 1,
  ): Promise<Fetched<T>> {
    let last: CallResult | undefined;
    for (let i = 0; i < attempts; i++) {
      last = await upstream.getJson(peer, `/${peer}/${productId}`, headers, PRODUCTPAGE_TIMEOUT_MS);
      if (last.kind === 'ok') return { ok: true, value: last.body as T };
    }
    return { ok: false, status: last ? statusOf(last) : 500, error: UNAVAILABLE[peer] };
  }

  // Bookinfo asks reviews twice before giving up, a bug kept on purpose: Istio's fault
  // injection task (7 s delay against productpage's 3 s timeout) relies on it.
  const fetchReviews = (id: string, headers: Record<string, string>) =>
    fetchPeer<ReviewsResponse>('reviews', id, headers, 2);

  function sendFetched<T>(res: Parameters<Handler>[1], fetched: Fetched<T>): void {
    if (fetched.ok) sendJson(res, 200, fetched.value);
    else sendJson(res, fetched.status, { error: fetched.error });
  }

  return async (req, res) => {
    const path = pathOf(req);
    const method = req.method ?? 'GET';

    if (method === 'POST' && path === '/login') {
      const form = new URLSearchParams(await readBody(req));
      const user = (form.get('username') ?? form.get('user') ?? '').trim();
      const cookie =
        user === ''
          ? `${SESSION_COOKIE}=; Path=/; Max-Age=0`
          : `${SESSION_COOKIE}=${encodeSession(user, sessionSecret)}; Path=/; HttpOnly; SameSite=Lax`;
      res.writeHead(302, { location: backTo(req), 'set-cookie': cookie, 'content-length': 0 });
      res.end();
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' });

    if (path === '/' || path === '/index.html') return sendText(res, 200, indexHtml(), 'text/html');
    if (path === '/health') return sendText(res, 200, 'Product page is healthy');
    if (path === '/logout') {
      res.writeHead(302, {
        location: backTo(req),
        'set-cookie': `${SESSION_COOKIE}=; Path=/; Max-Age=0`,
        'content-length': 0,
      });
      res.end();
      return;
    }
    if (path === '/productpage') {
      const { user, headers } = outboundHeaders(req);
      const product = PRODUCTS[0]!;
      const details = await fetchPeer<BookDetails>('details', String(product.id), headers);
      const reviews = await fetchReviews(String(product.id), headers);
      return sendText(res, 200, productPageHtml({ user, product, details, reviews }), 'text/html');
    }
    if (path === '/api/v1/products') return sendJson(res, 200, PRODUCTS);

    const api = /^\/api\/v1\/products\/([^/]+)(?:\/(reviews|ratings))?$/.exec(path);
    if (api) {
      // Already percent-encoded as it arrived; passed on as is, like Flask's path segment.
      const id = api[1]!;
      const { headers } = outboundHeaders(req);
      switch (api[2]) {
        case undefined:
          return sendFetched(res, await fetchPeer('details', id, headers));
        case 'reviews':
          return sendFetched(res, await fetchReviews(id, headers));
        case 'ratings':
          return sendFetched(res, await fetchPeer('ratings', id, headers));
      }
    }
    sendJson(res, 404, { error: 'not found' });
  };
}

/** Back to the page the form was on (Bookinfo redirects to the referrer), never off-site. */
function backTo(req: IncomingMessage): string {
  const referer = req.headers.referer;
  if (referer) {
    try {
      const url = new URL(referer, 'http://productpage');
      if (url.pathname.startsWith('/')) return `${url.pathname}${url.search}`;
    } catch {
      // fall through to the product page
    }
  }
  return '/productpage';
}
