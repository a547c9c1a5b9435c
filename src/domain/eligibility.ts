/**
 * Pre-qualification of eligibility to the DLA, as a table of rules (DOMAIN.md § Eligibility).
 * The assistant never refuses: it says eligible, to be confirmed by a chargé·e, or out of scope
 * with who can help, always with the reasons. The DLA itself decides.
 * What users read lives in locales/fr/eligibility.json and locales/en/eligibility.json, under the reasonKey codes.
 */
import type { EmployeesResult } from './employees';
import type { LegalForm, LegalFormResult } from './legalForm';
import type { NeedTag } from './resources';
import { normalizeDepartementCode } from './territory';

/** Bump when a rule changes: stored with each result, so a chargé·e knows which rules spoke. */
export const RULES_VERSION = '2026-11-27.2';

export type Outcome = 'eligible' | 'to_confirm' | 'out_of_scope';

export interface EligibilityFacts {
  /** What recognizeLegalForm found, or a choice the person made; undefined: not known. */
  legalForm?: LegalFormResult;
  /** Staff « en insertion » were named (« salariés en insertion », CDDI): a company may be an entreprise d'insertion. */
  insertionStaff?: boolean;
  /** A valid SIRET, SIREN or RNA was given. */
  hasIdentifier?: boolean;
  /** The person says the structure is still a project, not yet created. */
  creationStage?: boolean;
  /** From parseEmployees: etp 0 means no employee, undefined not known. */
  employees?: Pick<EmployeesResult, 'etp' | 'hiringPlan'>;
  /** The need is linked to jobs or to the economic model: judged by the caller; undefined: not known. */
  needLinkedToJobsOrModel?: boolean;
  /** Département code of the head office ("75", "2A", "971"). */
  departement?: string;
  /** The structure acts in several départements or at regional level. */
  multiDepartement?: boolean;
}

/** The territory the operator's DLA serves: usually one département, several for a DLA régional. */
export interface OperatorTerritory {
  departements: string[];
  level?: 'departemental' | 'regional';
}

export interface EligibilityRule {
  code: string;
  source: string;
  applies: (facts: EligibilityFacts, territory: OperatorTerritory) => boolean;
  outcome: Outcome;
  reasonKey: string;
  /**
   * What the structure needs elsewhere when this rule decides the outcome, most useful first: the
   * directory (resources.ts) answers each need with its best entry, the operator's local one first.
   */
  orientation?: NeedTag[];
}

export interface EligibilityReason {
  code: string;
  reasonKey: string;
  outcome: Outcome;
  source: string;
}

export interface EligibilityResult {
  outcome: Outcome;
  reasons: EligibilityReason[];
  rulesVersion: string;
  orientation: NeedTag[];
}

const IN_SCOPE_FORMS: LegalForm[] = ['association', 'siae', 'adapted_company', 'esat'];
/** Accepted by some DLA only (DOMAIN.md: "locally also federations … and groupements d'employeurs"). */
const LOCALLY_ACCEPTED_FORMS: LegalForm[] = ['federation', 'employers_group'];
/** Rare in the DLA and not named by DOMAIN.md: a chargé·e looks at them. */
const UNUSUAL_FORMS: LegalForm[] = ['foundation', 'mutual'];

const form = (f: EligibilityFacts) => f.legalForm?.form;
const formIn = (f: EligibilityFacts, forms: LegalForm[]) => f.legalForm !== undefined && forms.includes(f.legalForm.form);
const etp = (f: EligibilityFacts) => f.employees?.etp;
const noEmployee = (f: EligibilityFacts) => etp(f) === 0 && f.employees?.hiringPlan !== true;
const insertionCompany = (f: EligibilityFacts) => form(f) === 'commercial_company' && f.legalForm?.esus !== true && f.insertionStaff === true;
const companyLike = (f: EligibilityFacts) => formIn(f, ['commercial_company', 'esus_company', 'individual', 'cooperative']);
const inTerritory = (f: EligibilityFacts, t: OperatorTerritory) =>
  f.departement !== undefined && t.departements.map(normalizeDepartementCode).includes(normalizeDepartementCode(f.departement));

const rule = (code: string, section: number, outcome: Outcome, applies: EligibilityRule['applies'], orientation?: NeedTag[]): EligibilityRule => ({
  code,
  source: `DOMAIN.md § Eligibility ${section}`,
  applies,
  outcome,
  reasonKey: `eligibility.reason.${code}`,
  ...(orientation ? { orientation } : {}),
});

export const ELIGIBILITY_RULES: readonly EligibilityRule[] = [
  // 1. Legal form
  rule('legal_form_in_scope', 1, 'eligible', (f) =>
    formIn(f, IN_SCOPE_FORMS) || (form(f) === 'cooperative' && f.legalForm?.cooperativeKind !== undefined)),
  rule('legal_form_esus', 1, 'eligible', (f) =>
    form(f) === 'esus_company' || (form(f) === 'commercial_company' && f.legalForm?.esus === true)),
  rule('legal_form_cooperative_kind', 1, 'to_confirm', (f) => form(f) === 'cooperative' && f.legalForm?.cooperativeKind === undefined),
  // « SAS » with « salariés en insertion »: most likely an entreprise d'insertion (an SIAE), whatever its ESUS answer.
  rule('legal_form_insertion_company', 1, 'to_confirm', (f) => insertionCompany(f)),
  rule('legal_form_esus_unknown', 1, 'to_confirm', (f) => form(f) === 'commercial_company' && f.legalForm?.esus === undefined),
  rule('legal_form_local_acceptance', 1, 'to_confirm', (f) => formIn(f, LOCALLY_ACCEPTED_FORMS)),
  rule('legal_form_unusual', 1, 'to_confirm', (f) => formIn(f, UNUSUAL_FORMS)),
  rule('legal_form_unknown', 1, 'to_confirm', (f) => f.legalForm === undefined),
  // A company: the operator's checked business support, France Active's funding, and the CRESS for the ESUS approval.
  rule('legal_form_commercial', 1, 'out_of_scope', (f) => form(f) === 'commercial_company' && f.legalForm?.esus === false && !insertionCompany(f), ['business_creation', 'funding', 'ess_ecosystem']),
  // A person: the operator's checked job and business-creation entries, then a social-purpose project or an association to create.
  rule('legal_form_individual', 1, 'out_of_scope', (f) => form(f) === 'individual', ['job_seekers', 'business_creation', 'creation', 'association_general']),
  rule('legal_form_public_body', 1, 'out_of_scope', (f) => form(f) === 'public_body', ['dla_other_territory']),

  // 2. Existence
  rule('existence_registered', 2, 'eligible', (f) => f.hasIdentifier === true && f.creationStage !== true),
  rule('existence_to_check', 2, 'to_confirm', (f) => f.hasIdentifier !== true && f.creationStage !== true),
  rule('existence_creation_stage', 2, 'out_of_scope', (f) => f.creationStage === true, ['creation', 'funding', 'ess_ecosystem']),

  // 3. Employer. One half-time employee is an employee: any ETP above 0 counts.
  rule('employer', 3, 'eligible', (f) => (etp(f) ?? 0) > 0),
  rule('first_hire', 3, 'to_confirm', (f) => etp(f) === 0 && f.employees?.hiringPlan === true),
  rule('employees_unknown', 3, 'to_confirm', (f) => etp(f) === undefined),
  // Without employees: an association goes to the associations' networks, a company to the businesses'.
  rule('no_employee', 3, 'out_of_scope', (f) => noEmployee(f) && !companyLike(f), ['non_employer', 'local_association_life']),
  rule('no_employee_company', 3, 'out_of_scope', (f) => noEmployee(f) && companyLike(f), ['business_creation', 'funding', 'ess_ecosystem']),

  // 4. Need. Not known yet is no obstacle: naming the need is the diagnostic's job.
  rule('need_in_scope', 4, 'eligible', (f) => f.needLinkedToJobsOrModel === true),
  rule('need_to_check', 4, 'to_confirm', (f) => f.needLinkedToJobsOrModel === false),

  // 5. Territory
  rule('territory_in_area', 5, 'eligible', (f, t) => inTerritory(f, t)),
  rule('territory_unknown', 5, 'to_confirm', (f) => f.departement === undefined),
  rule('territory_regional', 5, 'to_confirm', (f, t) => f.multiDepartement === true && t.level !== 'regional', ['dla_regional']),
  rule('territory_other_dla', 5, 'out_of_scope', (f, t) => f.departement !== undefined && !inTerritory(f, t), ['dla_other_territory']),
];

/** The head office's département is outside the operator's territory (an empty territory serves them all). */
export function outsideTerritory(departement: string | undefined, territory: OperatorTerritory): boolean {
  return departement !== undefined && territory.departements.length > 0 && !inTerritory({ departement }, territory);
}

/**
 * The reasons that decided the outcome, in rule order. Out of scope for what the structure is (its
 * legal form, its stage, its staff), no DLA would take it: the territory is then no reason given,
 * and its own DLA is not where it is sent. Out of scope, one reason is told — the first, the most
 * fundamental (a person is no employer: « no employee » would only say it again) — and only it orients.
 */
export function decidingReasons<R extends { code: string; outcome: Outcome }>(outcome: Outcome, reasons: readonly R[]): R[] {
  const deciding = reasons.filter((r) => r.outcome === outcome);
  const beyondTerritory = deciding.filter((r) => r.code !== 'territory_other_dla');
  const told = beyondTerritory.length > 0 ? beyondTerritory : deciding;
  return outcome === 'out_of_scope' ? told.slice(0, 1) : told;
}

/** Every rule that applies speaks; the strictest outcome wins (out of scope, then to confirm). */
export function evaluateEligibility(facts: EligibilityFacts, territory: OperatorTerritory): EligibilityResult {
  const applied = ELIGIBILITY_RULES.filter((r) => r.applies(facts, territory));
  const outcome: Outcome = applied.some((r) => r.outcome === 'out_of_scope')
    ? 'out_of_scope'
    : applied.some((r) => r.outcome === 'to_confirm')
      ? 'to_confirm'
      : 'eligible';
  // Only the rule that decided the outcome orients: an out-of-scope answer shows where to go.
  const orientation = [...new Set(decidingReasons(outcome, applied).flatMap((r) => r.orientation ?? []))];
  return {
    outcome,
    reasons: applied.map(({ code, reasonKey, outcome: o, source }) => ({ code, reasonKey, outcome: o, source })),
    rulesVersion: RULES_VERSION,
    orientation,
  };
}
