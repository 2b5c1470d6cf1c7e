import { forwardHeaders } from './headers';
import type { Handler } from './http-util';
import { numericTail, pathOf, sendJson } from './http-util';
import type { Upstream } from './upstream';

export type StarColor = 'black' | 'red';

/** What a reviews version does: v1 shows no stars, v2 black stars, v3 red stars. */
export interface ReviewsFlavour {
  ratingsEnabled: boolean;
  starColor: StarColor;
  /** Reviews' own ratings timeout: 10 s for black stars, 2.5 s for red, as in Bookinfo. */
  ratingsTimeoutMs: number;
}

export function reviewsFlavour(version: string, env: NodeJS.ProcessEnv = {}): ReviewsFlavour {
  const starColor: StarColor =
    (env.STAR_COLOR ?? (version === 'v3' ? 'red' : 'black')) === 'red' ? 'red' : 'black';
  const ratingsEnabled = env.ENABLE_RATINGS !== undefined ? env.ENABLE_RATINGS === 'true' : version !== 'v1';
  return { ratingsEnabled, starColor, ratingsTimeoutMs: starColor === 'black' ? 10_000 : 2_500 };
}

export type Rating = { stars: number; color: StarColor } | { error: string };

export interface Review {
  reviewer: string;
  text: string;
  rating?: Rating;
}

export interface ReviewsResponse {
  id: string;
  podname: string;
  clustername: string;
  reviews: Review[];
}

const REVIEWS = [
  {
    reviewer: 'Reviewer1',
    text: 'An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!',
  },
  {
    reviewer: 'Reviewer2',
    text: 'Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare.',
  },
] as const;

export const RATINGS_UNAVAILABLE = 'Ratings service is currently unavailable';

export function reviewsHandler(opts: {
  flavour: ReviewsFlavour;
  upstream: Upstream;
  podName: string;
}): Handler {
  const { flavour, upstream, podName } = opts;
  return async (req, res) => {
    const path = pathOf(req);
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'method not allowed' });
    if (path === '/health') return sendJson(res, 200, { status: 'Reviews is healthy' });
    const id = numericTail(path, '/reviews/');
    if (id === null) return sendJson(res, 404, { error: 'not found' });

    let stars: Record<string, number> | null = null;
    if (flavour.ratingsEnabled) {
      const result = await upstream.getJson(
        'ratings',
        `/ratings/${id}`,
        forwardHeaders(req.headers),
        flavour.ratingsTimeoutMs,
      );
      if (result.kind === 'ok') stars = starsFrom(result.body);
    }

    const body: ReviewsResponse = {
      id: String(id),
      podname: podName,
      clustername: 'null',
      reviews: REVIEWS.map((r) => {
        if (!flavour.ratingsEnabled) return { ...r };
        const n = stars?.[r.reviewer];
        const rating: Rating =
          n === undefined ? { error: RATINGS_UNAVAILABLE } : { stars: n, color: flavour.starColor };
        return { ...r, rating };
      }),
    };
    sendJson(res, 200, body);
  };
}

function starsFrom(body: unknown): Record<string, number> | null {
  if (typeof body !== 'object' || body === null || !('ratings' in body)) return null;
  const ratings = body.ratings;
  if (typeof ratings !== 'object' || ratings === null) return null;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(ratings)) if (typeof v === 'number') out[k] = v;
  return out;
}
