import { Activity, CardFactory, CloudAdapter, ConversationReference, MessageFactory, TurnContext } from 'botbuilder';
import type { OperatorTerritory } from '../../domain/eligibility';
import { translator, Translate } from '../../i18n';
import { renderUpdateSubject, renderSubject, teamsCard, teamsUpdateCard } from '../render';
import type { Handoff, HandoffUpdate } from '../types';
import { Notifier } from './notifier';

export interface TeamsNotifierOptions {
  /** The bot's Microsoft App ID (config.appId); '' for a local, unauthenticated connector. */
  appId: string;
  /** The chargé·es' channel (config.handoff.teams). */
  conversationId: string;
  serviceUrl: string;
  tenantId: string;
  /** For the back-office link (config.publicUrl). */
  publicUrl: string;
  /** Dates on the card (config.operator.timeZone; default Europe/Paris). */
  timeZone?: string;
  /** The call-back delay and the operator's territory, for the day a handoff and an update name (config.contactDelayWorkingDays, config.operator). */
  contactDelayWorkingDays?: number;
  territory?: OperatorTerritory;
  t?: Translate;
}

/**
 * Posts an Adaptive Card into the chargé·es' Teams channel, proactively, through the bot's
 * CloudAdapter (its credentials sign the Connector call to serviceUrl).
 */
export class TeamsNotifier implements Notifier {
  readonly kind = 'teams' as const;
  private readonly t: Translate;

  constructor(private readonly adapter: CloudAdapter, private readonly options: TeamsNotifierOptions) {
    this.t = options.t ?? translator('fr');
  }

  recipients(): string[] {
    return [`msteams:${this.options.conversationId}`];
  }

  reference(): Partial<ConversationReference> {
    const { conversationId, serviceUrl, tenantId, appId } = this.options;
    return {
      conversation: { id: conversationId, conversationType: 'channel', tenantId, isGroup: true, name: '' },
      serviceUrl,
      channelId: 'msteams',
      bot: { id: appId, name: '' },
    };
  }

  /**
   * The card's message: the handoff, or an update of it; each with « Je m’en occupe » while it is
   * open, who took it up or closed it otherwise (the messages are updated in place: refresh).
   */
  activity(handoff: Handoff, update?: HandoffUpdate): Partial<Activity> {
    const { publicUrl, timeZone, contactDelayWorkingDays, territory } = this.options;
    const ctx = { publicUrl, timeZone, contactDelayWorkingDays, territory };
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(update ? teamsUpdateCard(handoff, this.t, ctx, update.event) : teamsCard(handoff, this.t, ctx)));
    activity.summary = update ? renderUpdateSubject(handoff, this.t, update.event) : renderSubject(handoff, this.t);
    activity.channelData = { tenant: { id: this.options.tenantId } };
    return activity;
  }

  /** Posts the card; returns its activity id (kept on the delivery: the card is updated in place when the handoff's status changes). */
  async send(handoff: Handoff, update?: HandoffUpdate): Promise<string> {
    const activity = this.activity(handoff, update);
    const sentId = await this.inChannel('the card', async (context) => (await context.sendActivity(activity))?.id);
    if (!sentId) throw new Error('Teams connector returned no activity id');
    return sentId;
  }

  /** Every card posted for the handoff (its own, then its updates'), updated in place to show it as it is now. */
  async refresh(handoff: Handoff): Promise<void> {
    await this.inChannel('the card update', (context) => this.updateCards(context, handoff));
  }

  /**
   * Updates in place, in the channel of `context`, each card posted for the handoff — and `clicked`,
   * the card a click came from, when it is none of those (posted before their ids were kept: taken
   * for the handoff's own) — to the handoff as it is now; returns how many. Each is tried; the
   * first failure is thrown.
   */
  async updateCards(context: TurnContext, handoff: Handoff, clicked?: string): Promise<number> {
    const cards = handoff.deliveries.flatMap(({ notifier, status, messageId: id, event, eventId, messageCount }) => {
      if (notifier !== this.kind || status !== 'sent' || !id || event === 'statusChanged') return [];
      // An update's card as it was posted (the messages it carried), with the handoff's status of now.
      return [{ id, activity: event ? this.activity({ ...handoff, messages: handoff.messages?.slice(0, messageCount) }, { event, id: eventId ?? '' }) : this.activity(handoff) }];
    });
    if (clicked && !cards.some((c) => c.id === clicked)) cards.push({ id: clicked, activity: this.activity(handoff) });
    const failures: unknown[] = [];
    for (const c of cards) await context.updateActivity({ ...c.activity, id: c.id }).catch((err: unknown) => failures.push(err));
    if (failures.length) throw failures[0];
    return cards.length;
  }

  /**
   * Runs `work` in a turn of the chargé·es' channel (proactively). The adapter runs it inside its
   * middleware, and an adapter with onTurnError (the app's does) would swallow a failure — and post
   * its apology into the channel. So the failure is caught here and rethrown after the turn, for
   * the outbox to retry.
   */
  private async inChannel<T>(what: string, work: (context: TurnContext) => Promise<T>): Promise<T | undefined> {
    let failure: unknown;
    let result: T | undefined;
    // continueConversationAsync needs a string: with '' (no app id) the claims are empty and the
    // SDK signs nothing; undefined would be taken for a ClaimsIdentity and fail.
    await this.adapter.continueConversationAsync(this.options.appId ?? '', this.reference(), async (context) => {
      try {
        result = await work(context);
      } catch (err) {
        failure = err;
      }
    });
    if (failure) {
      const e = failure as Error & { statusCode?: number; code?: string };
      throw new Error(`Teams connector refused ${what}: ${e.statusCode ? `HTTP ${e.statusCode} ` : ''}${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' ').trim());
    }
    return result;
  }
}
