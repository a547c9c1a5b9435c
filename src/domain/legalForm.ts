/**
 * The legal form of a structure, recognised from what people write ("on est une asso loi 1901",
 * "SCOP SARL", "chantier d'insertion"). Which forms are in scope is eligibility.ts's business.
 * DOMAIN.md § Eligibility 1.
 */
import { normalizeWords } from './text';

export type LegalForm =
  | 'association'
  | 'cooperative' // SCOP, SCIC, CAE, or a cooperative of unknown kind
  | 'siae' // structure de l'insertion par l'activité économique
  | 'adapted_company' // entreprise adaptée (EA)
  | 'esat'
  | 'esus_company' // "entreprise ESUS" with no other form given
  | 'commercial_company'
  | 'individual'
  | 'public_body'
  | 'federation' // fédération, réseau, tête de réseau, union d'associations
  | 'employers_group' // groupement d'employeurs
  | 'foundation' // fondation, fonds de dotation: unusual for the DLA
  | 'mutual'; // mutuelle: unusual for the DLA

export type SiaeKind = 'ACI' | 'AI' | 'EI' | 'ETTI' | 'EITI';
export type CooperativeKind = 'SCOP' | 'SCIC' | 'CAE';

export interface LegalFormResult {
  form: LegalForm;
  siaeKind?: SiaeKind;
  cooperativeKind?: CooperativeKind;
  /** Holds the ESUS approval (agrément « entreprise solidaire d'utilité sociale »). */
  esus?: boolean;
  /** Association under the droit local of Alsace-Moselle (inscrite au tribunal, no RNA). */
  localLaw?: boolean;
}

interface FormPattern {
  pattern: RegExp;
  result: LegalFormResult;
  /** Matched on the raw text, case-sensitive: acronyms that are everyday words in lower case. */
  raw?: true;
  /** Words that, just before the keyword, mean it is someone else's form ("membre d'une fédération"). */
  notAfter?: string[];
}

const MEMBERSHIP = ['membre', 'membres', 'adherent', 'adherente', 'adherents', 'affilie', 'affiliee', 'partie', 'rattache', 'rattachee', 'member', 'of'];

/**
 * Patterns run on normalize()d text with hyphens as spaces ("auto-entrepreneur" → "auto
 * entrepreneur"), most specific first: "association intermédiaire" is an SIAE before it is an
 * association, "SCOP SARL" a cooperative before a company, "fédération d'associations" a federation.
 */
const FORM_PATTERNS: FormPattern[] = [
  { pattern: /\bgroupements? (d )?employeurs?\b|\bgeiq\b/, result: { form: 'employers_group' } },
  // SIAE kinds (their long names contain "entreprise" and "association": they go first).
  { pattern: /\betti\b|\bentreprises? de travail temporaire (d )?insertion\b/, result: { form: 'siae', siaeKind: 'ETTI' } },
  { pattern: /\beiti\b|\bentreprises? (d )?insertion par le travail independant\b/, result: { form: 'siae', siaeKind: 'EITI' } },
  { pattern: /\bassociations? intermediaires?\b/, result: { form: 'siae', siaeKind: 'AI' } },
  { pattern: /\baci\b|\b(ateliers? )?chantiers? (d )?insertion\b|\bwork integration (schemes?|projects?|sites?|workshops?)\b/, result: { form: 'siae', siaeKind: 'ACI' } },
  { pattern: /\bentreprises? (d )?insertion\b|\bwork integration (compan(y|ies)|enterprises?|business(es)?)\b/, result: { form: 'siae', siaeKind: 'EI' } },
  // "EI" alone also means "entreprise individuelle": an SIAE only when insertion is mentioned too.
  { pattern: /\bei\b.*\b(s?iae|insertion)\b|\b(s?iae|insertion)\b.*\bei\b/, result: { form: 'siae', siaeKind: 'EI' } },
  { pattern: /\bAI\b/, result: { form: 'siae', siaeKind: 'AI' }, raw: true },
  { pattern: /\bs?iae\b|\bstructures? (d )?insertion\b|\binsertion par l activite economique\b|\bwork integration (organi[sz]ations?|structures?)\b/, result: { form: 'siae' } },
  { pattern: /\bentreprises? adaptees?\b|\bsheltered (compan(y|ies)|enterprises?|business(es)?)\b/, result: { form: 'adapted_company' } },
  { pattern: /\bEA\b/, result: { form: 'adapted_company' }, raw: true },
  { pattern: /\besats?\b|\betablissements? (et services? )?(d )?aide par le travail\b/, result: { form: 'esat' } },
  // Cooperatives: a SCOP is legally a SARL or an SA, so they come before companies.
  { pattern: /\bscops?\b|\bcooperatives? (ouvrieres? de production|et participatives?)\b/, result: { form: 'cooperative', cooperativeKind: 'SCOP' } },
  { pattern: /\bscics?\b|\bcooperatives? (d )?interet collectif\b/, result: { form: 'cooperative', cooperativeKind: 'SCIC' } },
  { pattern: /\bcaes?\b|\bcooperatives? (d )?activites? et (d )?emplois?\b/, result: { form: 'cooperative', cooperativeKind: 'CAE' } },
  { pattern: /\bcooperatives?\b|\bcoops?\b|\bco operative\b/, result: { form: 'cooperative' } },
  // Federations before associations ("fédération d'associations"), unless it is the one they belong to.
  {
    pattern: /\bfederations?\b|\btetes? de reseaux?\b|\breseaux? (d |de |des )?(associations?|structures?)\b|\bunions? (d |des )?associations?\b|\bon est un reseau\b|\bnetwork of\b/,
    result: { form: 'federation' },
    notAfter: MEMBERSHIP,
  },
  { pattern: /\bfondations?\b|\bfonds de dotation\b|\bfoundation\b/, result: { form: 'foundation' } },
  { pattern: /\bmutuelles?\b|\bmutual\b/, result: { form: 'mutual' } },
  // Droit local: associations "inscrites" at the tribunal in Bas-Rhin, Haut-Rhin and Moselle.
  {
    pattern: /\bdroit local\b|\balsace moselle\b|\bloi (de )?1908\b|\bassociations? inscrites?\b|\binscrites? au (tribunal|registre des associations)\b/,
    result: { form: 'association', localLaw: true },
  },
  {
    // « notre EHPAD associatif », « une crèche associative » — not the sector others work in (« le milieu associatif »).
    pattern: /\bassociations?\b|\bassos?\b|\bassocs?\b|\b(?<!(?:milieu|secteur|tissu|vie|monde|reseau|reseaux|acteurs?|partenaires?|federations?) )associati(?:f|fs|ve|ves)\b|\bloi (de )?1901\b|\bnon profit\b|\bnonprofit\b|\bnot for profit\b|\bcharity\b|\bngo\b|\bong\b/,
    result: { form: 'association' },
  },
  {
    pattern: /\bauto ?entrepreneu|\bmicro ?entrepr|\b(?<!en )particuliers?\b|\bindividu\b|\bpersonne physique\b|\ba titre (individuel|personnel|prive)\b|\bentreprise individuelle\b|\bentrepreneur individuel\b|\beirl\b|\bfreelance\b|\bself employed\b|\bsole trader\b|\bindividual\b/,
    result: { form: 'individual' },
  },
  {
    pattern: /\bmairies?\b|\bcommunes?\b|\bcollectivites?( territoriales?| locales?)?\b|\betablissements? publics?\b|\bepci\b|\bccas\b|\bcommunaute (de communes|d agglomeration|urbaine)\b|\bconseil (departemental|regional)\b|\bservices? de l etat\b|\bpublic body\b|\bmunicipality\b|\blocal authority\b/,
    result: { form: 'public_body' },
  },
  {
    pattern: /\bsarl\b|\bsasu?\b|\beurl\b|\bsnc\b|\bsocietes? (commerciales?|anonymes?|par actions simplifiees?|a responsabilite limitee)\b|\bstart ?up\b|\bentreprises? (privees?|commerciales?|classiques?)\b|\b(?<!(?:theatre|theater|dance|circus|arts?|music|opera|touring|puppet|street) )company\b|\bbusiness\b(?! (?:models?|plans?|side))|\bltd\b/,
    result: { form: 'commercial_company' },
  },
  { pattern: /\bSA\b/, result: { form: 'commercial_company' }, raw: true },
];

const ESUS = /\besus\b|\bentreprises? solidaires? (d )?utilite sociale\b|\bagrement solidaire\b/;
const ESUS_DENIED = /\b(pas|sans|ni|aucun|non) (encore )?(d |de l |l )?(agrement |agreee?s? )?(esus|entreprise solidaire)|\bno(t)? esus\b/;

/**
 * An ESUS application under way (normalized text): « c'est en cours », « demande déposée », "it's
 * pending", "we applied" — no approval yet, no refusal either: for a chargé·e to confirm.
 */
const ESUS_PENDING = /\b(en cours|en attente|en instruction|demande ((d |de l )?agrement )?(esus )?(est )?(faite|deposee|envoyee)|dossier (est )?(depose|envoye)|(on|nous) (l )?(a|avons) (demande|fait la demande|depose)|pending|in progress|under review|(we )?(have |ve )?applied)\b/;
/** « pas de demande en cours », "nothing pending": no application. */
const NOT_PENDING = /\b(pas|aucune?|ni|no|not|sans|nothing) (de |d )?(demande |dossier |application )?(en cours|en attente|pending|in progress)\b/;

export function esusPending(plain: string): boolean {
  return ESUS_PENDING.test(plain) && !NOT_PENDING.test(plain);
}

/** « SAS, pas d'agrément ESUS », « non agréée ESUS »: no ESUS approval, said (normalized text). */
export function esusDenied(plain: string): boolean {
  return ESUS_DENIED.test(plain);
}

/** « SAS, on a fait la demande d'agrément ESUS en mars »: an ESUS application under way, said with another answer (normalized text). */
export function esusApplicationSaid(plain: string): boolean {
  return ESUS.test(plain) && !ESUS_DENIED.test(plain) && esusPending(plain);
}

/**
 * A person looking for a job for themselves (normalized text): « je cherche un emploi », « je suis
 * au chômage », « demandeuse d'emploi », « je voudrais bosser dans une asso », "I'm looking for a
 * job". Said in the first person only: « on cherche du travail » may be a SCOP looking for clients,
 * and « embaucher quelqu'un pour travailler dans notre asso » is a structure's hiring plan.
 */
const SEEKS_A_JOB = new RegExp([
  '\\b(je|j) (re)?cherche (un |une |du |d )?(emploi|travail|job|boulot|poste|stage|alternance|contrat|cdi|cdd)\\b',
  '\\b(je (suis|me retrouve)|j (me )?suis) (au chomage|sans emploi|sans travail|en recherche d emploi|demandeu(r|se) d emploi|inscrite? (a|chez) (france travail|pole emploi))\\b',
  '\\b(je|j) (voudrais|veux|souhaite|souhaiterais|aimerais|cherche a|aimerai) (bosser|travailler|etre (embauchee?|salariee?|recrutee?)) (dans|pour|chez|en|a) (une |un |l |le |la )?(asso|assos|association|associations|structure|cooperative|scop|scic|ess|economie sociale)\\b',
  '\\b(vous avez|avez vous|vous auriez|auriez vous) des offres\\b',
  '\\b(i m|i am|im) (looking for|searching for|seeking) (a |an )?(job|work|position|internship)\\b',
  '\\bjob ?seeker\\b|\\b(i m|i am|im) unemployed\\b|\\bfind (a |me a )?job\\b',
].join('|'));

export function seeksAJob(plain: string): boolean {
  return SEEKS_A_JOB.test(plain);
}

/**
 * Staff « en insertion » (normalized text): « 12 salariés en insertion », « des CDDI », « en
 * parcours d'insertion » — the mark of a structure de l'insertion par l'activité économique (an
 * entreprise d'insertion is often a SAS or a SARL). « pas de salariés en insertion » is none.
 */
const INSERTION_STAFF = /\b(salaries?|salariees?|personnes?|postes?|contrats?|employes?|employees?|workers?) (en |d )(parcours (d )?)?insertion\b|\bcddi\b|\bparcours d insertion\b|\bpass iae\b|\bwork integration (employees|workers|jobs)\b/;
const NO_INSERTION_STAFF = /\b(pas|aucune?|sans|ni|no|not) (de |d |des )?(salaries?|salariees?|personnes?|postes?|contrats?|employes?|cddi|employees|workers) ?(en |d )?(parcours (d )?)?insertion\b/;

export function mentionsInsertionStaff(text: string | undefined): boolean {
  if (!text) return false;
  const plain = normalizeWords(text);
  return INSERTION_STAFF.test(plain) && !NO_INSERTION_STAFF.test(plain);
}

const NEGATIONS = ['pas', 'plus', 'not', 'ni'];

/** True when one of `words` is among the three words before `index` ("pas une association"). */
function precededBy(text: string, index: number, words: string[]): boolean {
  const before = text.slice(0, index).split(/\s+/).filter(Boolean).slice(-3);
  return before.some((w) => words.includes(w.toLowerCase()));
}

function findForm(plain: string, raw: string): LegalFormResult | undefined {
  for (const { pattern, result, raw: useRaw, notAfter = [] } of FORM_PATTERNS) {
    const text = useRaw ? raw : plain;
    for (const m of text.matchAll(new RegExp(pattern.source, 'g'))) {
      const index = m.index ?? 0;
      if (!precededBy(text, index, NEGATIONS) && !precededBy(text, index, notAfter)) return { ...result };
    }
  }
  return undefined;
}

/** Words that go with a legal form and say nothing else: « on est une asso », « statut : SCOP », "we are a charity". */
const FORM_FILLERS = new Set(['on', 'est', 'c', 'nous', 'sommes', 'une', 'un', 'en', 'sous', 'de', 'd', 'du', 'type', 'statut', 'forme', 'juridique', 'agree', 'agreee', 'agrement', 'avec', 'l',
  'we', 're', 'are', 'a', 'an', 'is', 'it', 's', 'registered', 'as']);

/**
 * The text says a legal form and nothing else (« asso loi 1901 », « SCOP SARL », « une SAS agréée
 * ESUS »): a piece of a first answer that can be taken as the legal form, and is no part of a name.
 */
export function onlyLegalForm(text: string): boolean {
  const plain = normalizeWords(text);
  if (!recognizeLegalForm(text)) return false;
  let rest = plain;
  for (const { pattern, raw } of FORM_PATTERNS) rest = rest.replace(new RegExp(pattern.source, raw ? 'gi' : 'g'), ' ');
  rest = rest.replace(new RegExp(ESUS.source, 'g'), ' ');
  return rest.split(' ').filter(Boolean).every((w) => FORM_FILLERS.has(w));
}

/** A name that begins with a public body's kind: « CCAS de Libourne », « Mairie de Cenon », « Communauté de communes du Réolais ». */
const PUBLIC_BODY_NAME = /^(?:(?:le|la|l)\s)?(?:ccas|cias|epci|(?:mairie|commune|ville|metropole)\s(?:de|d|du|des)|communaute (?:de communes|d agglomeration|urbaine)|conseil (?:departemental|regional)|centre (?:inter)?communal d action sociale)\b/;

/** The name of a public body (PUBLIC_BODY_NAME) says its legal form: plain, noted rather than asked. */
export function publicBodyNamed(name: string): LegalFormResult | undefined {
  return PUBLIC_BODY_NAME.test(normalizeWords(name)) ? { form: 'public_body' } : undefined;
}

/** Recognises the legal form in free text, or undefined when nothing is recognised. */
export function recognizeLegalForm(text: string): LegalFormResult | undefined {
  const plain = normalizeWords(text);
  const esusDenied = ESUS_DENIED.test(plain);
  // « agrément ESUS en cours »: applied for, not approved — not known yet (the ESUS question asks).
  const esus = !esusDenied && ESUS.test(plain) && !esusPending(plain);
  const found = findForm(plain, text);
  if (!found) return esus ? { form: 'esus_company', esus: true } : undefined;
  if (esus) found.esus = true;
  else if (esusDenied) found.esus = false;
  return found;
}
