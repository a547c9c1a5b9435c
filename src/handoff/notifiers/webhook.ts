import { createHmac } from 'node:crypto';
import { translator, Translate } from '../../i18n';
import type { OperatorTerritory } from '../../domain/eligibility';
import { isWithdrawn } from '../../domain/handoffMessage';
import { handoffCallBackBy, structureLine } from '../render';
import type { Handoff, HandoffUpdate, HandoffUpdateEvent } from '../types';
import { Notifier } from './notifier';

export interface WebhookNotifierOptions {
  /** config.handoff.webhookUrl */
  url: string;
  /** config.handoff.webhookSecret: key of the HMAC-SHA256 signature of the raw body. */
  secret: string;
  /** Default 10 s. */
  timeoutMs?: number;
  /** For the call-back day (config.operator.timeZone, config.contactDelayWorkingDays, the operator's territory). */
  timeZone?: string;
  contactDelayWorkingDays?: number;
  territory?: OperatorTerritory;
  /** Texts for the chargé·es (default: French): the structure named by its contact is marked so. */
  t?: Translate;
}

export const WEBHOOK_EVENT = 'handoff.created';

/**
 * The event type of each update: `handoff.contactAdded`, a contact given since the handoff was sent
 * without one; `handoff.contactUpdated`, the contact it was sent with corrected since;
 * `handoff.messageAdded`, a message the structure added since (the packet's `messages`, newest last).
 */
export const WEBHOOK_UPDATE_EVENTS: Readonly<Record<HandoffUpdateEvent, string>> = {
  contactAdded: 'handoff.contactAdded', contactUpdated: 'handoff.contactUpdated', messageAdded: 'handoff.messageAdded',
};

/** `sha256=<hex HMAC-SHA256 of the raw body>`, as sent in X-DLA-Signature. */
export function signWebhookBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * The JSON body: the packet without its deliveries (outbox state, not the chargé·es' business),
 * and `structure`, the structure as the e-mail names it (structureLine: its name, or its
 * contact's marked « (contact) »; null when neither is known); `callBackBy`, the day the structure
 * was promised a call back by (YYYY-MM-DD; none without an e-mail nor a phone, or from outside the
 * territory); `status`, the request's (open, claimed, closed) — `withdrawn` once the structure
 * withdrew it (its words the last of `handoff.messages`: the `handoff.messageAdded` that tells it);
 * an update adds its id, and only a contact added names the day (now promised).
 */
export function webhookBody(handoff: Handoff, update?: HandoffUpdate, callBackBy?: string, t: Translate = translator('fr')): string {
  const { deliveries: _deliveries, ...packet } = handoff;
  const structure = structureLine(handoff, t) ?? null;
  const status = isWithdrawn(handoff) ? 'withdrawn' : handoff.status;
  const by = callBackBy ? { callBackBy } : {};
  if (!update) return JSON.stringify({ event: WEBHOOK_EVENT, structure, status, ...by, handoff: packet });
  return JSON.stringify({ event: WEBHOOK_UPDATE_EVENTS[update.event], id: update.id, structure, status, handoff: packet, ...by });
}

/**
 * POSTs `{ event: 'handoff.created', callBackBy, handoff }` to the operator's endpoint (a CRM, n8n, Zapier…),
 * `{ event: 'handoff.contactAdded', id, handoff, callBackBy }` when a contact is given since, and
 * `{ event: 'handoff.contactUpdated', id, handoff }` when the structure corrects it, and
 * `{ event: 'handoff.messageAdded', id, status, handoff }` when it adds a message (handoff.messages; `status`
 * 'withdrawn' when that message withdrew the request).
 * Signed with X-DLA-Signature; X-DLA-Delivery carries the handoff id (an update's own id), the same
 * on every retry, so a receiver can ignore a duplicate. A non-2xx answer, a network error or a timeout throws.
 */
export class WebhookNotifier implements Notifier {
  readonly kind = 'webhook' as const;

  constructor(private readonly options: WebhookNotifierOptions) {}

  recipients(): string[] {
    return [this.options.url];
  }

  async send(handoff: Handoff, update?: HandoffUpdate): Promise<void> {
    const named = !update || (update.event === 'contactAdded' && handoff.contactAddedAt);
    const body = webhookBody(handoff, update, named ? handoffCallBackBy(handoff, this.options) : undefined, this.options.t);
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'dla-assistant-webhook',
          'x-dla-event': update ? WEBHOOK_UPDATE_EVENTS[update.event] : WEBHOOK_EVENT,
          'x-dla-delivery': update ? update.id : handoff._id,
          'x-dla-signature': signWebhookBody(body, this.options.secret),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      if (e.name === 'TimeoutError') throw new Error(`webhook did not answer within ${timeoutMs} ms`);
      throw new Error(`webhook unreachable: ${e.cause?.code ?? e.cause?.message ?? e.message}`);
    }
    await response.arrayBuffer().catch(() => undefined); // frees the socket
    if (response.status < 200 || response.status > 299) {
      throw new Error(`webhook answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
    }
  }
}
