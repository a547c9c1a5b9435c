/** Longest failure reason shown in the back-office. */
export const FAILURE_REASON_MAX_CHARS = 160;

/**
 * A delivery's last error as the back-office shows it: its first line (never a stack), an
 * address reduced to its scheme and host (a webhook URL's path or query can carry its token, an
 * SMTP URL a password), credentials and long token-like strings masked, at most
 * FAILURE_REASON_MAX_CHARS characters. Null when there is none.
 */
export function deliveryFailureReason(lastError: string | undefined | null): string | null {
  if (!lastError?.trim()) return null;
  const text = lastError.trim().split(/\r?\n/)[0]
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)(?:[^\s/@]*@)?([^\s/?#@]+)\S*/gi, '$1$2')
    .replace(/\b(bearer|basic)\s+\S+/gi, '$1 …')
    .replace(/\b(password|passwd|pwd|pass|secret|token|apikey|api_key|key|signature|sig|code|auth)=[^\s&;,]+/gi, '$1=…')
    .replace(/[A-Za-z0-9_\-+/=]{32,}/g, '…')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > FAILURE_REASON_MAX_CHARS ? `${text.slice(0, FAILURE_REASON_MAX_CHARS - 1)}…` : text;
}
