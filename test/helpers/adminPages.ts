import type { Connection } from 'mongoose';
import { AdminAuth } from '../../src/admin/auth';

/**
 * A back-office list read a page at a time (`/admin/api/dossiers` or `/admin/api/handoffs`), as an
 * administrator (`admin`) or a chargé·e of the Gironde (`gironde`), the users signIn() makes.
 */
export function pagedList(url: () => string, key: 'dossiers' | 'handoffs', tokens: Record<string, string>) {
  const list = async (query: string, who = 'admin') => {
    const res = await fetch(`${url()}${query}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
    return { status: res.status, body: await res.json() };
  };
  /** Every page of a query, `limit` at a time: the ids in order. */
  const allPages = async (query: string, limit: number, who = 'admin') => {
    const seen: string[] = [];
    for (let cursor = ''; ;) {
      const { status, body } = await list(`?${query}${query ? '&' : ''}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, who);
      expect(status).toBe(200);
      seen.push(...body[key].map((d: { id: string }) => d.id));
      if (!body.truncated) return { ids: seen, total: body.total };
      cursor = body.cursor;
    }
  };
  return { list, allPages };
}

/** An administrator and a chargé·e of the Gironde, each signed in: their tokens in `tokens`. */
export async function signIn(connection: Connection, tokens: Record<string, string>): Promise<void> {
  const auth = new AdminAuth(connection);
  await auth.upsertUser({ email: 'admin@dla.test', name: 'Alex Admin', role: 'admin', departements: [] });
  await auth.upsertUser({ email: 'gironde@dla.test', name: 'Gaëlle Gironde', role: 'charge', departements: ['33'] });
  tokens.admin = (await auth.createUserToken('admin@dla.test')).token;
  tokens.gironde = (await auth.createUserToken('gironde@dla.test')).token;
}
