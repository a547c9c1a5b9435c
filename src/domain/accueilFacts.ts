/**
 * The accueil's answers as lines a person reads (label, value) — the back-office's dossier page
 * and the chargé·es' handoff packet alike. Pure: the texts come through `t` (`admin.answers.*`).
 */
import type { Translate } from '../i18n';
import type { Dossier } from '../store/dossiers';
import { esusSaid, etpOf } from './accueilForm';
import { currentStaff } from './diagnosticForm';
import { identifiersShown } from './identifiers';
import { territoryName } from './territory';

export interface AccueilFact {
  key: string;
  label: string;
  value: string;
}

/** What the lines are read from: the accueil's answers, and the diagnostic's (a newer ETP). */
type DossierAnswers = Pick<Dossier, 'answers' | 'diagnostic'>;

/** The staff in force on a dossier: the ETP read at the diagnostic when newer than the accueil's (currentStaff). */
export function staffOf(d: DossierAnswers) {
  return currentStaff(d.answers?.employees ? etpOf(d.answers.employees) : undefined, d.diagnostic?.answers?.staff);
}

/** Each answer given, in the accueil's order; words kept as typed (no number read) marked for the chargé·e to check. */
export function accueilFacts(d: DossierAnswers, t: Translate): AccueilFact[] {
  const a = d.answers ?? {};
  const unknown = t('admin.answers.unknown');
  const facts: AccueilFact[] = [];
  const add = (key: string, value: string | undefined) => facts.push({ key, label: t(`admin.answers.${key}`), value: value && value.trim() ? value : unknown });
  add('name', a.name);
  // Words kept as typed (no number or postal code could be read): shown for the chargé·e to check.
  const typed = (text: string | undefined) => (text?.trim() ? t('admin.answers.asTyped', { text: text.trim() }) : '');
  if (a.identifiers) add('identifiers', [...identifiersShown(a.identifiers), typed(a.identifiers.text)].filter(Boolean).join(' / '));
  if (a.legalForm) {
    const r = a.legalForm.result;
    const detail = r ? r.siaeKind ?? r.cooperativeKind : undefined;
    add('legalForm', r ? `${t(`accueil.forms.${r.form}`)}${detail ? ` (${detail})` : ''}` : a.legalForm.text);
  }
  // « demande en cours »: applied for, not approved yet — for the call.
  if (a.esus) add('esus', t(`admin.esus.${esusSaid(a.esus)}`));
  const staff = staffOf(d);
  if (a.employees || staff.changed) {
    const e = a.employees;
    const known = e && etpOf(e);
    const atAccueil = known !== undefined ? t(e?.headCount ? 'admin.answers.headCount' : 'admin.answers.etp', { etp: known }) : typed(e?.text) || unknown;
    // A newer ETP said at the diagnostic is the current one; the accueil's stays visible next to it.
    const etp = staff.changed ? t('admin.answers.etpFromDiagnostic', { etp: staff.etp, accueil: atAccueil }) : known !== undefined ? atAccueil : typed(e?.text);
    add('employees', [etp, e?.hiringPlan ? t('admin.answers.hiringPlan') : ''].filter(Boolean).join(', '));
  }
  if (a.location) {
    const dep = a.location.departement;
    add('location', [a.location.postalCode, dep ? `${territoryName(dep) ?? ''} (${dep})`.trim() : '', typed(a.location.text)].filter(Boolean).join(' — '));
  }
  if (a.request !== undefined) add('request', a.request);
  if (a.contact) add('contact', [a.contact.name, a.contact.email, a.contact.phone, a.contact.otherPhone].filter(Boolean).join(' · '));
  return facts;
}
