import { types } from 'node:util';

/** An Error, also one made in another realm (Node's own errors seen from a jest sandbox). */
export function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

/** An error as one short line, for logs and delivery records. */
export function errorText(err: unknown): string {
  const text = describe(err, 0);
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}

/**
 * Its message with its code, the errors it gathers and its cause: a failed connection can be an
 * AggregateError with an empty message (one attempt per address), or "fetch failed" whose cause
 * says which.
 */
function describe(err: unknown, depth: number): string {
  if (!isError(err)) return String(err);
  const { code, errors, cause } = err as Error & { code?: unknown; errors?: unknown; cause?: unknown };
  let text = err.message || err.name;
  if (code !== undefined && !text.includes(String(code))) text += ` (${String(code)})`;
  if (depth >= 3) return text;
  if (Array.isArray(errors) && errors.length) text += `: ${errors.map((e) => describe(e, depth + 1)).join('; ')}`;
  if (cause !== undefined) text += ` (cause: ${describe(cause, depth + 1)})`;
  return text;
}

/**
 * Rejects when `work` has not settled within `ms` (the work itself is not cancelled; failing
 * after that, nobody waits for it). `timeoutError`: the error to reject with, else a generic one.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string, timeoutError?: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError?.() ?? new Error(`${what} did not finish within ${ms} ms`)), ms);
    timer.unref();
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The wait before retry number `attempt` (1 for the first): firstMs, then × factor each time, at most maxMs. */
export function exponentialBackoff(attempt: number, firstMs: number, factor: number, maxMs: number): number {
  return Math.min(firstMs * factor ** Math.max(0, attempt - 1), maxMs);
}

/** `work` on each item, `size` at a time side by side, batch after batch; the results in the items' order. */
export async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...await Promise.all(items.slice(i, i + size).map(work)));
  return results;
}
