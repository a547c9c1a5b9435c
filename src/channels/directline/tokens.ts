import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Local Direct Line tokens: `dl1.<payload>.<signature>`, HMAC-SHA256 signed. A token is bound
 * to one conversation and one user, and expires. Nothing to store: verification is stateless.
 */
export interface TokenClaims {
  /** conversation id */
  c: string;
  /** user id */
  u: string;
  /** expiry, seconds since epoch */
  exp: number;
  /** token id (for rate limiting and logs) */
  jti: string;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export class TokenSigner {
  constructor(private readonly key: Buffer, private readonly now: () => number = Date.now) {}

  issue(conversationId: string, userId: string, ttlSeconds: number): { token: string; claims: TokenClaims } {
    const claims: TokenClaims = {
      c: conversationId,
      u: userId,
      exp: Math.floor(this.now() / 1000) + ttlSeconds,
      jti: randomBytes(9).toString('base64url'),
    };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return { token: `dl1.${payload}.${this.sign(payload)}`, claims };
  }

  verify(token: string | undefined): TokenCheck {
    const parts = token?.split('.') ?? [];
    if (parts.length !== 3 || parts[0] !== 'dl1') return { ok: false, reason: 'malformed' };
    const expected = Buffer.from(this.sign(parts[1]));
    const given = Buffer.from(parts[2]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' };
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (typeof claims.c !== 'string' || typeof claims.exp !== 'number') return { ok: false, reason: 'malformed' };
    if (claims.exp * 1000 <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

/** Constant-time comparison of two secrets. */
export function sameSecret(a: string, b: string): boolean {
  const x = createHmac('sha256', 'cmp').update(a).digest();
  const y = createHmac('sha256', 'cmp').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
}

/** Reads "Authorization: Bearer <value>". */
export function bearer(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer\s+(\S+)$/i.exec(value ?? '');
  return match?.[1];
}
