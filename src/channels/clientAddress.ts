import type { IncomingMessage } from 'node:http';

/**
 * The visitor's address for per-client rate limits. Behind `hops` reverse proxies, each appends
 * the address it received from to X-Forwarded-For: the entry `hops` from the end is the one the
 * outermost trusted proxy saw (entries before it are the client's to forge).
 */
export function clientAddress(req: IncomingMessage, hops: number): string {
  const socket = req.socket.remoteAddress ?? 'unknown';
  if (hops <= 0) return socket;
  const header = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  return chain.length >= hops ? chain[chain.length - hops] : chain[0] ?? socket;
}
