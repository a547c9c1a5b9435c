import { Activity, EventFactory, TurnContext } from 'botbuilder';
import { USER_CHANNELS } from '../channels/userChannels';
import { reachable } from '../domain/callBack';
import { diagnosticFacts } from '../domain/diagnosticFacts';
import { accueilFacts } from '../domain/accueilFacts';
import { urgencies } from '../domain/diagnosticForm';
import { saysUrgent } from '../domain/request';
import { Translate, translator } from '../i18n';
import { log } from '../log';
import type { ChargeDecision, Dossier } from '../store/dossiers';
import type { TurnErasures } from '../privacy/erasures';
import type { AddedMessage } from './outbox';
import type { Handoff, HandoffReason } from './types';

/** What the dialogs need from the handoff outbox (src/handoff/outbox.ts implements it). */
export interface HandoffStore {
  create(handoff: Omit<Handoff, 'deliveries' | 'status' | 'createdAt' | 'updatedAt' | '_id'> & { _id?: string }): Promise<Handoff>;
  /** Newest first (HandoffOutbox.list). */
  list(filter: { dossierId?: string; status?: string; limit?: number }): Promise<Handoff[]>;
  /** A contact given after the request was passed on without one (HandoffOutbox.addContact). */
  addContact(id: string, contact: NonNullable<Handoff['contact']>): Promise<Handoff | undefined>;
  /** The contact corrected by the structure (HandoffOutbox.updateContact): undefined for a closed handoff, left as it is. */
  updateContact(id: string, contact: NonNullable<Handoff['contact']>): Promise<Handoff | undefined>;
  /** A detail the structure added in its own words (HandoffOutbox.addMessage): refused once closed or full. */
  addMessage(id: string, text: string): Promise<AddedMessage>;
  /** Withdrawn by the structure, its words kept (HandoffOutbox.withdraw): undefined once closed. */
  withdraw(id: string, text: string): Promise<Handoff | undefined>;
  /** A handoff stored while its structure's erasure ran: deleted, never delivered (HandoffOutbox.forget). */
  forget(id: string): Promise<void>;
}

/** The end of a conversation's transcript (MongoTranscriptStore implements it). */
export interface TranscriptReader {
  latestActivities(channelId: string, conversationId: string, count: number): Promise<Activity[]>;
}

export interface HandoffSettings {
  operatorName: string;
  contactDelayWorkingDays: number;
}

/**
 * Builds the handoff packet from the dossier and the conversation, stores it (the outbox then
 * delivers it to the chargé·es), and emits the standard `handoff.initiate` event with the
 * transcript for hubs that understand it.
 */
export class HandoffService {
  constructor(
    private readonly store: HandoffStore,
    private readonly settings: HandoffSettings,
    private readonly transcripts?: TranscriptReader,
    private readonly erasures?: Pick<TurnErasures, 'check'>,
  ) {}

  /**
   * `urgency` overrides the reason's (a request the operator can only pass on to another DLA is not urgent for it).
   * Throws ErasedDuringTurnError when the structure's data were erased since the turn began: its
   * request is not passed on (DlaBot tells it).
   */
  async trigger(context: TurnContext, reason: HandoffReason, dossier: Dossier | undefined, message?: string, urgency?: Handoff['urgency']): Promise<Handoff> {
    await this.erasures?.check(context);
    const fr = translator('fr'); // the packet is for the chargé·es: French
    const a = dossier?.answers;
    const handoff = await this.store.create({
      dossierId: dossier?._id,
      reason,
      urgency: urgency ?? defaultUrgency(reason, dossier, message),
      departement: dossier?.departement ?? a?.location?.departement,
      structureName: a?.name,
      contact: a?.contact ? { name: a.contact.name, email: a.contact.email, phone: a.contact.phone, otherPhone: a.contact.otherPhone } : undefined,
      eligibility: dossier?.decision ? {
        outcome: dossier.decision.outcome,
        rulesVersion: dossier.decision.rulesVersion,
        reasons: dossier.decision.reasons.map((r) => ({ code: r.code, text: fr(`admin.eligibility.reason.${r.code}`) })),
      } : undefined,
      answers: dossier ? answersForTheCall(dossier, fr) : undefined,
      chargeDecision: dossier?.chargeDecision && chargeDecisionOf(dossier.chargeDecision),
      diagnostic: dossier?.diagnostic?.confirmedAt ? {
        version: dossier.diagnostic.version,
        facts: diagnosticFacts(dossier.diagnostic.answers, fr).filter((f) => !f.unknown).map(({ label, value }) => ({ label, value })),
        axes: (dossier.diagnostic.ranking ?? []).map((axis) => fr(`themes.label.${axis}`)),
      } : undefined,
      message: message?.slice(0, 2000),
      request: a?.request?.trim() && a.request.trim() !== message?.trim() ? a.request.slice(0, 2000) : undefined,
      consent: dossier?.consent?.given === true,
      transcript: { channelId: context.activity.channelId, conversationId: context.activity.conversation.id },
    });
    // Erased while it was being stored (the erasure took the dossier's handoffs before this one was written): forgotten.
    await this.erasures?.check(context).catch(async (err: unknown) => {
      await this.store.forget(handoff._id);
      throw err;
    });
    await this.announce(context, handoff);
    return handoff;
  }

  /** A request passed on without an e-mail nor a phone gets the one given since: the call back is promised from now. */
  addContact(handoff: Handoff, contact: NonNullable<Handoff['contact']>): Promise<Handoff | undefined> {
    return this.store.addContact(handoff._id, contact);
  }

  /**
   * The structure's contact changed (« je me suis trompée de numéro… ») while its request is open
   * or taken up: passed on without a way to reach it, the contact is added (the call back is
   * promised from now); else it replaces the one sent. A closed handoff is left as it is
   * (undefined). The chargé·es already notified are told by an update.
   */
  changeContact(handoff: Handoff, contact: NonNullable<Handoff['contact']>): Promise<Handoff | undefined> {
    if (handoff.status === 'closed') return Promise.resolve(undefined);
    const packet = Object.fromEntries(Object.entries({ name: contact.name, email: contact.email, phone: contact.phone, otherPhone: contact.otherPhone }).filter(([, v]) => v !== undefined));
    return reachable(handoff.contact) ? this.store.updateContact(handoff._id, packet) : this.store.addContact(handoff._id, packet);
  }

  /** A detail the structure added to its request (« Trésorerie tendue »), cut at MESSAGE_MAX_CHARS already; the chargé·es already notified are told by an update. */
  addMessage(handoffId: string, text: string): Promise<AddedMessage> {
    return this.store.addMessage(handoffId, text);
  }

  /**
   * The structure withdraws its request (« je voudrais annuler ma demande »), open or taken up: its
   * words kept as a message and the request closed by the structure (WITHDRAWN_BY), in one write
   * (HandoffOutbox.withdraw): the chargé·es already notified are told it was withdrawn, the
   * back-office shows who closed it, a Teams card its new status. Undefined when it was closed meanwhile.
   */
  withdraw(handoffId: string, text: string): Promise<Handoff | undefined> {
    return this.store.withdraw(handoffId, text);
  }

  /** The latest handoff of a dossier, for "où en est ma demande ?". */
  async latest(dossierId: string): Promise<Handoff | undefined> {
    return (await this.store.list({ dossierId, limit: 1 }))[0];
  }

  /** Tells the structure who will contact it and when. */
  whatNext(t: Translate): string {
    return t('handoffUser.next', { operator: this.settings.operatorName, days: this.settings.contactDelayWorkingDays });
  }

  private async recentTranscript(context: TurnContext): Promise<Activity[]> {
    return this.transcripts?.latestActivities(context.activity.channelId, context.activity.conversation.id, TRANSCRIPT_IN_EVENT) ?? [];
  }

  /**
   * The standard event, for hubs (e.g. a contact-centre connector) listening on the channel. Never
   * on a channel the structure reads itself (Web Chat, Direct Line, Teams): nothing listens there
   * but the structure's own client, which would receive the transcript and internal ids.
   */
  private async announce(context: TurnContext, handoff: Handoff): Promise<void> {
    if (USER_CHANNELS.has(context.activity.channelId)) return;
    try {
      const event = EventFactory.createHandoffInitiation(context, {
        handoffId: handoff._id, reason: handoff.reason, urgency: handoff.urgency, dossierId: handoff.dossierId,
      }, { activities: await this.recentTranscript(context) });
      await context.sendActivity(event);
    } catch (err) {
      log.warn('handoff.initiate could not be sent (the handoff itself is stored)', { handoff: handoff._id, error: err as Error });
    }
  }
}

/** A chargé·e's decision as the packet carries it: their name, never their e-mail address. */
function chargeDecisionOf({ outcome, by, at, note }: ChargeDecision): NonNullable<Handoff['chargeDecision']> {
  return { outcome, by, at, ...(note?.trim() ? { note: note.trim() } : {}) };
}

/** The latest activities of the conversation go in the event (Teams 1:1 conversations can last years). */
const TRANSCRIPT_IN_EVENT = 50;

/**
 * How soon a chargé·e should call: a person asking for one, or not understood three times; a
 * structure whose words say it is urgent or its jobs threatened (saysUrgent: « sinon nous devrons
 * licencier »); a confirmed diagnostic with an area the structure rated 4/4 (« très urgent »).
 * Otherwise normal.
 */
function defaultUrgency(reason: HandoffReason, dossier: Dossier | undefined, message: string | undefined): Handoff['urgency'] {
  if (reason === 'not_understood' || reason === 'user_request') return 'high';
  // The diagnostic's own ratings say it better than the words of its first request; a new need
  // said at a check-in, months later, is told by its own words only.
  const words = reason === 'diagnostic_confirmed' ? [] : reason === 'followup_new_needs' ? [message] : [message, dossier?.answers?.request];
  if (words.some(saysUrgent)) return 'high';
  const rated = reason === 'diagnostic_confirmed' ? Object.values(urgencies(dossier?.diagnostic?.answers ?? {})) : [];
  return rated.some((u) => u >= 4) ? 'high' : 'normal';
}

/** The packet's own fields say the structure's name, request and contact: the other answers of its accueil, when it gave any. */
const IN_THE_PACKET = new Set(['name', 'request', 'contact']);

function answersForTheCall(dossier: Dossier, fr: Translate): Handoff['answers'] {
  const facts = accueilFacts(dossier, fr).filter((f) => !IN_THE_PACKET.has(f.key)).map(({ label, value }) => ({ label, value }));
  return facts.length ? facts : undefined;
}
