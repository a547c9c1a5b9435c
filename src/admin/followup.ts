/**
 * The back-office's view of a dossier's follow-up (phase 5, suivi): its check-ins with their
 * sends and answers, and what a chargé·e may do with them: add one on a chosen day, move or
 * cancel a planned one. The check-ins themselves live in the scheduler's repository
 * (src/followup/checkins.ts), whose in-process lock and opt-out record the scheduler shares.
 */
import type { Config } from '../config';
import { accompanied, checkinDueOnDay, describeMilestone, localDay, MANUAL_MILESTONE_PREFIX, manualMilestoneId } from '../domain/checkinPlan';
import { checkinAnswerText } from '../domain/checkinAnswers';
import { CHECKIN_SLOTS } from '../domain/checkinForm';
import { anyJobCount, JOB_KINDS, JobCounts, jobCountsOf, jobCountsText, type JobKind } from '../domain/jobCounts';
import type { Translate } from '../i18n';
import { Checkin, CheckinError, CheckinRepository } from '../followup/checkins';
import type { AdminUser } from './auth';
import { AdminError } from './errors';
import type { Fact } from './service';
import type { Dossier } from '../store/dossiers';
import { explainedFailure } from '../domain/deliveryFailure';

/** How far ahead a chargé·e may plan a check-in. */
const MAX_YEARS_AHEAD = 5;

export interface CheckinView {
  id: string;
  /** null: stored without one (older data). */
  milestone: string | null;
  milestoneLabel: string;
  /** null (older data): the page shows « — ». */
  dueAt: Date | null;
  /** The day it is due, in the operator's time zone ("YYYY-MM-DD": what a date field shows). */
  dueDay: string | null;
  /** When the scheduler will next try (after quiet hours or a failed attempt). */
  nextAttemptAt: Date;
  status: Checkin['status'];
  statusLabel: string;
  manual: boolean;
  attempts: number;
  lastError: string | null;
  sends: { at: Date; outcome: string; outcomeLabel: string; error: string | null }[];
  /** Sent in a web chat: whether the structure was e-mailed too, or why not (the chargé·e then phones). */
  email: { at: Date; outcome: NonNullable<Checkin['email']>['outcome']; label: string } | null;
  answeredAt: Date | null;
  /** One fact per question, "no answer" where the structure has not answered (yet). */
  answers: Fact[];
  answered: number;
  /** Who cancelled it, and when (a chargé·e, in the back-office). */
  cancelledBy: string | null;
  cancelledAt: Date | null;
  /** Only a planned check-in can be moved or cancelled. */
  canChange: boolean;
  /** The counts read from the jobs answer, shown next to the structure's words; null before the jobs question is answered. */
  jobs: JobsView | null;
}

/** The jobs answer's counts for the back-office: each a number or null (unknown), and in words. */
export interface JobsView {
  created: number | null;
  kept: number | null;
  improved: number | null;
  lost: number | null;
  /** Some words were not read into numbers, and the structure did not confirm them: the chargé·e checks its words. */
  toCheck: boolean;
  confirmed: boolean;
  /** « Nombres lus : 2 emplois créés, 3 maintenus ; non dits : améliorés, perdus (à vérifier dans ses mots) ». */
  summary: string;
}

/** Jobs declared at the follow-up, added up over the dossiers' latest check-ins (as the CSV export has them). */
export interface JobTotals {
  created: number;
  kept: number;
  improved: number;
  lost: number;
  /** Latest check-ins whose jobs question is answered. */
  answered: number;
  /** …of which with no number read (« on a embauché », « je ne sais pas »). */
  withoutNumber: number;
  /** …of which read with words left unread, not confirmed by the structure. */
  toCheck: number;
}

export interface FollowupView {
  optedOutAt: Date | null;
  /** A check-in may be added: the structure has been accompanied (see accompanied()). */
  accompanied: boolean;
  checkins: CheckinView[];
}

type FollowedDossier = Pick<Dossier, '_id' | 'diagnostic' | 'parcours'>;
type VisibleDossier = (user: AdminUser, dossierId: string) => Promise<FollowedDossier>;


/** A check-in's milestone for people: "6 mois après la fin de la mise en œuvre", "Ajoutée par un·e chargé·e"; « — » when none was stored. */
export function milestoneLabel(id: string | undefined, t: Translate): string {
  const m = describeMilestone(id);
  if (m.kind === 'manual') return t('admin.followup.milestone.manual');
  if (m.kind === 'other') return id || t('admin.common.none');
  return t(`admin.followup.milestone.${m.from}`, { delay: t(`admin.followup.delay.${m.unit}`, { count: m.count }) });
}

export class FollowupAdmin {
  constructor(
    private readonly checkins: CheckinRepository,
    private readonly config: Config,
    private readonly t: Translate,
    private readonly now: () => Date,
    private readonly visibleDossier: VisibleDossier,
  ) {}

  async view(dossier: FollowedDossier): Promise<FollowupView> {
    const [checkins, optOut] = await Promise.all([this.checkins.list(dossier._id), this.checkins.optOutOf(dossier._id)]);
    return { optedOutAt: optOut?.at ?? null, accompanied: accompanied(dossier), checkins: checkins.map((c) => this.checkinView(c)) };
  }

  /** 409 for a dossier whose structure has not been accompanied yet. */
  private refuseNotAccompanied(dossier: FollowedDossier): void {
    if (!accompanied(dossier)) throw new AdminError(409, 'Conflict', this.t('admin.errors.checkinNotAccompanied'));
  }

  /** The structure told a chargé·e it accepts check-ins again: its opt-out is lifted, its check-ins never sent are planned again. */
  async resume(user: AdminUser, dossierId: string): Promise<FollowupView> {
    const dossier = await this.visibleDossier(user, dossierId);
    const { quiet, minGapDays } = this.config.followup;
    if (!(await this.checkins.optIn(dossier._id, { quiet, minGapDays }))) throw new AdminError(409, 'Conflict', this.t('admin.errors.notOptedOut'));
    return this.view(dossier);
  }

  /** Adds a check-in on the day in body.date ("YYYY-MM-DD"). */
  async add(user: AdminUser, dossierId: string, body: unknown): Promise<CheckinView> {
    const day = this.dayFrom(body);
    const dossier = await this.visibleDossier(user, dossierId);
    this.refuseNotAccompanied(dossier);
    await this.refuseSameDay(dossier._id, day.dueAt);
    const add = (taken: ReadonlySet<string>) => this.checkins.add(dossier._id, manualMilestoneId(day.text, taken), day.dueAt, { refuseOptedOut: true, by: user.name });
    // Usually the day's id is free; only when it is taken are the dossier's check-ins listed.
    return this.viewOf(add(new Set()).catch(async (err: unknown) => {
      if (!(err instanceof CheckinError) || err.code !== 'exists') throw err;
      return add(new Set((await this.checkins.list(dossier._id)).map((c) => c.milestone)));
    }));
  }

  /** Moves a planned check-in to the day in body.date. */
  async move(user: AdminUser, checkinId: string, body: unknown): Promise<CheckinView> {
    const day = this.dayFrom(body);
    const { checkin, dossier } = await this.visibleCheckin(user, checkinId);
    this.refuseNotAccompanied(dossier);
    await this.refuseSameDay(checkin.dossierId, day.dueAt, checkinId);
    return this.viewOf(this.checkins.move(checkinId, day.dueAt, user.name));
  }

  /** Another check-in of the dossier planned for that day: the structure would get the questions twice. */
  private async refuseSameDay(dossierId: string, dueAt: Date, except?: string): Promise<void> {
    const timeZone = this.config.followup.quiet.timeZone;
    const day = localDay(dueAt, timeZone);
    const other = (await this.checkins.list(dossierId))
      .find((c) => c._id !== except && c.status === 'planned' && localDay(new Date(c.dueAt), timeZone) === day);
    // Named as its row names it (« Ajoutée par Claire Martin »).
    if (other) throw new AdminError(409, 'Conflict', this.t('admin.errors.checkinSameDay', { milestone: this.checkinView(other).milestoneLabel }));
  }

  async cancel(user: AdminUser, checkinId: string): Promise<CheckinView> {
    await this.visibleCheckin(user, checkinId);
    return this.viewOf(this.checkins.cancel(checkinId, user.name));
  }

  private async visibleCheckin(user: AdminUser, id: string): Promise<{ checkin: Checkin; dossier: FollowedDossier }> {
    const checkin = await this.checkins.get(id);
    if (!checkin) throw new AdminError(404, 'NotFound', this.t('admin.errors.checkinNotFound'));
    return { checkin, dossier: await this.visibleDossier(user, checkin.dossierId) };
  }

  /** body.date: an existing day, from today (operator's time zone) to MAX_YEARS_AHEAD years on. */
  private dayFrom(body: unknown): { text: string; dueAt: Date } {
    const bad = (key: string) => new AdminError(400, 'BadRequest', this.t(`admin.errors.${key}`, { years: String(MAX_YEARS_AHEAD) }));
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('badBody');
    const raw = (body as { date?: unknown }).date;
    if (typeof raw !== 'string') throw bad('checkinDate');
    const text = raw.trim();
    const dueAt = checkinDueOnDay(text, this.config.followup.quiet);
    if (!dueAt) throw bad('checkinDate');
    const now = this.now();
    const today = localDay(now, this.config.followup.quiet.timeZone);
    if (text < today) throw bad('checkinPast');
    const limit = new Date(now);
    limit.setUTCFullYear(limit.getUTCFullYear() + MAX_YEARS_AHEAD);
    if (dueAt.getTime() > limit.getTime()) throw bad('checkinTooFar');
    return { text, dueAt };
  }

  /** The check-in a repository call returns, as the page shows it; its CheckinError as a 4xx. */
  private async viewOf(change: Promise<Checkin>): Promise<CheckinView> {
    try {
      return this.checkinView(await change);
    } catch (err) {
      throw this.adminError(err);
    }
  }

  private adminError(err: unknown): unknown {
    if (!(err instanceof CheckinError)) return err;
    const t = this.t;
    switch (err.code) {
      case 'not_found': return new AdminError(404, 'NotFound', t('admin.errors.checkinNotFound'));
      case 'not_planned': return new AdminError(409, 'Conflict', t('admin.errors.checkinNotPlanned'));
      case 'exists': return new AdminError(409, 'Conflict', t('admin.errors.checkinExists'));
      case 'opted_out': return new AdminError(409, 'Conflict', t('admin.errors.checkinOptedOut'));
      default: return new AdminError(400, 'BadRequest', t('admin.errors.checkinDate'));
    }
  }

  /**
   * The follow-up columns of the CSV export, each a header and a cell per dossier: the latest
   * check-in the structure answered or began (its state, day, and one column per question, the
   * satisfaction as a number a spreadsheet can average) and the day it asked for no more.
   */
  async exportColumns(): Promise<[header: string, cell: (dossierId: string) => string][]> {
    const t = this.t;
    const { latest, optedOut } = await this.checkins.exportable();
    const day = (d: Date | undefined) => (d ? localDay(new Date(d), this.config.operator.timeZone) : '');
    const views = new Map([...latest].map(([dossierId, c]) => [dossierId, { checkin: c, view: this.checkinView(c) }]));
    const column = (label: string) => t('admin.columns.followup', { label });
    // The jobs counts, after the structure's words: numbers French Excel sums (« 1,5 »), empty when not known.
    const jobs = (id: string) => views.get(id)?.view.jobs;
    const jobColumns = [
      ...JOB_KINDS.map((kind): [string, (id: string) => string] => [column(t(`admin.columns.followupJobs.${kind}`)), (id) => frenchNumber(jobs(id)?.[kind] ?? null)]),
      [column(t('admin.columns.followupJobsToCheck')), (id: string) => (jobs(id)?.toCheck ? t('admin.csv.yes') : '')] as [string, (id: string) => string],
    ];
    return [
      [column(t('admin.columns.followupStatus')), (id) => views.get(id)?.view.statusLabel ?? ''],
      [column(t('admin.columns.followupAnsweredAt')), (id) => day(views.get(id)?.checkin.answeredAt)],
      ...CHECKIN_SLOTS.flatMap(({ key }): [string, (id: string) => string][] => [[column(t(`admin.followup.answers.${key}`)), (id) => {
        const answers = views.get(id)?.checkin.answers ?? {};
        return typeof answers[key] === 'number' ? String(answers[key]) : checkinAnswerText(this.t, key, answers);
      }], ...(key === 'jobs' ? jobColumns : [])]),
      [column(t('admin.columns.followupOptedOutAt')), (id) => day(optedOut.get(id))],
    ];
  }

  /**
   * The jobs declared at the follow-up, over the latest check-in of each dossier in `dossierIds`
   * (the one the CSV export has: its columns add up to these totals).
   */
  async jobTotals(dossierIds: ReadonlySet<string>): Promise<JobTotals> {
    const { latest } = await this.checkins.exportable();
    const totals: JobTotals = { created: 0, kept: 0, improved: 0, lost: 0, answered: 0, withoutNumber: 0, toCheck: 0 };
    for (const [dossierId, checkin] of latest) {
      if (!dossierIds.has(dossierId)) continue;
      const jobs = this.jobsView(checkin);
      if (!jobs) continue;
      totals.answered += 1;
      if (JOB_KINDS.every((kind) => jobs[kind] === null)) totals.withoutNumber += 1;
      if (jobs.toCheck) totals.toCheck += 1;
      for (const kind of JOB_KINDS) totals[kind] += jobs[kind] ?? 0;
    }
    for (const kind of JOB_KINDS) totals[kind] = Math.round(totals[kind] * 100) / 100;
    return totals;
  }

  /** The counts of a check-in's jobs answer, for the back-office (null when the question is not answered). */
  jobsView(c: Pick<Checkin, 'answers' | 'jobCounts'>): JobsView | null {
    const counts: JobCounts | undefined = c.answers?.jobs === undefined ? undefined : jobCountsOf(c);
    if (!counts) return null;
    const t = this.t;
    const known = (kind: JobKind) => (typeof counts[kind] === 'number' ? counts[kind]! : null);
    const toCheck = Boolean(counts.unsure && !counts.confirmed);
    let summary: string;
    if (counts.rejected) summary = t('admin.followup.jobCounts.rejected');
    else if (counts.dontKnow) summary = t('admin.followup.jobCounts.dontKnow');
    else if (!anyJobCount(counts)) summary = t('admin.followup.jobCounts.none');
    else {
      const notSaid = JOB_KINDS.filter((kind) => known(kind) === null).map((kind) => t(`admin.followup.jobCounts.kinds.${kind}`));
      summary = t('admin.followup.jobCounts.read', { counts: jobCountsText(counts, t) })
        + (notSaid.length ? t('admin.followup.jobCounts.notSaid', { kinds: notSaid.join(', ') }) : '');
    }
    const note = counts.confirmed ? t('admin.followup.jobCounts.confirmed') : toCheck && !counts.rejected ? t('admin.followup.jobCounts.toCheck') : undefined;
    return {
      created: known('created'), kept: known('kept'), improved: known('improved'), lost: known('lost'),
      toCheck, confirmed: Boolean(counts.confirmed),
      summary: note ? t('admin.followup.jobCounts.withNote', { text: summary, note }) : summary,
    };
  }

  checkinView(c: Checkin): CheckinView {
    const t = this.t;
    const answers = c.answers ?? {};
    const answered = CHECKIN_SLOTS.filter((slot) => answers[slot.key] !== undefined).length;
    // Older data may lack what a check-in has today: one a chargé·e added or moved without its milestone reads as added by hand.
    const milestone = c.milestone || (c.manual ? MANUAL_MILESTONE_PREFIX : undefined);
    return {
      id: c._id,
      milestone: c.milestone || null,
      // Who added or moved it, for the other chargé·es (« Ajoutée par Gaëlle », « … — déplacée par Gaëlle »).
      milestoneLabel: c.changedBy
        ? describeMilestone(milestone).kind === 'manual'
          ? t('admin.followup.milestone.manualBy', { name: c.changedBy })
          : t('admin.followup.milestone.movedBy', { milestone: milestoneLabel(milestone, t), name: c.changedBy })
        : milestoneLabel(milestone, t),
      dueAt: c.dueAt ?? null,
      dueDay: c.dueAt ? localDay(new Date(c.dueAt), this.config.followup.quiet.timeZone) : null,
      nextAttemptAt: c.nextAttemptAt,
      status: c.status,
      statusLabel: c.supersededBy
        ? t('admin.followup.status.superseded', { milestone: milestoneLabel(c.supersededBy.slice(c.dossierId.length + 1), t) })
        : c.cancelReason === 'out_of_scope'
          ? t('admin.followup.withdrawn.outOfScope')
        : c.cancelReason === 'source_removed'
          ? this.withdrawnLabel(milestone)
        // Sent and partly answered: the structure has begun (« pause », or it left mid-way).
        : c.status === 'sent' && answered > 0
          ? t('admin.followup.status.partial', { count: answered, total: CHECKIN_SLOTS.length })
          : c.status ? t(`admin.followup.status.${c.status}`) : '—', // older data without one
      manual: Boolean(c.manual),
      attempts: c.attempts,
      // Why a send failed, in the operator's language, as a handoff delivery's failure says it.
      lastError: explainedFailure(t, c.lastError),
      sends: (c.sends ?? []).map((s) => ({ at: s.at, outcome: s.outcome, outcomeLabel: t(`admin.followup.send.${s.outcome}`), error: explainedFailure(t, s.error) })),
      email: c.email ? { at: c.email.at, outcome: c.email.outcome, label: t(`admin.followup.email.${c.email.outcome}`) } : null,
      answeredAt: c.answeredAt ?? null,
      answers: CHECKIN_SLOTS.map((slot) => ({
        key: slot.key,
        label: t(`admin.followup.answers.${slot.key}`),
        value: checkinAnswerText(t, slot.key, answers) || t('admin.followup.noAnswer'),
      })),
      answered,
      cancelledBy: c.cancelledBy ?? null,
      cancelledAt: c.cancelledAt ?? null,
      canChange: c.status === 'planned',
      jobs: this.jobsView(c),
    };
  }

  /** « Annulée : la fin de la mise en œuvre a été retirée » (see CheckinRepository.plan()). */
  private withdrawnLabel(milestone: string | undefined): string {
    const m = describeMilestone(milestone);
    return this.t(m.kind === 'after' ? `admin.followup.withdrawn.${m.from}` : 'admin.followup.status.cancelled');
  }
}

/** A number as French Excel reads one (« 1,5 »); '' when not known. */
export function frenchNumber(n: number | null): string {
  return n === null ? '' : String(n).replace('.', ',');
}
