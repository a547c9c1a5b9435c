import type { Translate } from '../i18n';

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

/** Longest raw detail kept after the explanation of a known failure. */
const DETAIL_MAX_CHARS = 80;

/** The known causes of a failed delivery, each with how its error text says it (webhook, Teams, SMTP — nodemailer, a check-in send). */
const CAUSES: [cause: string, pattern: RegExp][] = [
  ['smtp_rejected', /SMTP server accepted no recipient|recipients were rejected|\bEENVELOPE\b|\bEMESSAGE\b|Message failed/i],
  ['timeout', /did not (answer|finish) within|timed? ?out|\bETIMEDOUT\b|\bESOCKETTIMEDOUT\b|Greeting never received/i],
  ['refused', /\bECONNREFUSED\b|connection refused/i],
  ['http', /\bHTTP (\d{3})\b/],
  // A check-in with no conversation left to write to (src/followup/scheduler.ts).
  ['gone', /^gone: /],
  // No chargé·e's address for the handoff's département (src/handoff/notifiers/email.ts).
  ['no_recipient', /^no e-mail recipient for département/],
];

/**
 * A delivery's last error as the operator reads it: a known cause (an HTTP error, no answer in
 * time, a connection refused, an SMTP rejection, no conversation left) said in their language, the raw detail
 * (deliveryFailureReason) short after it; any other error as deliveryFailureReason shows it.
 */
export function explainedFailure(t: Translate, lastError: string | undefined | null): string | null {
  const detail = deliveryFailureReason(lastError);
  if (!detail) return null;
  const known = CAUSES.map(([cause, pattern]) => [cause, pattern.exec(detail)] as const).find(([, found]) => found);
  if (!known) return detail;
  const [cause, found] = known;
  const short = detail.length > DETAIL_MAX_CHARS ? `${detail.slice(0, DETAIL_MAX_CHARS - 1)}…` : detail;
  return t('admin.handoffs.delivery.explained', { cause: t(`admin.handoffs.delivery.cause.${cause}`, { status: found![1] }), detail: short });
}
