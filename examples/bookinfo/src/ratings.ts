import type { Handler } from './http-util';
import { numericTail, pathOf, readBody, sendJson } from './http-util';

export interface RatingsResponse {
  id: number;
  ratings: Record<string, number>;
}

/**
 * ratings v1 of Bookinfo: in-memory ratings, Reviewer1 5 stars and Reviewer2 4 by default,
 * replaceable per product with POST /ratings/:id (the Bookinfo demo of a write).
 */
export function ratingsHandler(): Handler {
  const added = new Map<number, Record<string, number>>();
  const ratingsFor = (id: number): RatingsResponse => ({
    id,
    ratings: added.get(id) ?? { Reviewer1: 5, Reviewer2: 4 },
  });

  return async (req, res) => {
    const path = pathOf(req);
    if (path === '/health' && req.method === 'GET')
      return sendJson(res, 200, { status: 'Ratings is healthy' });
    if (!path.startsWith('/ratings/')) return sendJson(res, 404, { error: 'not found' });
    const id = numericTail(path, '/ratings/');
    if (id === null) return sendJson(res, 400, { error: 'please provide numeric product ID' });
    if (req.method === 'GET') return sendJson(res, 200, ratingsFor(id));
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' });

    let parsed: unknown;
    try {
      parsed = JSON.parse(await readBody(req));
    } catch {
      return sendJson(res, 400, { error: 'please provide valid ratings JSON' });
    }
    if (!isRatingMap(parsed)) return sendJson(res, 400, { error: 'please provide valid ratings JSON' });
    added.set(id, parsed);
    sendJson(res, 200, ratingsFor(id));
  };
}

function isRatingMap(value: unknown): value is Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 5);
}
