import { callBack } from '../../../src/domain/callBack';

describe('callBack: one reading of a handoff’s call back, for the back-office and the structure', () => {
  const rules = { contactDelayWorkingDays: 3, territory: { departements: ['33'] }, timeZone: 'Europe/Paris' };
  const monday = { createdAt: '2026-11-02T09:00:00Z', status: 'open', contact: { phone: '06 12 34 56 78' } };

  it.each<[string, Parameters<typeof callBack>[1], string, ReturnType<typeof callBack>['due'], boolean, boolean]>([
    // Made Monday 2 November: 3 working days later is Thursday 5 (Wednesday 11 is a holiday, not in the way).
    ['on the promised day', { departement: '33' }, '2026-11-05T10:00:00Z', 'today', false, false],
    ['past it', { departement: '33' }, '2026-11-06T10:00:00Z', 'overdue', false, false],
    ['before it', { departement: '33' }, '2026-11-03T10:00:00Z', null, false, false],
    ['from outside the territory: never late', { departement: '75' }, '2026-11-20T10:00:00Z', null, true, false],
    ['a decision after the handoff: the call took place', { departement: '33', decidedAt: '2026-11-04T10:00:00Z' }, '2026-11-20T10:00:00Z', null, false, true],
    ['a decision before the handoff (a new request): still to call', { departement: '33', decidedAt: '2026-10-01T10:00:00Z' }, '2026-11-20T10:00:00Z', 'overdue', false, false],
  ])('%s', (_, dossier, now, due, elsewhere, called) => {
    expect(callBack(monday, dossier, rules, new Date(now))).toEqual({ by: '2026-11-05', due, elsewhere, called, unreachable: false });
  });

  it('a closed handoff is nobody’s to call', () => {
    expect(callBack({ ...monday, status: 'closed' }, { departement: '33' }, rules, new Date('2026-11-20T10:00:00Z')).due).toBeNull();
  });

  it('passed on without an e-mail nor a phone: no day promised, never late; a contact added since brings the promise back', () => {
    const late = new Date('2026-11-20T10:00:00Z');
    const nameOnly = { ...monday, contact: { name: 'Sophie' } } as Parameters<typeof callBack>[0];
    expect(callBack(nameOnly, { departement: '33' }, rules, late)).toEqual({ by: null, due: null, unreachable: true, elsewhere: false, called: false });
    // Added to its dossier (no day known): the promise counts from the request.
    expect(callBack(nameOnly, { departement: '33', contact: { email: 'sophie@example.org' } }, rules, late)).toMatchObject({ by: '2026-11-05', due: 'overdue', unreachable: false });
    // Added to the handoff on Wednesday 18: three working days from then.
    const added = { ...monday, contact: { email: 'sophie@example.org' }, contactAddedAt: '2026-11-18T09:00:00Z' };
    expect(callBack(added, { departement: '33' }, rules, late)).toMatchObject({ by: '2026-11-23', due: null, unreachable: false });
  });
});
