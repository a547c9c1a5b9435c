/**
 * Polls until the predicate holds, or fails after timeoutMs (the message says what was awaited
 * when `what` is given).
 */
export async function until(predicate: () => boolean, timeoutMs = 5000, what?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(what ? `condition not met in ${timeoutMs} ms: ${what()}` : `condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
