/**
 * Passing a structure's request on to the chargé·es (a handoff), and telling it where its request
 * stands: what MainDialog does for « parler à un·e chargé·e », three misunderstood answers, a
 * contact given for a request, or « où en est ma demande ? ».
 */
import { DialogContext } from 'botbuilder-dialogs';
import type { Translate } from '../src/i18n';
import type { Dossier } from '../src/store/dossiers';
import type { Handoff } from '../src/handoff/types';
import { formatDay } from '../src/handoff/render';
import { reachable as reachableContact } from '../src/domain/callBack';
import { outsideTerritory } from '../src/domain/eligibility';
import { accueilStarted, onlyOtherDla } from '../src/domain/accueilForm';
import { CHECKIN_SLOTS } from '../src/domain/checkinForm';
import { checkinAnswerText } from '../src/domain/checkinAnswers';
import { CheckinAnswers, CheckinState } from '../src/followup/checkinAnswers';
import { ACCUEIL_DIALOG, AccueilDeps } from './accueilDialog';
import { CHECKIN_DIALOG } from './checkinDialog';
import { HandOverReason, operatorReach } from './handoffContactDialog';
import { statusOf } from './requestStatus';
import { inStack, root } from './dialogStack';
import { tr } from './turnLocale';

export type HandOverDeps = Pick<AccueilDeps, 'handoffs' | 'settings' | 'now' | 'followup'> & { checkins: CheckinAnswers };

/** Hands requests over and says where they stand. */
export class RequestHandover {
  constructor(private readonly deps: HandOverDeps) {}

  /** The dossier and its latest handoff: read once, for the decision and the handoff. */
  async requestOf(dossier: Dossier | undefined): Promise<StructureRequest> {
    return { dossier, latest: dossier ? await this.deps.handoffs.latest(dossier._id) : undefined };
  }

  /**
   * Creates a handoff for the structure's dossier, or says how to reach the operator. Its message
   * is what the chargé·e needs: the answers that were not understood, or the structure's request
   * in its own words (« parler à un humain » itself says nothing). An urgent request already
   * waiting for a chargé·e is not stacked with another: the structure is told where it stands.
   */
  async handOver(dc: DialogContext, reason: HandOverReason, { dossier, latest }: StructureRequest, how: HandOverOptions = {}): Promise<void> {
    const { misunderstood, contactJustGiven = false, reachable = true, subject } = how;
    const t = tr(dc.context);
    // Without a configured contact, the national directory of DLA says how to reach the operator.
    const vars = operatorReach(t, this.deps.settings);
    if (!dossier) {
      await dc.context.sendActivity(t(reason === 'user_request' ? 'handoffUser.noDossier' : 'handoffUser.notUnderstoodNoDossier', vars));
      return;
    }
    // Passed on without an e-mail nor a phone, one given now: the same request gets it, and the
    // call back is promised from today (no second handoff).
    const contact = dossier.answers?.contact;
    if (latest && waitingWithoutContact(latest) && contactJustGiven && reachable && reachableContact(contact)) {
      await this.deps.handoffs.addContact(latest, { name: contact!.name, email: contact!.email, phone: contact!.phone, otherPhone: contact!.otherPhone });
      await dc.context.sendActivity(t('handoffUser.requested', vars));
      await dc.context.sendActivity(this.deps.handoffs.whatNext(t));
      return;
    }
    if (waitingForChargee(latest) || (latest && waitingWithoutContact(latest))) {
      await this.sayStatus(dc, dossier, latest);
      return;
    }
    // Right after the contact was asked, « je passe la main » was already said: the request is passed on.
    // Without an e-mail or a phone, it goes too, but no call back is promised: the operator's contact instead.
    // From outside the operator's territory, it goes without a promised call back nor urgency: the
    // operator cannot accompany the structure itself (DOMAIN.md § Eligibility 5), and says so.
    const elsewhere = reachable && outsideTerritory(dossier.departement ?? dossier.answers?.location?.departement, this.deps.settings.territory);
    const said = elsewhere ? elsewhereKey(dossier) : !reachable ? 'handoffUser.requestedUnreachable' : reason === 'user_request' || contactJustGiven ? 'handoffUser.requested' : 'handoffUser.notUnderstood';
    await dc.context.sendActivity(t(said, vars));
    // Asked in the middle of a check-in: said so, with what the structure answered there (not its accueil request of months ago).
    const checkin = reason === 'user_request' && inStack(root(dc), CHECKIN_DIALOG) ? await this.deps.checkins.inTurn(dc.context.turnState).pendingFor(dossier._id) : undefined;
    const message = reason === 'not_understood' ? misunderstood
      : checkin ? askedInCheckin(t, checkin, this.deps.settings.timeZone ?? 'Europe/Paris', this.deps.now?.() ?? new Date()) : dossier.answers?.request ?? subject;
    await this.deps.handoffs.trigger(dc.context, reason, dossier, message, elsewhere ? 'normal' : undefined);
    if (reachable && !elsewhere) await dc.context.sendActivity(this.deps.handoffs.whatNext(t));
  }

  /** Where the structure's request stands, said. */
  async sayStatus(dc: DialogContext, dossier: Dossier | undefined, handoff: Handoff | undefined): Promise<void> {
    await dc.context.sendActivity(await this.statusText(dc, dossier, handoff));
  }

  /** Where the structure's request stands (statusOf); in the middle of the questions, the next one follows. */
  async statusText(dc: DialogContext, dossier: Dossier | undefined, handoff: Handoff | undefined): Promise<string> {
    return statusOf(tr(dc.context), this.deps, { dossier, handoff, here: !!dc.activeDialog });
  }
}

/** The structure's dossier and its latest handoff, as a request for a chargé·e finds them. */
export interface StructureRequest {
  dossier?: Dossier;
  latest?: Handoff;
}

export interface HandOverOptions {
  /** What was not understood (not_understood): the handoff's message. */
  misunderstood?: string;
  /** The contact was just asked (HandoffContactDialog): « je passe la main » was said already. */
  contactJustGiven?: boolean;
  /** false: no e-mail nor phone could be read, so no call back is promised. */
  reachable?: boolean;
  /** What the request is about, said before the contact when there was nothing else (HandoffContactOptions.askSubject). */
  subject?: string;
}

/**
 * What a request passed on from outside the operator's territory says: its own DLA, unless the
 * structure is out of scope for another reason too (a commercial company: no DLA would take it).
 */
function elsewhereKey(dossier: Dossier): string {
  const ownDla = !dossier.decision || dossier.decision.outcome !== 'out_of_scope' || onlyOtherDla(dossier.decision);
  return ownDla ? 'handoffUser.requestedOtherDla' : 'handoffUser.requestedElsewhere';
}

/**
 * The message of a request for a chargé·e made in the middle of a check-in: « Demandé pendant le
 * point de suivi du … » (the day it was sent), then what the structure answered there, if anything.
 */
function askedInCheckin(t: Translate, checkin: CheckinState, timeZone: string, now: Date): string {
  const sent = checkin.sentAt ?? now;
  const answers = checkin.answers ?? {};
  const said = CHECKIN_SLOTS.map((slot) => [slot.key, checkinAnswerText(t, slot.key, answers)])
    .filter(([, text]) => text)
    .map(([key, answer]) => t('handoffUser.duringCheckin.line', { topic: t(key === 'newNeeds' ? 'handoffUser.duringCheckin.needs' : `checkin.topics.${key}`), answer }));
  const date = formatDay(t, sent, timeZone);
  return said.length ? `${t('handoffUser.duringCheckin.said', { date })}\n${said.join('\n')}` : t('handoffUser.duringCheckin.asked', { date });
}

/**
 * A request for a chargé·e that would reach them with nothing to go on: no answer of the accueil
 * (its request in the structure's words included), no earlier handoff, and not made in the middle
 * of the accueil or of a check-in (whose questions come back after).
 */
export function withoutContext(dc: DialogContext, { dossier, latest }: StructureRequest): boolean {
  return !latest && !accueilStarted(dossier?.answers ?? {}) && !inStack(dc, ACCUEIL_DIALOG) && !inStack(dc, CHECKIN_DIALOG);
}

/** An urgent request (asked for, or three misunderstood answers) not closed yet: not stacked with another. */
function waitingForChargee(handoff: Handoff | undefined): boolean {
  return !!handoff && handoff.status !== 'closed' && (handoff.reason === 'user_request' || handoff.reason === 'not_understood');
}

/**
 * The dossier whose contact must be asked before a handoff (HandoffContactDialog): no way to
 * reach the structure yet, and no request already waiting. Undefined otherwise.
 */
export function awaitingContact({ dossier, latest }: StructureRequest): string | undefined {
  if (!dossier) return undefined;
  // A request passed on without an e-mail nor a phone (none on the dossier since): asked now, it reaches the chargé·e.
  if (latest && waitingWithoutContact(latest) && !reachableContact(dossier.answers?.contact)) return dossier._id;
  return !dossier.answers?.contact && !waitingForChargee(latest) ? dossier._id : undefined;
}

/** A request not closed yet that was passed on without an e-mail nor a phone: nobody can call back. */
function waitingWithoutContact(handoff: Handoff): boolean {
  return handoff.status !== 'closed' && !reachableContact(handoff.contact);
}
