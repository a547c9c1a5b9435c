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
  if (!handoff) {
    // No request passed on yet: where the structure stands, and what makes it go to a chargé·e.
    const outcome = dossier?.decision?.outcome;
    const key = !dossier ? 'none' : dossier.status === 'in_progress' ? 'incomplete' : outcome === 'eligible' ? 'diagnosticToFinish' : outcome === 'out_of_scope' ? 'outOfScope' : 'none';
    return t(`handoffUser.status.${key}${here && (key === 'incomplete' || key === 'diagnosticToFinish') ? 'Here' : ''}`, vars);
  }
  const at = handoff.status === 'claimed' ? handoff.claimedAt : handoff.status === 'closed' ? handoff.closedAt : handoff.createdAt;
  const date = new Intl.DateTimeFormat(t('handoff.dateLocale'), { timeZone: settings.timeZone ?? 'Europe/Paris' }).format(new Date(at ?? handoff.createdAt));
  return t(`handoffUser.status.${handoff.status}`, {
    // Names recorded before names were checked could be an address: never shown to the structure.
    ...vars, date, who: handoff.claimedByName && !handoff.claimedByName.includes('@') ? handoff.claimedByName : t('handoffUser.status.someone'),
  });
}
