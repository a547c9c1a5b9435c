import { addWorkingDays, localDay } from './checkinPlan';
import type { ContactPoint } from './contact';
import { OperatorTerritory, outsideTerritory } from './eligibility';

/** Where a handoff's call back stands: what the structure was told, and whether someone is late. */
export interface CallBack {
  /**
   * The day the structure was told it would be called back by (the operator's calendar day,
   * YYYY-MM-DD); null when no e-mail nor phone reaches it: nobody could call, nothing was promised.
   */
  by: string | null;
  /** Passed on without an e-mail nor a phone (and none added since): no call back can be made. */
  unreachable: boolean;
  /** From outside the territory: oriented to its own DLA, no call back was promised. */
  elsewhere: boolean;
  /** A chargé·e recorded a decision on the dossier after the handoff: the call took place. */
  called: boolean;
  /** Someone still has to call, and the day is past, or today. */
  due: 'overdue' | 'today' | null;
}

export interface CallBackRules {
  contactDelayWorkingDays: number;
  territory: OperatorTerritory;
  timeZone: string;
}

/**
 * The one reading of a handoff's call back, for the back-office's list and for « où en est ma
 * demande ? ». `departement`: the handoff's, or its dossier's; `decidedAt`: its dossier's decision.
 */
export function callBack(
  handoff: { createdAt: Date | string; status: string; contact?: ContactPoint; contactAddedAt?: Date | string },
  dossier: { departement?: string; decidedAt?: Date | string; contact?: ContactPoint },
  rules: CallBackRules,
  now: Date,
): CallBack {
  // A way to reach the structure: given with the request, or added since (to the handoff, or to its
  // dossier). Added to the handoff later, the promise counts from that day.
  const unreachable = !reachable(handoff.contact) && !reachable(dossier.contact);
  const from = reachable(handoff.contact) && handoff.contactAddedAt ? handoff.contactAddedAt : handoff.createdAt;
  const by = unreachable ? null : addWorkingDays(new Date(from), rules.contactDelayWorkingDays, rules.timeZone);
  const elsewhere = outsideTerritory(dossier.departement, rules.territory);
  const called = dossier.decidedAt !== undefined && new Date(dossier.decidedAt).getTime() >= new Date(handoff.createdAt).getTime();
  const today = localDay(now, rules.timeZone);
  const due = by === null || handoff.status === 'closed' || elsewhere || called ? null : by < today ? 'overdue' : by === today ? 'today' : null;
  return { by, unreachable, elsewhere, called, due };
}

/** An e-mail or a phone to call back on (a name alone reaches nobody). */
export function reachable(contact: ContactPoint | undefined): boolean {
  return Boolean(contact?.email || contact?.phone);
}
