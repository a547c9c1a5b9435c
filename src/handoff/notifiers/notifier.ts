import type { Handoff, HandoffUpdate, NotifierKind } from '../types';

/** One way of telling the chargé·es about a handoff (e-mail, webhook, Teams channel). */
export interface Notifier {
  kind: NotifierKind;
  /** Who a delivery goes to (e-mail addresses, webhook URL, Teams conversation), recorded on the Delivery. */
  recipients(handoff: Handoff): string[];
  /**
   * Sends the handoff, or with `update` what changed since it was sent (a contact added: the
   * contact and the new call-back day); throws when it was not delivered (the outbox retries it).
   * May return the id the receiving side gave the message (Teams: the card's activity id).
   */
  send(handoff: Handoff, update?: HandoffUpdate): Promise<string | void>;
  /**
   * Shows the handoff as it is now (taken up, closed, open again) on what was posted for it (Teams:
   * each of its cards updated in place); throws when that failed (the outbox retries it). Only a
   * notifier whose messages can be changed once sent has it.
   */
  refresh?(handoff: Handoff): Promise<void>;
}

/**
 * A failure that retrying cannot fix (no recipient configured for the département…): the
 * outbox marks the delivery failed at once instead of retrying it until maxAttempts.
 */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}
