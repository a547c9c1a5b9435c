/**
 * What people call each answer of the forms (normalized: no accents, apostrophes as spaces): « je
 * veux corriger le siret », « le nom c'est plutôt… », "the postcode is…". The one list the
 * dialogs recognise a correction by, and valueAfterField ends a value at (« le nom c'est X et on a
 * 2,6 etp »: a clause about another answer).
 */
import type { SlotKey } from './accueilForm';
import type { Area } from './ranking';
import { normalize } from './text';

/** The accueil's answers a structure corrects at its review. */
export const ACCUEIL_FIELD_WORDS: Partial<Record<SlotKey, string[]>> = {
  name: ['nom', 'le nom', 'nom de la structure', 'name', 'organisation name'],
  identifiers: ['siret', 'le siret', 'rna', 'le rna', 'siren', 'numero', 'le numero', 'numero siret', 'siret number', 'registration number', 'company number'],
  legalForm: ['forme', 'forme juridique', 'la forme', 'statut', 'le statut', 'statuts', 'legal form', 'form'],
  employees: ['salaries', 'les salaries', 'salarie', 'salariee', 'salariees', 'employes', 'effectif', 'l effectif', 'effectifs', 'etp', 'employees', 'staff', 'fte'],
  location: ['code postal', 'le code postal', 'cp', 'adresse', 'siege', 'le siege', 'departement', 'ville', 'postcode', 'postal code', 'zip', 'address'],
  request: ['demande', 'la demande', 'ma demande', 'besoin', 'le besoin', 'mon besoin', 'request', 'need'],
};

/** The diagnostic's answers a structure corrects at its summary (an area: its situation and its urgency). */
export const DIAGNOSTIC_FIELD_WORDS: Record<'activity' | 'budget' | 'funding' | 'staff' | 'governance' | Area | 'support' | 'availability' | 'needs', string[]> = {
  activity: ['activite', 'l activite', 'activity'],
  budget: ['budget', 'le budget'],
  funding: ['financement', 'financements', 'les financements', 'ressources', 'funding'],
  staff: ['equipe', 'l equipe', 'benevole', 'benevoles', 'salaries', 'salariees', 'salarie', 'etp', 'employees', 'employes', 'team', 'staff', 'volunteers'],
  governance: ['gouvernance', 'conseil d administration', 'bureau', 'governance'],
  organisation: ['organisation', 'organisation interne'],
  people: ['ressources humaines', 'rh', 'hr'],
  strategy: ['strategie', 'projet', 'strategy'],
  economics: ['modele economique', 'business model'],
  finance: ['finances', 'tresorerie', 'finance'],
  support: ['accompagnements', 'accompagnements recus', 'support received'],
  availability: ['disponibilites', 'availability'],
  needs: ['besoins', 'les besoins', 'themes', 'axes', 'needs'],
};

/** Every answer's words, once each. */
export const FORM_FIELD_WORDS: readonly string[] = [...new Set([...Object.values(ACCUEIL_FIELD_WORDS), ...Object.values(DIAGNOSTIC_FIELD_WORDS)].flat())];

/**
 * The answers a message names, in the order it names them: « no, HR urgency is 3 not 4, and
 * strategy should be… » → people, strategy. A word inside a longer one named is not counted
 * (« ressources humaines » names the people, not the funding's « ressources »).
 */
export function fieldsNamed<K extends string>(text: string, words: Record<K, string[]>): K[] {
  const plain = ` ${normalize(text)} `;
  const hits = (Object.keys(words) as K[]).flatMap((key) => words[key].flatMap((w) =>
    [...plain.matchAll(new RegExp(`(?<= )${w}(?= )`, 'g'))].map((m) => ({ key, start: m.index ?? 0, end: (m.index ?? 0) + w.length }))));
  const kept = hits.filter((h) => !hits.some((o) => o !== h && o.end - o.start > h.end - h.start && o.start <= h.start && o.end >= h.end));
  return [...new Set(kept.sort((a, b) => a.start - b.start).map((h) => h.key))];
}
