import { Activity, CardFactory, CloudAdapter, ConversationReference, MessageFactory } from 'botbuilder';
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
   * The card's message: the handoff (with « Je m’en occupe » while it is open, who took it up
   * once claimed: the same message is updated in place then), or an update of it.
   */
  activity(handoff: Handoff, update?: HandoffUpdate): Partial<Activity> {
    const { publicUrl, timeZone, contactDelayWorkingDays, territory } = this.options;
    const ctx = { publicUrl, timeZone, contactDelayWorkingDays, territory };
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(update ? teamsUpdateCard(handoff, this.t, ctx, update.event) : teamsCard(handoff, this.t, ctx)));
    activity.summary = update ? renderUpdateSubject(handoff, this.t, update.event) : renderSubject(handoff, this.t);
    activity.channelData = { tenant: { id: this.options.tenantId } };
    return activity;
  }

  /** Posts the card; returns its activity id (kept on the delivery: the card is updated in place once claimed). */
  async send(handoff: Handoff, update?: HandoffUpdate): Promise<string> {
    const activity = this.activity(handoff, update);
    // The adapter runs the logic inside its middleware, and an adapter with onTurnError (the app's
    // does) would swallow a failed send — and post its apology into the channel. So the failure
    // is caught here and rethrown after the turn, for the outbox to retry.
    let failure: unknown;
    let sentId: string | undefined;
    // continueConversationAsync needs a string: with '' (no app id) the claims are empty and the
    // SDK signs nothing; undefined would be taken for a ClaimsIdentity and fail.
    await this.adapter.continueConversationAsync(this.options.appId ?? '', this.reference(), async (context) => {
      try {
        sentId = (await context.sendActivity(activity))?.id;
      } catch (err) {
        failure = err;
      }
    });
    if (failure) {
      const e = failure as Error & { statusCode?: number; code?: string };
      throw new Error(`Teams connector refused the card: ${e.statusCode ? `HTTP ${e.statusCode} ` : ''}${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' ').trim());
    }
    if (!sentId) throw new Error('Teams connector returned no activity id');
    return sentId;
  }
}
