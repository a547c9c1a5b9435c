import { callBack } from '../../../src/domain/callBack';

describe('callBack: one reading of a handoff’s call back, for the back-office and the structure', () => {
  const rules = { contactDelayWorkingDays: 3, territory: { departements: ['33'] }, timeZone: 'Europe/Paris' };
  const monday = { createdAt: '2026-11-02T09:00:00Z', status: 'open' };

  it.each<[string, Parameters<typeof callBack>[1], string, ReturnType<typeof callBack>['due'], boolean, boolean]>([
    // Made Monday 2 November: 3 working days later is Thursday 5 (Wednesday 11 is a holiday, not in the way).
    ['on the promised day', { departement: '33' }, '2026-11-05T10:00:00Z', 'today', false, false],
    ['past it', { departement: '33' }, '2026-11-06T10:00:00Z', 'overdue', false, false],
    ['before it', { departement: '33' }, '2026-11-03T10:00:00Z', null, false, false],
    ['from outside the territory: never late', { departement: '75' }, '2026-11-20T10:00:00Z', null, true, false],
    ['a decision after the handoff: the call took place', { departement: '33', decidedAt: '2026-11-04T10:00:00Z' }, '2026-11-20T10:00:00Z', null, false, true],
    ['a decision before the handoff (a new request): still to call', { departement: '33', decidedAt: '2026-10-01T10:00:00Z' }, '2026-11-20T10:00:00Z', 'overdue', false, false],
  ])('%s', (_, dossier, now, due, elsewhere, called) => {
    expect(callBack(monday, dossier, rules, new Date(now))).toEqual({ by: '2026-11-05', due, elsewhere, called });
  });

  it('a closed handoff is nobody’s to call', () => {
    expect(callBack({ ...monday, status: 'closed' }, { departement: '33' }, rules, new Date('2026-11-20T10:00:00Z')).due).toBeNull();
  });
});
