import type { Translate } from '../src/i18n';
import type { Handoff } from '../src/handoff/types';
import type { Dossier } from '../src/store/dossiers';

export interface RequestStatusSettings {
  operatorName: string;
  contactDelayWorkingDays: number;
  /** The operator's time zone, for the dates told (default Europe/Paris). */
  timeZone?: string;
}

/**
 * Where the structure's request stands, as « où en est ma demande ? » says it: its latest handoff,
 * or what comes before one. `here`: in the middle of the questions, the next one follows (no
 * « écrivez reprendre »).
 */
export function requestStatus(t: Translate, settings: RequestStatusSettings, dossier: Dossier | undefined, handoff: Handoff | undefined, here = false): string {
  const vars = { operator: settings.operatorName, days: settings.contactDelayWorkingDays };
  const day = (at: Date | string) => new Intl.DateTimeFormat(t('handoff.dateLocale'), { timeZone: settings.timeZone ?? 'Europe/Paris' }).format(new Date(at));
  // What the chargé·e decided and recorded since (back-office) comes after: it is the latest news.
  const since = dossier ? afterHandoff(t, dossier, day) : [];
  if (!handoff) {
    // No request passed on yet: where the structure stands, and what makes it go to a chargé·e.
    if (since.length) return since.join(' ');
    const outcome = dossier?.decision?.outcome;
    const key = !dossier ? 'none' : dossier.status === 'in_progress' ? 'incomplete' : outcome === 'eligible' ? 'diagnosticToFinish' : outcome === 'out_of_scope' ? 'outOfScope' : 'none';
    return t(`handoffUser.status.${key}${here && (key === 'incomplete' || key === 'diagnosticToFinish') ? 'Here' : ''}`, vars);
  }
  const at = handoff.status === 'claimed' ? handoff.claimedAt : handoff.status === 'closed' ? handoff.closedAt : handoff.createdAt;
  const told = t(`handoffUser.status.${handoff.status}`, {
    // Names recorded before names were checked could be an address: never shown to the structure.
    ...vars, date: day(at ?? handoff.createdAt), who: shownName(t, handoff.claimedByName),
  });
  return [told, ...since].join(' ');
}

/** A chargé·e's name as the structure may read it: never an e-mail address. */
function shownName(t: Translate, name: string | undefined): string {
  return name && !name.includes('@') ? name : t('handoffUser.status.someone');
}

/**
 * The chargé·e's decision after the call and the parcours, as the back-office recorded them — the
 * call's note is the chargé·e's own and is never told.
 */
function afterHandoff(t: Translate, dossier: Dossier, day: (at: Date | string) => string): string[] {
  const said: string[] = [];
  const decision = dossier.chargeDecision;
  if (decision) said.push(t(`handoffUser.status.decided.${decision.outcome}`, { date: day(decision.at), who: shownName(t, decision.by) }));
  const parcours = dossier.parcours;
  if (parcours?.miseEnOeuvreEndedAt) said.push(t('handoffUser.status.parcours.ended', { date: day(parcours.miseEnOeuvreEndedAt) }));
  else if (parcours?.miseEnOeuvreStartedAt) said.push(t('handoffUser.status.parcours.started', { date: day(parcours.miseEnOeuvreStartedAt) }));
  else if (parcours?.text) said.push(t('handoffUser.status.parcours.recorded', { date: day(parcours.recordedAt) }));
  return said;
}
