import type { IncomingMessage } from 'node:http';
import { clientAddress } from '../clientAddress';
import type { TokenCheck } from './tokens';

/** Fixed-window rate limit per key (a conversation's user, or an address for anonymous calls). */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly limit: number, private readonly windowMs = 60_000, private readonly now: () => number = Date.now) {}

  /** Counts one request; returns the seconds to wait when over the limit, else 0. */
  hit(key: string): number {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= this.windowMs) {
      w = { start: t, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 50_000) this.sweep(t);
    }
    w.count++;
    return w.count > this.limit ? Math.ceil((w.start + this.windowMs - t) / 1000) : 0;
  }

  private sweep(t: number): void {
    for (const [k, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(k);
  }
}

/**
 * Who a Direct Line call counts against: a valid token's conversation and user (a refreshed
 * token keeps the same budget), else the caller's address (behind `proxyHops` proxies, the
 * visitor's, from X-Forwarded-For).
 */
export function callerKey(check: TokenCheck, req: IncomingMessage, proxyHops: number): string {
  return check.ok ? `user:${check.claims.c}|${check.claims.u}` : `addr:${clientAddress(req, proxyHops)}`;
}
