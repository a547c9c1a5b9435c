/**
 * The back-office's logic, behind thin routes (routes.ts): dossiers seen through a chargé·e's
 * départements, the dossier view (answers, eligibility reasons, diagnostic, handoffs, transcript),
 * handoff claim/close, the parcours, the CSV export and the statistics. Texts come from
 * locales/<lng>/*.json in the operator's language (French by default).
 */
import { cardText, normalize, submittedText } from '../domain/text';
import { isEmptySearch, matchesSearch, MAX_SEARCH_LENGTH, SearchTerms, searchTerms } from '../domain/search';
import { Connection, mongo } from 'mongoose';
import type { Config } from '../config';
import { callBack, reachable, type CallBack } from '../domain/callBack';
import { calendarDay, localDay } from '../domain/checkinPlan';
import { onlyOtherDla, outcomeVars } from '../domain/accueilForm';
import { decisionHistory, decisionsToAppend, outOfScopeBy } from '../domain/chargeDecisions';
import { explainedFailure } from '../domain/deliveryFailure';
import { diagnosticFacts } from '../domain/diagnosticFacts';
import { accueilFacts, staffOf } from '../domain/accueilFacts';
import { isTheme, THEMES } from '../domain/themes';
import { normalizeDepartementCode, territoryCodeOf, territoryName } from '../domain/territory';
import { givenUp, HandoffStateError, type HandoffOutbox } from '../handoff/outbox';
import { HANDOFF_STATUSES, type Delivery, type Handoff, type HandoffStatus } from '../handoff/types';
import { Language, LANGUAGES, Translate, translator } from '../i18n';
import { formatDay, holderOf, nameOf, structureOrContact } from '../handoff/render';
import { log } from '../log';
import { DossierRepository, type ChargeDecision, type Dossier, type ParcoursRecord, type Phase } from '../store/dossiers';
import { yearThemesOf, YearThemes } from '../store/statistics';
import { AdminUser, canSeeDepartement, seesAllDepartements } from './auth';
import { AdminError } from './errors';
import { FollowupAdmin, frenchNumber, type JobTotals } from './followup';
import { CheckinRepository, type PlanResult } from '../followup/checkins';
import { KeyedMutex } from '../store/keyedMutex';
import { listed, SIRET_DOSSIERS } from '../store/lookups';
import { DossierRow, DossierSummary, findSummaries, HandoffRow, looseHandoffs, refreshSummaries, rowOf, shownHandoffs } from '../store/summaries';
import { exportFiles } from '../privacy/exportHtml';
import { erasuresFile } from '../privacy/erasures';
import type { PrivacyService } from '../store/privacy';

export const PHASES: readonly Phase[] = ['accueil', 'diagnostic', 'parcours', 'mise_en_oeuvre', 'suivi'];
export const DOSSIER_STATUSES = ['in_progress', 'submitted'] as const;
export const OUTCOMES = ['eligible', 'to_confirm', 'out_of_scope'] as const;
/** What a chargé·e decides after the call: nothing stays « to be confirmed ». */
export const DECISION_OUTCOMES = ['eligible', 'out_of_scope'] as const;
export const DECISION_NOTE_MAX_CHARS = 2000;
/** Most rows a page of the dossier list returns (DOSSIER_PAGE_SIZE unless asked); the CSV export goes up to EXPORT_LIMIT. */
export const LIST_LIMIT = 500;
export const DOSSIER_PAGE_SIZE = 100;
export const EXPORT_LIMIT = 20000;
export const PARCOURS_MAX_CHARS = 10000;
/**
 * The département filter's value for the records without a département (the structure gave no
 * postal code that could be read): every chargé·e sees them (canSeeDepartement), so every
 * chargé·e can filter on them.
 */
export const NO_DEPARTEMENT = 'none';
const TRANSCRIPT_MAX_PAGES = 200;
/** Handoffs read at most for a dossier. */
const HANDOFF_LIMIT = 100000;
/** Answers a Memo of the service keeps (callBackOf, the CSV's days): more than the handoffs of several years. */
const KEPT = 50_000;

/**
 * A pure function's answers by key, for the lists and the CSV, which work out the same ones for every
 * row at every call (most of their time in Node: a day in the operator's time zone, a call-back day);
 * past `max` keys, all are forgotten at once.
 */
class Memo<K, V> {
  private readonly known = new Map<K, V>();
  constructor(private readonly max: number) {}

  get(key: K, make: () => V): V {
    if (this.known.has(key)) return this.known.get(key)!;
    if (this.known.size >= this.max) this.known.clear();
    const value = make();
    this.known.set(key, value);
    return value;
  }
}
/** Handoffs someone still has to call about. */
const WAITING_STATUSES: readonly HandoffStatus[] = ['open', 'claimed'];
const TRANSCRIPT_MAX_ACTIVITIES = 2000;

/** botbuilder's TranscriptStore, the part the back-office reads. */
export interface TranscriptActivityLike {
  type?: string;
  text?: string;
  timestamp?: Date | string;
  from?: { id?: string; name?: string; role?: string };
  attachments?: unknown[];
  /** What a card submitted (Action.Submit). */
  value?: unknown;
}
export interface TranscriptReader {
  getTranscriptActivities(channelId: string, conversationId: string, continuationToken?: string): Promise<{ items: TranscriptActivityLike[]; continuationToken?: string }>;
}

export interface AdminDeps {
  connection: Connection;
  config: Config;
  transcripts?: TranscriptReader;
  /** The handoff outbox (src/handoff/outbox.ts), or what stands for it in a test. */
  handoffs: HandoffPort;
  now?: () => Date;
  /**
   * Called once a parcours or a decision is recorded: the follow-up plans the dossier's check-ins
   * again from it (and says what changed).
   */
  onParcoursRecorded?: (dossierId: string) => Promise<Pick<PlanResult, 'withdrawn'> | undefined | void>;
  /** The scheduler's check-in repository (default: one on deps.connection). */
  checkins?: CheckinRepository;
  /**
   * « mes données » for a request received by e-mail, letter or phone: a dossier's export and
   * erasure, and the erasure register (src/store/privacy.ts). Without it, none of these.
   */
  privacy?: Pick<PrivacyService, 'exportDossier' | 'eraseDossier' | 'register'>;
}

export { AdminError };

/** What the back-office needs of the handoff outbox; its HandoffStateError becomes a 404 or a 409. */
export type HandoffPort = Pick<HandoffOutbox, 'list' | 'get' | 'claim' | 'close' | 'reopen' | 'retry'>;

export interface DossierFilters {
  /** A département's code, or NO_DEPARTEMENT. */
  departement?: string;
  phase?: Phase;
  theme?: string;
  status?: (typeof DOSSIER_STATUSES)[number];
  outcome?: (typeof OUTCOMES)[number];
  /** « Rechercher »: a name, an e-mail, a phone number, a SIRET, an RNA or a postal code (src/domain/search.ts). */
  search?: SearchTerms;
}

/**
 * Where the next page of the dossier list starts (newest change first): after the row last shown,
 * by its sort key (updatedAt, id), for a list first read at `asOf`. An opaque `cursor` token for the page.
 */
export interface DossierCursor { updatedAt: Date; id: string; asOf: Date }
/** A page of the dossier list: `limit` rows, after `after` (the first page without). */
export interface DossierPage { limit: number; after?: DossierCursor }

function encodeCursor(c: DossierCursor): string {
  return Buffer.from(JSON.stringify([c.updatedAt.getTime(), c.id, c.asOf.getTime()])).toString('base64url');
}

function decodeCursor(token: string): DossierCursor | undefined {
  try {
    const [updatedAt, id, asOf] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    if (!Number.isFinite(updatedAt) || typeof id !== 'string' || !Number.isFinite(asOf)) return undefined;
    return { updatedAt: new Date(updatedAt as number), id, asOf: new Date(asOf as number) };
  } catch {
    return undefined;
  }
}

/**
 * Where the next page of the handoff list starts: after the row last shown, by its place in the
 * call-back order (handoffOrder), for a list first read at `asOf`. An opaque `cursor` token for the page.
 */
export interface HandoffCursor { key: HandoffOrderKey; asOf: Date }
/** A handoff's place in the call-back order (see AdminService.byCallBack), compared by compareOrder. */
type HandoffOrderKey = [number, number, number, string, number, string];

function encodeHandoffCursor(c: HandoffCursor): string {
  return Buffer.from(JSON.stringify([...c.key, c.asOf.getTime()])).toString('base64url');
}

function decodeHandoffCursor(token: string): HandoffCursor | undefined {
  try {
    const parts = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    const types = ['number', 'number', 'number', 'string', 'number', 'string', 'number'];
    if (!Array.isArray(parts) || parts.length !== types.length || parts.some((p, i) => typeof p !== types[i] || (typeof p === 'number' && !Number.isFinite(p)))) return undefined;
    return { key: parts.slice(0, 6) as HandoffOrderKey, asOf: new Date(parts[6] as number) };
  } catch {
    return undefined;
  }
}

function compareOrder(a: HandoffOrderKey, b: HandoffOrderKey): number {
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i], b[i]];
    const diff = typeof x === 'number' ? x - (y as number) : x.localeCompare(y as string);
    if (diff) return diff;
  }
  return 0;
}

/** The list's order: newest change first, ties by id. */
function sortsAfter(row: Pick<DossierRow, 'id' | 'updatedAt'>, c: DossierCursor): boolean {
  const at = new Date(row.updatedAt).getTime();
  return at < c.updatedAt.getTime() || (at === c.updatedAt.getTime() && row.id > c.id);
}

/** The fields a dossier's row (rowOf) reads: the other dossiers of a SIRET are read with only these. */
const ROW_FIELDS = [
  'answers.name', 'answers.identifiers.siret', 'answers.identifiers.rna', 'answers.location.postalCode', 'answers.employees',
  'answers.esus', 'answers.contact', 'answers.request', 'siret', 'departement', 'phase', 'status',
  'chargeDecision.outcome', 'chargeDecision.by', 'chargeDecision.note', 'decision.outcome', 'decision.decidedAt',
  'diagnostic.year', 'diagnostic.primaryTheme', 'diagnostic.confirmedAt', 'diagnostic.answers.staff', 'readyForChargeAt',
  'parcours.recordedAt', 'parcours.miseEnOeuvreStartedAt', 'parcours.miseEnOeuvreEndedAt', 'createdAt', 'updatedAt',
];
const projection = (fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, 1 as const]));

export type { DossierRow };

export interface Fact { key: string; label: string; value: string }

interface TranscriptView { channelId: string; conversationId: string; available: boolean; truncated: boolean; activities: TranscriptLine[] }

export interface TranscriptLine {
  /** from.role of the activity: 'user', 'bot', or 'unknown'. Text is data, never HTML. */
  role: string;
  name: string | null;
  text: string;
  timestamp: string | null;
  /** What the cards shown said (their texts and buttons), one string per card. */
  cards: string[];
  /** What a card submitted, as text ('' when none). */
  answer: string;
}

export interface Funnel {
  firstContact: number;
  eligible: number;
  diagnosticConfirmed: number;
  handedOff: number;
  followupAnswered: number;
}

type Query = Record<string, unknown>;

/**
 * One decision at a time per dossier in this process: the history is appended to after reading
 * whether the dossier has one yet (FerretDB v1 has no atomic conditional update, see KeyedMutex).
 */
const decisionLock = new KeyedMutex();

/** A dossier's département as stored when it has none, as canSeeDepartement reads it: `null` in `$in` matches a missing field too. */
const WITHOUT_DEPARTEMENT: readonly (string | null)[] = [null, ''];

/**
 * What a handoff's view needs of its dossier (see AdminService.handoffView); `structureName`: the
 * name given since (the handoff keeps the one it was made with, none for an early request).
 */
interface HandoffDossierFacts { departement?: string; decidedAt?: Date; contact?: NonNullable<Dossier['answers']>['contact']; structureName?: string }
/** What a handoff's view reads of its dossier (HandoffDossierFacts), and when the dossier last changed. */
interface DossierFacts extends HandoffDossierFacts { updatedAt: Date }

function factsOfSummary(s: DossierSummary): DossierFacts {
  return { departement: s.row.departement ?? undefined, decidedAt: s.decisionAt, contact: s.contact, structureName: s.row.name ?? undefined, updatedAt: s.row.updatedAt };
}

function oneValue(query: Query, name: string, t: Translate): string | undefined {
  const raw = query[name];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw new AdminError(400, 'BadRequest', t('admin.errors.repeatedFilter', { name }));
  const value = raw.trim();
  return value === '' ? undefined : value;
}

const iso = (d: unknown): string | null => {
  if (d === undefined || d === null || d === '') return null;
  const date = d instanceof Date ? d : new Date(String(d));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
};

export class AdminService {
  readonly handoffs: HandoffPort;
  /** callBackOf's answers, by what callBack reads, and the operator's day it last read. */
  private readonly callBacks = new Memo<string, CallBack>(KEPT);
  private today?: { minute: number; day: string };
  /** The CSV's days (localDay) of the instants it wrote, and its labels (translations without options). */
  private readonly days = new Memo<number, string>(KEPT);
  private readonly labels = new Memo<string, string>(KEPT);
  readonly lang: Language;
  readonly t: Translate;
  readonly followup: FollowupAdmin;
  private readonly now: () => Date;

  constructor(private readonly deps: AdminDeps) {
    this.now = deps.now ?? (() => new Date());
    this.handoffs = deps.handoffs;
    this.lang = deps.config.defaultLocale;
    this.t = translator(this.lang);
    const checkins = deps.checkins ?? new CheckinRepository(deps.connection, this.now);
    this.followup = new FollowupAdmin(checkins, deps.config, this.t, this.now, (user, id) => this.visibleDossier(user, id));
  }

  private get dossiers(): mongo.Collection<Dossier> {
    return this.deps.connection.db!.collection<Dossier>('dossiers');
  }

  // ——— filters and visibility ———

  /** Reads and checks the query string filters; an unknown value is a 400 with its name. */
  parseFilters(query: Query): DossierFilters {
    const bad = (name: string, value: string) => new AdminError(400, 'BadRequest', this.t('admin.errors.badFilter', { name, value }));
    const filters: DossierFilters = {};
    const departement = oneValue(query, 'departement', this.t);
    if (departement !== undefined) filters.departement = this.departementFilter(departement);
    const phase = oneValue(query, 'phase', this.t);
    if (phase !== undefined) {
      if (!(PHASES as readonly string[]).includes(phase)) throw bad('phase', phase);
      filters.phase = phase as Phase;
    }
    const theme = oneValue(query, 'theme', this.t);
    if (theme !== undefined) {
      if (!isTheme(theme)) throw bad('theme', theme);
      filters.theme = theme;
    }
    const status = oneValue(query, 'status', this.t);
    if (status !== undefined) {
      if (!(DOSSIER_STATUSES as readonly string[]).includes(status)) throw bad('status', status);
      filters.status = status as DossierFilters['status'];
    }
    const outcome = oneValue(query, 'outcome', this.t);
    if (outcome !== undefined) {
      if (!(OUTCOMES as readonly string[]).includes(outcome)) throw bad('outcome', outcome);
      filters.outcome = outcome as DossierFilters['outcome'];
    }
    const search = this.parseSearch(query);
    if (search) filters.search = search;
    return filters;
  }

  /** « Rechercher » (`q`): its terms, none when it holds nothing to look for; over MAX_SEARCH_LENGTH, a 400. */
  private parseSearch(query: Query): SearchTerms | undefined {
    const q = oneValue(query, 'q', this.t);
    if (q === undefined) return undefined;
    if (q.length > MAX_SEARCH_LENGTH) throw new AdminError(400, 'BadRequest', this.t('admin.errors.searchTooLong', { max: MAX_SEARCH_LENGTH }));
    const terms = searchTerms(q);
    return isEmptySearch(terms) ? undefined : terms;
  }

  /** The page asked for (limit, cursor); a value that is no whole number in range, or a cursor not ours, is a 400. */
  parsePage(query: Query): DossierPage {
    return this.page(query, decodeCursor, 'admin.errors.badCursor');
  }

  /** The handoff list's page asked for (limit, cursor), checked as parsePage checks the dossier list's. */
  private parseHandoffPage(query: Query): { limit: number; after?: HandoffCursor } {
    return this.page(query, decodeHandoffCursor, 'admin.errors.badHandoffCursor');
  }

  private page<C>(query: Query, decode: (token: string) => C | undefined, badCursorKey: string): { limit: number; after?: C } {
    const value = oneValue(query, 'limit', this.t);
    const limit = value === undefined ? DOSSIER_PAGE_SIZE : Number(value);
    if (value !== undefined && (!/^\d+$/.test(value) || limit < 1 || limit > LIST_LIMIT)) {
      throw new AdminError(400, 'BadRequest', this.t('admin.errors.badPage', { name: 'limit', value, min: 1, max: LIST_LIMIT }));
    }
    // Pages by offset skipped or repeated a row changed between two reads: refused, not ignored.
    if (oneValue(query, 'offset', this.t) !== undefined) throw new AdminError(400, 'BadRequest', this.t('admin.errors.offsetGone'));
    const token = oneValue(query, 'cursor', this.t);
    const after = token === undefined ? undefined : decode(token);
    if (token !== undefined && !after) throw new AdminError(400, 'BadRequest', this.t(badCursorKey));
    return { limit, after };
  }

  /**
   * A département filter typed as a code (« 33 », « 2a ») or a name (« Gironde »): its code;
   * NO_DEPARTEMENT (« none », or the page's « Département non renseigné » in either language)
   * for the records without one.
   */
  private departementFilter(value: string): string {
    if (this.meansNoDepartement(value)) return NO_DEPARTEMENT;
    const code = territoryCodeOf(value);
    if (!code) throw new AdminError(400, 'BadRequest', this.t('admin.errors.unknownDepartement', { value }));
    return code;
  }

  private meansNoDepartement(value: string): boolean {
    const typed = normalize(value);
    return typed === NO_DEPARTEMENT || LANGUAGES.some((lng) => normalize(translator(lng)('admin.filters.departementNone')) === typed);
  }

  /**
   * The départements given to a chargé·e must be the operator's (OPERATOR_DEPARTEMENTS, when set):
   * a dossier of another département never reaches this back-office.
   */
  checkOperatorDepartements(departements: string[]): void {
    const served = this.deps.config.operator.departements.map(normalizeDepartementCode);
    if (!served.length) return;
    // An unknown code is refused as such by AdminAuth.upsertUser (badDepartements).
    const outside = departements.map(territoryCodeOf).filter((d): d is string => d !== undefined && !served.includes(d));
    if (outside.length) {
      throw new AdminError(400, 'BadRequest', this.t('admin.errors.departementOutsideOperator', { count: outside.length, codes: outside.join(', '), list: served.join(', ') }));
    }
  }

  private forbiddenDepartement(departement: string): AdminError {
    return new AdminError(403, 'Forbidden', this.t('admin.errors.forbiddenDepartement', { departement }));
  }

  /** The filters as a query on the dossiers' summaries (src/store/summaries.ts). */
  private dossierQuery(user: AdminUser, filters: DossierFilters): Query {
    const query: Query = {};
    // Dossiers without a département are in every user's scope (see scope()).
    if (filters.departement === NO_DEPARTEMENT) query.departement = { $in: WITHOUT_DEPARTEMENT };
    else if (filters.departement) {
      if (!canSeeDepartement(user, filters.departement)) throw this.forbiddenDepartement(filters.departement);
      query.departement = filters.departement;
    } else {
      Object.assign(query, this.scope(user));
    }
    if (filters.phase) query.phase = filters.phase;
    if (filters.status) query.status = filters.status;
    // The chargé·e's decision, or the rules' when no chargé·e decided (outcomeOf).
    if (filters.outcome) query.outcome = filters.outcome;
    // The « Thème principal » column: the primary theme of a confirmed diagnostic, as the statistics count it.
    if (filters.theme) Object.assign(query, { year: { $exists: true }, primaryTheme: filters.theme });
    return query;
  }

  /**
   * The dossiers of the user's départements, and those without one (canSeeDepartement): every one
   * for administrators and users without départements.
   */
  private scope(user: AdminUser): Query {
    return seesAllDepartements(user) ? {} : { departement: { $in: [...user.departements.map(normalizeDepartementCode), ...WITHOUT_DEPARTEMENT] } };
  }

  /** The dossier, if it exists (404) and the user may see it (403). */
  private async visibleDossier(user: AdminUser, id: string): Promise<Dossier> {
    const dossier = await this.dossiers.findOne({ _id: id });
    if (!dossier) throw new AdminError(404, 'NotFound', this.t('admin.errors.notFound'));
    if (!canSeeDepartement(user, dossier.departement)) {
      throw new AdminError(403, 'Forbidden', this.t('admin.errors.forbidden'));
    }
    return dossier;
  }

  // ——— dossiers ———

  /**
   * A page of the dossiers list, newest change first (ties by id), with how many dossiers the filters
   * match; each row with the state of the handoff that matters for it, as the CSV's « Transmission »
   * column says it. The next page starts after the last row's sort key (`cursor`), so a dossier added,
   * changed or erased meanwhile shifts no other; the dossiers changed (or new) since the previous
   * read, which now sort before the cursor, come in `changed` (the page shows those it has not).
   */
  async listDossiers(user: AdminUser, filters: DossierFilters, page: DossierPage = { limit: DOSSIER_PAGE_SIZE }): Promise<{
    dossiers: DossierRow[]; changed: DossierRow[]; total: number; limit: number; truncated: boolean; cursor: string | null;
  }> {
    const asOf = this.now();
    const all = await this.dossierRows(user, filters);
    const { after } = page;
    const rest = after ? all.filter((r) => sortsAfter(r, after)) : all;
    const onPage = rest.slice(0, page.limit);
    const changed = after ? all.filter((r) => new Date(r.updatedAt).getTime() >= after.asOf.getTime()).slice(0, LIST_LIMIT) : [];
    // truncated: more dossiers follow this page.
    const truncated = rest.length > onPage.length;
    const last = onPage[onPage.length - 1];
    const cursor = truncated && last ? encodeCursor({ updatedAt: last.updatedAt, id: last.id, asOf }) : null;
    return { dossiers: onPage, changed, total: all.length, limit: page.limit, truncated, cursor };
  }

  /**
   * Every dossier the filters match (up to `limit`), newest change first, read from their summaries
   * (src/store/summaries.ts): one read for the rows and their count.
   */
  private async dossierRows(user: AdminUser, filters: DossierFilters, limit?: number): Promise<DossierRow[]> {
    return (await this.dossierSummaries(user, filters, limit)).map((s) => s.row);
  }

  /** The summaries of the dossiers the filters match (up to `limit`), in dossierRows' order, with their handoffs' rows when `withHandoffs`. */
  private async dossierSummaries(user: AdminUser, filters: DossierFilters, limit?: number, withHandoffs = false): Promise<DossierSummary[]> {
    const { search } = filters;
    const found = (await findSummaries(this.deps.connection, this.dossierQuery(user, filters), { withHandoffs }))
      // A search keeps the rows it matches (what it looks in is spread over several fields).
      .filter(({ row: r }) => !search || matchesSearch([r.name, r.contact.name, r.contact.email, r.contact.phone, r.contact.otherPhone, r.siret, r.rna, r.postalCode], search));
    return limit ? found.slice(0, limit) : found;
  }

  async getDossier(user: AdminUser, id: string) {
    const d = await this.visibleDossier(user, id);
    const t = this.t;
    const [handoffs, followup, { sameStructure, sameStructureElsewhere }] = await Promise.all([
      this.handoffs.list({ dossierId: d._id, limit: HANDOFF_LIMIT }), this.followup.view(d), this.sameStructure(user, d),
    ]);
    return {
      id: d._id,
      name: d.answers?.name ?? null,
      departement: d.departement ?? null,
      departementName: d.departement ? territoryName(d.departement) ?? null : null,
      phase: d.phase,
      status: d.status,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
      readyForChargeAt: d.readyForChargeAt ?? null,
      consent: d.consent ?? null,
      answers: d.answers ?? {},
      // The contact shown is the current one: corrected by the structure on that day.
      contactChangedAt: d.contactChangedAt ?? null,
      answerFacts: accueilFacts(d, this.t),
      eligibility: d.decision ? {
        outcome: d.decision.outcome,
        outcomeLabel: t(`admin.outcome.${d.decision.outcome}`),
        outcomeText: this.outcomeText(d),
        rulesVersion: d.decision.rulesVersion,
        decidedAt: d.decision.decidedAt,
        // Written for the chargé·e (« Sa forme juridique… »), not to the structure (« Votre forme juridique… »).
        reasons: (d.decision.reasons ?? []).map((r) => ({
          code: r.code, outcome: r.outcome, source: r.source, text: t(`admin.eligibility.reason.${r.code}`),
        })),
        staffNote: this.staffNote(d) ?? null,
      } : null,
      chargeDecision: d.chargeDecision ? this.chargeDecisionView(d.chargeDecision) : null,
      // Every decision with the note of its call, newest first (the first is the one in force).
      chargeDecisions: decisionHistory(d).reverse().map((c) => this.chargeDecisionView(c)),
      diagnostic: d.diagnostic ? {
        version: d.diagnostic.version ?? 0,
        confirmedAt: d.diagnostic.confirmedAt ?? null,
        startedAt: d.diagnostic.startedAt ?? null,
        year: d.diagnostic.year ?? null,
        primaryTheme: d.diagnostic.primaryTheme ?? null,
        answers: d.diagnostic.answers ?? {},
        facts: diagnosticFacts(d.diagnostic.answers, this.t).map(({ key, label, value }) => ({ key, label, value })),
        themes: (d.diagnostic.themes ?? []).map((theme) => ({ theme, label: t(`themes.label.${theme}`) })),
        ranking: (d.diagnostic.ranking ?? []).map((theme, i) => ({ rank: i + 1, theme, label: t(`themes.label.${theme}`) })),
      } : null,
      parcours: d.parcours ?? null,
      // « mes données » for a request received outside the chat: the export for whoever sees the
      // dossier; the erasure for administrators, confirmed by typing this.
      privacy: this.deps.privacy ? { erasure: user.role === 'admin' ? { confirm: this.eraseConfirmation(d) } : null } : null,
      // Out of the DLA's scope: what the chargé·e reads before recording a parcours (which asks to confirm).
      parcoursWarning: this.parcoursWarning(d) ?? null,
      followup,
      sameStructure,
      sameStructureElsewhere,
      handoffs: this.byCallBack(handoffs.map((h) => this.handoffView(h, { departement: h.departement ?? d.departement, decidedAt: d.chargeDecision?.at, contact: d.answers?.contact }))),
      transcripts: await this.transcriptsOf(handoffs, d.conversations ?? []),
    };
  }

  private chargeDecisionView(c: ChargeDecision) {
    // The note is data: the page shows it as text, never as HTML.
    return { outcome: c.outcome, outcomeLabel: this.t(`admin.outcome.${c.outcome}`), note: c.note ?? null, by: c.by, at: c.at };
  }

  /**
   * The chargé·e's decision after the call: eligible or out of scope, with a note of the call. It
   * is the one in force from now on (list, filter, CSV, funnel); the earlier ones stay in the
   * dossier's history with their notes, and the rules' decision stays as it was.
   */
  async recordDecision(user: AdminUser, id: string, body: unknown) {
    const bad = (key: string) => new AdminError(400, 'BadRequest', this.t(`admin.errors.${key}`, { max: String(DECISION_NOTE_MAX_CHARS) }));
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('badBody');
    const { outcome, note } = body as { outcome?: unknown; note?: unknown };
    if (typeof outcome !== 'string' || !(DECISION_OUTCOMES as readonly string[]).includes(outcome)) throw bad('badDecisionOutcome');
    if (note !== undefined && note !== null && typeof note !== 'string') throw bad('badDecisionNote');
    const text = typeof note === 'string' ? note.trim() : '';
    if (text.length > DECISION_NOTE_MAX_CHARS) throw bad('decisionNoteTooLong');
    const decision = await decisionLock.run(id, async () => {
      // Read within the lock: a dossier decided before the history was kept has its decision put in it first.
      const dossier = await this.visibleDossier(user, id);
      const now = this.now();
      const recorded: ChargeDecision = {
        outcome: outcome as ChargeDecision['outcome'], ...(text ? { note: text } : {}), by: user.name || user._id, byEmail: user._id, at: now,
      };
      await this.dossiers.updateOne({ _id: id }, {
        $set: { chargeDecision: recorded, updatedAt: now }, $push: { chargeDecisions: { $each: decisionsToAppend(dossier, recorded) } },
      });
      await refreshSummaries(this.deps.connection, [id]);
      return recorded;
    });
    // Out of scope after the call: no accompaniment to follow up (its automatic check-ins are withdrawn).
    const plan = await this.deps.onParcoursRecorded?.(id);
    return { id, chargeDecision: this.chargeDecisionView(decision), checkinsWithdrawn: plan ? plan.withdrawn.length : 0 };
  }

  /**
   * The outcome in a sentence for the chargé·e, saying what the structure was told: out of scope
   * only because its head office is elsewhere is « oriented to the DLA of its département ».
   */
  private outcomeText(d: Dossier): string {
    const decision = d.decision!;
    if (onlyOtherDla(decision)) return this.t('admin.eligibility.otherDla', outcomeVars(d.answers ?? {}));
    return this.t(`admin.eligibility.outcome.${decision.outcome}`);
  }

  /**
   * Other dossiers of the same SIRET: those the user may see, and how many are in each of the
   * départements the user may not open (a count and a place, nothing of their content). A structure
   * that came back after its request was passed on starts a new dossier (a SIRET is public: typing
   * it opens nothing), and was told its chargé·e would see both.
   */
  private async sameStructure(user: AdminUser, d: Dossier): Promise<{
    sameStructure: DossierRow[]; sameStructureElsewhere: { departement: string; departementName: string | null; count: number }[];
  }> {
    if (!d.siret) return { sameStructure: [], sameStructureElsewhere: [] };
    // By the SIRET's list (src/store/lookups.ts): the dossiers of the SIRET, not the whole collection.
    const others = await listed<Dossier>(this.deps.connection, SIRET_DOSSIERS, d.siret, 'dossiers', (o) => o.siret === d.siret && o._id !== d._id, projection(ROW_FIELDS));
    const hidden = new Map<string, number>();
    for (const o of others) if (!canSeeDepartement(user, o.departement)) hidden.set(o.departement!, (hidden.get(o.departement!) ?? 0) + 1);
    return {
      sameStructure: others.filter((o) => canSeeDepartement(user, o.departement))
        .sort((a, b) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime())
        .map((o) => rowOf(o)),
      sameStructureElsewhere: [...hidden].sort(([a], [b]) => a.localeCompare(b))
        .map(([departement, count]) => ({ departement, departementName: territoryName(departement) ?? null, count })),
    };
  }

  /**
   * Employing or not changed since the accueil (« 0 » then, 3 ETP at the diagnostic): the rules'
   * eligibility is not decided again behind the chargé·e's back — said, for the call.
   */
  private staffNote(d: Dossier): string | undefined {
    const staff = staffOf(d);
    if (!staff.employerChanged) return undefined;
    const accueil = staff.accueilEtp !== undefined ? this.t('admin.answers.etp', { etp: staff.accueilEtp }) : this.t('admin.answers.unknown');
    return this.t('admin.eligibility.staffChanged', { accueil, etp: staff.etp });
  }

  /** The conversations about the dossier and its handoffs, as plain text lines (never HTML). */
  private async transcriptsOf(handoffs: Handoff[], conversations: string[]) {
    const refs = new Map<string, { channelId: string; conversationId: string }>();
    for (const ref of conversations) {
      const { channelId, conversationId } = DossierRepository.conversationParts(ref);
      refs.set(`${channelId}\n${conversationId}`, { channelId, conversationId });
    }
    for (const h of handoffs) {
      if (h.transcript?.channelId && h.transcript?.conversationId) refs.set(`${h.transcript.channelId}\n${h.transcript.conversationId}`, h.transcript);
    }
    const reader = this.deps.transcripts;
    // Each conversation is read on its own (lookups by _id): side by side, not one after another.
    return Promise.all([...refs.values()].map(async (ref): Promise<TranscriptView> => {
      if (!reader) return { ...ref, available: false, truncated: false, activities: [] };
      try {
        const activities: TranscriptLine[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
          const page = await reader.getTranscriptActivities(ref.channelId, ref.conversationId, token);
          for (const a of page.items ?? []) {
            if (a.type !== undefined && a.type !== 'message') continue;
            activities.push({
              role: a.from?.role === 'user' || a.from?.role === 'bot' ? a.from.role : 'unknown',
              name: typeof a.from?.name === 'string' ? a.from.name : null,
              text: typeof a.text === 'string' ? a.text : '',
              timestamp: iso(a.timestamp),
              // One line per text of the card (its Markdown is shown as such by the page).
              cards: (Array.isArray(a.attachments) ? a.attachments : []).map((x) => cardText(x, '\n')).filter((x) => x !== ''),
              answer: this.cardAnswer(a.value),
            });
          }
          token = page.continuationToken || undefined;
          pages++;
        } while (token && pages < TRANSCRIPT_MAX_PAGES && activities.length < TRANSCRIPT_MAX_ACTIVITIES);
        return { ...ref, available: true, truncated: Boolean(token), activities: activities.slice(0, TRANSCRIPT_MAX_ACTIVITIES) };
      } catch (err) {
        log.warn('Back-office: transcript unreadable', { channelId: ref.channelId, error: err as Error });
        return { ...ref, available: false, truncated: false, activities: [] };
      }
    }));
  }

  // ——— parcours ———

  /** Validates and stores the parcours: phase 'parcours', or 'suivi' once the mise en œuvre ended. */
  async recordParcours(user: AdminUser, id: string, body: unknown) {
    const t = this.t;
    const bad = (key: string, vars?: Record<string, string>) => new AdminError(400, 'BadRequest', t(`admin.errors.${key}`, vars));
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('badBody');
    const { parcours, miseEnOeuvreStartedAt, miseEnOeuvreEndedAt, confirmOutOfScope, basedOn } = body as {
      parcours?: unknown; miseEnOeuvreStartedAt?: unknown; miseEnOeuvreEndedAt?: unknown; confirmOutOfScope?: unknown; basedOn?: unknown;
    };
    // The parcours the page showed (its recordedAt, null when there was none): a page opened before
    // someone else recorded one would silently erase it.
    if (basedOn !== undefined && basedOn !== null && (typeof basedOn !== 'string' || Number.isNaN(Date.parse(basedOn)))) throw bad('badBody');
    if (typeof parcours !== 'string' || parcours.trim().length === 0) throw bad('parcoursRequired');
    const text = parcours.trim();
    if (text.length > PARCOURS_MAX_CHARS) throw bad('parcoursTooLong', { max: String(PARCOURS_MAX_CHARS) });
    // A day ("2026-03-01", what the page's date fields send), compared in the operator's time zone.
    const dayOf = (value: unknown, badKey: string): string | undefined => {
      const given = typeof value === 'string' ? value.trim() : value;
      if (given === undefined || given === null || given === '') return undefined;
      if (typeof given !== 'string' || !calendarDay(given)) throw bad(badKey);
      return given;
    };
    const startGiven = dayOf(miseEnOeuvreStartedAt, 'badStartDate');
    const ended = dayOf(miseEnOeuvreEndedAt, 'badEndDate');
    const dossier = await this.visibleDossier(user, id);
    const shown = dossier.parcours?.recordedAt;
    if (basedOn !== undefined && shown && (basedOn === null || new Date(shown).getTime() !== Date.parse(basedOn as string))) {
      throw new AdminError(409, 'ParcoursChanged', t('admin.errors.parcoursChanged', {
        by: dossier.parcours!.recordedByName ?? dossier.parcours!.recordedBy, date: formatDay(t, shown, this.deps.config.operator.timeZone),
      }));
    }
    const now = this.now();
    const timeZone = this.deps.config.operator.timeZone;
    const today = localDay(now, timeZone);
    // A start recorded earlier is kept when the request gives none (the end is often recorded later).
    const storedStart = dossier.parcours?.miseEnOeuvreStartedAt;
    const started = startGiven ?? (storedStart ? new Date(storedStart).toISOString().slice(0, 10) : undefined);
    // The mise en œuvre ends after it started: no jump to « Suivi » (and its check-ins) without a start.
    if (ended && !started) throw bad('startRequired');
    // Recorded once past: a phase says what has happened.
    for (const day of [started, ended]) {
      if (day && day > today) throw bad('futureDate');
      if (day && dossier.createdAt && day < localDay(new Date(dossier.createdAt), timeZone)) throw bad('beforeCreation');
    }
    if (started && ended && ended < started) throw bad('endBeforeStart');
    // Out of the DLA's scope (a chargé·e's decision, or the rules' with none): maybe the wrong
    // dossier, maybe a decision to correct first. The rules only pre-qualify and a decision can be
    // outdated, so it is not refused: recorded once the chargé·e confirms it (409 until then).
    const warning = this.parcoursWarning(dossier);
    if (warning && confirmOutOfScope !== true) throw new AdminError(409, 'OutOfScope', t('admin.errors.parcoursOutOfScope', { warning }));
    const asDate = (day: string) => new Date(`${day}T00:00:00Z`);
    const record: ParcoursRecord = {
      text, recordedBy: user._id, recordedByName: user.name, recordedAt: now,
      ...(started ? { miseEnOeuvreStartedAt: asDate(started) } : {}), ...(ended ? { miseEnOeuvreEndedAt: asDate(ended) } : {}),
    };
    // Construction du parcours, then mise en œuvre once it has started, then suivi once it ended.
    const phase: Phase = ended ? 'suivi' : started ? 'mise_en_oeuvre' : 'parcours';
    await this.dossiers.updateOne({ _id: id }, { $set: { parcours: record, phase, updatedAt: now } });
    await refreshSummaries(this.deps.connection, [id]);
    const plan = await this.deps.onParcoursRecorded?.(id);
    // The end of the mise en œuvre cleared: its check-in not sent yet is cancelled, and the page says so.
    return { id, phase, parcours: record, checkinsWithdrawn: plan ? plan.withdrawn.length : 0 };
  }

  /**
   * Why recording a parcours on this dossier needs a confirmation: it is out of the DLA's scope,
   * by a chargé·e's decision after the call (whose check-ins are then not planned) or by the rules
   * with no decision since. Undefined when it is not out of scope.
   */
  private parcoursWarning(d: Dossier): string | undefined {
    const by = outOfScopeBy(d);
    if (by === 'rules') return this.t('admin.parcours.outOfScopeRules');
    if (by !== 'charge') return undefined;
    const day = formatDay(this.t, d.chargeDecision!.at, this.deps.config.operator.timeZone);
    return this.t('admin.parcours.outOfScopeCharge', { by: d.chargeDecision!.by, date: day });
  }

  /** What was answered in a card, in words: an area's situation with its urgency labelled. */
  private cardAnswer(value: unknown): string {
    const { situation, urgency } = (value ?? {}) as { situation?: unknown; urgency?: unknown };
    return typeof situation === 'string' && /^[1-4]$/.test(String(urgency ?? ''))
      ? this.t('admin.dossier.areaAnswer', { situation: situation.trim(), urgency: String(urgency) })
      : submittedText(value);
  }

  // ——— handoffs ———

  /**
   * `departement`: the handoff's, or its dossier's when the handoff was made before it was known;
   * `decidedAt`: when a chargé·e recorded a decision on the dossier — after the handoff, the call
   * took place: nobody is late for it any more.
   */
  handoffView(h: HandoffRow, { departement, decidedAt, contact: dossierContact, structureName }: HandoffDossierFacts = { departement: h.departement }) {
    const { by: callBackBy, unreachable, elsewhere, called, due } = this.callBackOf(h, { departement, decidedAt, contact: dossierContact });
    return {
      id: h._id,
      dossierId: h.dossierId ?? null,
      reason: h.reason,
      urgency: h.urgency,
      departement: departement ?? null,
      elsewhere,
      decidedAt: called ? decidedAt : null,
      // A « parler à un·e chargé·e » before the accueil has no name: its dossier's, once given.
      structureName: structureName ?? h.structureName ?? null,
      // The handoff's contact, or its dossier's when a way to reach it was given there since.
      contact: (reachable(h.contact) || !reachable(dossierContact) ? h.contact : dossierContact) ?? null,
      // The structure corrected the contact the handoff went out with: the one above, since that day.
      contactUpdatedAt: h.contactUpdatedAt ?? null,
      // No e-mail nor phone: nobody can call back, no day was promised (callBackBy null).
      unreachable,
      message: h.message ?? null,
      // What the structure added since it was passed on (« Trésorerie tendue »), oldest first.
      messages: (h.messages ?? []).map(({ text, at }) => ({ text, at })),
      status: h.status,
      claimedBy: h.claimedBy ?? null,
      // Names as the operator's language says them: the structure's own when it withdrew its request (WITHDRAWN_BY).
      claimedByName: nameOf(h.claimedBy, h.claimedByName, this.t) ?? null,
      claimedAt: h.claimedAt ?? null,
      closedBy: h.closedBy ?? null,
      closedByName: nameOf(h.closedBy, h.closedByName, this.t) ?? null,
      closedAt: h.closedAt ?? null,
      reopenedBy: h.reopenedBy ?? null,
      reopenedByName: h.reopenedByName ?? null,
      reopenedAt: h.reopenedAt ?? null,
      reopenedFrom: h.reopenedFrom ?? null,
      // The day the structure was told it would be called back by (« sous N jours ouvrés »),
      // and, while someone must still call, whether that day is past or today (operator's time zone).
      callBackBy,
      callBackDue: due,
      createdAt: h.createdAt,
      updatedAt: h.updatedAt,
      // How the handoff itself reached the chargé·es: 'failed' when its delivery by a notifier was
      // given up (« Non transmis »), else 'pending' while one waits, 'sent', or 'none' (no notifier configured).
      delivery: deliveryState((h.deliveries ?? []).filter((d) => !d.event)),
      // Its updates since (a contact, a message, its status on the Teams card): 'failed' when one was
      // given up and nothing replaced it (« Mise à jour non transmise »), 'pending' while one waits, else null.
      updates: updatesState((h.deliveries ?? []).filter((d) => d.event)),
      // 'created': the handoff itself; 'contactAdded' / 'contactUpdated': the update telling a contact given or corrected since;
      // 'messageAdded': the update carrying the messages the structure added since; 'statusChanged': its Teams cards updated to its status.
      // Why a delivery was given up (`reason`), or, while it is still tried (re-queued by « Réessayer
      // l'envoi » too), its last failure: a short line without secrets, in the operator's language (explainedFailure).
      deliveries: (h.deliveries ?? []).map((d) => ({
        notifier: d.notifier, event: d.event ?? 'created', status: d.status, attempts: d.attempts, sentAt: d.sentAt ?? null,
        nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
        reason: d.status === 'failed' ? explainedFailure(this.t, d.lastError) : null,
        lastFailure: d.status === 'pending' ? explainedFailure(this.t, d.lastError) : null,
      })),
    };
  }

  /**
   * callBack() of a handoff, worked out once per day for the same facts: the handoff list reads every
   * handoff's (to sort them, and count those late), and counting working days is most of its time.
   */
  private callBackOf(h: HandoffRow, dossier: Parameters<typeof callBack>[1]): CallBack {
    const { timeZone, departements, level } = this.deps.config.operator;
    const now = this.now();
    // A day changes on a minute's boundary in every time zone in use: read once a minute.
    const minute = Math.floor(now.getTime() / 60_000);
    if (this.today?.minute !== minute) this.today = { minute, day: localDay(now, timeZone) };
    const at = (d: Date | string | undefined) => (d === undefined ? '' : new Date(d).getTime());
    const key = [this.today.day, at(h.createdAt), at(h.contactAddedAt), h.status, reachable(h.contact), dossier.departement, at(dossier.decidedAt), reachable(dossier.contact)].join('|');
    return this.callBacks.get(key, () => callBack(h, dossier, { contactDelayWorkingDays: this.deps.config.contactDelayWorkingDays, territory: { departements, level }, timeZone }, now));
  }

  /** What the handoff views need of the dossier `id` (read by `_id`). */
  private async dossierFacts(id: string): Promise<Map<string, DossierFacts>> {
    const d = await this.dossiers.findOne({ _id: id }, { projection: { departement: 1, 'chargeDecision.at': 1, 'answers.contact': 1, 'answers.name': 1, updatedAt: 1 } });
    return new Map(d ? [[id, { departement: d.departement ?? undefined, decidedAt: d.chargeDecision?.at, contact: d.answers?.contact, structureName: d.answers?.name, updatedAt: d.updatedAt }]] : []);
  }

  /**
   * Each handoff's département (its dossier's when it has none) and its dossier's decision date;
   * `dossierUpdatedAt`: when its dossier last changed (what the handoff list shows of it may have).
   */
  private factsOf(handoffs: HandoffRow[], dossiers: Map<string, DossierFacts>): Map<string, HandoffDossierFacts & { dossierUpdatedAt?: Date }> {
    return new Map(handoffs.map((h) => {
      const d = h.dossierId ? dossiers.get(h.dossierId) : undefined;
      return [h._id, { departement: h.departement ?? d?.departement, decidedAt: d?.decidedAt, contact: d?.contact, structureName: d?.structureName, dossierUpdatedAt: d?.updatedAt }];
    }));
  }

  /**
   * A page of the handoff list, in call-back order (byCallBack), with how many handoffs the filters
   * match and how many of them are late or due today. As the dossier list does, the next page starts
   * after the last row's place in that order (`cursor`), and the handoffs changed (or new) since the
   * previous read — or whose dossier changed: a decision recorded moves a handoff — come in `changed`.
   * One read of the dossiers' summaries, which hold their handoffs' rows (src/store/summaries.ts),
   * and of the few handoffs without a dossier.
   */
  async listHandoffs(user: AdminUser, query: Query) {
    const { limit, after } = this.parseHandoffPage(query);
    const asOf = this.now();
    // « waiting »: open or claimed, someone has to call (the page's default).
    const status = oneValue(query, 'status', this.t);
    let statuses: readonly string[] = HANDOFF_STATUSES;
    if (status === 'waiting') statuses = WAITING_STATUSES;
    else if (status !== undefined) {
      if (!(HANDOFF_STATUSES as readonly string[]).includes(status)) throw new AdminError(400, 'BadRequest', this.t('admin.errors.badFilter', { name: 'status', value: status }));
      statuses = [status];
    }
    const search = this.parseSearch(query);
    const departement = oneValue(query, 'departement', this.t);
    let wanted: string | undefined;
    if (departement !== undefined) {
      wanted = this.departementFilter(departement);
      if (wanted !== NO_DEPARTEMENT && !canSeeDepartement(user, wanted)) throw this.forbiddenDepartement(wanted);
    }
    // The département filter is applied here, after a dossier lookup for handoffs without one.
    const summaries = await findSummaries(this.deps.connection, {}, { withHandoffs: true });
    const dossiers = new Map(summaries.map((s) => [s.row.id, factsOfSummary(s)]));
    const loose = await looseHandoffs(this.deps.connection, (dossierId) => dossiers.has(dossierId));
    const read = [...summaries.flatMap((s) => s.handoffs()), ...loose].filter((h) => statuses.includes(h.status));
    const facts = this.factsOf(read, dossiers);
    const visible = read.filter((h) => {
      const dep = facts.get(h._id)!.departement;
      if (!canSeeDepartement(user, dep)) return false;
      if (wanted === NO_DEPARTEMENT) return !dep;
      return !wanted || (dep !== undefined && normalizeDepartementCode(dep) === wanted);
    });
    const changedSince = (v: ReturnType<AdminService['handoffView']>, at: Date) => {
      const dossierAt = facts.get(v.id)!.dossierUpdatedAt;
      return new Date(v.updatedAt).getTime() >= at.getTime() || (dossierAt !== undefined && new Date(dossierAt).getTime() >= at.getTime());
    };
    const all = this.byCallBack(visible.map((h) => this.handoffView(h, facts.get(h._id)))
      .filter((v) => !search || matchesSearch([v.structureName, v.contact?.name, v.contact?.email, v.contact?.phone, v.contact?.otherPhone], search)));
    const rest = after ? all.filter((v) => compareOrder(this.handoffOrder(v), after.key) > 0) : all;
    const handoffs = rest.slice(0, limit);
    const changed = after ? all.filter((v) => changedSince(v, after.asOf)).slice(0, LIST_LIMIT) : [];
    // truncated: more handoffs follow this page.
    const truncated = rest.length > handoffs.length;
    const last = handoffs[handoffs.length - 1];
    const cursor = truncated && last ? encodeHandoffCursor({ key: this.handoffOrder(last), asOf }) : null;
    const due = { overdue: all.filter((v) => v.callBackDue === 'overdue').length, today: all.filter((v) => v.callBackDue === 'today').length };
    return { handoffs, changed, total: all.length, limit, truncated, cursor, due };
  }

  /**
   * Whom to call first: the handoffs still waiting — those late or due today, then the urgent ones
   * still to call (« on va devoir licencier »), then the others, each by call-back day —, those
   * without a way to reach them, then the closed ones, newest first.
   */
  private byCallBack<T extends ReturnType<AdminService['handoffView']>>(handoffs: T[]): T[] {
    return handoffs.map((h) => ({ h, key: this.handoffOrder(h) })).sort((a, b) => compareOrder(a.key, b.key)).map(({ h }) => h);
  }

  /** A handoff's place in byCallBack's order (the handoff list's cursor names the last row's). */
  private handoffOrder(h: ReturnType<AdminService['handoffView']>): HandoffOrderKey {
    const time = new Date(h.createdAt).getTime();
    if (h.status === 'closed') return [1, 0, 0, '', -time, h.id];
    const rank = h.callBackDue ? 0 : h.urgency === 'high' && h.callBackBy !== null && !h.elsewhere && !h.decidedAt ? 1 : 2;
    // Without a way to reach them (no day promised): after those someone can call, oldest first.
    return [0, Number(h.callBackBy === null), rank, h.callBackBy ?? '', time, h.id];
  }

  /** The handoff if the user may see it, with what its dossier says of it (read once). */
  private async visibleHandoff(user: AdminUser, id: string): Promise<{ handoff: Handoff; facts: HandoffDossierFacts }> {
    const handoff = await this.handoffs.get(id);
    if (!handoff) throw new AdminError(404, 'NotFound', this.t('admin.errors.handoffNotFound'));
    const facts = this.factsOf([handoff], handoff.dossierId ? await this.dossierFacts(handoff.dossierId) : new Map()).get(handoff._id)!;
    if (!canSeeDepartement(user, facts.departement)) throw new AdminError(403, 'Forbidden', this.t('admin.errors.forbiddenHandoff'));
    return { handoff, facts };
  }

  async actOnHandoff(user: AdminUser, id: string, action: 'claim' | 'close' | 'reopen' | 'retry') {
    const { facts } = await this.visibleHandoff(user, id);
    try {
      // « Réessayer l'envoi »: its failed deliveries back in the queue, due now.
      const changed = action === 'retry' ? this.handoffs.retry(id) : this.handoffs[action](id, user._id, user.name);
      if (action === 'retry') log.info('Handoff delivery retried from the back-office', { handoff: id, by: user._id });
      // Shown as the list and the dossier show it: with its dossier's département, decision and contact.
      return { handoff: this.handoffView(await changed, facts) };
    } catch (err) {
      if (!(err instanceof HandoffStateError)) throw err;
      if (err.code === 'nothing_to_retry') throw new AdminError(409, 'Conflict', this.t('admin.errors.nothingToRetry'));
      if (err.code === 'closed') throw new AdminError(409, 'Conflict', this.t('admin.errors.retryClosed'));
      if (err.code === 'busy') throw new AdminError(409, 'Conflict', this.t('admin.errors.deliveryBusy'));
      const current = err.code === 'not_found' ? undefined : await this.handoffs.get(id);
      if (!current) throw new AdminError(404, 'NotFound', this.t('admin.errors.handoffNotFound'));
      // Closed: who closed it (handoffs closed before closedBy was recorded name nobody), else who took it up.
      const by = holderOf(current, this.t);
      throw new AdminError(409, 'Conflict', this.t('admin.errors.handoffConflict', {
        status: this.t(`admin.handoffStatus.${current.status}`).toLowerCase(),
        by: by ? ` (${by})` : '',
      }));
    }
  }

  // ——— export ———

  async exportCsv(user: AdminUser, filters: DossierFilters): Promise<string> {
    // The same few labels on every row (the phase, the status…): translated once.
    const t = ((key: string, options?: Record<string, unknown>) => (options ? this.t(key, options) : this.labels.get(key, () => this.t(key)))) as Translate;
    const [summaries, followupColumns] = await Promise.all([this.dossierSummaries(user, filters, EXPORT_LIMIT, true), this.followup.exportColumns()]);
    const dossiers = summaries.map((s) => s.row);
    // The handoff that matters of each dossier, from the handoffs its summary holds.
    const latest = new Map(summaries.flatMap((s) => [...shownHandoffs(s.handoffs())]));
    // The day in the operator's time zone (a dossier opened at 23:30 in Paris is of that day).
    const date = (d: Date | null) => (d ? this.days.get(new Date(d).getTime(), () => localDay(new Date(d), this.deps.config.operator.timeZone)) : '');
    const columns: [string, (r: DossierRow) => string, ((value: string) => string)?][] = [
      ['id', (r) => r.id],
      // A dossier made by a handoff before the accueil: its contact's name, marked as such (« Sophie (contact) »).
      ['structure', (r) => structureOrContact(r.name, r.contact.name, t) ?? ''],
      ['siret', (r) => r.siret ?? '', csvDigitsCell],
      ['rna', (r) => r.rna ?? ''],
      // « 01 »…« 09 » keep their zero in Excel; « 2A » is text anyway.
      ['departement', (r) => r.departement ?? '', csvDigitsCell],
      ['postalCode', (r) => r.postalCode ?? '', csvDigitsCell],
      // French Excel reads « 2,5 » as a number, « 2.5 » as text: the column sums.
      ['etp', (r) => frenchNumber(r.etp)],
      // A primo-employeuse (0 ETP, a hiring plan) is no structure without employees and no plan.
      ['hiringPlan', (r) => (r.hiringPlan ? t('admin.csv.yes') : '')],
      ['contactName', (r) => r.contact.name ?? ''],
      ['contactEmail', (r) => r.contact.email ?? ''],
      ['contactPhone', (r) => r.contact.phone ?? '', csvDigitsCell],
      ['contactOtherPhone', (r) => r.contact.otherPhone ?? '', csvDigitsCell],
      ['request', (r) => r.request ?? ''],
      // A company's ESUS approval, as it said it (« demande en cours »: applied for, to be confirmed).
      ['esus', (r) => (r.esus ? t(`admin.esus.${r.esus}`) : '')],
      ['phase', (r) => t(`admin.phase.${r.phase}`)],
      ['status', (r) => t(`admin.status.${r.status}`)],
      ['outcome', (r) => (r.outcome ? t(`admin.outcome.${r.outcome}`) : '')],
      // What the rules said at the accueil (« à confirmer »), before any chargé·e's decision.
      ['rulesOutcome', (r) => (r.rulesOutcome ? t(`admin.outcome.${r.rulesOutcome}`) : '')],
      // Empty when the rules decided alone.
      ['decisionBy', (r) => r.decisionBy ?? ''],
      ['decisionNote', (r) => r.decisionNote ?? ''],
      // The handoff that matters (as the page's list shows it): its state, and who took it up.
      ['handoff', (r) => { const h = latest.get(r.id); return h ? t(`admin.handoffStatus.${h.status}`) : ''; }],
      ['handoffClaimedBy', (r) => { const h = latest.get(r.id); return h ? nameOf(h.claimedBy, h.claimedByName, t) ?? '' : ''; }],
      // What the structure wrote with that handoff (« parler à un·e chargé·e » and its subject: the only
      // words of a request made before the accueil), then what it added since, oldest first, one a line
      // with its day (the cell starts with a date: no formula).
      ['handoffMessages', (r) => {
        const h = latest.get(r.id);
        const written = h?.message?.trim() ? [{ at: h.createdAt, text: h.message.trim() }] : [];
        return [...written, ...(h?.messages ?? [])].map((m) => t('admin.csv.message', { date: date(m.at), text: m.text })).join('\n');
      }],
      ['theme', (r) => (r.primaryTheme ? t(`themes.label.${r.primaryTheme}`) : '')],
      ['createdAt', (r) => date(r.createdAt)],
      ['updatedAt', (r) => date(r.updatedAt)],
      ['diagnosticConfirmedAt', (r) => date(r.diagnosticConfirmedAt)],
      ['parcoursRecordedAt', (r) => date(r.parcoursRecordedAt)],
      ['miseEnOeuvreStartedAt', (r) => date(r.miseEnOeuvreStartedAt)],
      ['miseEnOeuvreEndedAt', (r) => date(r.miseEnOeuvreEndedAt)],
    ];
    const headers = [...columns.map(([key]) => t(`admin.columns.${key}`)), ...followupColumns.map(([header]) => header)];
    const lines = [
      headers.map(csvCell),
      ...dossiers.map((r) => [...columns.map(([, get, cell = csvCell]) => cell(get(r))), ...followupColumns.map(([, get]) => csvCell(get(r.id)))]),
    ];
    return '\uFEFF' + lines.map((cells) => cells.join(';')).join('\r\n') + '\r\n';
  }

  // ——— the structure's data (RGPD requests received outside the chat) ———

  private privacy(): NonNullable<AdminDeps['privacy']> {
    if (!this.deps.privacy) throw new AdminError(404, 'NotFound', this.t('admin.errors.privacyUnavailable'));
    return this.deps.privacy;
  }

  /**
   * What the structure of a dossier gets with « mes données » — the readable page, or with
   * `format=json` the complete file — for a chargé·e who may see the dossier, to send on.
   */
  async exportDossier(user: AdminUser, id: string, format: unknown): Promise<{ json: boolean; body: string }> {
    if (format !== undefined && format !== 'json' && format !== 'html') throw new AdminError(400, 'BadRequest', this.t('admin.errors.badFilter', { name: 'format', value: String(format) }));
    const data = await this.privacy().exportDossier(await this.visibleDossier(user, id));
    const files = exportFiles(data, this.t, { operatorName: this.deps.config.operator.name, timeZone: this.deps.config.operator.timeZone });
    log.info('Back-office export of a structure’s data', { dossierId: id, user: user._id });
    return format === 'json' ? { json: true, body: files.json } : { json: false, body: files.html };
  }

  /** What an administrator types to erase a dossier: its structure's name, or the word for « EFFACER » without one. */
  private eraseConfirmation(d: Pick<Dossier, 'answers'>): string {
    const name = typeof d.answers?.name === 'string' ? d.answers.name.trim() : '';
    return name || this.t('admin.privacy.eraseWord');
  }

  /**
   * Erases everything stored about a dossier's structure, as « mes données » → erase does in the
   * chat, once the administrator typed its name (eraseConfirmation; case, spaces and apostrophes
   * aside): a mistaken click erases nothing. Written in the erasure register with their e-mail.
   */
  async eraseDossier(user: AdminUser, id: string, body: unknown): Promise<{ erased: true; documents: number }> {
    const d = await this.visibleDossier(user, id);
    const expected = this.eraseConfirmation(d);
    const typed = (body as { confirm?: unknown } | undefined)?.confirm;
    const same = (text: string) => text.normalize('NFC').replace(/[’‘`´]/g, '\'').replace(/\s+/g, ' ').trim().toLocaleLowerCase();
    if (typeof typed !== 'string' || same(typed) !== same(expected)) {
      throw new AdminError(400, 'BadRequest', this.t('admin.errors.eraseConfirm', { expected }));
    }
    const erased = await this.privacy().eraseDossier(d, user._id);
    log.info('Back-office erasure of a structure’s data', { dossierId: id, user: user._id, documents: erased.documents });
    return { erased: true, documents: erased.documents };
  }

  /** The erasure register, newest first (administrators). */
  async listErasures(): Promise<{ erasures: { id: string; dossierId: string | null; at: Date; by: string; documents: number }[] }> {
    const entries = await this.privacy().register.list();
    return { erasures: entries.map((e) => ({ id: e._id, dossierId: e.dossierId, at: e.at, by: e.by, documents: e.documents })) };
  }

  /** The register as the file `npm run db:restore -- FILE --reapply REGISTER.json` reads. */
  async erasuresFile(): Promise<string> {
    return erasuresFile(await this.privacy().register.list(), this.now());
  }

  // ——— statistics ———

  /** The statistics of the dossiers the user sees; departements: their codes, or null for all. */
  async stats(user: AdminUser): Promise<{ themesByYear: YearThemes[]; funnel: Funnel; followupJobs: JobTotals; themes: readonly string[]; departements: string[] | null; generatedAt: Date }> {
    // One read of the dossiers' summaries (src/store/summaries.ts), counted here: on the embedded
    // FerretDB a count, an aggregation or a distinct reads and decodes every dossier or handoff.
    const dossiers = await findSummaries(this.deps.connection, this.scope(user));
    // The jobs the structures declared at their latest check-in, over the dossiers the user sees (as the CSV adds them up).
    const jobs = this.followup.jobTotals(new Set(dossiers.map((d) => d.row.id)));
    // A funnel: each step counts the dossiers that also went through every step before it (a
    // handoff of a to-be-confirmed eligibility is no step after a confirmed diagnostic).
    const funnel: Funnel = { firstContact: 0, eligible: 0, diagnosticConfirmed: 0, handedOff: 0, followupAnswered: 0 };
    // The themes by year: the primary theme of each confirmed diagnostic (themeSharesByYear's figures).
    const themes = new Map<string, { year: number; theme: string; count: number }>();
    for (const d of dossiers) {
      const { year, primaryTheme } = d;
      if (year !== undefined && primaryTheme !== undefined) {
        const key = `${year}\n${primaryTheme}`;
        themes.set(key, { year, theme: primaryTheme, count: (themes.get(key)?.count ?? 0) + 1 });
      }
      funnel.firstContact++;
      // Eligible by the rules, or confirmed so by a chargé·e.
      if (d.row.outcome !== 'eligible') continue;
      funnel.eligible++;
      if (!d.confirmed) continue;
      funnel.diagnosticConfirmed++;
      if (!d.handedOff) continue;
      funnel.handedOff++;
      if (d.followupAnswered) funnel.followupAnswered++;
    }
    return {
      themesByYear: yearThemesOf(themes.values()),
      funnel,
      followupJobs: await jobs,
      themes: THEMES,
      departements: seesAllDepartements(user) ? null : user.departements.map(normalizeDepartementCode),
      generatedAt: this.now(),
    };
  }
}

/** The state of these deliveries as a whole (see handoffView): a failed one counts only if nothing replaced it (givenUp). */
function deliveryState(deliveries: Delivery[]): 'failed' | 'pending' | 'sent' | 'none' {
  if (!deliveries.length) return 'none';
  if (givenUp(deliveries).length) return 'failed';
  return deliveries.some((d) => d.status === 'pending') ? 'pending' : 'sent';
}

/** The updates' state (see handoffView): null once all were sent, or when there were none. */
function updatesState(updates: Delivery[]): 'failed' | 'pending' | null {
  const state = deliveryState(updates);
  return state === 'failed' || state === 'pending' ? state : null;
}

/**
 * One CSV cell for French Excel: always quoted, quotes doubled, and a cell that a spreadsheet
 * would read as a formula (= + - @, or a tab / carriage return before one) starts with a quote.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * A number that must stay text (a SIRET, a postal code, a phone number): Excel would show
 * 73282932000074 as 7,32829E+13 and drop leading zeros, so an all-digit value is written as the
 * formula ="73282932000074", which Excel shows as the digits. Anything else goes through csvCell
 * (formulas neutralised).
 */
export function csvDigitsCell(value: string): string {
  return /^\d+$/.test(value) ? `"=""${value}"""` : csvCell(value);
}
