import { addWorkingDays, localDay } from './checkinPlan';
import { OperatorTerritory, outsideTerritory } from './eligibility';

/** Where a handoff's call back stands: what the structure was told, and whether someone is late. */
export interface CallBack {
  /** The day the structure was told it would be called back by (the operator's calendar day, YYYY-MM-DD). */
  by: string;
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
  handoff: { createdAt: Date | string; status: string },
  dossier: { departement?: string; decidedAt?: Date | string },
  rules: CallBackRules,
  now: Date,
): CallBack {
  const by = addWorkingDays(new Date(handoff.createdAt), rules.contactDelayWorkingDays, rules.timeZone);
  const elsewhere = outsideTerritory(dossier.departement, rules.territory);
  const called = dossier.decidedAt !== undefined && new Date(dossier.decidedAt).getTime() >= new Date(handoff.createdAt).getTime();
  const today = localDay(now, rules.timeZone);
  const due = handoff.status === 'closed' || elsewhere || called ? null : by < today ? 'overdue' : by === today ? 'today' : null;
  return { by, elsewhere, called, due };
}
