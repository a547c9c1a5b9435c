/**
 * The first-contact form as data (Rasa-style): each slot says how to read an answer and what
 * to say when it cannot. Texts are locale keys (locales/<lng>/accueil.json). No I/O here.
 */
import { ContactPoint, EMAIL, parseContactPoint, PHONE } from './contact';
import { EligibilityFacts, EligibilityResult, evaluateEligibility, OperatorTerritory } from './eligibility';
import { EmployeesResult, parseEmployees } from './employees';
import { parseIdentifiers } from './identifiers';
import { LegalFormResult, recognizeLegalForm } from './legalForm';
import { mentionsCreationStage, mentionsMultiDepartement, needLinkedToJobsOrModel } from './request';
import { departementFromPostalCode, territoryName } from './territory';
import { acceptUnreadAfterAttempts, fail, freeText, isDontKnow, ok, ParseResult } from './form';

export interface AccueilAnswers {
  name?: string;
  identifiers?: { siret?: string; rna?: string; siren?: string; unknown?: boolean; none?: boolean };
  /** Undefined form: the structure described it in words we did not recognise (kept in `text`). */
  legalForm?: { result?: LegalFormResult; text: string };
  employees?: EmployeesResult & { text: string };
  location?: { postalCode?: string; departement?: string; unknown?: boolean };
  request?: string;
  contact?: { name: string } & ContactPoint;
}

export type SlotKey = keyof AccueilAnswers;


export interface Slot<K extends SlotKey = SlotKey> {
  key: K;
  /** Asked only with consent (personal data or free text that may hold some). */
  personal: boolean;
  parse(text: string, attempt: number): ParseResult<NonNullable<AccueilAnswers[K]>>;
}

/** The largest associations employ a few thousand people; the DLA's typical structure, under 50. */
const MAX_ETP = 5000;


export const SLOTS: Slot[] = [
  {
    key: 'name',
    personal: true,
    parse: (text) => {
      const name = text.trim().replace(/\s+/g, ' ');
      return name.length >= 2 && name.length <= 200 && /\p{L}/u.test(name) ? ok(name) : fail('accueil.name.invalid');
    },
  },
  {
    key: 'identifiers',
    personal: true,
    parse: (text) => {
      const found = parseIdentifiers(text);
      const value: NonNullable<AccueilAnswers['identifiers']> = {};
      if (found.siret?.valid) value.siret = found.siret.value;
      if (found.rna?.valid) value.rna = found.rna.value;
      if (found.siren?.valid && !value.siret) value.siren = found.siren.value;
      if (value.siret || value.rna || value.siren) return ok(value);
      const invalid = [found.siret, found.rna, found.siren].find((c) => c && !c.valid);
      if (invalid && !invalid.valid) return fail(`accueil.identifiers.invalid.${invalid.reason}`, { kind: invalid.kind.toUpperCase() });
      if (found.unknown || isDontKnow(text)) return ok({ unknown: true });
      if (found.none) return ok({ none: true });
      return fail('accueil.identifiers.notFound');
    },
  },
  {
    key: 'legalForm',
    personal: false,
    parse: (text, attempt) => {
      const result = recognizeLegalForm(text);
      if (result) return ok({ result, text: text.trim() });
      return acceptUnreadAfterAttempts(text, attempt, { text: text.trim() }, 'accueil.legalForm.unknown');
    },
  },
  {
    key: 'employees',
    personal: false,
    parse: (text, attempt) => {
      const parsed = parseEmployees(text);
      // Above MAX_ETP it is more likely a postal code or a budget than a head count.
      if (parsed.etp !== undefined && parsed.etp > MAX_ETP) return fail('accueil.employees.tooMany', { value: String(parsed.etp) });
      if (parsed.etp !== undefined || parsed.hiringPlan) return ok({ ...parsed, text: text.trim() });
      return acceptUnreadAfterAttempts(text, attempt, { ...parsed, text: text.trim() }, 'accueil.employees.unknown');
    },
  },
  {
    key: 'location',
    personal: false,
    parse: (text) => {
      if (isDontKnow(text)) return ok({ unknown: true });
      const code = /\b\d[\d ]{3,6}\b|\b\d{2}\s?\d{3}\b/.exec(text)?.[0].replace(/\s/g, '') ?? text.trim();
      const found = departementFromPostalCode(code);
      if (found.ok) return ok({ postalCode: found.postalCode, departement: found.departement });
      return fail(`accueil.location.invalid.${found.reason}`, { input: text.trim().slice(0, 20), territory: found.territory ?? '' });
    },
  },
  {
    key: 'request',
    personal: true,
    parse: freeText('accueil.request.tooShort', 3),
  },
];

const ALL_EMAILS = new RegExp(EMAIL.source, 'g');
const ALL_PHONES = new RegExp(PHONE.source, 'g');

/** The contact slot is asked at the end, only when a chargé·e will get back to the structure. */
export const CONTACT_SLOTS: Slot[] = [
  {
    key: 'contact',
    personal: true,
    parse: (text) => {
      const point = parseContactPoint(text);
      if (!point) return fail('accueil.contact.invalid');
      // The same patterns as parseContactPoint, so what it read is what leaves the name.
      const name = text.replace(ALL_EMAILS, ' ').replace(ALL_PHONES, ' ')
        .replace(/[,;:()]|-(?!\p{L})|(?<!\p{L})-/gu, ' ').replace(/(?<![\p{L}\p{N}])(e-mail|email|mail|téléphone|telephone|tél|tel|phone|et|and)(?![\p{L}\p{N}])/giu, ' ').replace(/\s+/g, ' ').trim();
      return ok({ name, ...point });
    },
  },
];

/** The first slot without an answer, among those the consent allows. */
export function nextSlot(answers: AccueilAnswers, consent: boolean, slots: Slot[] = SLOTS): Slot | undefined {
  return slots.find((s) => (consent || !s.personal) && answers[s.key] === undefined);
}

export function eligibilityFacts(a: AccueilAnswers): EligibilityFacts {
  const ids = a.identifiers;
  return {
    legalForm: a.legalForm?.result,
    hasIdentifier: ids ? Boolean(ids.siret || ids.rna || ids.siren) : undefined,
    creationStage: mentionsCreationStage(a.request) || mentionsCreationStage(a.legalForm?.text) || undefined,
    employees: a.employees ? { etp: a.employees.etp, hiringPlan: a.employees.hiringPlan } : undefined,
    needLinkedToJobsOrModel: needLinkedToJobsOrModel(a.request),
    departement: a.location?.departement,
    multiDepartement: mentionsMultiDepartement(a.request) || undefined,
  };
}

/** Eligibility of what was answered; an operator serving every département accepts them all. */
export function decide(answers: AccueilAnswers, territory: OperatorTerritory): EligibilityResult {
  const facts = eligibilityFacts(answers);
  const served = territory.departements.length === 0 && facts.departement ? { ...territory, departements: [facts.departement] } : territory;
  return evaluateEligibility(facts, served);
}

/** Recap lines (locale key + values) for the structure to check its answers. */
export function recap(a: AccueilAnswers): { key: string; field: SlotKey; vars: Record<string, string | number> }[] {
  const lines: { key: string; field: SlotKey; vars: Record<string, string | number> }[] = [];
  if (a.name) lines.push({ key: 'accueil.recap.name', field: 'name', vars: { value: a.name } });
  if (a.identifiers) {
    const value = a.identifiers.siret ?? a.identifiers.siren ?? a.identifiers.rna;
    lines.push(value
      ? { key: 'accueil.recap.identifiers', field: 'identifiers', vars: { value: [a.identifiers.siret ?? a.identifiers.siren, a.identifiers.rna].filter(Boolean).join(' / ') } }
      : { key: 'accueil.recap.identifiersUnknown', field: 'identifiers', vars: {} });
  }
  if (a.legalForm) {
    lines.push(a.legalForm.result
      ? { key: 'accueil.recap.legalForm', field: 'legalForm', vars: { formKey: `accueil.forms.${a.legalForm.result.form}`, detail: a.legalForm.result.siaeKind ?? a.legalForm.result.cooperativeKind ?? '' } }
      : { key: 'accueil.recap.legalFormText', field: 'legalForm', vars: { value: a.legalForm.text } });
  }
  if (a.employees) {
    const e = a.employees;
    lines.push(e.etp !== undefined
      ? { key: e.hiringPlan ? 'accueil.recap.employeesWithPlan' : 'accueil.recap.employees', field: 'employees', vars: { etp: e.etp } }
      : { key: e.hiringPlan ? 'accueil.recap.hiringPlan' : 'accueil.recap.employeesText', field: 'employees', vars: { value: e.text } });
  }
  if (a.location) {
    lines.push(a.location.departement
      ? { key: 'accueil.recap.location', field: 'location', vars: { postalCode: a.location.postalCode ?? '', departement: a.location.departement, name: territoryName(a.location.departement) ?? '' } }
      : { key: 'accueil.recap.locationUnknown', field: 'location', vars: {} });
  }
  if (a.request) lines.push({ key: 'accueil.recap.request', field: 'request', vars: { value: a.request } });
  return lines;
}
