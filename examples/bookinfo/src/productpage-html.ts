import type { BookDetails } from './details';
import { escapeHtml } from './http-util';
import type { Review, ReviewsResponse } from './reviews';

export interface Product {
  id: number;
  title: string;
  descriptionHtml: string;
}

export type Fetched<T> = { ok: true; value: T } | { ok: false; status: number; error: string };

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
nav{background:#24292f;color:#fff;padding:.75rem 1.5rem;display:flex;justify-content:space-between;align-items:center}
nav a{color:#fff} nav form{display:flex;gap:.5rem}
main{max-width:960px;margin:1.5rem auto;padding:0 1rem}
h3{text-align:center;color:#0550ae} h4{color:#0550ae}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:2rem}
blockquote{border-left:4px solid #d0d7de;margin:0 0 1rem;padding:.5rem 1rem;background:#fff}
dt{font-weight:600} dd{margin:0 0 .4rem}
.stars{font-size:1.3rem;letter-spacing:.1rem}
.error{color:#cf222e}
`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>`;
}

function navbar(user: string | null): string {
  const right = user
    ? `<span data-testid="user">${escapeHtml(user)} ( <a href="logout">sign out</a> )</span>`
    : `<form method="post" action="login" name="login_form">
<input type="text" name="username" placeholder="User Name" aria-label="User Name">
<input type="password" name="passwd" placeholder="Password" aria-label="Password">
<button type="submit">Sign in</button></form>`;
  return `<nav><strong>BookInfo Sample</strong>${right}</nav>`;
}

function stars(review: Review): string {
  const rating = review.rating;
  if (!rating) return '';
  if ('error' in rating) return `<p class="error"><i>${escapeHtml(rating.error)}</i></p>`;
  const full = Math.max(0, Math.min(5, rating.stars));
  // glyphicon class names kept from Bookinfo: scripts that count stars in the HTML still work.
  const glyphs =
    '<span class="glyphicon glyphicon-star">&#9733;</span>'.repeat(full) +
    '<span class="glyphicon glyphicon-star-empty">&#9734;</span>'.repeat(5 - full);
  return `<font color="${rating.color}"><span class="stars" data-color="${rating.color}" data-stars="${full}">${glyphs}</span></font>`;
}

function detailsColumn(details: Fetched<BookDetails>): string {
  if (!details.ok)
    return `<h4>Error fetching product details!</h4><p class="error">${escapeHtml(details.error)}</p>`;
  const d = details.value;
  const rows: [string, string | number][] = [
    ['Type:', d.type],
    ['Pages:', d.pages],
    ['Publisher:', d.publisher],
    ['Language:', d.language],
    ['ISBN-10:', d['ISBN-10']],
    ['ISBN-13:', d['ISBN-13']],
  ];
  return `<h4>Book Details</h4><dl>${rows
    .map(([k, v]) => `<dt>${k}</dt><dd>${escapeHtml(String(v))}</dd>`)
    .join('')}</dl>`;
}

function reviewsColumn(reviews: Fetched<ReviewsResponse>): string {
  if (!reviews.ok)
    return `<h4>Error fetching product reviews!</h4><p class="error">${escapeHtml(reviews.error)}</p>`;
  const items = reviews.value.reviews
    .map(
      (r) =>
        `<blockquote><p>${escapeHtml(r.text)}</p><small>${escapeHtml(r.reviewer)}</small>${stars(r)}</blockquote>`,
    )
    .join('\n');
  return `<h4>Book Reviews</h4>\n${items}\n<p><small data-testid="reviews-pod">Reviews served by: ${escapeHtml(reviews.value.podname)}</small></p>`;
}

export function productPageHtml(opts: {
  user: string | null;
  product: Product;
  details: Fetched<BookDetails>;
  reviews: Fetched<ReviewsResponse>;
}): string {
  const { user, product, details, reviews } = opts;
  // descriptionHtml is our own constant, so it is rendered as HTML on purpose, like Bookinfo.
  return page(
    'Simple Bookstore App',
    `${navbar(user)}<main>
<h3>${escapeHtml(product.title)}</h3>
<p>Summary: ${product.descriptionHtml}</p>
<div class="cols"><section>${detailsColumn(details)}</section><section>${reviewsColumn(reviews)}</section></div>
</main>`,
  );
}

export function indexHtml(): string {
  return page(
    'Simple Bookstore App',
    `<nav><strong>BookInfo Sample</strong></nav><main>
<h3>Hello! This is a simple bookstore application consisting of three services as shown below</h3>
<table><tr><th>name</th><td>http://details:9080</td></tr><tr><th>endpoint</th><td>details</td></tr>
<tr><th>children</th><td>details, reviews (→ ratings)</td></tr></table>
<p>Click on one of the links below to auto generate a request to the backend as a real user or a tester</p>
<p><a href="/productpage?u=normal">Normal user</a></p>
<p><a href="/productpage?u=test">Test user</a></p>
</main>`,
  );
}
