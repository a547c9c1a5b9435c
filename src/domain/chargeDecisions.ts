/**
 * A chargé·e's decision after the call, as a dossier stores it (src/store/dossiers.ts,
 * ChargeDecision): the outcome, the note of the call, who and when.
 */
export interface RecordedDecision {
  outcome: string;
  note?: string;
  by?: string;
  byEmail?: string;
  at: Date | string;
}

const time = (d: RecordedDecision) => new Date(d.at).getTime();

function same(a: RecordedDecision, b: RecordedDecision): boolean {
  return time(a) === time(b) && a.outcome === b.outcome && a.by === b.by && (a.note ?? '') === (b.note ?? '');
}

/**
 * Every decision chargé·es recorded on a dossier, each with its note, oldest first.
 * `chargeDecisions` keeps them all; `chargeDecision` is the one in force (the latest). A dossier
 * decided before the history was kept has only `chargeDecision`: that one decision is its history.
 */
export function decisionHistory<T extends RecordedDecision>(dossier: { chargeDecision?: T; chargeDecisions?: T[] }): T[] {
  const list = Array.isArray(dossier.chargeDecisions) ? [...dossier.chargeDecisions] : [];
  const latest = dossier.chargeDecision;
  if (latest && !list.some((d) => same(d, latest))) list.push(latest);
  // Stable: decisions of the same instant keep the order they were recorded in.
  return list.map((d, i) => ({ d, i })).sort((a, b) => time(a.d) - time(b.d) || a.i - b.i).map(({ d }) => d);
}

/**
 * What a new decision adds to the history: the decision in force first when the dossier has no
 * history yet (decided before it was kept), so that recording a new one never loses it.
 */
export function decisionsToAppend<T extends RecordedDecision>(dossier: { chargeDecision?: T; chargeDecisions?: T[] }, next: T): T[] {
  return Array.isArray(dossier.chargeDecisions) || !dossier.chargeDecision ? [next] : [dossier.chargeDecision, next];
}

/**
 * Who put the dossier out of the DLA's scope, if it is: a chargé·e's decision after the call
 * (the latest, which wins), else the rules' pre-qualification. Undefined when it is in scope or
 * still to be confirmed.
 */
export function outOfScopeBy(dossier: { chargeDecision?: { outcome: string }; decision?: { outcome: string } }): 'charge' | 'rules' | undefined {
  if (dossier.chargeDecision) return dossier.chargeDecision.outcome === 'out_of_scope' ? 'charge' : undefined;
  return dossier.decision?.outcome === 'out_of_scope' ? 'rules' : undefined;
}
