import { decidingReasons, ELIGIBILITY_RULES, EligibilityFacts, OperatorTerritory, RULES_VERSION, evaluateEligibility } from '../../../src/domain/eligibility';
import { matchResources, NATIONAL_RESOURCES } from '../../../src/domain/resources';
import fr from '../../../locales/fr/eligibility.json';
import en from '../../../locales/en/eligibility.json';

const territory: OperatorTerritory = { departements: ['35', '22'] };

/** A structure every rule accepts; each row below changes one fact. */
const base: EligibilityFacts = {
  legalForm: { form: 'association' },
  hasIdentifier: true,
  employees: { etp: 2, hiringPlan: false },
  needLinkedToJobsOrModel: true,
  departement: '35',
};

const codes = (facts: EligibilityFacts, t = territory) => evaluateEligibility(facts, t).reasons.map((r) => r.code);

describe('evaluateEligibility: the base structure is eligible', () => {
  test('all five criteria speak, all eligible', () => {
    const result = evaluateEligibility(base, territory);
    expect(result).toEqual({
      outcome: 'eligible',
      reasons: [
        { code: 'legal_form_in_scope', reasonKey: 'eligibility.reason.legal_form_in_scope', outcome: 'eligible', source: 'DOMAIN.md § Eligibility 1' },
        { code: 'existence_registered', reasonKey: 'eligibility.reason.existence_registered', outcome: 'eligible', source: 'DOMAIN.md § Eligibility 2' },
        { code: 'employer', reasonKey: 'eligibility.reason.employer', outcome: 'eligible', source: 'DOMAIN.md § Eligibility 3' },
        { code: 'need_in_scope', reasonKey: 'eligibility.reason.need_in_scope', outcome: 'eligible', source: 'DOMAIN.md § Eligibility 4' },
        { code: 'territory_in_area', reasonKey: 'eligibility.reason.territory_in_area', outcome: 'eligible', source: 'DOMAIN.md § Eligibility 5' },
      ],
      rulesVersion: RULES_VERSION,
      orientation: [],
    });
  });
});

type Row = [string, Partial<EligibilityFacts>, string, string, string[]];

describe('evaluateEligibility: one fact changed', () => {
  test.each<Row>([
    // [label, change, rule code expected, overall outcome, orientation]
    // § 1 Legal form
    ['association de droit local', { legalForm: { form: 'association', localLaw: true } }, 'legal_form_in_scope', 'eligible', []],
    ['SCOP', { legalForm: { form: 'cooperative', cooperativeKind: 'SCOP' } }, 'legal_form_in_scope', 'eligible', []],
    ['SCIC', { legalForm: { form: 'cooperative', cooperativeKind: 'SCIC' } }, 'legal_form_in_scope', 'eligible', []],
    ['CAE', { legalForm: { form: 'cooperative', cooperativeKind: 'CAE' } }, 'legal_form_in_scope', 'eligible', []],
    ['ACI', { legalForm: { form: 'siae', siaeKind: 'ACI' } }, 'legal_form_in_scope', 'eligible', []],
    ['SIAE of unknown kind', { legalForm: { form: 'siae' } }, 'legal_form_in_scope', 'eligible', []],
    ['entreprise adaptée', { legalForm: { form: 'adapted_company' } }, 'legal_form_in_scope', 'eligible', []],
    ['ESAT', { legalForm: { form: 'esat' } }, 'legal_form_in_scope', 'eligible', []],
    ['entreprise ESUS', { legalForm: { form: 'esus_company', esus: true } }, 'legal_form_esus', 'eligible', []],
    ['SAS with ESUS', { legalForm: { form: 'commercial_company', esus: true } }, 'legal_form_esus', 'eligible', []],
    ['cooperative of unknown kind', { legalForm: { form: 'cooperative' } }, 'legal_form_cooperative_kind', 'to_confirm', []],
    ['SAS, ESUS not asked', { legalForm: { form: 'commercial_company' } }, 'legal_form_esus_unknown', 'to_confirm', []],
    ['federation', { legalForm: { form: 'federation' } }, 'legal_form_local_acceptance', 'to_confirm', []],
    ["groupement d'employeurs", { legalForm: { form: 'employers_group' } }, 'legal_form_local_acceptance', 'to_confirm', []],
    ['foundation', { legalForm: { form: 'foundation' } }, 'legal_form_unusual', 'to_confirm', []],
    ['mutual', { legalForm: { form: 'mutual' } }, 'legal_form_unusual', 'to_confirm', []],
    ['form not known', { legalForm: undefined }, 'legal_form_unknown', 'to_confirm', []],
    ['SAS without ESUS', { legalForm: { form: 'commercial_company', esus: false } }, 'legal_form_commercial', 'out_of_scope', ['business_creation', 'funding', 'ess_ecosystem']],
    // « salariés en insertion »: most likely an entreprise d'insertion, whatever its ESUS answer
    ['SAS without ESUS, staff in insertion', { legalForm: { form: 'commercial_company', esus: false }, insertionStaff: true }, 'legal_form_insertion_company', 'to_confirm', []],
    ['SAS, ESUS not known, staff in insertion', { legalForm: { form: 'commercial_company' }, insertionStaff: true }, 'legal_form_insertion_company', 'to_confirm', []],
    ['SAS with ESUS, staff in insertion', { legalForm: { form: 'commercial_company', esus: true }, insertionStaff: true }, 'legal_form_esus', 'eligible', []],
    ['association, staff in insertion', { insertionStaff: true }, 'legal_form_in_scope', 'eligible', []],
    ['auto-entrepreneur', { legalForm: { form: 'individual' } }, 'legal_form_individual', 'out_of_scope', ['job_seekers', 'business_creation', 'creation', 'association_general']],
    ['mairie', { legalForm: { form: 'public_body' } }, 'legal_form_public_body', 'out_of_scope', ['dla_other_territory']],
    // § 2 Existence
    ['no identifier given', { hasIdentifier: false }, 'existence_to_check', 'to_confirm', []],
    ['identifier not asked', { hasIdentifier: undefined }, 'existence_to_check', 'to_confirm', []],
    ['project at creation stage', { hasIdentifier: false, creationStage: true }, 'existence_creation_stage', 'out_of_scope', ['creation', 'funding', 'ess_ecosystem']],
    // § 3 Employer: 0 vs 0,5 ETP is the boundary
    ['0,5 ETP', { employees: { etp: 0.5, hiringPlan: false } }, 'employer', 'eligible', []],
    ['1 ETP', { employees: { etp: 1, hiringPlan: false } }, 'employer', 'eligible', []],
    ['0 ETP, hiring plan (primo-employeuse)', { employees: { etp: 0, hiringPlan: true } }, 'first_hire', 'to_confirm', []],
    ['0 ETP, no plan', { employees: { etp: 0, hiringPlan: false } }, 'no_employee', 'out_of_scope', ['non_employer', 'local_association_life']],
    ['a SARL with 0 ETP, no plan', { legalForm: { form: 'commercial_company' }, employees: { etp: 0, hiringPlan: false } }, 'no_employee_company', 'out_of_scope', ['business_creation', 'funding', 'ess_ecosystem']],
    ['ETP not known', { employees: { etp: undefined, hiringPlan: false } }, 'employees_unknown', 'to_confirm', []],
    ['employees not asked', { employees: undefined }, 'employees_unknown', 'to_confirm', []],
    // § 4 Need
    ['need not about jobs or the model', { needLinkedToJobsOrModel: false }, 'need_to_check', 'to_confirm', []],
    // § 5 Territory
    ['another département of the operator', { departement: '22' }, 'territory_in_area', 'eligible', []],
    ['département outside the territory', { departement: '75' }, 'territory_other_dla', 'out_of_scope', ['dla_other_territory']],
    ['département not known', { departement: undefined }, 'territory_unknown', 'to_confirm', []],
    ['multi-département structure', { multiDepartement: true }, 'territory_regional', 'to_confirm', ['dla_regional']],
  ])('%s → %s, %s', (_label, change, code, outcome, orientation) => {
    const result = evaluateEligibility({ ...base, ...change }, territory);
    expect(result.reasons.map((r) => r.code)).toContain(code);
    expect(result.outcome).toBe(outcome);
    expect(result.orientation).toEqual(orientation);
  });

  test.each<[string, EligibilityFacts['employees'], string[]]>([
    ['employer that also plans to hire', { etp: 2, hiringPlan: true }, ['employer']],
    ['hiring plan, head count not known', { etp: undefined, hiringPlan: true }, ['employees_unknown']],
  ])('§ 3 speaks once: %s', (_label, employees, expected) => {
    const section3 = evaluateEligibility({ ...base, employees }, territory).reasons.filter((r) => r.source.endsWith('3'));
    expect(section3.map((r) => r.code)).toEqual(expected);
  });

  test('unknown need is no obstacle: the diagnostic names it', () => {
    const result = evaluateEligibility({ ...base, needLinkedToJobsOrModel: undefined }, territory);
    expect(result.outcome).toBe('eligible');
    expect(result.reasons.map((r) => r.code)).not.toContain('need_in_scope');
  });

  test('a company with staff in insertion is not also out of scope as a commercial company', () => {
    expect(codes({ ...base, legalForm: { form: 'commercial_company', esus: false }, insertionStaff: true })).not.toContain('legal_form_commercial');
  });

  test('an ESUS company does not also get the commercial-company rules', () => {
    const got = codes({ ...base, legalForm: { form: 'commercial_company', esus: true } });
    expect(got).not.toContain('legal_form_commercial');
    expect(got).not.toContain('legal_form_esus_unknown');
  });

  test('a DLA régional serves multi-département structures of its territory', () => {
    const regional: OperatorTerritory = { departements: ['22', '29', '35', '56'], level: 'regional' };
    const result = evaluateEligibility({ ...base, multiDepartement: true }, regional);
    expect(result.outcome).toBe('eligible');
  });

  test('département codes are compared normalised ("2a" and "2A")', () => {
    expect(evaluateEligibility({ ...base, departement: '2a' }, { departements: ['2A', '2B'] }).outcome).toBe('eligible');
    expect(evaluateEligibility({ ...base, departement: '1' }, { departements: ['01'] }).outcome).toBe('eligible');
  });
});

describe('evaluateEligibility: combining', () => {
  test('out of scope for its legal form and from elsewhere: the company networks, not its own DLA (which would not take it either)', () => {
    const result = evaluateEligibility({ ...base, departement: '69', legalForm: { form: 'commercial_company', esus: false } }, territory);
    expect(result.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['legal_form_commercial', 'territory_other_dla']));
    expect(result.orientation).toEqual(['business_creation', 'funding', 'ess_ecosystem']);
    expect(decidingReasons(result.outcome, result.reasons).map((r) => r.code)).toEqual(['legal_form_commercial']);
  });

  test('out of scope wins over to confirm, and only its orientation is offered', () => {
    const result = evaluateEligibility({ ...base, departement: '75', multiDepartement: true, legalForm: undefined }, territory);
    expect(result.outcome).toBe('out_of_scope');
    expect(result.reasons.map((r) => [r.code, r.outcome])).toEqual(
      expect.arrayContaining([
        ['legal_form_unknown', 'to_confirm'],
        ['territory_regional', 'to_confirm'],
        ['territory_other_dla', 'out_of_scope'],
      ]),
    );
    expect(result.orientation).toEqual(['dla_other_territory']);
  });

  test.each<[string, EligibilityFacts, string]>([
    ['a project without employees yet', { ...base, hasIdentifier: false, creationStage: true, employees: { etp: 0, hiringPlan: false } }, 'existence_creation_stage'],
    ['a person without employees', { ...base, legalForm: { form: 'individual' }, employees: { etp: 0, hiringPlan: false } }, 'legal_form_individual'],
    ['a company without ESUS nor employees', { ...base, legalForm: { form: 'commercial_company', esus: false }, employees: { etp: 0, hiringPlan: false } }, 'legal_form_commercial'],
  ])('several out-of-scope reasons (%s): the first, most fundamental one is told, and only it orients', (_what, facts, code) => {
    const result = evaluateEligibility(facts, territory);
    expect(result.outcome).toBe('out_of_scope');
    expect(result.reasons.filter((r) => r.outcome === 'out_of_scope').length).toBeGreaterThan(1); // all kept for the chargé·e
    expect(decidingReasons(result.outcome, result.reasons).map((r) => r.code)).toEqual([code]);
    expect(result.orientation).toEqual(ELIGIBILITY_RULES.find((r) => r.code === code)!.orientation);
  });

  test('to confirm when one criterion is to confirm and none is out of scope', () => {
    const result = evaluateEligibility({ ...base, employees: { etp: 0, hiringPlan: true } }, territory);
    expect(result.outcome).toBe('to_confirm');
    expect(codes({ ...base, employees: { etp: 0, hiringPlan: true } })).not.toContain('employer');
  });

  test('an empty file is to confirm, never refused', () => {
    const result = evaluateEligibility({}, territory);
    expect(result.outcome).toBe('to_confirm');
    expect(result.reasons.map((r) => r.code)).toEqual(['legal_form_unknown', 'existence_to_check', 'employees_unknown', 'territory_unknown']);
  });
});

describe('rule table', () => {
  test('codes are unique, keys follow the code, sources cite DOMAIN.md', () => {
    const all = ELIGIBILITY_RULES.map((r) => r.code);
    expect(new Set(all).size).toBe(all.length);
    for (const r of ELIGIBILITY_RULES) {
      expect(r.reasonKey).toBe(`eligibility.reason.${r.code}`);
      expect(r.source).toMatch(/^DOMAIN\.md § Eligibility [1-5]$/);
    }
  });

  test('every out-of-scope rule is answered by national entries a person can reach (a site), never named without one', () => {
    const reachable = NATIONAL_RESOURCES.filter((r) => r.url);
    for (const r of ELIGIBILITY_RULES.filter((x) => x.outcome === 'out_of_scope')) {
      expect(matchResources(r.orientation!, undefined, reachable, 3, true).map((m) => m.whyKey)).not.toContain('resources.why.general_orientation');
    }
  });

  test('every out-of-scope rule orients somewhere (never a dead end)', () => {
    for (const r of ELIGIBILITY_RULES.filter((x) => x.outcome === 'out_of_scope')) expect(r.orientation?.length).toBeGreaterThan(0);
  });
});

describe('texts (eligibility.fr.json / eligibility.en.json)', () => {
  const ruleCodes = ELIGIBILITY_RULES.map((r) => r.code).sort();

  test.each([
    ['fr', fr],
    ['en', en],
  ])('%s has a text for every rule and outcome, and no other', (_lang, texts) => {
    expect(Object.keys(texts.reason).sort()).toEqual(ruleCodes);
    expect(Object.keys(texts.outcome).sort()).toEqual(['eligible', 'out_of_scope', 'to_confirm']);
    // Without consent nothing is passed on: an outcome that calls back has its own wording.
    expect(Object.keys(texts.outcomeNoConsent).sort()).toEqual(['eligible', 'to_confirm']);
    for (const text of [...Object.values(texts.reason), ...Object.values(texts.outcome), ...Object.values(texts.outcomeNoConsent), texts.outcomeOtherDla]) {
      expect(text.trim().length).toBeGreaterThan(20);
    }
  });

  test('French uses inclusive writing for chargé·e', () => {
    const all = JSON.stringify(fr);
    expect(all).toContain('chargé·e');
    expect(all).not.toMatch(/\bchargée?s? d/);
  });
});
