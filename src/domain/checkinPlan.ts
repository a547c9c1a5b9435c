/**
 * When the follow-up check-ins (phase 5, suivi) fall due, and when a message may be sent.
 *
 * Pure: no I/O, no dependency. Local times are computed in the operator's time zone
 * (Europe/Paris by default) with Intl.DateTimeFormat, so DST change days are handled: a
 * check-in "15 months after" keeps its wall-clock time, and a quiet-hours end of 09:00 is
 * 09:00 local on both sides of the last Sunday of March and of October.
 *
 * Published practice: the chargé·e measures the effects "12 to 18 months after the diagnostic";
 * one DLA calls "within the year after the consultant" (DOMAIN.md § phases). Hence the default:
 * 6 months after the end of the mise en œuvre, 15 months after the confirmed diagnostic.
 */

export type MilestoneSource = 'diagnosticConfirmedAt' | 'miseEnOeuvreEndedAt';

export const MILESTONE_SOURCES: readonly MilestoneSource[] = ['diagnosticConfirmedAt', 'miseEnOeuvreEndedAt'];

export interface Milestone {
  /** Stable id, part of the check-in's `_id` ("after_diagnostic_15m"): [a-z0-9_] only. */
  id: string;
  from: MilestoneSource;
  months: number;
  /** Added after the months (pilots and tests: "diagnosticConfirmedAt+10d"). */
  days?: number;
}

export interface MilestoneDates {
  diagnosticConfirmedAt?: Date;
  miseEnOeuvreEndedAt?: Date;
}

export interface PlannedCheckin {
  milestone: string;
  dueAt: Date;
}

export const DEFAULT_TIME_ZONE = 'Europe/Paris';

export const DEFAULT_MILESTONES: readonly Milestone[] = [
  { id: 'after_mise_en_oeuvre_6m', from: 'miseEnOeuvreEndedAt', months: 6 },
  { id: 'after_diagnostic_15m', from: 'diagnosticConfirmedAt', months: 15 },
];

/** Config text of DEFAULT_MILESTONES, in the syntax parseMilestones reads. */
export const DEFAULT_MILESTONES_TEXT = 'miseEnOeuvreEndedAt+6m,diagnosticConfirmedAt+15m';

const SOURCE_LABEL: Record<MilestoneSource, string> = {
  diagnosticConfirmedAt: 'diagnostic',
  miseEnOeuvreEndedAt: 'mise_en_oeuvre',
};

export const MILESTONE_ID = /^[a-z0-9_]{1,60}$/;

/**
 * The check-ins a dossier should get: one per milestone whose source date is known, earliest
 * first. With `quiet`, each is due at the first allowed moment of its day (as a chargé·e's
 * chosen day is), not at the time of day the source event happened (19:44, a Saturday).
 */
export function planCheckins(dates: MilestoneDates, milestones: readonly Milestone[] = DEFAULT_MILESTONES, timeZone = DEFAULT_TIME_ZONE, quiet?: Partial<QuietHours>): PlannedCheckin[] {
  const planned: PlannedCheckin[] = [];
  for (const m of milestones) {
    const from = sourceDate(dates, m);
    if (!from) continue;
    const due = addLocalMonths(from, m.months, m.days ?? 0, timeZone);
    planned.push({ milestone: m.id, dueAt: quiet ? checkinDueOnDay(localDay(due, timeZone), { ...quiet, timeZone })! : due });
  }
  return planned.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.milestone.localeCompare(b.milestone));
}

/**
 * The milestones planCheckins() leaves out because their source date is not (or no longer)
 * known: a chargé·e cleared the end of the mise en œuvre. Their check-ins still planned are
 * cancelled (CheckinRepository.plan()).
 */
export function milestonesWithoutDate(dates: MilestoneDates, milestones: readonly Milestone[] = DEFAULT_MILESTONES): string[] {
  return milestones.filter((m) => !sourceDate(dates, m)).map((m) => m.id);
}

function sourceDate(dates: MilestoneDates, m: Milestone): Date | undefined {
  const from = dates[m.from];
  return from && !Number.isNaN(new Date(from).getTime()) ? new Date(from) : undefined;
}

/**
 * Default FOLLOWUP_MIN_GAP_DAYS: two automatic check-ins of a dossier closer than this would ask
 * the structure the same questions twice within weeks (with the default milestones, a mise en
 * œuvre ending 9 months after the diagnostic puts both on the same day).
 */
export const DEFAULT_MIN_GAP_DAYS = 90;

/**
 * The check-in a new one due at `dueAt` falls too close to (less than `minGapDays` days before
 * or after), the nearest; undefined when it is far enough from all of them, or minGapDays is 0.
 */
export function tooCloseTo<T extends { dueAt: Date }>(dueAt: Date, others: readonly T[], minGapDays: number): T | undefined {
  const gap = (c: T) => Math.abs(new Date(c.dueAt).getTime() - dueAt.getTime());
  const near = others.filter((c) => gap(c) < minGapDays * DAY_MS);
  return near.sort((a, b) => gap(a) - gap(b))[0];
}

export class MilestoneSyntaxError extends Error {
  constructor(readonly problems: string[]) {
    super(`must list milestones like ${DEFAULT_MILESTONES_TEXT} (source+N followed by m for months or d for days): ${problems.join('; ')}`);
    this.name = 'MilestoneSyntaxError';
  }
}

const MILESTONE_TERM = /^([A-Za-z]+)\s*\+\s*(\d{1,4})\s*([a-zA-Z]*)$/;

/**
 * Reads "miseEnOeuvreEndedAt+6m,diagnosticConfirmedAt+15m" (m: months, d: days). An empty text
 * means no check-in at all. Every problem is reported at once (MilestoneSyntaxError.problems).
 */
export function parseMilestones(text: string): Milestone[] {
  const problems: string[] = [];
  const milestones: Milestone[] = [];
  const terms = text.split(',').map((t) => t.trim());
  if (terms.length === 1 && terms[0] === '') return [];
  for (const term of terms) {
    if (!term) {
      problems.push('empty item (two commas in a row?)');
      continue;
    }
    const match = MILESTONE_TERM.exec(term);
    if (!match) {
      problems.push(`"${term}" is not source+N followed by a unit`);
      continue;
    }
    const [, source, digits, unit] = match;
    const from = MILESTONE_SOURCES.find((s) => s.toLowerCase() === source.toLowerCase());
    const n = Number(digits);
    let ok = true;
    if (!from) {
      problems.push(`"${term}": unknown date "${source}" (known: ${MILESTONE_SOURCES.join(', ')})`);
      ok = false;
    }
    if (unit !== 'm' && unit !== 'd') {
      problems.push(`"${term}": unit must be m (months) or d (days)${unit ? `, not "${unit}"` : ''}`);
      ok = false;
    } else if (n < 1 || (unit === 'm' && n > 60) || (unit === 'd' && n > 1830)) {
      problems.push(`"${term}": the delay must be between 1 and ${unit === 'm' ? '60 months' : '1830 days'}`);
      ok = false;
    }
    if (!ok || !from) continue;
    const id = `after_${SOURCE_LABEL[from]}_${n}${unit}`;
    if (milestones.some((m) => m.id === id)) {
      problems.push(`"${term}" is listed twice`);
      continue;
    }
    milestones.push(unit === 'm' ? { id, from, months: n } : { id, from, months: 0, days: n });
  }
  if (problems.length) throw new MilestoneSyntaxError(problems);
  return milestones;
}

// ---------------------------------------------------------------------------------------------
// Quiet hours

export interface QuietHours {
  /** "HH:MM", local: no message from this time (inclusive)… */
  quietStart: string;
  /** …until this time (exclusive). Equal to quietStart: no quiet hours. May wrap midnight. */
  quietEnd: string;
  /** false: Saturdays, Sundays and French public holidays (local) are quiet all day. */
  weekends: boolean;
  timeZone: string;
}

export const DEFAULT_QUIET: Readonly<QuietHours> = { quietStart: '19:00', quietEnd: '09:00', weekends: false, timeZone: DEFAULT_TIME_ZONE };

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOf(hhmm: string, what: string): number {
  const m = HHMM.exec(hhmm.trim());
  if (!m) throw new RangeError(`${what} must be HH:MM between 00:00 and 23:59 (got "${hhmm}")`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Reads "19:00-09:00" (config text) into the start and end of the quiet hours. */
export function parseQuietHours(text: string): Pick<QuietHours, 'quietStart' | 'quietEnd'> {
  const parts = text.split('-').map((p) => p.trim());
  if (parts.length !== 2) throw new RangeError(`quiet hours must look like 19:00-09:00 (got "${text}")`);
  minutesOf(parts[0], 'the start of the quiet hours');
  minutesOf(parts[1], 'the end of the quiet hours');
  return { quietStart: parts[0], quietEnd: parts[1] };
}

/** Checks a time zone name (Intl throws RangeError on an unknown one). */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/**
 * The first instant ≥ `date` outside the quiet hours and (unless weekends are allowed) not on a
 * local Saturday or Sunday. Returns `date` itself when it is already allowed.
 */
export function nextAllowedTime(date: Date, quiet: Partial<QuietHours> = {}): Date {
  const q: QuietHours = { ...DEFAULT_QUIET, ...quiet };
  const qs = minutesOf(q.quietStart, 'quietStart') * 60_000;
  const qe = minutesOf(q.quietEnd, 'quietEnd') * 60_000;
  // Time of day (ms since local midnight) → is it quiet, and when does that quiet stretch end today?
  const quietEndToday = (tod: number): number | undefined => {
    if (qs === qe) return undefined;
    if (qs < qe) return tod >= qs && tod < qe ? qe : undefined; // e.g. 12:00–14:00
    if (tod >= qs) return DAY_MS; // evening part of 19:00–09:00: quiet until midnight at least
    return tod < qe ? qe : undefined; // morning part
  };
  const firstAllowedTod = quietEndToday(0) === undefined ? 0 : qe;

  let t = date.getTime();
  for (let guard = 0; guard < 20; guard++) {
    const p = localParts(t, q.timeZone);
    const tod = ((p.hour * 60 + p.minute) * 60 + p.second) * 1000 + p.ms;
    const dayAllowed = q.weekends || isWorkingDay(p);
    const end = quietEndToday(tod);
    if (dayAllowed && end === undefined) return new Date(t);
    const wall = dayAllowed && end !== undefined && end < DAY_MS
      ? { ...p, hour: Math.floor(end / 3_600_000), minute: (end / 60_000) % 60 }
      : { ...nextCivilDay(p), hour: Math.floor(firstAllowedTod / 3_600_000), minute: (firstAllowedTod / 60_000) % 60 };
    t = firstInstantAtOrAfter(wall.year, wall.month, wall.day, wall.hour, wall.minute, q.timeZone, t + 1);
  }
  throw new Error('nextAllowedTime: no allowed time found (check the quiet hours)');
}

/** Monday to Friday, and not a French public holiday (weekday: 0 is Sunday). */
function isWorkingDay(d: { year: number; month: number; day: number; weekday: number }): boolean {
  return d.weekday !== 0 && d.weekday !== 6 && !isFrenchPublicHoliday(d.year, d.month, d.day);
}

/**
 * French public holidays (Code du travail L3133-1): 1 January, Easter Monday, 1 and 8 May,
 * Ascension, Whit Monday, 14 July, 15 August, 1 and 11 November, 25 December. Local extras
 * (Alsace-Moselle, overseas départements) are not included.
 */
export function isFrenchPublicHoliday(year: number, month: number, day: number): boolean {
  if ([[1, 1], [5, 1], [5, 8], [7, 14], [8, 15], [11, 1], [11, 11], [12, 25]].some(([m, d]) => m === month && d === day)) return true;
  const easter = easterOf(year);
  const offset = Math.round((Date.UTC(year, month - 1, day) - easter) / DAY_MS);
  return offset === 1 || offset === 39 || offset === 50; // Easter Monday, Ascension, Whit Monday
}

/** Easter Sunday of the years asked so far (the back-office's call-back days test a dozen days a handoff). */
const easters = new Map<number, number>();
const easterOf = (year: number) => easters.get(year) ?? easters.set(year, easterSunday(year)).get(year)!;

/** Easter Sunday (Gregorian, anonymous algorithm), as a UTC midnight timestamp. */
function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day);
}

/**
 * The local day ("2026-01-16") `days` working days after `date`'s own day: Saturdays, Sundays
 * and French public holidays (isFrenchPublicHoliday) do not count, as for the check-ins' sending
 * days. What « sous 5 jours ouvrés » (CONTACT_DELAY_WORKING_DAYS) means for a handoff made that day.
 */
export function addWorkingDays(date: Date, days: number, timeZone = DEFAULT_TIME_ZONE): string {
  const { year, month, day } = localParts(date.getTime(), timeZone);
  // The civil days as UTC dates, one DAY_MS apart (no object spread a day: 100 → 6 µs a call).
  const d = new Date(Date.UTC(year, month - 1, day));
  for (let left = days; left > 0;) {
    d.setTime(d.getTime() + DAY_MS);
    if (isWorkingDay({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() })) left--;
  }
  return d.toISOString().slice(0, 10);
}

/** Is `date` inside the quiet hours (or a quiet weekend day or public holiday)? */
export function isQuiet(date: Date, quiet: Partial<QuietHours> = {}): boolean {
  return nextAllowedTime(date, quiet).getTime() !== date.getTime();
}

// ---------------------------------------------------------------------------------------------
// Local calendar arithmetic

const DAY_MS = 86_400_000;

export interface LocalParts {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/**
 * The local time of `t`: the time zone's offset then (Intl, formatToParts, a few µs a call) is
 * kept by UTC hour, for an hour whose offset is the same at its first and its last millisecond —
 * not the hour of a DST change (nor of any change of the zone's offset), whose instants are each
 * read from Intl. The back-office's lists and CSV read thousands of local days at a time.
 */
export function localParts(t: number, timeZone: string): LocalParts {
  const offset = hourOffset(t, timeZone);
  if (offset === undefined) return intlParts(t, timeZone);
  const d = new Date(t + offset);
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(), ms: d.getUTCMilliseconds(), weekday: d.getUTCDay(),
  };
}

const HOUR_MS = 3_600_000;
/** Offsets kept per time zone (by UTC hour: null when it changes within it); past OFFSETS_KEPT hours, forgotten at once. */
const offsets = new Map<string, Map<number, number | null>>();
const OFFSETS_KEPT = 200_000;

function hourOffset(t: number, timeZone: string): number | undefined {
  const hour = Math.floor(t / HOUR_MS);
  let zone = offsets.get(timeZone);
  if (!zone) offsets.set(timeZone, zone = new Map());
  let offset = zone.get(hour);
  if (offset === undefined) {
    const [first, last] = [hour * HOUR_MS, (hour + 1) * HOUR_MS - 1].map((at) => wallAsUtc(intlParts(at, timeZone)) - at);
    offset = first === last ? first : null;
    if (zone.size >= OFFSETS_KEPT) zone.clear();
    zone.set(hour, offset);
  }
  return offset ?? undefined;
}

function intlParts(t: number, timeZone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(t))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
    ms: ((t % 1000) + 1000) % 1000,
    weekday: WEEKDAYS[parts.weekday],
  };
}

/** Local wall time read as if it were UTC (ms). */
function wallAsUtc(p: { year: number; month: number; day: number; hour: number; minute: number; second?: number; ms?: number }): number {
  const d = new Date(0);
  d.setUTCFullYear(p.year, p.month - 1, p.day);
  d.setUTCHours(p.hour, p.minute, p.second ?? 0, p.ms ?? 0);
  return d.getTime();
}

function offsetAt(t: number, timeZone: string): number {
  return wallAsUtc(localParts(t, timeZone)) - t;
}

function nextCivilDay(p: LocalParts): { year: number; month: number; day: number } {
  const d = new Date(wallAsUtc({ ...p, hour: 12, minute: 0 }) + DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * The earliest instant ≥ notBefore whose local wall time is ≥ the given one on that local date.
 * An ambiguous time (autumn: 02:30 happens twice) gives its first occurrence still ≥ notBefore;
 * a time that does not exist (spring: 02:30) gives the end of the gap (03:00 local).
 */
function firstInstantAtOrAfter(year: number, month: number, day: number, hour: number, minute: number, timeZone: string, notBefore: number): number {
  const wall = wallAsUtc({ year, month, day, hour, minute });
  const offsets = new Set([offsetAt(wall - DAY_MS, timeZone), offsetAt(wall, timeZone), offsetAt(wall + DAY_MS, timeZone)]);
  const exact = [...offsets].map((o) => wall - o).filter((t) => wallAsUtc(localParts(t, timeZone)) === wall).sort((a, b) => a - b);
  const hit = exact.find((t) => t >= notBefore);
  if (hit !== undefined) return hit;
  if (exact.length) return Math.max(notBefore, exact[exact.length - 1]);
  // In a gap: the first instant whose local wall time is past the wanted one (binary search, ms).
  let lo = Math.min(...[...offsets].map((o) => wall - o)) - DAY_MS / 12;
  let hi = Math.max(...[...offsets].map((o) => wall - o)) + DAY_MS / 12;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallAsUtc(localParts(mid, timeZone)) >= wall) hi = mid;
    else lo = mid;
  }
  return Math.max(notBefore, hi);
}

/**
 * `date` + months (+ days) in local calendar terms: same local time of day; the day of month is
 * clamped (31 January + 1 month = 28 or 29 February).
 */
export function addLocalMonths(date: Date, months: number, days = 0, timeZone = DEFAULT_TIME_ZONE): Date {
  const p = localParts(date.getTime(), timeZone);
  const monthIndex = p.month - 1 + months;
  const year = p.year + Math.floor(monthIndex / 12);
  const month = (((monthIndex % 12) + 12) % 12) + 1;
  const shifted = new Date(wallAsUtc({ year, month, day: Math.min(p.day, daysInMonth(year, month)), hour: 12, minute: 0 }) + days * DAY_MS);
  const target = { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(), hour: p.hour, minute: p.minute, second: p.second, ms: p.ms };
  const wall = wallAsUtc(target);
  const t = firstInstantAtOrAfter(target.year, target.month, target.day, target.hour, target.minute, timeZone, -8.64e15);
  // firstInstantAtOrAfter works in whole minutes: put the seconds back.
  return new Date(t + (wall - wallAsUtc({ ...target, second: 0, ms: 0 })));
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

// ---------------------------------------------------------------------------------------------
// Check-ins a chargé·e adds or moves by hand

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2027-03-15" as an existing calendar day (2000–2200), or undefined ("2027-02-30", "15/03/2027"). */
export function calendarDay(text: string): { year: number; month: number; day: number } | undefined {
  const m = ISO_DAY.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 2000 || year > 2200 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

/** The local calendar date of `date` ("2027-03-15") in the time zone. */
export function localDay(date: Date, timeZone = DEFAULT_TIME_ZONE): string {
  const p = localParts(date.getTime(), timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/**
 * The day a chargé·e picked ("2027-03-15") as a due time: the first moment of that local day
 * outside the quiet hours (09:00 with the default 19:00–09:00; the Monday after a quiet weekend).
 * undefined when the text is not an existing calendar day.
 */
export function checkinDueOnDay(day: string, quiet: Partial<QuietHours> = {}): Date | undefined {
  const d = calendarDay(day);
  if (!d) return undefined;
  const timeZone = quiet.timeZone ?? DEFAULT_TIME_ZONE;
  const midnight = firstInstantAtOrAfter(d.year, d.month, d.day, 0, 0, timeZone, -8.64e15);
  return nextAllowedTime(new Date(midnight), { ...quiet, timeZone });
}

/** What a milestone id says, for people: "15 months after the diagnostic", or added by hand. */
export type MilestoneDescription =
  | { kind: 'after'; from: MilestoneSource; count: number; unit: 'months' | 'days' }
  | { kind: 'manual' }
  | { kind: 'other' };

/** `id` absent (a check-in stored without one: older data): 'other'. */
export function describeMilestone(id: string | undefined): MilestoneDescription {
  if (!id) return { kind: 'other' };
  if (id.startsWith(MANUAL_MILESTONE_PREFIX)) return { kind: 'manual' };
  const m = /^after_(diagnostic|mise_en_oeuvre)_(\d+)([md])$/.exec(id);
  if (!m) return { kind: 'other' };
  const from = (Object.keys(SOURCE_LABEL) as MilestoneSource[]).find((s) => SOURCE_LABEL[s] === m[1])!;
  return { kind: 'after', from, count: Number(m[2]), unit: m[3] === 'm' ? 'months' : 'days' };
}

export const MANUAL_MILESTONE_PREFIX = 'manual_';

/** The milestone id of a check-in added by hand on `day` (`manual_20270315`, then `_2`, `_3`… if taken). */
export function manualMilestoneId(day: string, taken: ReadonlySet<string>): string {
  const base = `${MANUAL_MILESTONE_PREFIX}${day.replace(/-/g, '')}`;
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

/**
 * A check-in asks how things went since the DLA's support: it makes sense once the structure
 * confirmed its diagnostic or a parcours was recorded, not at the accueil nor for a structure
 * oriented elsewhere (its conversation in progress would be cut off, by an untrue message).
 */
export function accompanied(d: { diagnostic?: { confirmedAt?: Date }; parcours?: unknown }): boolean {
  return Boolean(d.diagnostic?.confirmedAt || d.parcours);
}
