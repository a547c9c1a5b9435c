import { normalize } from './text';

/**
 * What the structure's own words say about eligibility. Keyword evidence only ever says
 * "yes, it is about jobs or the economic model"; silence is not a "no" (the chargé·e judges).
 */
const JOBS_OR_MODEL = [
  'emploi', 'salarie', 'salariee', 'recrut', 'embauch', 'poste', 'rh', 'ressources humaines', 'licenci', 'contrat',
  'modele economique', 'economique', 'financ', 'budget', 'tresorerie', 'subvention', 'fonds propres', 'deficit',
  'strategie', 'projet associatif', 'developp', 'gouvernance', 'organisation', 'consolider', 'perenn', 'diversifi',
  'jobs', 'staff', 'hiring', 'funding', 'business model', 'finance', 'strategy', 'governance',
];

const CREATION_STAGE = [
  'pas encore cree', 'pas encore creee', 'en cours de creation', 'en creation', 'projet de creation', 'creer une association',
  'creer notre association', 'creer une structure', 'on veut creer', 'nous voulons creer', 'pas encore declare', 'not yet created',
];

const MULTI_DEPARTEMENT = [
  'plusieurs departements', 'deux departements', 'toute la region', 'echelle regionale', 'niveau regional', 'regionale',
  'national', 'nationale', 'several departements', 'regional',
];

const contains = (text: string, words: string[]) => {
  const t = ` ${normalize(text)} `;
  return words.some((w) => t.includes(w));
};

export function needLinkedToJobsOrModel(request: string | undefined): true | undefined {
  return request && contains(request, JOBS_OR_MODEL) ? true : undefined;
}

export function mentionsCreationStage(text: string | undefined): boolean {
  return !!text && contains(text, CREATION_STAGE);
}

export function mentionsMultiDepartement(text: string | undefined): boolean {
  return !!text && contains(text, MULTI_DEPARTEMENT);
}
