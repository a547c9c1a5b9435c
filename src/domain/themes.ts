/**
 * The DLA themes (thématiques d'accompagnement) and a transparent reading of a structure's needs
 * in its own words: "notre trésorerie est tendue et les bénévoles s'épuisent" gives
 * restructuration_eco_fin because of "trésorerie" and rh_emploi because of "bénévoles".
 * DOMAIN.md § Themes (the classic three of national statistics first, then the 2022+ top three
 * newcomer diversification_financements, then Avise's other stakes and the CRDLA sectors).
 *
 * Keyword evidence only: every theme found comes with the words that triggered it, so the bot
 * can say "I understood X because you wrote Y" and the structure can correct it.
 * Negations are discounted: "pas de problème de trésorerie", "aucun souci avec le CA",
 * "la trésorerie va bien". "Pas de trésorerie" or "pas de site web" are needs, not negations:
 * only a negated *problem* ("problème", "souci", "difficulté", "besoin"…) is discounted.
 */

export const THEMES = [
  'projet_strategie',
  'organisation_interne',
  'restructuration_eco_fin',
  'diversification_financements',
  'rh_emploi',
  'gouvernance',
  'partenariats',
  'communication',
  'numerique',
  'transformation_ecologique',
  'autre',
] as const;
/** The order of THEMES is also the fixed tie-break order (ranking.ts). */
export type Theme = (typeof THEMES)[number];

export function isTheme(value: unknown): value is Theme {
  return typeof value === 'string' && (THEMES as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------
// Tokens

/** What separates a token from the previous one: phrases only match across 'space' gaps. */
export type Gap = 'start' | 'space' | 'comma' | 'sentence';

export interface Token {
  /** Lower case, no accents, no inclusive-writing dots: "Salarié·es" → "salariees". */
  norm: string;
  /** As typed. */
  raw: string;
  start: number;
  end: number;
  gapBefore: Gap;
}

/** Words with inclusive-writing dots stay whole: "salarié·es", "adhérent.e.s", "bénévole·s". */
const WORD = /[\p{L}\p{N}]+(?:[·•⋅][\p{L}]+|\.(?:e|es|s|ne|nes|rice|rices|ice|ices)(?![\p{L}\p{N}]))*/gu;

export function normalizeWord(word: string): string {
  return word
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[·•⋅.]/g, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae');
}

function gapKind(gap: string): Gap {
  if (/[.;!?\n…]/.test(gap)) return 'sentence';
  if (/[,:()\[\]/–—"«»]/.test(gap)) return 'comma';
  return 'space'; // whitespace, apostrophes (elisions: "l'équipe"), hyphens ("site-web")
}

/** Words with their position in the text; elisions split ("d’emplois" → "d", "emplois"). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    const start = m.index ?? 0;
    tokens.push({
      norm: normalizeWord(m[0]),
      raw: m[0],
      start,
      end: start + m[0].length,
      gapBefore: tokens.length === 0 ? 'start' : gapKind(text.slice(last, start)),
    });
    last = start + m[0].length;
  }
  return tokens;
}

/**
 * A pattern token: "stem*" is a prefix; "=word" is exact; "word" also matches its plurals
 * ("financement" → "financements", "reseau" → "reseaux", "local" → "locaux").
 */
export function tokenMatches(pattern: string, word: string): boolean {
  if (pattern.endsWith('*')) return word.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('=')) return word === pattern.slice(1);
  if (word === pattern || word === `${pattern}s` || word === `${pattern}x`) return true;
  return pattern.endsWith('al') && word === `${pattern.slice(0, -2)}aux`;
}

// ---------------------------------------------------------------------------------------------
// Lexicon: normalized patterns (see tokenMatches); "^0.5" sets a weight (default 1).
// The longest pattern wins at a position, across themes: "réseaux sociaux" is communication,
// "réseau" alone is partenariats; "développement durable" is ecology, not strategy.

const LEXICON: Record<Exclude<Theme, 'autre'>, string[]> = {
  projet_strategie: [
    'strateg*', 'projet associatif', 'projet de structure', 'projet politique', 'projet social', 'projet global',
    'projet de developpement', 'vision', 'orientation*', 'feuille de route', 'plan d action', 'developp*^0.5',
    'changement d echelle', 'changer d echelle', 'essaim*', 'nouvelle activite', 'nouvelles activites',
    'nouveau projet', 'nouveaux projets', 'diversif* activite*', 'diversif* des activite*', 'diversif* nos activite*',
    'diversif* de nos activite*', 'diversif* notre offre', 'diversif* l offre', 'avenir', 'perenn*^0.5', 'positionnement',
    'repositionn*', 'impact social', 'mesure d impact', 'utilite sociale', 'perte de sens', 'sens du projet',
    'croissance', 'prendre du recul', 'growth', 'scaling', 'long terme',
    'roadmap', 'road map', 'business plan', 'year plan', 'multi year plan', 'long term', 'future', 'new activit*', 'social impact', 'impact measurement',
    'strategic plan', 'development plan', 'develop*^0.5', 'expand*^0.5', 'scale up', 'diversif* our activit*', 'diversif* activit*', 'new services',
    // Evaluating what the structure achieves.
    'evaluer notre impact', 'evaluer l impact', 'evaluation d impact', 'evaluation de nos actions', 'evaluate our impact', 'impact assessment',
  ],
  organisation_interne: [
    'organisation', 'organisation interne', 'organisation du travail', 'reorganis*', 'organigramme', 'organization',
    'internal organi*', 'fonctionnement', 'fonctionnement interne', 'repartition des roles', 'repartition des taches',
    'repartir les roles', 'repartir les taches', 'role de chacun', 'roles de chacun', 'qui fait quoi', 'process*',
    'procedure*', 'outil* de gestion', 'outil* de suivi', 'pilotage', 'piloter', 'tableau de bord', 'tableaux de bord',
    'coordination', 'circulation de l information', 'communication interne', 'reunion*', 'nos locaux', 'les locaux', 'des locaux', 'nouveaux locaux', 'notre local',
    'un local', 'le local', '=bureaux', 'demenag*', 'structuration', 'structurer', 'delegation*', 'gestion administrative', 'administratif*',
    'gestion de projet*', 'planning*', 'workflow*', 'roles', 'who does what', 'internal communication', 'management tools', 'premises', 'paperwork',
    // « gestion des commandes », "order management": how the work is organised, not staff management.
    'gestion des commandes', 'gestion des stocks', 'gestion du planning', 'order management', 'orders management', 'stock management',
    'inventory management', 'project management', 'management of orders', 'management of our orders', 'management of the orders',
    'administrative work', 'administrative tasks', 'admin work', 'admin tasks', 'meetings', 'dashboard*', 'scheduling', 'office space', 'procedures',
  ],
  restructuration_eco_fin: [
    'tresorerie', '=treso', 'payer les salaires', 'payer nos salaries', 'payer les salaries', 'payer nos salaires', 'dans le rouge', 'restructur*', 'deficit*', 'dette*', 'endett*', 'debt*', 'fonds propres', 'difficulte* financiere*',
    'situation financiere', 'sante financiere', 'fragilite financiere', 'equilibre financier', 'equilibre budgetaire',
    'financier*', 'financiere*', 'financial*', 'budget*^0.5', 'pertes', 'redressement', 'liquidation',
    'cessation de paiement*', 'faillite', 'decouvert', 'impaye*', 'retard* de paiement*', 'comptab*^0.5',
    'resultat* negatif*', 'modele economique', 'modele eco', 'business model', 'chiffre d affaires^0.5',
    'rentabilit*', 'tarif*^0.5', 'couts^0.5', 'cash flow', 'cashflow', '=cash', 'insolven*', 'difficulte* economique*', 'situation economique',
    'fragilite economique', 'sante economique', 'equilibre economique', 'losses', 'bankrupt*', 'economic model', 'financial health', 'pricing', 'overdraft',
    'financial management', 'accounting^0.5', 'bookkeeping^0.5', 'costs^0.5', 'profitab*', 'break even', 'running at a loss', 'liquidity', 'unpaid invoices', 'late payments',
    // Jobs cut for want of money: an economic restructuring as much as a staff question (rh_emploi has them too).
    'licenci*', 'plan social', 'chomage partiel', 'lay off*', 'laid off', 'layoff*', 'redundanc*',
    // Borrowing: debt the economic model must carry (France Active's loans and guarantees).
    'emprunt*', 'un pret', 'des prets', 'pret bancaire', 'pret d honneur', 'loan*', 'bank loan*',
  ],
  diversification_financements: [
    'financement*', 'financeur*', 'financer', 'diversif*', 'subvention*', 'mecenat', 'mecene*', 'fondation*',
    '=don', '=dons', 'donateur*', 'donatrice*', 'collecte de fonds', 'levee de fonds', 'lever des fonds',
    'crowdfunding', 'appel* a projet*', 'recettes propres', 'ressources propres', 'autofinancement', 'hybrid*',
    'nouvelles ressources', 'nouveaux financeurs', 'modele economique', 'modele eco', 'business model',
    'vente*^0.5', 'prestation*^0.5', 'cotisation*^0.5', 'sponsor*', 'partenaire* financier*', 'fonds europeen*',
    '=fse', 'fundrais*', 'funding', 'grant*', 'donor*', 'donation*', 'philanthrop*', 'recettes^0.5',
    'funder*', 'fund raising', 'raise funds', 'raising funds', 'financing', 'sponsorship', 'new income', 'income streams', 'revenue streams', 'own income',
    // Customers and sales: own revenue, the economic model's other leg (« vente* » above).
    'client*', 'commercial*', 'prospect*', 'nouveaux marches', 'debouches', 'customer*', 'new markets', 'sales^0.5', 'earned income', 'membership fees^0.5',
    // Public contracts and investment to fund: where the money comes from.
    'appel* d offre*', 'marche* public*', 'commande publique', 'public tender*', 'public procurement', 'investissement*', 'investir', 'plan de financement', 'investment*',
  ],
  rh_emploi: [
    '=rh', 'ressources humaines', 'payer les salaires', 'payer nos salaries', 'payer les salaries', 'payer nos salaires', 'salarie*', 'emploi*', 'employe*', 'employeur*', 'recrut*', 'embauch*', 'equipe*',
    'benevol*', 'manag*', 'turn over', 'turnover', 'epuis*', 'burn out', 'burnout', 'surcharge*', 'charge de travail',
    'risques psychosociaux', '=rps', 'competence*', 'developpement des competences', 'formation*', 'fiche de poste',
    'fiches de poste', 'poste', 'gpec', 'gepp', 'convention collective', 'licenci*', 'retraite*', 'conditions de travail',
    'qualite de vie au travail', 'environnement de travail', 'qvt', 'qvct', 'absenteisme', 'arret* maladie',
    'salaire*', 'remuneration*', 'contrat* aide*', '=cdi', '=cdd', 'alternan*', 'apprenti*', 'stagiaire*',
    'service civique', 'services civiques', 'volontaire*', 'personnel', 'collaborateur*', 'collaboratrice*',
    'groupement d employeurs', 'staff', 'hiring', 'hire', 'recruit*', 'volunteer*', 'employee*', '=hr',
    'human resources', 'job', 'workforce', 'jobs', 'team*', 'training', 'skills', 'wages', 'workload', 'exhausted', 'employment', 'manager*',
    'train our staff', 'train our team', 'train staff', 'train volunteers', 'train our volunteers', 'salary', 'salaries', 'payroll', 'job description*',
    'working conditions', 'work environment', 'working environment', 'wellbeing at work', 'well being at work', 'internship*', '=intern', '=interns', 'apprentice*',
    'people management', 'staff management', 'team management', 'management of the team', 'management of our team',
    // SIAE's supervisors (« encadrant·es techniques »), conflicts at work.
    'encadrant*', 'encadrement', 'conflit*', 'supervisor*', 'conflict*',
  ],
  gouvernance: [
    'gouvernance', 'governance', 'conseil d administration', 'conseil* d admin', '=bureau', 'membres du bureau',
    'administrateur*', 'administratrice*', 'president*', 'vice president*', 'copresiden*', 'co presiden*',
    'tresorier*', 'assemblee generale', 'assemblees generales', '=ag', 'instance*', 'statut*', 'dirigeant*',
    'dirigeant* benevole*', 'elu* associatif*', 'vie associative', 'vie democratique', 'democratie interne',
    'societariat', 'cooperateur*', 'collegial*', 'prise de decision*', 'prises de decision*', 'adherent*^0.5',
    'board', 'trustee*', 'general assembly', 'decision making', 'chairperson', 'chair of the board',
    'board of directors', 'annual general meeting', '=agm', 'bylaws', 'by laws', 'treasurer', 'elected members', 'democratic life',
    // A leader leaving, a change of statutes (« passer en SCIC »).
    'succession', 'transmission de la direction', 'depart du directeur', 'depart de la directrice', 'depart du fondateur', 'depart de la fondatrice', 'depart du president', 'depart de la presidente',
    'passer en scic', 'passer en scop', 'passer en cooperative', 'transformation en scic', 'transformation en scop', 'transformer en scic', 'transformer en scop', 'transformer en cooperative',
    'leadership transition', 'succession planning', 'founder leaving', 'director leaving', 'become a cooperative', 'convert* to a cooperative',
  ],
  partenariats: [
    'partenariat*', 'partenaire*', 'cooperation*', 'cooperer', 'mutualis*', 'reseau', 'fusion*', 'rapprochement*',
    'regroupement*', 'groupement*', 'alliance*', 'consortium*', 'collectif*^0.5', 'travailler avec d autres',
    'travailler ensemble', 'autres associations', 'autres structures', 'acteurs du territoire', 'ancrage territorial',
    'collaboration*', 'ptce', 'collectivite*^0.5', 'partnership*', 'partner*', 'network*', 'merger*',
    'local authorit*^0.5', 'pool resources', 'pooling', 'work together', 'working together', 'other associations', 'other organisations', 'other organizations',
  ],
  communication: [
    // « la com », « de la comm »: how people say it (« com » alone, not inside « commune » or « comptabilité »).
    'communication', 'communiquer', 'la com', 'de la com', 'notre com', 'la comm', 'de la comm', 'notre comm', 'visibilite', 'notoriete', 'site web', 'site internet', 'reseaux sociaux',
    'reseau social', 'facebook', 'instagram', 'linkedin', 'newsletter*', 'lettre d information', 'plaquette*',
    'flyer*', 'affiche*', 'image', 'faire connaitre', 'se faire connaitre', 'nous faire connaitre', 'logo',
    'charte graphique', 'marketing', 'presse', 'medias', 'relations publiques', 'plaidoyer', 'storytelling',
    'valorisation', 'valoriser nos actions', 'website', 'social media', 'outreach', 'visibility', 'awareness',
    'communicate', 'comms', 'branding', '=brand', '=press', '=media', 'public relations', 'advertis*', 'promot*^0.5', 'leaflet*', 'poster*',
    'reputation', 'make ourselves known', 'get known', 'get the word out', 'web site',
    // Performing arts say « diffusion »: getting their shows programmed and seen (Opale, the culture CRDLA).
    'diffusion', 'diffuser', 'diffuse*^0.5', 'tournee*^0.5', 'programmateur*', 'programmatrice*', 'nouveaux publics', 'attirer du public', 'toucher du public',
    'trouver notre public', 'elargir notre public', '=audience', '=audiences', 'touring', 'distribution of our show*', 'book our show*', 'promote our show*',
  ],
  numerique: [
    'numerique*', 'digital*', 'informati*', 'logiciel*', 'outil* numerique*', 'transformation numerique',
    'transition numerique', 'dematerialis*', 'cloud', 'rgpd', 'donnees personnelles', 'base de donnees',
    'bases de donnees', 'cybersecurite', '=crm', '=erp', 'ordinateur*', 'intelligence artificielle', '=ia',
    'visio*', 'teletravail', 'messagerie*', 'tableur*', 'excel', 'internet^0.5', 'site web^0.5', 'site internet^0.5',
    'website^0.5', 'appli', 'applis', 'software', 'data',
    // « numériser », "digitise", "IT tools" (« IT » alone is the pronoun "it": only in these phrases).
    'numeris*', 'digitis*', 'digitiz*', 'it tools', 'it tool', 'it system', 'it equipment', 'it support', 'it skills', 'computer*', 'database*',
    'technolog*', '=tech', 'cyber*', 'online tools', 'online platform', 'online shop', 'online store', 'online booking', 'e commerce', 'ecommerce',
    'spreadsheet*', '=gdpr', 'data protection', 'artificial intelligence', '=ai', 'paperless', 'video conferenc*', 'remote work', '=app', '=apps', '=crm',
  ],
  transformation_ecologique: [
    'ecolog*', 'transition ecologique', 'transformation ecologique', 'environnement*', 'bilan carbone',
    'empreinte carbone', 'carbone', 'climat*', 'decarbon*', 'developpement durable', 'rse', 'dechet*', 'recycl*',
    'reemploi', 'economie circulaire', 'sobriete*', 'energie*', 'energetique*', 'biodiversite', 'mobilite douce',
    'mobilites douces', 'circuit court', 'circuits courts', 'zero dechet', 'green', 'climate', 'carbon',
    'environmental', 'sustainab*', 'ecological',
    '=environment', 'reduce waste', 'waste reduction', 'waste management', 'food waste', 'zero waste', 'reuse', 'circular economy',
    'energy costs', 'energy consumption', 'energy efficiency', 'energy bills', 'energy transition', 'biodiversity', 'ecolog*', 'low carbon', 'recycl*',
  ],
};

interface Entry {
  theme: Exclude<Theme, 'autre'>;
  /** The pattern as written in the lexicon (without its weight): the unit of scoring. */
  key: string;
  words: string[];
  weight: number;
}

const ENTRIES: Entry[] = Object.entries(LEXICON).flatMap(([theme, patterns]) =>
  patterns.map((p) => {
    const [key, weight] = p.split('^');
    return { theme: theme as Entry['theme'], key, words: key.split(' '), weight: weight ? Number(weight) : 1 };
  }),
);

// ---------------------------------------------------------------------------------------------
// Negations

/** A negated problem noun discounts the theme word it is about. */
const PROBLEM_NOUNS = ['problem*', 'souci', 'difficulte', 'inquietude', 'besoin', 'tension', 'enjeu', 'issue', 'concern', 'worry'];
const isProblemNoun = (w: string) => PROBLEM_NOUNS.some((p) => tokenMatches(p, w));
/** Between the problem noun and the theme word: "pas de souci particulier avec notre trésorerie". */
const LINKERS = new Set([
  'de', 'd', 'du', 'des', 'le', 'la', 'les', 'l', 'avec', 'sur', 'en', 'au', 'aux', 'a', 'cote', 'niveau', 'notre', 'nos',
  'leur', 'leurs', 'son', 'sa', 'ses', 'votre', 'vos', 'concernant', 'pour', 'dans', 'particulier', 'particuliers',
  'particuliere', 'particulieres', 'majeur', 'majeurs', 'majeure', 'majeures', 'grave', 'graves', 'gros', 'grosse',
  'grosses', 'vrai', 'vrais', 'vraie', 'vraies', 'reel', 'reels', 'reelle', 'reelles', 'with', 'our', 'the', 'of',
]);
const ADJECTIVES_BEFORE_NOUN = new Set(['gros', 'grosse', 'grosses', 'vrai', 'vrais', 'vraie', 'vraies', 'grand', 'grands', 'grande', 'grandes', 'reel', 'reels', 'reelle', 'reelles', 'real', 'big', 'major']);
const NEGATION_DETERMINERS = new Set(['aucun', 'aucune', 'aucuns', 'aucunes', 'sans', 'zero', 'no', 'nul', 'nulle']);
const NEGATION_ADVERBS = new Set(['pas', 'plus', 'jamais', 'guere', 'point', 'not']);
const NEGATION_DEGREES = new Set(['vraiment', 'trop', 'beaucoup', 'tellement', 'encore', 'forcement', 'specialement', 'any']);
const COORDINATION_LINKERS = new Set(['de', 'd', 'du', 'des']);

/** "la trésorerie va bien", "côté gouvernance, pas de souci", "le CA n'est pas un problème". */
const FINE_AFTER: string[][] = [
  ['va', 'bien'], ['vont', 'bien'], ['ca', 'va'], ['c', 'est', 'ok'], ['est', 'ok'], ['est', 'saine'], ['est', 'sain'],
  ['est', 'solide'], ['est', 'bonne'], ['est', 'stable'], ['sont', 'bonnes'], ['sont', 'saines'],
  ['n', 'est', 'pas', 'un', 'probleme'], ['n', 'est', 'pas', 'un', 'souci'], ['n', 'est', 'pas', 'un', 'sujet'],
  ['n', 'est', 'pas', 'une', 'priorite'], ['n', 'est', 'pas', 'une', 'difficulte'], ['ne', 'pose', 'pas', 'de', 'probleme'],
  ['ne', 'pose', 'aucun', 'probleme'], ['ne', 'nous', 'inquiete', 'pas'], ['pas', 'de', 'probleme'], ['pas', 'de', 'souci'],
  ['pas', 'd', 'inquietude'], ['aucun', 'probleme'], ['aucun', 'souci'], ['=ras'], ['fonctionne', 'bien'],
  ['fonctionnent', 'bien'], ['se', 'passe', 'bien'], ['is', 'fine'], ['is', 'ok'], ['is', 'not', 'an', 'issue'],
  ['is', 'not', 'a', 'problem'], ['no', 'problem'], ['no', 'issue'],
];
/** Words allowed between the theme word and FINE_AFTER: "la trésorerie de l'association va bien". */
const FINE_FILLERS = new Set(['de', 'd', 'du', 'des', 'l', 'la', 'le', 'les', 'association', 'asso', 'structure', 'notre', 'nos', 'elle', 'il', 'elles', 'ils', 'pour', 'nous', 'on', 'our', 'the']);
const FINE_SPOILERS = new Set(['mal', 'pas', 'plus', 'moins', 'mieux', 'etre', 'devenir', 'not', 'badly']);
/** Clause-breaking words: negations never reach across them. */
const CLAUSE_WORDS = new Set(['mais', 'cependant', 'pourtant', 'neanmoins', 'toutefois', 'sauf', 'but', 'however', 'contre', 'revanche']);

/** The pattern tokens `phrase` (see tokenMatches) at tokens[i], its words separated by spaces only. */
export function phraseAt(tokens: Token[], i: number, phrase: string[]): boolean {
  return phrase.every((p, k) => {
    const t = tokens[i + k];
    return t !== undefined && tokenMatches(p, t.norm) && (k === 0 || t.gapBefore === 'space');
  });
}

/** A theme occurrence in a text. */
export interface ThemeMatch {
  theme: Exclude<Theme, 'autre'>;
  /** Lexicon pattern: one pattern counts once per theme however often it occurs. */
  key: string;
  weight: number;
  /** The words as typed: "trésorerie", "conseil d'administration", "salarié·es". */
  text: string;
  /** Token indexes, inclusive. */
  first: number;
  last: number;
  negated: boolean;
}

function negatedBefore(tokens: Token[], first: number, previous: ThemeMatch[]): boolean {
  // The problem noun: the match's own first word ("aucune difficulté financière") or one found
  // walking back over linkers ("pas de souci particulier avec notre trésorerie").
  let k = first;
  let linkers: string[] = [];
  if (!isProblemNoun(tokens[k].norm)) {
    k = first - 1;
    while (k >= 0 && tokens[k + 1].gapBefore === 'space' && LINKERS.has(tokens[k].norm) && first - k <= 5) {
      linkers.push(tokens[k].norm);
      k -= 1;
    }
    if (k < 0) return false;
    const gap = tokens[k + 1].gapBefore;
    // Coordination with a negated match: "pas de problème de trésorerie, de gouvernance ni de RH".
    if (tokens[k].norm === 'ni' && gap === 'space') return true;
    const coordinated = (end: number) => {
      const before = previous.find((m) => m.last === end);
      return !!before && before.negated && linkers.some((l) => COORDINATION_LINKERS.has(l));
    };
    if (gap === 'comma') return coordinated(k);
    if (gap !== 'space') return false;
    if ((tokens[k].norm === 'et' || tokens[k].norm === 'ou' || tokens[k].norm === 'and' || tokens[k].norm === 'or') && tokens[k].gapBefore === 'space') {
      return coordinated(k - 1);
    }
    // "ce n'est pas la trésorerie qui pose problème"
    if (tokens[k].norm === 'pas' && tokens[k - 1]?.norm === 'est' && tokens[k - 2]?.norm === 'n') return true;
    if (!isProblemNoun(tokens[k].norm)) return false;
  }
  // What precedes the problem noun: "aucun", "sans", "pas de", "pas un", "pas vraiment de", "pas besoin".
  let p = k - 1;
  while (p >= 0 && ADJECTIVES_BEFORE_NOUN.has(tokens[p].norm)) p -= 1;
  const at = (i: number) => (i >= 0 && tokens[i + 1].gapBefore === 'space' ? tokens[i].norm : '');
  const w1 = at(p);
  if (NEGATION_DETERMINERS.has(w1)) return true;
  if (w1 === 'pas' || w1 === 'not') return true; // "pas besoin de communication"
  if (['de', 'd', 'un', 'une', 'any', 'a', 'an'].includes(w1)) {
    const w2 = at(p - 1);
    if (NEGATION_ADVERBS.has(w2)) return true;
    if (NEGATION_DEGREES.has(w2) && NEGATION_ADVERBS.has(at(p - 2))) return true;
  }
  return false;
}

function fineAfter(tokens: Token[], last: number, nextMatchStart: number): boolean {
  for (let q = last + 1; q <= last + 5 && q < tokens.length && q < nextMatchStart; q++) {
    if (tokens[q].gapBefore === 'sentence' || CLAUSE_WORDS.has(tokens[q].norm)) return false;
    const phrase = FINE_AFTER.find((f) => phraseAt(tokens, q, f));
    if (phrase) {
      const after = tokens[q + phrase.length];
      const spoiled = after && after.gapBefore === 'space' && FINE_SPOILERS.has(after.norm);
      // "pas de souci de gouvernance" is about the next word, not this one.
      const aboutNext =
        after && after.gapBefore === 'space' && LINKERS.has(after.norm) && ['pas', 'aucun'].includes(phrase[0]) && nextMatchStart <= q + phrase.length + 3;
      return !spoiled && !aboutNext;
    }
    if (!FINE_FILLERS.has(tokens[q].norm)) return false;
  }
  return false;
}

const CA_DETERMINERS = new Set(['le', 'notre', 'du', 'au', 'un', 'votre', 'son', 'leur', 'ce']);
const TURNOVER_CONTEXT = /^(baiss|hauss|augment|diminu|progress|chut|chiffre|euro|eur$|k$|keur$|\d{3,}|\d+(k|m)$)/;

/** "CA": conseil d'administration, or chiffre d'affaires when money words are around. Never "ça". */
function caAt(tokens: Token[], i: number): Entry | undefined {
  const t = tokens[i];
  const upper = t.raw === 'CA';
  const lowerAfterDeterminer = t.norm === 'ca' && t.raw !== 'ça' && t.raw !== 'Ça' && CA_DETERMINERS.has(tokens[i - 1]?.norm ?? '');
  if (!upper && !lowerAfterDeterminer) return undefined;
  const around = tokens.slice(Math.max(0, i - 3), i + 4).map((x) => x.norm);
  if (around.some((w) => TURNOVER_CONTEXT.test(w))) {
    return { theme: 'restructuration_eco_fin', key: 'chiffre d affaires', words: ['ca'], weight: 1 };
  }
  return { theme: 'gouvernance', key: 'conseil d administration', words: ['ca'], weight: 1 };
}

/** Every lexicon occurrence, longest pattern first at each position, with its negation status. */
export function findThemeMatches(text: string): ThemeMatch[] {
  const tokens = tokenize(text);
  const found: { entries: Entry[]; first: number; last: number }[] = [];
  let i = 0;
  while (i < tokens.length) {
    const ca = caAt(tokens, i);
    if (ca) {
      found.push({ entries: [ca], first: i, last: i });
      i += 1;
      continue;
    }
    let best: Entry[] = [];
    for (const e of ENTRIES) {
      if (e.words.length < (best[0]?.words.length ?? 1)) continue;
      if (!phraseAt(tokens, i, e.words)) continue;
      if (best.length > 0 && e.words.length > best[0].words.length) best = [];
      // One entry per theme at a position.
      if (!best.some((b) => b.theme === e.theme)) best.push(e);
    }
    if (best.length === 0) {
      i += 1;
      continue;
    }
    const length = best[0].words.length;
    found.push({ entries: best, first: i, last: i + length - 1 });
    i += length;
  }
  const matches: ThemeMatch[] = [];
  found.forEach((f, n) => {
    const nextStart = found[n + 1]?.first ?? tokens.length;
    const negated = negatedBefore(tokens, f.first, matches) || fineAfter(tokens, f.last, nextStart);
    const surface = text.slice(tokens[f.first].start, tokens[f.last].end);
    for (const e of f.entries) {
      matches.push({ theme: e.theme, key: e.key, weight: e.weight, text: surface, first: f.first, last: f.last, negated });
    }
  });
  return [...matches, ...lossOfFunding(text, tokens, matches)];
}

/** What funds the structure: losing it (lossOfFunding) is restructuration_eco_fin too. */
const FUNDING_KEYS = new Set(['financement*', 'financeur*', 'subvention*', 'mecenat', 'mecene*', 'fondation*', '=don', '=dons', 'donateur*', 'donatrice*', 'client*',
  'sponsor*', 'partenaire* financier*', 'fonds europeen*', '=fse', 'funding', 'grant*', 'donor*', 'donation*', 'funder*', 'financing', 'sponsorship', 'customer*', 'contrat* aide*']);
/** « perdu », « baisse », « fin », « s'arrêtent », "lost", "cut": what says a funding goes or shrinks. */
const LOSS_WORDS = ['perdu*', 'perdre', '=perd', 'perdons', 'perdent', 'perte*', 'baiss*', 'diminu*', '=fin', 'finissent', 'termin*', 'arret*', 'supprim*', 'suppression*',
  '=retrait', 'retire*', 'coupee*', 'coupes', 'reduction*', 'reduit*', 'reduire', 'chute*', '=lost', '=lose', 'losing', '=loss', '=cut', '=cuts', 'ending', 'ended', '=ends', 'drop*', 'decreas*'];
/** « fin d'année », « fin du mois »: a date, not an end. */
const DATE_AFTER_FIN = new Set(['annee', 'mois', 'semaine', 'exercice', 'year', 'month', 'week']);

/**
 * « on a perdu une grosse subvention », « baisse des subventions », « fin d'un contrat aidé », « nos
 * contrats aidés s'arrêtent », « la subvention n'a pas été renouvelée »: a funding lost or shrinking,
 * said within four words of it in the same sentence — its economic consequence (restructuration_eco_fin) as
 * well as its replacement (diversification_financements).
 */
function lossOfFunding(text: string, tokens: Token[], matches: ThemeMatch[]): ThemeMatch[] {
  const sameSentence = (a: number, b: number) => tokens.slice(Math.min(a, b) + 1, Math.max(a, b) + 1).every((t) => t.gapBefore !== 'sentence');
  const isLoss = (i: number, after: number) => {
    const w = tokens[i].norm;
    if (w === 'fin' && tokens.slice(i + 1, i + 3).some((t) => DATE_AFTER_FIN.has(t.norm))) return false;
    // « pas renouvelée », « non reconduite »
    if (/^(renouvel|reconduit)/.test(w)) return tokens.slice(Math.max(0, i - 3), i).some((t) => ['pas', 'non', 'plus', 'not'].includes(t.norm));
    return after <= 4 && LOSS_WORDS.some((p) => tokenMatches(p, w));
  };
  const found: ThemeMatch[] = [];
  for (const m of matches) {
    if (m.negated || !FUNDING_KEYS.has(m.key) || matches.some((o) => o.theme === 'restructuration_eco_fin' && o.first === m.first)) continue;
    // Four words before, four after — eight for « n'a pas été renouvelée », said after its subject.
    const near = [...Array(12).keys()].map((k) => (k < 4 ? m.first - 4 + k : m.last + k - 3)).filter((i) => i >= 0 && i < tokens.length && sameSentence(i, m.first));
    const loss = near.find((i) => isLoss(i, i - m.last));
    if (loss === undefined || found.some((f) => f.first === m.first)) continue;
    const [first, last] = [Math.min(loss, m.first), Math.max(loss, m.last)];
    found.push({ theme: 'restructuration_eco_fin', key: 'perte de financement', weight: 1, text: text.slice(tokens[first].start, tokens[last].end), first, last, negated: false });
  }
  return found;
}

export interface ThemeScore {
  theme: Theme;
  /** Sum of the weights of the distinct lexicon patterns found (1 each unless weaker). */
  score: number;
  /** The words of the message that gave this theme, as typed, in order, without repeats. */
  matched: string[];
}

/**
 * The themes of a message, best first (ties in THEMES order); `autre` with score 0 when no theme
 * word is found (or only negated ones).
 */
export function mapNeedsToThemes(text: string): ThemeScore[] {
  const byTheme = new Map<Theme, { keys: Map<string, number>; matched: string[] }>();
  for (const m of findThemeMatches(text)) {
    if (m.negated) continue;
    const entry = byTheme.get(m.theme) ?? { keys: new Map<string, number>(), matched: [] };
    entry.keys.set(m.key, Math.max(entry.keys.get(m.key) ?? 0, m.weight));
    if (!entry.matched.some((x) => normalizeWord(x) === normalizeWord(m.text))) entry.matched.push(m.text);
    byTheme.set(m.theme, entry);
  }
  const scores: ThemeScore[] = [...byTheme.entries()].map(([theme, e]) => ({
    theme,
    score: [...e.keys.values()].reduce((a, b) => a + b, 0),
    matched: e.matched,
  }));
  if (scores.length === 0) return [{ theme: 'autre', score: 0, matched: [] }];
  return scores.sort((a, b) => b.score - a.score || THEMES.indexOf(a.theme) - THEMES.indexOf(b.theme));
}

/**
 * « garder ceux-là et ajouter l'organisation », « il manque la communication », « keep those and add
 * internal organisation »: the themes named come in addition to those understood, rather than replacing them.
 */
export function addsToThemes(text: string): boolean {
  const words = tokenize(text).map((t) => t.norm);
  return words.some((w) => ADDING_WORDS.has(w)) || /\b(en plus|as well)\b/.test(words.join(' '));
}

const ADDING_WORDS = new Set(['ajouter', 'ajoutez', 'ajoute', 'ajoutons', 'rajouter', 'rajoutez', 'garder', 'gardez', 'gardons', 'aussi', 'egalement',
  'manque', 'manquent', 'oublie', 'oubliez', 'add', 'adding', 'keep', 'also', 'missing', 'forgot']);
