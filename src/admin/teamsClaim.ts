/**
 * « Je m’en occupe » on a handoff's card in the chargé·es' Teams channel: the Teams member who
 * clicked is found by e-mail among the back-office users, and the handoff claimed for them by the
 * back-office's own method (AdminService.actOnHandoff: the same territory rules, status change,
 * log and « où en est ma demande ? » answer). The handoff's cards (its own and its updates', the
 * one clicked among them) are then updated in place to say who took it up; when it cannot be
 * claimed, a short reply says why.
 *
 * Only a submit on the msteams channel, in the configured chargé·es' conversation (and, unsigned, through the configured Teams service), is a claim:
 * anywhere else (a structure's own chat, Web Chat) it goes to the dialogs as any card submit.
 */
import { Activity, TeamsInfo, TurnContext } from 'botbuilder';
import { tr } from '../../dialogs/turnLocale';
import { CLAIM_ACTION, formatDay, holderOf, structureOrContact } from '../handoff/render';
import type { Handoff } from '../handoff/types';
import { log } from '../log';
import type { AdminUser } from './auth';
import { AdminError } from './errors';

export interface TeamsClaimDeps {
  /** The chargé·es' channel (config.handoff.teams.conversationId). */
  conversationId: string;
  /** The Teams service the cards are posted to (config.handoff.teams.serviceUrl). */
  serviceUrl: string;
  /** Whether Bot Framework authentication checks every activity (MicrosoftAppId set). */
  authenticated: boolean;
  /** The back-office users, by e-mail (AdminAuth). */
  users: { get(email: string): Promise<AdminUser | undefined> };
  /** The back-office's claim (AdminService.actOnHandoff). */
  claim(user: AdminUser, handoffId: string): Promise<unknown>;
  /** The handoff as stored (the outbox): its card's activity id, who holds it. */
  handoffs: { get(id: string): Promise<Handoff | undefined> };
  /** The handoff's cards updated in place, `clicked` among them (TeamsNotifier.updateCards); how many. */
  updateCards(context: TurnContext, handoff: Handoff, clicked?: string): Promise<number>;
  /** The operator's time zone, for the dates of the replies. */
  timeZone: string;
}

/** A Teams channel's conversation id, without the thread a message was posted in (« 19:…@thread.tacv2;messageid=… »). */
const channelOf = (conversationId: string | undefined): string => (conversationId ?? '').split(';')[0];
const serviceOf = (url: string | undefined): string => (url ?? '').trim().replace(/\/+$/, '').toLowerCase();

export class TeamsClaims {
  constructor(private readonly deps: TeamsClaimDeps) {}

  /** The handoff id a submit of « Je m’en occupe » in the chargé·es' channel claims; undefined for anything else. */
  claimOf(activity: Partial<Activity>): string | undefined {
    const value = activity.value as { dlaAction?: unknown; handoffId?: unknown } | undefined;
    if (activity.channelId !== 'msteams' || channelOf(activity.conversation?.id) !== channelOf(this.deps.conversationId)) return undefined;
    // Without MicrosoftAppId nothing signs the activity: a forged click naming a service of its own would
    // be told « this member is a chargé·e » there. Unsigned, the member is only asked of the configured service.
    if (!this.deps.authenticated && serviceOf(activity.serviceUrl) !== serviceOf(this.deps.serviceUrl)) {
      log.warn('Teams claim ignored: unsigned, from another service than HANDOFF_TEAMS_SERVICE_URL', { serviceUrl: activity.serviceUrl ?? '' });
      return undefined;
    }
    return value?.dlaAction === CLAIM_ACTION && typeof value.handoffId === 'string' && value.handoffId ? value.handoffId : undefined;
  }

  /** Handles the turn when it is a claim (true), else leaves it to the dialogs (false). */
  async handle(context: TurnContext): Promise<boolean> {
    const id = this.claimOf(context.activity);
    if (!id) return false;
    const t = tr(context);
    const email = await this.memberEmail(context);
    if (!email) {
      await context.sendActivity(t('handoff.claim.noEmail'));
      return true;
    }
    const user = await this.deps.users.get(email);
    if (!user) {
      log.info('Teams claim refused: no back-office user', { handoff: id, email });
      await context.sendActivity(t('handoff.claim.noAccount', { email }));
      return true;
    }
    try {
      await this.deps.claim(user, id);
    } catch (err) {
      if (!(err instanceof AdminError)) throw err;
      await this.refused(context, id, user, err.status);
      return true;
    }
    const handoff = await this.deps.handoffs.get(id);
    if (!handoff || !(await this.updateCards(context, handoff))) {
      const structure = (handoff && structureOrContact(handoff.structureName, handoff.contact?.name, t)) ?? t('handoff.unknownStructure');
      await context.sendActivity(t('handoff.claim.claimed', { structure }));
    }
    return true;
  }

  /** The clicking member's e-mail (Teams' member lookup); undefined when Teams gives none. */
  private async memberEmail(context: TurnContext): Promise<string | undefined> {
    try {
      const member = await TeamsInfo.getMember(context, context.activity.from.id);
      return (member.email || member.userPrincipalName || '').trim() || undefined;
    } catch (err) {
      log.warn('Teams claim: member lookup failed', { conversation: context.activity.conversation.id, error: err as Error });
      return undefined;
    }
  }

  /** Why it was not claimed (not this user's département, taken up, closed, gone); the card shows the handoff as it is now. */
  private async refused(context: TurnContext, id: string, user: AdminUser, status: number): Promise<void> {
    const t = tr(context);
    const handoff = status === 404 ? undefined : await this.deps.handoffs.get(id);
    if (!handoff) return void (await context.sendActivity(t('handoff.claim.notFound')));
    if (status === 403) return void (await context.sendActivity(t('handoff.claim.forbidden')));
    await this.updateCards(context, handoff);
    const date = handoff.claimedAt ? formatDay(t, handoff.claimedAt, this.deps.timeZone) : '';
    if (handoff.status === 'closed') await context.sendActivity(t('handoff.claim.closed'));
    else if (handoff.claimedBy === user._id) await context.sendActivity(t('handoff.claim.takenByYou', { date }));
    else await context.sendActivity(t('handoff.claim.takenBy', { name: holderOf(handoff, t) ?? '', date }));
  }

  /** The handoff's cards, the one clicked among them, updated in place (the messages the notifier posted); false when none was, or one could not be. */
  private async updateCards(context: TurnContext, handoff: Handoff): Promise<boolean> {
    try {
      return (await this.deps.updateCards(context, handoff, context.activity.replyToId)) > 0;
    } catch (err) {
      log.warn('Teams claim: the cards could not be updated', { handoff: handoff._id, error: err as Error });
      return false;
    }
  }
}
