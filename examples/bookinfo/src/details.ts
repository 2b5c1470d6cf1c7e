import type { Handler } from './http-util';
import { numericTail, pathOf, sendJson } from './http-util';

export interface BookDetails {
  id: number;
  author: string;
  year: number;
  type: string;
  pages: number;
  publisher: string;
  language: string;
  'ISBN-10': string;
  'ISBN-13': string;
}

/** The one book Bookinfo knows; details.rb returns the same record for every id. */
export function bookDetails(id: number): BookDetails {
  return {
    id,
    author: 'William Shakespeare',
    year: 1595,
    type: 'paperback',
    pages: 200,
    publisher: 'PublisherA',
    language: 'English',
    'ISBN-10': '1234567890',
    'ISBN-13': '123-1234567890',
  };
}

export function detailsHandler(): Handler {
  return (req, res) => {
    const path = pathOf(req);
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'method not allowed' });
    if (path === '/health') return sendJson(res, 200, { status: 'Details is healthy' });
    if (path.startsWith('/details/')) {
      const id = numericTail(path, '/details/');
      if (id === null) return sendJson(res, 400, { error: 'please provide numeric product id' });
      return sendJson(res, 200, bookDetails(id));
    }
    sendJson(res, 404, { error: 'not found' });
  };
}
