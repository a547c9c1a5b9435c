import {
  DEFAULT_MILESTONES, DEFAULT_MILESTONES_TEXT, MILESTONE_ID, MilestoneSyntaxError, QuietHours,
  addLocalMonths, checkinDueOnDay, describeMilestone, isFrenchPublicHoliday, isQuiet, localDay, localParts, tooCloseTo, manualMilestoneId, milestonesWithoutDate, nextAllowedTime, parseMilestones, parseQuietHours, planCheckins,
} from '../../../src/domain/checkinPlan';

const iso = (d: Date) => d.toISOString();

describe('nextAllowedTime (Europe/Paris, quiet 19:00–09:00, no weekends by default)', () => {
  // [label, instant, expected instant, options]
  const cases: [string, string, string, Partial<QuietHours>][] = [
    ['Wednesday 10:00 is allowed: unchanged', '2025-01-15T09:00:00.000Z', '2025-01-15T09:00:00.000Z', {}],
    ['09:00 sharp is allowed (the end is exclusive)', '2025-01-15T08:00:00.000Z', '2025-01-15T08:00:00.000Z', {}],
    ['08:59:59.999 → 09:00 the same morning', '2025-01-15T07:59:59.999Z', '2025-01-15T08:00:00.000Z', {}],
    ['18:59 is still allowed', '2025-01-15T17:59:00.000Z', '2025-01-15T17:59:00.000Z', {}],
    ['19:00 sharp is quiet (the start is inclusive) → Thursday 09:00', '2025-01-15T18:00:00.000Z', '2025-01-16T08:00:00.000Z', {}],
    ['Wednesday 23:30 → Thursday 09:00', '2025-01-15T22:30:00.000Z', '2025-01-16T08:00:00.000Z', {}],
    ['Thursday 00:30 Paris (still Wednesday in UTC) → Thursday 09:00', '2025-01-15T23:30:00.000Z', '2025-01-16T08:00:00.000Z', {}],
    ['Friday 20:00 → Monday 09:00', '2025-01-17T19:00:00.000Z', '2025-01-20T08:00:00.000Z', {}],
    ['Saturday 00:30 Paris (Friday 23:30 UTC) → Monday 09:00', '2025-01-17T23:30:00.000Z', '2025-01-20T08:00:00.000Z', {}],
    ['Saturday 10:00 → Monday 09:00', '2025-01-18T09:00:00.000Z', '2025-01-20T08:00:00.000Z', {}],
    ['Sunday 23:00 → Monday 09:00', '2025-01-19T22:00:00.000Z', '2025-01-20T08:00:00.000Z', {}],
    ['Monday 06:00 → Monday 09:00', '2025-01-20T05:00:00.000Z', '2025-01-20T08:00:00.000Z', {}],
    ['weekends allowed: Saturday 10:00 unchanged', '2025-01-18T09:00:00.000Z', '2025-01-18T09:00:00.000Z', { weekends: true }],
    ['weekends allowed: Saturday 20:00 → Sunday 09:00', '2025-01-18T19:00:00.000Z', '2025-01-19T08:00:00.000Z', { weekends: true }],
    // Spring forward: Sunday 30 March 2025, 02:00 CET → 03:00 CEST (UTC+1 → UTC+2).
    ['DST (March): Friday 20:00 CET → Monday 09:00 CEST', '2025-03-28T19:00:00.000Z', '2025-03-31T07:00:00.000Z', {}],
    ['DST (March), weekends: Saturday 20:00 CET → Sunday 09:00 CEST', '2025-03-29T19:00:00.000Z', '2025-03-30T07:00:00.000Z', { weekends: true }],
    ['DST (March): a quiet end of 02:30 does not exist that night → 03:00 CEST', '2025-03-29T23:30:00.000Z', '2025-03-30T01:00:00.000Z', { weekends: true, quietStart: '22:00', quietEnd: '02:30' }],
    ['DST (March): Monday 08:30 CEST → 09:00 CEST', '2025-03-31T06:30:00.000Z', '2025-03-31T07:00:00.000Z', {}],
    // Fall back: Sunday 26 October 2025, 03:00 CEST → 02:00 CET (UTC+2 → UTC+1).
    ['DST (October): Friday 20:00 CEST → Monday 09:00 CET', '2025-10-24T18:00:00.000Z', '2025-10-27T08:00:00.000Z', {}],
    ['DST (October), weekends: Saturday 20:00 CEST → Sunday 09:00 CET', '2025-10-25T18:00:00.000Z', '2025-10-26T08:00:00.000Z', { weekends: true }],
    ['DST (October): 02:30 happens twice; from 01:00 CEST the first one', '2025-10-25T23:00:00.000Z', '2025-10-26T00:30:00.000Z', { weekends: true, quietStart: '22:00', quietEnd: '02:30' }],
    ['DST (October): from 02:15 CEST (first pass) → 02:30 CEST', '2025-10-26T00:15:00.000Z', '2025-10-26T00:30:00.000Z', { weekends: true, quietStart: '22:00', quietEnd: '02:30' }],
    ['DST (October): from 02:15 CET (second pass) → 02:30 CET', '2025-10-26T01:15:00.000Z', '2025-10-26T01:30:00.000Z', { weekends: true, quietStart: '22:00', quietEnd: '02:30' }],
    ['quiet hours inside the day (12:00–14:00): 13:00 → 14:00', '2025-01-15T12:00:00.000Z', '2025-01-15T13:00:00.000Z', { quietStart: '12:00', quietEnd: '14:00' }],
    ['quiet hours inside the day (12:00–14:00): 11:00 unchanged', '2025-01-15T10:00:00.000Z', '2025-01-15T10:00:00.000Z', { quietStart: '12:00', quietEnd: '14:00' }],
    ['no quiet hours (start = end), no weekends: Saturday 03:00 → Monday 00:00', '2025-01-18T02:00:00.000Z', '2025-01-19T23:00:00.000Z', { quietStart: '00:00', quietEnd: '00:00' }],
    ['quiet 00:00–07:00: Saturday 10:00 → Monday 07:00', '2025-01-18T09:00:00.000Z', '2025-01-20T06:00:00.000Z', { quietStart: '00:00', quietEnd: '07:00' }],
    ['another time zone (La Réunion, UTC+4): Friday 20:00 → Monday 09:00 local', '2025-01-17T16:00:00.000Z', '2025-01-20T05:00:00.000Z', { timeZone: 'Indian/Reunion' }],
    // Public holidays are quiet like weekends: Christmas on a Friday → Monday 28 December.
    ['Christmas (Friday 25 December 2026) 10:00 → Monday 09:00', '2026-12-25T09:00:00.000Z', '2026-12-28T08:00:00.000Z', {}],
    ['Thursday 19:30 before Ascension (14 May 2026) → Friday 09:00', '2026-05-13T17:30:00.000Z', '2026-05-15T07:00:00.000Z', {}],
    ['weekends allowed: Christmas 10:00 unchanged', '2026-12-25T09:00:00.000Z', '2026-12-25T09:00:00.000Z', { weekends: true }],
  ];

  test.each(cases)('%s', (_label, at, expected, options) => {
    const result = nextAllowedTime(new Date(at), options);
    expect(iso(result)).toBe(expected);
    // The result is itself allowed, and never earlier than the input.
    expect(iso(nextAllowedTime(result, options))).toBe(expected);
    expect(result.getTime()).toBeGreaterThanOrEqual(new Date(at).getTime());
  });

  test('around the March DST change, every 7th minute maps to the first allowed minute (brute force)', () => {
    const allowed = (t: number) => {
      const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hourCycle: 'h23', weekday: 'short', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(t));
      const get = (k: string) => parts.find((p) => p.type === k)!.value;
      const hhmm = Number(get('hour')) * 60 + Number(get('minute'));
      return !['Sat', 'Sun'].includes(get('weekday')) && hhmm >= 9 * 60 && hhmm < 19 * 60;
    };
    const start = Date.parse('2025-03-28T00:00:00Z');
    const minutes = 7 * 24 * 60;
    const next: number[] = new Array(minutes);
    for (let i = minutes - 1; i >= 0; i--) next[i] = allowed(start + i * 60_000) ? i : next[i + 1];
    for (let i = 0; i < 4 * 24 * 60; i += 7) {
      expect(iso(nextAllowedTime(new Date(start + i * 60_000)))).toBe(iso(new Date(start + next[i] * 60_000)));
    }
  });

  test('isQuiet', () => {
    expect(isQuiet(new Date('2025-01-15T09:00:00Z'))).toBe(false);
    expect(isQuiet(new Date('2025-01-15T19:00:00Z'))).toBe(true);
    expect(isQuiet(new Date('2025-01-18T09:00:00Z'))).toBe(true);
    expect(isQuiet(new Date('2025-01-18T09:00:00Z'), { weekends: true })).toBe(false);
  });

  test('bad settings are refused', () => {
    expect(() => nextAllowedTime(new Date(), { quietStart: '7pm' })).toThrow(/quietStart must be HH:MM/);
    expect(() => nextAllowedTime(new Date(), { quietEnd: '24:00' })).toThrow(/quietEnd must be HH:MM/);
    expect(() => nextAllowedTime(new Date(), { timeZone: 'Europe/Pariss' })).toThrow(RangeError);
  });

  test('parseQuietHours', () => {
    expect(parseQuietHours('19:00-09:00')).toEqual({ quietStart: '19:00', quietEnd: '09:00' });
    expect(parseQuietHours(' 20:30 - 08:15 ')).toEqual({ quietStart: '20:30', quietEnd: '08:15' });
    expect(() => parseQuietHours('19:00')).toThrow(/19:00-09:00/);
    expect(() => parseQuietHours('19h-9h')).toThrow(/HH:MM/);
  });
});

describe('planCheckins', () => {
  test('default milestones: 6 months after the mise en œuvre, 15 after the diagnostic, earliest first, same local time across DST', () => {
    const planned = planCheckins({
      diagnosticConfirmedAt: new Date('2024-03-15T09:00:00Z'), // 10:00 CET
      miseEnOeuvreEndedAt: new Date('2024-11-20T13:30:00Z'), // 14:30 CET
    });
    expect(planned.map((p) => [p.milestone, iso(p.dueAt)])).toEqual([
      ['after_mise_en_oeuvre_6m', '2025-05-20T12:30:00.000Z'], // 14:30 CEST
      ['after_diagnostic_15m', '2025-06-15T08:00:00.000Z'], // 10:00 CEST
    ]);
  });

  test('a milestone whose date is unknown is not planned', () => {
    expect(planCheckins({ diagnosticConfirmedAt: new Date('2025-01-10T10:00:00Z') }).map((p) => p.milestone)).toEqual(['after_diagnostic_15m']);
    expect(planCheckins({ miseEnOeuvreEndedAt: new Date('2025-01-10T10:00:00Z') }).map((p) => p.milestone)).toEqual(['after_mise_en_oeuvre_6m']);
    expect(planCheckins({})).toEqual([]);
    expect(planCheckins({ diagnosticConfirmedAt: new Date('nonsense') })).toEqual([]);
    // …and is listed as such, so that its check-in still planned is cancelled.
    expect(milestonesWithoutDate({ diagnosticConfirmedAt: new Date('2025-01-10T10:00:00Z') })).toEqual(['after_mise_en_oeuvre_6m']);
    expect(milestonesWithoutDate({ diagnosticConfirmedAt: new Date('nonsense') })).toEqual(['after_mise_en_oeuvre_6m', 'after_diagnostic_15m']);
  });

  const months: [string, string, number, number, string][] = [
    ['31 January + 1 month = 28 February', '2025-01-31T09:00:00.000Z', 1, 0, '2025-02-28T09:00:00.000Z'],
    ['29 February + 12 months = 28 February', '2024-02-29T09:00:00.000Z', 12, 0, '2025-02-28T09:00:00.000Z'],
    ['31 August + 6 months = 29 February in a leap year', '2023-08-31T08:00:00.000Z', 6, 0, '2024-02-29T09:00:00.000Z'],
    ['+10 days across the March DST change keeps 10:00 local', '2025-03-25T09:00:00.000Z', 0, 10, '2025-04-04T08:00:00.000Z'],
    ['landing on 02:30 of the March DST night (does not exist) → 03:00 CEST', '2024-12-30T01:30:00.000Z', 3, 0, '2025-03-30T01:00:00.000Z'],
    ['seconds are kept', '2025-01-15T09:00:42.123Z', 1, 0, '2025-02-15T09:00:42.123Z'],
  ];
  test.each(months)('addLocalMonths: %s', (_label, from, m, d, expected) => {
    expect(iso(addLocalMonths(new Date(from), m, d))).toBe(expected);
  });

  test('configured milestones (days and months)', () => {
    const milestones = parseMilestones('diagnosticConfirmedAt+12m, miseEnOeuvreEndedAt+30d');
    const planned = planCheckins({ diagnosticConfirmedAt: new Date('2025-01-15T09:00:00Z'), miseEnOeuvreEndedAt: new Date('2025-06-02T07:00:00Z') }, milestones);
    expect(planned).toEqual([
      { milestone: 'after_mise_en_oeuvre_30d', dueAt: new Date('2025-07-02T07:00:00Z') },
      { milestone: 'after_diagnostic_12m', dueAt: new Date('2026-01-15T09:00:00Z') },
    ]);
  });
});

describe('tooCloseTo (two automatic check-ins of a dossier within weeks)', () => {
  const others = [
    { id: 'diagnostic', dueAt: new Date('2027-04-15T07:00:00Z') },
    { id: 'manual', dueAt: new Date('2027-06-01T07:00:00Z') },
  ];
  it.each([
    ['the same day', '2027-04-15T07:00:00Z', 'diagnostic'],
    ['89 days before', '2027-01-16T07:00:00Z', 'diagnostic'],
    ['90 days before', '2027-01-15T07:00:00Z', undefined],
    ['between the two, nearer the second', '2027-05-20T07:00:00Z', 'manual'],
    ['89 days after the last', '2027-08-29T07:00:00Z', 'manual'],
    ['90 days after the last', '2027-08-30T07:00:00Z', undefined],
  ])('%s', (_label, due, expected) => {
    expect(tooCloseTo(new Date(due), others, 90)?.id).toBe(expected);
  });
  it('a minimum of 0 days lets every check-in through', () => {
    expect(tooCloseTo(new Date('2027-04-15T07:00:00Z'), others, 0)).toBeUndefined();
  });
});

describe('parseMilestones', () => {
  test('the default text gives the default milestones', () => {
    expect(parseMilestones(DEFAULT_MILESTONES_TEXT)).toEqual(DEFAULT_MILESTONES);
  });

  test('spaces, days, and an empty text (no check-in at all)', () => {
    expect(parseMilestones(' diagnosticConfirmedAt + 12m , miseEnOeuvreEndedAt+30d ')).toEqual([
      { id: 'after_diagnostic_12m', from: 'diagnosticConfirmedAt', months: 12 },
      { id: 'after_mise_en_oeuvre_30d', from: 'miseEnOeuvreEndedAt', months: 0, days: 30 },
    ]);
    expect(parseMilestones('')).toEqual([]);
    expect(parseMilestones('   ')).toEqual([]);
  });

  const bad: [string, string, RegExp][] = [
    ['unknown date', 'diagnostic+12m', /unknown date "diagnostic"/],
    ['unknown unit', 'diagnosticConfirmedAt+1y', /unit must be m \(months\) or d \(days\), not "y"/],
    ['missing unit', 'diagnosticConfirmedAt+12', /unit must be m/],
    ['zero', 'diagnosticConfirmedAt+0m', /between 1 and 60 months/],
    ['too far', 'diagnosticConfirmedAt+61m', /between 1 and 60 months/],
    ['no plus sign', 'diagnosticConfirmedAt 12m', /is not source\+N/],
    ['listed twice', 'diagnosticConfirmedAt+12m,diagnosticConfirmedAt+12m', /listed twice/],
    ['empty item', 'diagnosticConfirmedAt+12m,,miseEnOeuvreEndedAt+6m', /empty item/],
  ];
  test.each(bad)('refuses: %s', (_label, text, message) => {
    expect(() => parseMilestones(text)).toThrow(MilestoneSyntaxError);
    expect(() => parseMilestones(text)).toThrow(message);
  });

  test('reports every problem at once', () => {
    try {
      parseMilestones('foo+1m,diagnosticConfirmedAt+2x,miseEnOeuvreEndedAt+6m');
      throw new Error('should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(MilestoneSyntaxError);
      expect((err as MilestoneSyntaxError).problems).toHaveLength(2);
    }
  });
});

describe('checkinDueOnDay (a day a chargé·e picks in the back-office)', () => {
  it.each([
    ['a Wednesday in winter: 09:00 in Paris', '2027-03-17', {}, '2027-03-17T08:00:00.000Z'],
    ['a Wednesday in summer', '2027-06-16', {}, '2027-06-16T07:00:00.000Z'],
    ['the Sunday clocks go forward', '2027-03-28', { weekends: true }, '2027-03-28T07:00:00.000Z'],
    ['a Saturday, weekends quiet: the Monday', '2027-03-20', {}, '2027-03-22T08:00:00.000Z'],
    ['a Saturday, weekends allowed', '2027-03-20', { weekends: true }, '2027-03-20T08:00:00.000Z'],
    ['no quiet hours: midnight local', '2027-03-17', { quietStart: '00:00', quietEnd: '00:00' }, '2027-03-16T23:00:00.000Z'],
    ['29 February of a leap year', '2028-02-29', {}, '2028-02-29T08:00:00.000Z'],
    ['spaces around', ' 2027-03-17 ', {}, '2027-03-17T08:00:00.000Z'],
    ['an overseas DLA: 09:00 in Réunion (UTC+4)', '2027-03-17', { timeZone: 'Indian/Reunion' }, '2027-03-17T05:00:00.000Z'],
  ])('%s', (_label, day, quiet, expected) => {
    expect(checkinDueOnDay(day, quiet)?.toISOString()).toBe(expected);
  });

  it.each(['2027-02-29', '2027-13-01', '2027-04-31', '2027-3-17', '17/03/2027', '', '1999-12-31', '2027-03-17T10:00'])('refuses "%s"', (day) => {
    expect(checkinDueOnDay(day)).toBeUndefined();
  });
});

describe('localDay', () => {
  it('is the calendar day in Paris, not in UTC', () => {
    expect(localDay(new Date('2027-03-01T23:30:00Z'))).toBe('2027-03-02');
    expect(localDay(new Date('2027-03-01T22:59:00Z'))).toBe('2027-03-01');
    expect(localDay(new Date('2027-03-01T23:30:00Z'), 'UTC')).toBe('2027-03-01');
  });
});

describe('milestones for people', () => {
  it('describes the planned milestones and the ones added by hand', () => {
    expect(describeMilestone('after_mise_en_oeuvre_6m')).toEqual({ kind: 'after', from: 'miseEnOeuvreEndedAt', count: 6, unit: 'months' });
    expect(describeMilestone('after_diagnostic_10d')).toEqual({ kind: 'after', from: 'diagnosticConfirmedAt', count: 10, unit: 'days' });
    expect(describeMilestone(manualMilestoneId('2027-03-17', new Set()))).toEqual({ kind: 'manual' });
    expect(describeMilestone('imported_2019')).toEqual({ kind: 'other' });
    for (const m of parseMilestones(DEFAULT_MILESTONES_TEXT)) expect(describeMilestone(m.id).kind).toBe('after');
  });

  it('gives each check-in added by hand its own id, even on the same day', () => {
    expect(manualMilestoneId('2027-03-17', new Set())).toBe('manual_20270317');
    expect(manualMilestoneId('2027-03-17', new Set(['manual_20270317']))).toBe('manual_20270317_2');
    expect(manualMilestoneId('2027-03-17', new Set(['manual_20270317', 'manual_20270317_2']))).toBe('manual_20270317_3');
    expect(manualMilestoneId('2027-03-17', new Set())).toMatch(MILESTONE_ID);
  });
});

describe('French public holidays', () => {
  it.each([
    ['2026-01-01', true], ['2026-04-06', true], ['2026-05-01', true], ['2026-05-08', true], ['2026-05-14', true],
    ['2026-05-25', true], ['2026-07-14', true], ['2026-08-15', true], ['2026-11-01', true], ['2026-11-11', true],
    ['2026-12-25', true], ['2027-03-29', true], ['2027-05-06', true], ['2027-05-17', true],
    ['2026-04-05', false], ['2026-11-26', false], ['2026-12-26', false], ['2027-03-28', false],
  ])('%s → %s', (day, expected) => {
    const [y, m, d] = day.split('-').map(Number);
    expect(isFrenchPublicHoliday(y, m, d)).toBe(expected);
  });
});

describe('planCheckins with quiet hours', () => {
  it('puts each check-in at the first sending moment of its day, not at the time the milestone happened', () => {
    // Recorded on Thursday 26 November 2026 at 19:44 Paris.
    const at = new Date('2026-11-26T18:44:00.000Z');
    const planned = planCheckins({ miseEnOeuvreEndedAt: at, diagnosticConfirmedAt: at }, undefined, 'Europe/Paris', {});
    expect(planned.map((p) => [p.milestone, iso(p.dueAt)])).toEqual([
      ['after_mise_en_oeuvre_6m', '2027-05-26T07:00:00.000Z'], // Wednesday 26 May 2027, 09:00 CEST
      ['after_diagnostic_15m', '2028-02-28T08:00:00.000Z'], // 26 February 2028 is a Saturday → Monday 09:00 CET
    ]);
  });
});

describe('localParts: the local time, its offset kept by hour', () => {
  const intl = (t: number, timeZone: string) => {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short',
    }).formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    return [Number(parts.year), Number(parts.month), Number(parts.day), Number(parts.hour) % 24, Number(parts.minute), Number(parts.second), parts.weekday];
  };
  const ours = (t: number, timeZone: string) => {
    const p = localParts(t, timeZone);
    return [p.year, p.month, p.day, p.hour, p.minute, p.second, ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][p.weekday]];
  };
  // Every minute from 3 hours before to 3 hours after, and each second of the minutes around the change.
  const around = (change: string) => {
    const at = Date.parse(change);
    const instants: number[] = [];
    for (let t = at - 3 * 3_600_000; t <= at + 3 * 3_600_000; t += 60_000) instants.push(t);
    for (let t = at - 120_000; t <= at + 120_000; t += 1_000) instants.push(t, t + 999);
    return instants;
  };

  it.each([
    ['Europe/Paris', '2026-03-29T01:00:00Z'], // 02:00 → 03:00
    ['Europe/Paris', '2026-10-25T01:00:00Z'], // 03:00 → 02:00
    ['Europe/Paris', '2027-03-28T01:00:00Z'],
    ['America/Miquelon', '2026-03-08T05:00:00Z'], // Saint-Pierre-et-Miquelon: 02:00 → 03:00 (UTC−3 → −2)
    ['America/Miquelon', '2026-11-01T04:00:00Z'],
    ['Australia/Lord_Howe', '2026-04-04T15:00:00Z'], // a half-hour change: 02:00 → 01:30
    ['Australia/Lord_Howe', '2026-10-03T15:30:00Z'], // 02:00 → 02:30, within a UTC hour
    ['America/St_Johns', '2026-03-08T05:30:00Z'], // 02:00 → 03:00 at UTC−3:30, within a UTC hour
    ['Pacific/Noumea', '2026-03-29T01:00:00Z'], // no change (UTC+11)
    ['America/Cayenne', '2026-10-25T01:00:00Z'], // no change (UTC−3)
  ])('%s around %s reads as Intl does, minute by minute', (timeZone, change) => {
    const instants = around(change);
    // Twice: read from Intl, then from the offsets kept.
    for (let pass = 0; pass < 2; pass++) {
      const wrong = instants.filter((t) => JSON.stringify(ours(t, timeZone)) !== JSON.stringify(intl(t, timeZone)));
      expect(wrong.map((t) => new Date(t).toISOString())).toEqual([]);
    }
    // The day of an instant late in the evening, in Paris: the local one.
    expect(localDay(new Date('2026-10-24T22:30:00Z'), 'Europe/Paris')).toBe('2026-10-25');
    expect(localDay(new Date('2026-10-25T22:30:00Z'), 'Europe/Paris')).toBe('2026-10-25');
  });
});
