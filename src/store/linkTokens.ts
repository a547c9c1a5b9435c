import { createHash, randomBytes } from 'node:crypto';

/**
 * The tokens of the links handed to people (« mes données » downloads, check-in e-mails): 32
 * random bytes in base64url, stored only as their SHA-256 (the document's `_id`), so that the
 * database never holds a working link.
 */
export function newLinkToken(): { token: string; id: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, id: linkTokenId(token)! };
}

/** The stored `_id` of a link token; undefined for anything not shaped as one (never queried). */
export function linkTokenId(token: unknown): string | undefined {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
