/**
 * Who gets a check-in by e-mail too (pure: no I/O). A check-in is posted in the structure's
 * conversation; on Teams that is a notification, but in the operator's web chat (a Direct Line
 * conversation) it waits in a page nobody reopens: such a structure is also e-mailed a link back
 * to its conversation, at the contact address it gave with its consent, when SMTP is configured.
 */

/** Channels whose conversation is the operator's web chat page (local or Azure Direct Line). */
export const WEB_CHAT_CHANNEL_IDS: ReadonlySet<string> = new Set(['directline', 'webchat']);

/** Why a web-chat structure got no e-mail with its check-in (the back-office says it, the chargé·e phones instead). */
export type CheckinEmailSkip = 'no_address' | 'no_smtp';

export type CheckinEmailDecision =
  /** Posted where the structure is notified anyway (Teams): no e-mail, nothing to record. */
  | { kind: 'not_needed' }
  | { kind: 'send'; to: string }
  | { kind: 'skip'; reason: CheckinEmailSkip };

export function checkinEmailDecision(input: { channelId?: string; consentGiven: boolean; email?: string; smtpConfigured: boolean }): CheckinEmailDecision {
  if (!input.channelId || !WEB_CHAT_CHANNEL_IDS.has(input.channelId)) return { kind: 'not_needed' };
  const to = input.email?.trim();
  if (!to || !input.consentGiven) return { kind: 'skip', reason: 'no_address' };
  if (!input.smtpConfigured) return { kind: 'skip', reason: 'no_smtp' };
  return { kind: 'send', to };
}

/** How long an e-mailed check-in link works by default (FOLLOWUP_LINK_DAYS). */
export const DEFAULT_CHECKIN_LINK_DAYS = 30;

/** When a link made at `now` stops working. */
export function checkinLinkExpiry(now: Date, days: number): Date {
  return new Date(now.getTime() + days * 86_400_000);
}

/** A link works until its expiry, as many times as needed (the leader may open it on a phone, then a laptop). */
export function checkinLinkUsable(expiresAt: Date, now: Date): boolean {
  return now.getTime() < new Date(expiresAt).getTime();
}
