import { isDeepStrictEqual } from 'node:util';
import type { Connection } from 'mongoose';
import { esusSaid } from '../domain/accueilForm';
import { staffOf } from '../domain/accueilFacts';
import { inBatches } from '../async';
import { conditionalUpdates } from './db';
import type { Delivery, Handoff } from '../handoff/types';
import type { Dossier } from './dossiers';
import { KeyedMutex } from './keyedMutex';
import { DOSSIER_HANDOFFS, NO_DOSSIER, addToList, listed, listIds, removeFromList } from './lookups';
import { upgradeOnce } from './schemaVersions';

/**
 * One small document per dossier (`dossier_summaries`, keyed by the dossier's `_id`): what the
 * back-office's lists, their filters, the statistics and the CSV read of it — the filtered fields
 * as fields, the row shown as one JSON string, and its handoffs as the handoff list shows them
 * (HandoffRow: the packet without what only the dossier's page reads) as another.
 *
 * Why: on the embedded FerretDB (SQLite backend) any query but an `_id` equality reads and decodes
 * every document of its collection, field by field, whatever the filter or the projection. A dossier
 * is ~1.7 kB of nested answers; its summary a few fields and one string, decoded as one value
 * (measured with 2,000 dossiers: the summaries read in about a fifth of the dossiers' time).
 *
 * Kept by refreshSummaries(), which every writer of a dossier or of its handoffs calls once its
 * write is done (DossierRepository.create and save, the back-office's decision and parcours, the
 * retention purge of older handoffs), and through the outbox's stateChanged (refreshHandoffState)
 * after each write of a handoff: created, moved (the back-office, a Teams click, a hub), its contact
 * or messages (the chat), its deliveries (the drain, « Réessayer l'envoi »). Taken away with the
 * dossier (deleteDossiers: erasure and retention purge), built once at start for the dossiers stored
 * before (upgradeSummaries) and again after a restore (rebuildSummaries).
 *
 * A handoff without a dossier (stored by an earlier version), or whose dossier is not stored, has no
 * summary: it is listed under NO_DOSSIER in the dossiers' lists of handoffs and read by `_id` from
 * there (looseHandoffs).
 */
export const DOSSIER_SUMMARIES = 'dossier_summaries';

/** A dossier as a row of the back-office's list and CSV. */
export interface DossierRow {
  id: string;
  name: string | null;
  siret: string | null;
  /** The association's RNA number (W + 9 digits), when it gave one. */
  rna: string | null;
  departement: string | null;
  phase: Dossier['phase'];
  status: Dossier['status'];
  /** The chargé·e's decision when there is one, else the rules'. */
  outcome: string | null;
  /** The rules' outcome, as the structure was told. */
  rulesOutcome: string | null;
  /** Who decided after the call (a name), and the note of the call; null without such a decision. */
  decisionBy: string | null;
  decisionNote: string | null;
  primaryTheme: string | null;
  createdAt: Date;
  updatedAt: Date;
  decidedAt: Date | null;
  diagnosticConfirmedAt: Date | null;
  readyForChargeAt: Date | null;
  parcoursRecordedAt: Date | null;
  miseEnOeuvreStartedAt: Date | null;
  miseEnOeuvreEndedAt: Date | null;
  postalCode: string | null;
  /** Employees in full-time equivalents, when a number was read. */
  etp: number | null;
  /** No or few employees yet, and a plan to hire (a primo-employeuse). */
  hiringPlan: boolean;
  /** What a company said of its ESUS approval, when asked (esusSaid); null otherwise. */
  esus: ReturnType<typeof esusSaid> | null;
  /** `otherPhone`: a second number the structure gave (« Autre téléphone »). */
  contact: { name: string | null; email: string | null; phone: string | null; otherPhone: string | null };
  /** The structure's request, in its words. */
  request: string | null;
  /** The state of the handoff that matters (shownHandoffs): open, claimed, or closed; null when none. */
  handoff: Handoff['status'] | null;
}

/** The row's dates, written as text in the summary's JSON. */
const ROW_DATES = ['createdAt', 'updatedAt', 'decidedAt', 'diagnosticConfirmedAt', 'readyForChargeAt', 'parcoursRecordedAt', 'miseEnOeuvreStartedAt', 'miseEnOeuvreEndedAt'] as const;

/** The dossier's eligibility as the lists, the CSV and the statistics count it: the chargé·e's decision when there is one, else the rules'. */
export function outcomeOf(d: Pick<Dossier, 'chargeDecision' | 'decision'>): string | undefined {
  return d.chargeDecision?.outcome !== undefined ? d.chargeDecision.outcome : d.decision?.outcome;
}

/**
 * A dossier's primary theme as the themes-by-year statistics define it (src/store/statistics.ts):
 * the first axis of change of a confirmed diagnostic, which has its year of confirmation.
 */
function primaryThemeOf(d: Dossier): string | null {
  return d.diagnostic?.year !== undefined && d.diagnostic?.year !== null ? d.diagnostic.primaryTheme ?? null : null;
}

/**
 * The handoff a dossier's row shows (the page's list and the CSV alike), of each dossier: one still
 * open (someone has to take it up), else one claimed, else its latest — closed. `handoffs`: newest first.
 */
export function shownHandoffs<H extends Pick<Handoff, 'dossierId' | 'status'>>(handoffs: H[]): Map<string, H> {
  const rank = { open: 0, claimed: 1, closed: 2 } as const;
  const shown = new Map<string, H>();
  // Newest first: of the same state, the latest wins.
  for (const h of handoffs) {
    const current = h.dossierId ? shown.get(h.dossierId) : undefined;
    if (h.dossierId && (!current || rank[h.status] < rank[current.status])) shown.set(h.dossierId, h);
  }
  return shown;
}

/**
 * A handoff as the back-office's handoff list and CSV read it: the packet without what only the
 * dossier's page shows (transcript, answers, diagnostic…), its deliveries without their recipients.
 */
export type HandoffRow = Omit<Handoff, 'transcript' | 'answers' | 'eligibility' | 'diagnostic' | 'chargeDecision' | 'request' | 'consent' | 'deliveries'> & {
  deliveries: Pick<Delivery, 'notifier' | 'event' | 'status' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'sentAt'>[];
};
type HandoffFacts = HandoffRow;
const HANDOFF_FIELDS = Object.fromEntries([
  'dossierId', 'reason', 'urgency', 'departement', 'structureName', 'contact', 'contactAddedAt', 'contactUpdatedAt', 'message', 'messages',
  'status', 'claimedBy', 'claimedByName', 'claimedAt', 'closedAt', 'closedBy', 'closedByName', 'reopenedBy', 'reopenedByName', 'reopenedAt',
  'reopenedFrom', 'deliveries', 'createdAt', 'updatedAt',
].map((field) => [field, 1 as const]));
const newestFirst = (a: HandoffFacts, b: HandoffFacts) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime();

/** A handoff as its row (HandoffRow), from the handoff or its fields read with HANDOFF_FIELDS. */
function handoffRow(h: HandoffFacts): HandoffRow {
  const deliveries = (h.deliveries ?? []).map(({ notifier, event, status, attempts, nextAttemptAt, lastError, sentAt }) => ({ notifier, event, status, attempts, nextAttemptAt, lastError, sentAt }));
  return { ...h, deliveries };
}

/** A handoff row's dates, written as text in the summary's JSON (and its deliveries' and messages'). */
const HANDOFF_DATES = ['contactAddedAt', 'contactUpdatedAt', 'claimedAt', 'closedAt', 'reopenedAt', 'createdAt', 'updatedAt'] as const;

/** The rows of a summary's JSON, their dates as dates (field by field: a reviver called on every value took most of the list's time). */
function handoffRows(json: string | undefined): HandoffRow[] {
  const rows = (json ? JSON.parse(json) : []) as Record<string, unknown>[];
  const date = (value: unknown) => (typeof value === 'string' ? new Date(value) : value);
  for (const row of rows) {
    for (const key of HANDOFF_DATES) if (key in row) row[key] = date(row[key]);
    for (const d of row.deliveries as Record<string, unknown>[]) Object.assign(d, { nextAttemptAt: date(d.nextAttemptAt), ...(d.sentAt ? { sentAt: date(d.sentAt) } : {}) });
    for (const m of (row.messages ?? []) as Record<string, unknown>[]) m.at = date(m.at);
  }
  return rows as unknown as HandoffRow[];
}

/** The dossier's row; `handoff`: the state of the one it shows (shownHandoffs), undefined when it has none. */
export function rowOf(d: Dossier, handoff?: Handoff['status']): DossierRow {
  return {
    id: d._id,
    name: d.answers?.name ?? null,
    siret: d.siret ?? d.answers?.identifiers?.siret ?? null,
    rna: d.answers?.identifiers?.rna ?? null,
    departement: d.departement ?? null,
    phase: d.phase,
    status: d.status,
    outcome: outcomeOf(d) ?? null,
    rulesOutcome: d.decision?.outcome ?? null,
    decisionBy: d.chargeDecision?.by ?? null,
    decisionNote: d.chargeDecision?.note ?? null,
    primaryTheme: primaryThemeOf(d),
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    decidedAt: d.decision?.decidedAt ?? null,
    diagnosticConfirmedAt: d.diagnostic?.confirmedAt ?? null,
    readyForChargeAt: d.readyForChargeAt ?? null,
    parcoursRecordedAt: d.parcours?.recordedAt ?? null,
    miseEnOeuvreStartedAt: d.parcours?.miseEnOeuvreStartedAt ?? null,
    miseEnOeuvreEndedAt: d.parcours?.miseEnOeuvreEndedAt ?? null,
    postalCode: d.answers?.location?.postalCode ?? null,
    // The ETP in force: the diagnostic's when it read a newer one (staffOf).
    etp: staffOf(d).etp ?? null,
    hiringPlan: Boolean(d.answers?.employees?.hiringPlan),
    esus: d.answers?.esus ? esusSaid(d.answers.esus) : null,
    contact: {
      name: d.answers?.contact?.name ?? null, email: d.answers?.contact?.email ?? null, phone: d.answers?.contact?.phone ?? null,
      otherPhone: d.answers?.contact?.otherPhone ?? null,
    },
    request: typeof d.answers?.request === 'string' ? d.answers.request : null,
    handoff: handoff ?? null,
  };
}

/** What a summary says of its dossier, read back. */
export interface DossierSummary {
  row: DossierRow;
  /** The dossier's contact as stored (the handoff list shows it when its handoff has none to call). */
  contact?: NonNullable<Dossier['answers']>['contact'];
  /** When a chargé·e last recorded a decision on it (the handoff list: the call took place). */
  decisionAt?: Date;
  /** The statistics' figures: its diagnostic's year and first axis, confirmed or not, handed off or not, a check-in answered or not. */
  year?: number;
  primaryTheme?: string;
  confirmed: boolean;
  handedOff: boolean;
  followupAnswered: boolean;
  /** Its handoffs as the handoff list shows them, newest first (read from their JSON when asked). */
  handoffs(): HandoffRow[];
}

/**
 * The stored summary: the fields the lists filter and sort on (their names are those a query on
 * the summaries uses: departement, phase, status, outcome, year, primaryTheme, updatedAt), and the
 * rest in `data`, one JSON string.
 */
interface SummaryDoc {
  _id: string;
  /** The dossier's date of change this summary was written from. */
  updatedAt: Date;
  departement?: string | null;
  phase: string;
  status: string;
  outcome?: string;
  year?: number;
  primaryTheme?: string;
  /** The dossier's handoffs: the state of the one its row shows (shownHandoffs), and whether it has any. */
  handoff: Handoff['status'] | null;
  handedOff: boolean;
  /**
   * When the dossier's handoffs this summary shows were read: a read that began later saw every
   * write its own refresh came after (each write of a handoff is followed by a refresh).
   */
  handoffsAt: Date;
  /** The dossier's handoffs, newest first (HandoffRow[] as JSON). */
  handoffs: string;
  data: string;
}

const present = (value: unknown) => value !== undefined && value !== null;

type HandoffPart = Pick<SummaryDoc, 'handoff' | 'handedOff' | 'handoffsAt' | 'handoffs'>;

/** What a summary says of the dossier's handoffs (`handoffs`: the dossier's, newest first, read from `readAt` on). */
function handoffState(id: string, handoffs: HandoffFacts[], readAt: Date): HandoffPart {
  return {
    handoff: shownHandoffs(handoffs).get(id)?.status ?? null, handedOff: handoffs.length > 0, handoffsAt: readAt,
    handoffs: JSON.stringify(handoffs.map(handoffRow)),
  };
}

/** The fields a summary may lack: absent on the dossier, absent here (`{ departement: { $in: [null, ''] } }` and `$exists` read both alike). */
const OPTIONAL = ['departement', 'outcome', 'year', 'primaryTheme'] as const;
type DossierPart = Omit<SummaryDoc, '_id' | keyof HandoffPart>;

/** What a summary says of the dossier itself (its handoffs aside). */
function dossierPart(d: Dossier): DossierPart {
  const data = {
    row: rowOf(d), contact: d.answers?.contact, decisionAt: d.chargeDecision?.at,
    confirmed: present(d.diagnostic?.confirmedAt), followupAnswered: present(d.followup?.answeredAt),
  };
  const optional = { departement: d.departement, outcome: outcomeOf(d), year: d.diagnostic?.year, primaryTheme: d.diagnostic?.primaryTheme };
  const part: DossierPart = { updatedAt: d.updatedAt, phase: d.phase, status: d.status, data: JSON.stringify(data) };
  for (const key of OPTIONAL) if (optional[key] !== undefined) Object.assign(part, { [key]: optional[key] });
  return part;
}

function summaryOf(doc: SummaryDoc): DossierSummary {
  const data = JSON.parse(doc.data) as Omit<DossierSummary, 'year' | 'primaryTheme' | 'handedOff'>;
  const row = data.row as unknown as Record<string, unknown>;
  for (const key of ROW_DATES) if (typeof row[key] === 'string') row[key] = new Date(row[key] as string);
  row.handoff = doc.handoff ?? null;
  return {
    ...data, handedOff: Boolean(doc.handedOff), ...(data.decisionAt ? { decisionAt: new Date(data.decisionAt) } : {}),
    handoffs: () => handoffRows(doc.handoffs),
    ...(doc.year !== undefined && doc.year !== null ? { year: doc.year } : {}),
    ...(doc.primaryTheme !== undefined && doc.primaryTheme !== null ? { primaryTheme: doc.primaryTheme } : {}),
  };
}

function summaries(connection: Connection) {
  return connection.db!.collection<SummaryDoc>(DOSSIER_SUMMARIES);
}

/** One refresh or removal of a dossier's summary at a time in this process: the last one reads the dossier last. */
const summaryLock = new KeyedMutex();
/** Summaries written or removed side by side. */
const PARALLEL = 16;

/** What a summary says of a dossier's handoffs, read now by its list (src/store/lookups.ts). */
async function handoffsOf(connection: Connection, id: string): Promise<HandoffPart> {
  const readAt = new Date();
  const handoffs = await listed<HandoffFacts>(connection, DOSSIER_HANDOFFS, id, 'handoffs', (h) => h.dossierId === id, HANDOFF_FIELDS);
  return handoffState(id, handoffs.sort(newestFirst), readAt);
}

/**
 * The handoffs without a dossier, or whose dossier has no summary (`summarised` says which have one),
 * read by `_id` from their list, newest first.
 */
export async function looseHandoffs(connection: Connection, summarised: (dossierId: string) => boolean): Promise<HandoffRow[]> {
  const handoffs = await listed<HandoffFacts>(connection, DOSSIER_HANDOFFS, NO_DOSSIER, 'handoffs', (h) => !h.dossierId || !summarised(h.dossierId), HANDOFF_FIELDS);
  return handoffs.sort(newestFirst).map(handoffRow);
}

/**
 * Writes the summaries of these dossiers from what the database holds now (the dossier and its
 * handoffs read by `_id`, after the caller's write: what another writer changed meanwhile is in
 * it too), each part unless the summary holds a later one already (setUnlessLater: another
 * instance may have read a later state and written it first); a dossier gone takes its summary with it.
 */
export async function refreshSummaries(connection: Connection, ids: string[]): Promise<void> {
  await inBatches([...new Set(ids)], PARALLEL, (id) => summaryLock.run(id, async () => {
    const [dossier, handoffs] = await Promise.all([connection.db!.collection<Dossier>('dossiers').findOne({ _id: id }), handoffsOf(connection, id)]);
    if (!dossier) {
      await summaries(connection).deleteOne({ _id: id });
      return;
    }
    const part = dossierPart(dossier);
    const whole = async () => ({ _id: id, ...part, ...handoffs });
    await setUnlessLater(connection, id, 'updatedAt', part, whole);
    await setUnlessLater(connection, id, 'handoffsAt', handoffs, whole);
  }));
}

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

/** What `{ [since]: { $lte: ours } }` matches: a stored date not after ours; without a date on our side, none stored either. */
function notLater(stored: unknown, ours: unknown): boolean {
  if (ours === undefined || ours === null) return stored === undefined || stored === null;
  return stored instanceof Date && ours instanceof Date && stored.getTime() <= ours.getTime();
}

/**
 * Sets `part` on the summary unless it holds a later change already: `since` names the date field
 * that orders them (`updatedAt` for the dossier's part, `handoffsAt` for its handoffs'). A summary
 * not there yet is written whole (`whole()`, read only then; none when its dossier is gone). The condition is one atomic update on
 * MongoDB, so several instances leave the latest change; on the embedded FerretDB (one process)
 * summaryLock orders them, and the summary is read and written by `_id` alone (the condition in
 * the filter read every summary until it matched: bench/writes.ts, 2,000 dossiers: a handoff created 451 → 19 ms, a refresh 711 → 23 ms).
 */
async function setUnlessLater(
  connection: Connection, id: string, since: 'updatedAt' | 'handoffsAt', part: Partial<SummaryDoc>, whole: () => Promise<SummaryDoc | undefined>,
): Promise<void> {
  const unset: Record<string, ''> = since === 'updatedAt' ? Object.fromEntries(OPTIONAL.filter((key) => !(key in part)).map((key) => [key, ''] as const)) : {};
  const update = Object.keys(unset).length ? { $set: part, $unset: unset } : { $set: part };
  const atomic = await conditionalUpdates(connection);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (atomic) {
      const { matchedCount } = await summaries(connection).updateOne({ _id: id, [since]: { $lte: part[since] } }, update);
      if (matchedCount > 0 || await summaries(connection).findOne({ _id: id }, { projection: { _id: 1 } })) return;
    } else {
      const stored = await summaries(connection).findOne({ _id: id }, { projection: { [since]: 1 } });
      if (stored) {
        if (notLater(stored[since], part[since])) await summaries(connection).updateOne({ _id: id }, update);
        return;
      }
    }
    try {
      const summary = await whole();
      if (summary) await summaries(connection).insertOne(summary);
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Written by another writer meanwhile: set ours over it unless it is later.
    }
  }
}

/**
 * Writes the summary of a dossier as its writer just stored it whole (the document a write returned,
 * or a new dossier): no second read of the dossier. A summary of a later change of the dossier is kept.
 */
export async function summarise(connection: Connection, dossier: Dossier): Promise<void> {
  const part = dossierPart(dossier);
  await summaryLock.run(dossier._id, () => setUnlessLater(connection, dossier._id, 'updatedAt', part, async () => {
    // Erased since its writer read it back: no summary comes back without its dossier.
    if (!await connection.db!.collection<Dossier>('dossiers').findOne({ _id: dossier._id }, { projection: { _id: 1 } })) return undefined;
    return { _id: dossier._id, ...part, ...await handoffsOf(connection, dossier._id) };
  }));
}

/** The state of the dossier's handoffs in its summary, after one was created or moved (the dossier itself unchanged). */
export async function refreshHandoffState(connection: Connection, id: string): Promise<void> {
  await summaryLock.run(id, async () => {
    const state = await handoffsOf(connection, id);
    await setUnlessLater(connection, id, 'handoffsAt', state, async () => {
      const dossier = await connection.db!.collection<Dossier>('dossiers').findOne({ _id: id });
      if (dossier) return { _id: id, ...dossierPart(dossier), ...state };
      // No dossier stored under that id: its handoffs are listed with those without one.
      const ids = await listIds(connection, DOSSIER_HANDOFFS, id);
      if (ids.length) await addToList(connection, DOSSIER_HANDOFFS, NO_DOSSIER, ...ids);
      return undefined;
    });
  });
}

/**
 * Deletes the handoffs `filter` matches (the retention purge's older ones): out of their dossiers'
 * lists (a list left empty goes) and of the list of those without a dossier, and what their
 * dossiers' summaries say of them refreshed. Returns how many.
 */
export async function deleteHandoffs(connection: Connection, filter: Record<string, unknown>): Promise<number> {
  const handoffs = connection.db!.collection<Pick<Handoff, '_id' | 'dossierId'>>('handoffs');
  const matched = await handoffs.find(filter, { projection: { _id: 1, dossierId: 1 } }).toArray();
  const deleted = (await handoffs.deleteMany(filter)).deletedCount;
  await removeFromList(connection, DOSSIER_HANDOFFS, NO_DOSSIER, ...matched.map((h) => h._id));
  const byDossier = new Map<string, string[]>();
  for (const { _id, dossierId } of matched) {
    if (typeof dossierId === 'string' && dossierId) (byDossier.get(dossierId) ?? byDossier.set(dossierId, []).get(dossierId)!).push(_id);
  }
  await inBatches([...byDossier], PARALLEL, ([dossierId, ids]) => removeFromList(connection, DOSSIER_HANDOFFS, dossierId, ...ids));
  await refreshSummaries(connection, [...byDossier.keys()]);
  return deleted;
}

/** The summaries of dossiers deleted (after their deletion: a refresh running meanwhile finds no dossier). */
export async function removeSummaries(connection: Connection, ids: string[]): Promise<void> {
  await inBatches([...new Set(ids)], PARALLEL, (id) => summaryLock.run(id, () => summaries(connection).deleteOne({ _id: id })));
}

/**
 * The summaries `filter` matches (on SummaryDoc's fields), with the dossier's id and sort key: newest
 * change first, ties by id; with their handoffs' rows when `withHandoffs`.
 */
export async function findSummaries(connection: Connection, filter: Record<string, unknown>, { withHandoffs = false } = {}): Promise<DossierSummary[]> {
  // Their handoffs' rows only when asked (handoffs() has none otherwise): the dossier list and the statistics read less.
  const docs = await summaries(connection).find(filter, withHandoffs ? {} : { projection: { handoffs: 0 } }).toArray();
  // A dossier stored without its date of change (older or damaged data) sorts last.
  const time = (s: DossierSummary) => s.row.updatedAt?.getTime() ?? 0;
  return docs.map(summaryOf).sort((a, b) => time(b) - time(a) || (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0));
}

/** Summaries inserted at a time by rebuildSummaries. */
const REBUILD_BATCH = 500;

/**
 * Every summary written anew from the dossiers and the handoffs (one read of each), the handoffs
 * without a stored dossier listed under NO_DOSSIER; returns how many summaries. A summary that
 * already says what its dossier and handoffs say is kept as it is (a restored backup's, mostly:
 * the restore then gives back the database it saved, its summaries' times included).
 */
export async function rebuildSummaries(connection: Connection): Promise<number> {
  const readAt = new Date();
  const [dossiers, handoffs] = await Promise.all([
    connection.db!.collection<Dossier>('dossiers').find({}).toArray(),
    connection.db!.collection<HandoffFacts>('handoffs').find({}, { projection: HANDOFF_FIELDS }).toArray(),
  ]);
  const byDossier = new Map<string, HandoffFacts[]>();
  for (const h of handoffs.sort(newestFirst)) byDossier.set(h.dossierId ?? NO_DOSSIER, [...(byDossier.get(h.dossierId ?? NO_DOSSIER) ?? []), h]);
  const stored = new Set(dossiers.map((d) => d._id));
  const loose = handoffs.filter((h) => !h.dossierId || !stored.has(h.dossierId));
  if (loose.length) await addToList(connection, DOSSIER_HANDOFFS, NO_DOSSIER, ...loose.map((h) => h._id));
  const existing = new Map((await summaries(connection).find({}).toArray()).map((doc) => [doc._id, doc]));
  const sameAs = (doc: SummaryDoc, old?: SummaryDoc) => old !== undefined && isDeepStrictEqual({ ...old, handoffsAt: readAt }, doc);
  const docs = dossiers.map((d) => ({ _id: d._id, ...dossierPart(d), ...handoffState(d._id, byDossier.get(d._id) ?? [], readAt) }));
  const kept = docs.filter((doc) => sameAs(doc, existing.get(doc._id))).map((doc) => doc._id);
  const written = docs.filter((doc) => !sameAs(doc, existing.get(doc._id)));
  await summaries(connection).deleteMany({ _id: { $nin: kept } });
  for (let i = 0; i < written.length; i += REBUILD_BATCH) await summaries(connection).insertMany(written.slice(i, i + REBUILD_BATCH));
  return docs.length;
}

/**
 * Run at start: the summaries of the dossiers stored before they existed, or before they held
 * their handoffs' rows, once (a mark in `schema_versions`).
 */
export function upgradeSummaries(connection: Connection): Promise<number | undefined> {
  return upgradeOnce(connection.db!, 'dossier-summaries-with-handoffs', () => rebuildSummaries(connection));
}
