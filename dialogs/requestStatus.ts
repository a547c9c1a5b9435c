import type { Translate } from '../src/i18n';
import { formatDay } from '../src/handoff/render';
import { onlyOtherDla, outcomeVars } from '../src/domain/accueilForm';
import { callBack } from '../src/domain/callBack';
import { accompanied } from '../src/domain/checkinPlan';
import { WITHDRAWN_BY } from '../src/domain/handoffMessage';
import { OperatorTerritory } from '../src/domain/eligibility';
import type { Handoff } from '../src/handoff/types';
import { markdownLineBreaks } from '../src/domain/text';
import { staffName } from '../src/privacy/staffRedaction';
import type { Dossier } from '../src/store/dossiers';

export interface RequestStatusSettings {
  operatorName: string;
  contactDelayWorkingDays: number;
  /** How to reach the operator directly (when a call back is late). */
  operatorContact?: string;
  /** A request from outside it is oriented to the structure's own DLA: no call back is promised. */
  territory: OperatorTerritory;
  /** The operator's time zone, for the dates told (default Europe/Paris). */
  timeZone?: string;
}

export interface RequestState {
  dossier?: Dossier;
  /** Its latest handoff. */
  handoff?: Handoff;
  /** In the middle of the questions: the next one follows (no « écrivez reprendre »). */
  here?: boolean;
  now?: Date;
  /** When the next follow-up check-in is planned, if one is. */
  nextCheckin?: Date;
}

/**
 * Where the structure's request stands, as « où en est ma demande ? » says it: its latest handoff,
 * what the chargé·e decided after the call and recorded of the parcours, the next check-in (the
 * latest news, told last), or what comes before a handoff.
 */
function requestStatus(t: Translate, settings: RequestStatusSettings, { dossier, handoff, here = false, now = new Date(), nextCheckin }: RequestState): string {
  const timeZone = settings.timeZone ?? 'Europe/Paris';
  const vars = { operator: settings.operatorName, days: settings.contactDelayWorkingDays };
  const day = (at: Date | string) => formatDay(t, at, timeZone);
  const since = dossier ? recorded(t, settings, dossier, day) : [];
  // Out of scope after the call: no accompaniment, so no follow-up to announce.
  if (nextCheckin && dossier?.chargeDecision?.outcome !== 'out_of_scope') since.push(t('handoffUser.status.nextCheckin', { date: day(nextCheckin) }));
  if (!handoff) {
    if (since.length) return since.join(' ');
    // No request passed on yet: where the structure stands, and what makes it go to a chargé·e.
    const outcome = dossier?.decision?.outcome;
    const key = !dossier ? 'none' : dossier.status === 'in_progress' ? 'incomplete' : outcome === 'eligible' ? 'diagnosticToFinish'
      // Out of scope only because the head office is elsewhere: its own DLA is the one to see.
      : outcome === 'out_of_scope' ? (onlyOtherDla(dossier.decision!) ? 'otherDla' : 'outOfScope') : 'none';
    return t(`handoffUser.status.${key}${here && (key === 'incomplete' || key === 'diagnosticToFinish') ? 'Here' : ''}`, { ...vars, ...(dossier ? outcomeVars(dossier.answers) : {}) });
  }
  const sent = { ...vars, date: day(handoff.createdAt) };
  if (handoff.status === 'closed') {
    const closed = handoff.closedBy === WITHDRAWN_BY ? 'handoffUser.status.withdrawn' : 'handoffUser.status.closed';
    return [t(closed, { date: day(handoff.closedAt ?? handoff.createdAt) }), ...since, t('handoffUser.status.newNeed')].join(' ');
  }
  // As the back-office reads it (callBack): the day promised, from outside the territory, called already.
  const { by, unreachable, elsewhere, called, due } = callBack(handoff,
    { departement: handoff.departement ?? dossier?.departement, decidedAt: dossier?.chargeDecision?.at, contact: dossier?.answers?.contact },
    { ...settings, timeZone }, now);
  // A decision after the handoff: the call took place, no call back to promise any more.
  if (called) return [t('handoffUser.status.sent', sent), ...since].join(' ');
  const contact = settings.operatorContact ? t('accueil.next.contactSuffix', { contact: settings.operatorContact }) : t('handoffUser.directorySuffix');
  const byDate = by === null ? '' : day(`${by}T12:00:00Z`);
  const late = due === 'overdue';
  if (handoff.status === 'claimed') {
    const claimed = { date: day(handoff.claimedAt ?? handoff.createdAt), who: shownName(t, settings, handoff.claimedByName), by: byDate };
    // Without an e-mail nor a phone, the chargé·e cannot call: how to leave one, or to reach the operator.
    if (unreachable) return [t('handoffUser.status.claimed', claimed), t('handoffUser.status.leaveContact', { ...sent, contact }), ...since].join(' ');
    return [t(late || elsewhere ? 'handoffUser.status.claimed' : 'handoffUser.status.claimedBy', claimed), ...since].join(' ');
  }
  // Passed on without an e-mail nor a phone: nobody can call back, no day was promised.
  if (unreachable) return [t('handoffUser.status.openUnreachable', { ...sent, contact }), ...since].join(' ');
  if (elsewhere) return [t('handoffUser.status.openElsewhere', sent), ...since].join(' ');
  // Open: the day it was promised by, or, once past, an apology and how to reach the operator.
  return [t(late ? 'handoffUser.status.openLate' : 'handoffUser.status.open', { ...sent, by: byDate, contact }), ...since].join(' ');
}

/** Where the next follow-up check-in of a dossier is planned (the check-in repository's nextPlanned). */
export interface NextCheckin {
  nextCheckin(dossierId: string): Promise<Date | undefined>;
}

/** What the status reads beyond the dossier and its latest handoff. */
export interface StatusSources {
  settings: RequestStatusSettings;
  followup: NextCheckin;
  /** Clock for the call back's day (tests move it). */
  now?: () => Date;
}

/**
 * The answer to « où en est ma demande ? », wherever the structure asks it (the command, or
 * checking its eligibility again): requestStatus with the next check-in, read only for an
 * accompanied structure (check-ins exist only for one, as the back-office plans them).
 */
export async function statusOf(t: Translate, sources: StatusSources, state: Pick<RequestState, 'dossier' | 'handoff' | 'here'>): Promise<string> {
  const { dossier } = state;
  const nextCheckin = dossier && accompanied(dossier) ? await sources.followup.nextCheckin(dossier._id) : undefined;
  return requestStatus(t, sources.settings, { ...state, now: sources.now?.(), nextCheckin });
}

/** A chargé·e's name as the structure may read it (staffName), or « un·e chargé·e d’accompagnement du <operator> ». */
function shownName(t: Translate, settings: RequestStatusSettings, name: string | undefined): string {
  return staffName(name) ?? t('handoffUser.status.someone', { operator: settings.operatorName });
}

/**
 * The chargé·e's decision after the call and the parcours (its text as written, then how far the
 * mise en œuvre went), as the back-office recorded them — the call's note is not told in the
 * conversation (the export has it).
 */
function recorded(t: Translate, settings: RequestStatusSettings, dossier: Dossier, day: (at: Date | string) => string): string[] {
  const said: string[] = [];
  const decision = dossier.chargeDecision;
  if (decision) said.push(t(`handoffUser.status.decided.${decision.outcome}`, { date: day(decision.at), who: shownName(t, settings, decision.by) }));
  const parcours = dossier.parcours;
  // The parcours as the chargé·e wrote it, on its lines (DOMAIN.md: the assistant shows it once written), never who recorded it;
  // its closing full stop is the sentence's, after the quote (« … France Active ». — not « … Active. ». ), an ellipsis kept.
  const text = parcours?.text?.trim().replace(/(?<!\.)\.$/, '');
  if (text) said.push(t('handoffUser.status.parcours.recorded', { date: day(parcours!.recordedAt), text: markdownLineBreaks(text) }));
  if (parcours?.miseEnOeuvreEndedAt) said.push(t('handoffUser.status.parcours.ended', { date: day(parcours.miseEnOeuvreEndedAt) }));
  else if (parcours?.miseEnOeuvreStartedAt) said.push(t('handoffUser.status.parcours.started', { date: day(parcours.miseEnOeuvreStartedAt) }));
  return said;
}
