import { decisionHistory, decisionsToAppend, outOfScopeBy } from '../../../src/domain/chargeDecisions';

const first = { outcome: 'eligible', note: 'Premier appel', by: 'Léa Bernard', byEmail: 'lea@dla.test', at: new Date('2026-02-03T10:00:00Z') };
const second = { outcome: 'out_of_scope', by: 'Sophie Martin', byEmail: 'sophie@dla.test', at: new Date('2026-02-05T10:00:00Z') };
const third = { outcome: 'eligible', note: 'Rappel', by: 'Léa Bernard', byEmail: 'lea@dla.test', at: new Date('2026-02-09T10:00:00Z') };

describe('decisionHistory: every decision of a dossier with its note, oldest first', () => {
  it.each([
    ['no decision', {}, []],
    ['a dossier decided before the history was kept: its one decision', { chargeDecision: first }, [first]],
    ['the history, whose last is the decision in force', { chargeDecision: third, chargeDecisions: [first, second, third] }, [first, second, third]],
    // Read back from JSON (« mes données », dates as text): the same decision is not counted twice.
    ['dates as text', { chargeDecision: { ...second, at: second.at.toISOString() }, chargeDecisions: [first, second] }, [first, second]],
    ['a history stored out of order, sorted by date', { chargeDecision: third, chargeDecisions: [third, first] }, [first, third]],
    ['a decision in force missing from the history (changed by hand): added in its place', { chargeDecision: second, chargeDecisions: [first, third] }, [first, second, third]],
  ])('%s', (_label, dossier, expected) => {
    expect(decisionHistory(dossier as never).map((d: { at: Date | string }) => new Date(d.at).toISOString())).toEqual(expected.map((d) => d.at.toISOString()));
  });
});

describe('decisionsToAppend: a new decision never loses the one in force', () => {
  it.each([
    ['the first decision', {}, [third]],
    ['a dossier decided before the history was kept: its decision first', { chargeDecision: first }, [first, third]],
    ['a dossier with a history', { chargeDecision: second, chargeDecisions: [first, second] }, [third]],
  ])('%s', (_label, dossier, expected) => {
    expect(decisionsToAppend(dossier, third)).toEqual(expected);
  });
});

describe('outOfScopeBy: who put a dossier out of the DLA’s scope (the chargé·e’s latest decision wins over the rules)', () => {
  it.each([
    ['no decision yet', {}, undefined],
    ['the rules: eligible', { decision: { outcome: 'eligible' } }, undefined],
    ['the rules: to be confirmed', { decision: { outcome: 'to_confirm' } }, undefined],
    ['the rules: out of scope, no chargé·e’s decision', { decision: { outcome: 'out_of_scope' } }, 'rules'],
    ['the rules out of scope, a chargé·e found it eligible', { decision: { outcome: 'out_of_scope' }, chargeDecision: { outcome: 'eligible' } }, undefined],
    ['the rules to be confirmed, a chargé·e found it out of scope', { decision: { outcome: 'to_confirm' }, chargeDecision: { outcome: 'out_of_scope' } }, 'charge'],
  ])('%s', (_label, dossier, expected) => {
    expect(outOfScopeBy(dossier)).toBe(expected);
  });
});
