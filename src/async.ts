/** An error as one short line, for logs and delivery records. */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}

/** Rejects when `work` has not settled within `ms` (the work itself is not cancelled). */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The wait before retry number `attempt` (1 for the first): firstMs, then × factor each time, at most maxMs. */
export function exponentialBackoff(attempt: number, firstMs: number, factor: number, maxMs: number): number {
  return Math.min(firstMs * factor ** Math.max(0, attempt - 1), maxMs);
}
