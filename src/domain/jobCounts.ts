/**
 * The jobs answer of a follow-up check-in, read as counts: jobs created, kept, improved (a CDD
 * turned into a CDI, more hours, better pay, training) and lost — what the DLA's national
 * evaluation adds up (DOMAIN.md § Follow-up questions). « on a embauché 2 personnes et on a gardé
 * les 3 autres » is 2 created, 3 kept; « 1,5 ETP créé » 1.5 created; « rien de changé » none
 * created, improved nor lost.
 *
 * Never a guess: a count is read only when the words tie it to a kind (« 2 créations », « hired
 * 2 people », « les 5 salariés sont toujours là »; one job or person said as one: « le poste est
 * passé en CDI », « on a titularisé Julie »; contracts hired or signed: « on a embauché deux CDI et
 * un CDD », « 3 CDD signés »); a number tied to none (« on est 5 », « on a deux CDI »), a count
 * said vaguely (« plusieurs », « tout le monde », « 2 ou 3 »), a plan (« on va embaucher 2
 * personnes ») or a kind said without its number (« on a embauché ») leaves the kind unknown and
 * the reading `unsure`. The structure's words are always kept beside the counts (the chargé·e
 * reads them). Pure; numbers are read with the accueil's tokenizer and number words (employees.ts).
 */
import { approximateBefore, readNumber, tokenize } from './employees';
import { keptAfterRetries, ok, ParseResult } from './form';
import { isDontKnow, looksLikeWords, normalize } from './text';
import type { Translate } from '../i18n';

export const JOB_KINDS = ['created', 'kept', 'improved', 'lost'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** The counts read from a jobs answer: a number (ETP decimals allowed) for each kind read, absent when unknown. */
export interface JobCounts {
  created?: number;
  kept?: number;
  improved?: number;
  lost?: number;
  /**
   * Some of the words were not read into the counts: a number tied to no kind, a kind said
   * without its number, a vague count or a plan. The counts hold only what was read for sure.
   */
  unsure: boolean;
  /** « je ne sais pas »: nothing known. */
  dontKnow?: true;
  /** The structure said the counts read were right (the check-in asked it once). */
  confirmed?: true;
  /** The structure said the counts read were wrong: none kept, its words are for the chargé·e to read. */
  rejected?: true;
}

// ——— words ———

const CREATED = /^(?:embauch(?:e|ee|es|ees|er)|recrut(?:e|ee|es|ees|er|ement|ements)|cre(?:e|ee|es|ees|er)|creations?|supplementaires?|hired?|hires|recruited|recruitments?|created|additional)$/;
/** Verbs whose object is a person: « on a recruté une coordinatrice » is one. */
const HIRES = /^(?:embauch(?:e|ee|es|ees|er)|recrut(?:e|ee|es|ees|er)|hired?|recruited)$/;
const KEPT = /^(?:maintenu(?:e|s|es)?|maintenir|maintiens?|garde(?:e|s|es|r)?|conserve(?:e|s|es|r)?|perennis(?:e|ee|es|ees|er|ation|ations)|consolid(?:e|ee|es|ees|er|ation|ations)|sauve(?:e|s|es|r)?|sauvegard(?:e|ee|es|ees|er)|securis(?:e|ee|es|ees|er)|renouvel(?:e|ee|es|ees|ement|ements)|kept|keep|maintained|renewed|retained|saved|secured|sustained|preserved|consolidated)$/;
const IMPROVED = /^(?:amelior(?:e|ee|es|ees|er)|improved|upgraded|revaloris(?:e|ee|es|ees|er|ation|ations)|titularis(?:e|ee|es|ees|er|ation|ations)|promue?s?|promotions?|promoted|cdis(?:e|ee|es|ees)|formee?s?|trained)$/;
/** Improvements that say nothing of how many jobs (« une formation », « une amélioration »): no count of their own. */
const IMPROVED_NO_COUNT = /^(?:formations?|training|ameliorations?)$/;
const LOST = /^(?:perdue?s?|perdre|pertes?|supprim(?:e|ee|es|ees|er)|suppressions?|licenci(?:e|ee|es|ees|er|ement|ements)|lost|lose|cut|cuts|eliminated|layoffs?|redundanc(?:y|ies)|redundant)$/;

/** « signé »: a job created when a contract kind is said with it (« 3 CDD signés », « on a signé 2 CDI ») — not any contract signed. */
const SIGNED = /^(?:sign(?:e|ee|es|ees)|signed)$/;
const CONTRACT_KIND = /^(?:cdi|cdd|cdds|cddi)$/;

/** Verbs of a change of contract, before « en CDI » or « à temps plein ». */
const CHANGED = /^(?:transform(?:e|ee|es|ees|ation|ations)|pass(?:e|ee|es|ees|age|ages)|converti(?:e|s|es)?|conversions?|bascul(?:e|ee|es|ees)|requalifi(?:e|ee|es|ees|cation|cations)|converted|moved|switched|went|turned)$/;
const HOURS_OR_PAY = /^(?:heures?|temps|horaires?|salaires?|remunerations?|paie|paye|hours?|pay|wages?|salary)$/;
const HEADCOUNT = /^(?:effectifs?|equipe|headcount|team|staff)$/;
const INCREASE = /^(?:augment(?:e|ee|es|ees|er|ation|ations)|hausses?|increased?|increases|raised?|raises)$/;

/** What a count counts: jobs or people (« 2 postes », « 3 salariées », « les 3 autres », « 1,5 ETP »). */
const JOB_NOUN = /^(?:postes?|emplois?|salarie(?:e|s|es)?|employe(?:e|s|es)?|personnes?|etp|cdi|cdd|cddi|contrats?|autres?|others?|jobs?|positions?|people|persons?|employees?|staff|workers?|fte|ftes|hires|departs?|departures?|leavers?|apprenti(?:e|s|es)?|alternant(?:e|s|es)?|animat(?:eur|eurs|rice|rices)|coordinat(?:eur|eurs|rice|rices)|educat(?:eur|eurs|rice|rices)|formateurs?|formatrices?|mediat(?:eur|eurs|rice|rices)|encadrante?s?|technicien(?:ne|s|nes)?|comptables?|secretaires?|assistante?s?|directeurs?|directrices?|chargee?s?|agents?|adjointe?s?|responsables?)$/;
/** Words between a count and its noun: « 2 nouveaux postes », « une autre salariée ». */
const ADJECTIVES = /^(?:nouveaux|nouveau|nouvelles?|autres?|seule?s?|vrais?|new|other|additional|extra|permanent|full|de|d|of)$/;
/** What English "a" / "an" counts as one (French « à » is also « a » once written without accents): "a job", "a position". */
const ENGLISH_ONE = /^(?:jobs?|positions?|person|worker|employee|staff|hire|contract|full|part)$/;
/**
 * « le poste », « sa mission », « l'emploi de Julie », "the position": one job (or person), said
 * with a singular determiner — not after a preposition (« le poste de la coordinatrice » is one).
 */
const SINGULAR_DETERMINER = /^(?:le|la|l|ce|cet|cette|son|sa|mon|ma|notre|votre|leur|the|this|that|his|her|its|our|their|my)$/;
const SINGULAR_JOB = /^(?:poste|emploi|contrat|mission|cdd|cdi|cddi|salariee?|employee?|personne|job|position|contract|worker|apprentie?|alternante?|animat(?:eur|rice)|coordinat(?:eur|rice)|educat(?:eur|rice)|format(?:eur|rice)|mediat(?:eur|rice)|encadrante?|technicien(?:ne)?|comptable|secretaire|assistante?|directeur|directrice|chargee?|agent|adjointe?|responsable|coordinator|manager|accountant|secretary|director|facilitator|trainer|educator|technician)$/;
const PREPOSITIONS = /^(?:de|du|d|des|pour|avec|par|chez|a|au|aux|sur|of|for|with|by|to|at|from|on)$/;

/** Verbs whose object is a person named: « on a titularisé Julie », « embauché Karim et Léa ». */
const PERSON_VERB = /^(?:embauch(?:e|ee|es|ees)|recrut(?:e|ee|es|ees)|titularis(?:e|ee|es|ees)|promue?s?|cdis(?:e|ee|es|ees)|form(?:e|ee|es|ees)|licenci(?:e|ee|es|ees)|garde(?:e|s|es)?|hired|recruited|promoted|trained|fired)$/;
/** « Julie est passée en CDI », « a été titularisée », "got promoted": what happened to the people named (« Emmaüs a recruté » is not). */
const PASSIVE = /^(?:est|sont|is|are|was|were|got)$/;
const PERFECT = /^(?:a|ont|has|have)$/;
/** Capitalised words that are no one's name: the reader's own words are checked too (notAName). */
const NO_NAME = /^(?:le|la|les|l|un|une|des|du|de|d|ce|cet|cette|ces|notre|nos|votre|vos|son|sa|ses|leur|leurs|mon|ma|mes|tout|toute|cela|ca|ceci|chacun|chacune|quelqu|the|a|an|this|that|these|those|our|your|his|her|their|its|my|everyone|everything|someone|somebody|each|oui|yes|ok|merci|bonjour|hello|hi)$/;

/** Counts of what is no job: volunteers, members, people helped. Not read, and no doubt either. */
const NOT_JOBS = /^(?:benevoles?|volunteers?|adherente?s?|membres?|members?|beneficiaires?|usagers?|beneficiaries)$/;
/** What a number measures when it is no count of jobs: hours, money, time, a rank, a mark, a date. */
const NOT_A_COUNT = /^(?:h|hr|hrs|heures?|hours?|euros?|eur|k|ke|keur|m|mille|millions?|pourcent|percent|mois|ans?|annees?|semaines?|jours?|months?|years?|weeks?|days?|fois|times|e|eme|ieme|er|ere|st|nd|rd|th|sur|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|january|february|march|april|may|june|july|august|september|october|november|december)$/;

/** Counts said vaguely: the kind is read, not its number. */
const VAGUE = /^(?:plusieurs|quelques|several|tous|toutes|all|everyone|everybody|some|des|few)$/;

const NEGATIONS = /^(?:pas|aucun|aucune|jamais|rien|sans|ni|no|none|not|never|nobody|nothing|without)$/;
/** A plan or a hope (« on va embaucher », « on prévoit de recruter », "we will hire"), or what would have happened: no fact. */
const NOT_A_FACT = /^(?:va|vais|vas|vont|allons|allez|veut|veulent|voulons|voudrait|voudrions|voudraient|souhaite|souhaitons|souhaitent|souhaiterait|souhaiterions|aimerait|aimerions|aimeraient|prevoit|prevoyons|prevoient|prevu|prevue|prevus|prevues|bientot|futur|future|futurs|futures|devrait|devraient|devrions|envisage|envisageons|esperons|espere|pourvoir|aurait|aurions|aurais|auraient|serait|serions|seraient|pourrait|pourrions|pourraient|will|ll|going|plan|plans|planning|planned|want|wants|hope|hoping|soon|next|would|could|might)$/;

/** Where an answer's clauses part: punctuation, « mais », « puis », "but"… */
const BREAKS = /^(?:\||mais|puis|donc|car|cependant|pourtant|sinon|toutefois|neanmoins|but|then|however|though|although|whereas)$/;
/** « dont », "including": what follows details the count before (« 3 embauches dont 2 en CDI »). */
const DETAIL = /^(?:dont|including)$/;
const JOINS = /^(?:et|and|plus)$/;
const PRONOUNS = /^(?:on|nous|je|j|il|elle|ils|elles|we|i|they|he|she|it)$/;

/** « rien de changé », « pas de changement », "nothing changed": none created, improved nor lost. */
const NOTHING_CHANGED = /\b(?:rien (?:de |n a |a |ne |n )?(?:change|bouge|nouveau|special)|(?:pas de|aucun|sans) changements?|nothing (?:has )?changed|no changes?|nothing new|statu quo|idem|(?:toujours )?pareil|comme avant|same as before)\b/;
/** The whole answer is « non », « aucun », « rien », "none", « 0 », « pas encore »: none created nor improved. */
const BARE_NONE = /^(?:(?:non|nan|no|nope)(?: (?:aucun|aucune|rien|none|nothing|pas encore|not yet|pas vraiment|not really))?|aucun|aucune|rien|none|nothing|zero|0|pas encore|not yet|pas vraiment|not really|pas pour l instant|pas pour le moment)(?: (?:emplois?|postes?|jobs?|merci|thanks|pour l instant|pour le moment|for now))*$/;

// ——— reading ———

interface Cue { kind: JobKind; at: number; length: number; noCount?: boolean; hires?: boolean }
interface Count {
  at: number;
  end: number;
  value?: number;
  approximate: boolean;
  noun?: string;
  /** « le poste », « sa mission »: the one job a negation is about (« le poste n'a pas été pérennisé »). */
  definite?: true;
  /** « 2 autres personnes »: others besides those just said, of the same kind. */
  others?: true;
}

/** A multi-word cue at t[i] (checked before single words), with its length. */
function phraseCue(t: string[], i: number): Omit<Cue, 'at'> | undefined {
  const w = (k: number) => t[i + k] ?? '';
  // « transformé en CDI », « passés à temps plein », « CDD en CDI », "converted to permanent", "moved to full time".
  const changeTarget = (k: number): number => {
    if (/^(?:en|vers|a|to|into)$/.test(w(k)) && w(k + 1) === 'cdi') return 2;
    if (/^(?:a|en|to)$/.test(w(k)) && ((w(k + 1) === 'temps' && w(k + 2) === 'plein') || (w(k + 1) === 'plein' && w(k + 2) === 'temps') || (w(k + 1) === 'full' && w(k + 2) === 'time'))) return 3;
    if (/^(?:to|into)$/.test(w(k)) && /^(?:permanent|cdi)$/.test(w(k + 1))) return 2;
    return 0;
  };
  if (CHANGED.test(w(0))) {
    const target = changeTarget(1);
    if (target) return { kind: 'improved', length: 1 + target };
    if (w(1) === 'full' && w(2) === 'time') return { kind: 'improved', length: 3 }; // "went full time"
  }
  if (/^(?:cdd|cdds|cddi)$/.test(t[i - 1] ?? '') && /^(?:en|vers)$/.test(w(0)) && w(1) === 'cdi') return { kind: 'improved', length: 2 };
  if (/^(?:made|became|now)$/.test(w(0)) && w(1) === 'permanent') return { kind: 'improved', length: 2 };
  // "made 2 contracts permanent"
  if (w(0) === 'permanent' && t.slice(Math.max(0, i - 4), i).some((x) => /^(?:made|became)$/.test(x))) return { kind: 'improved', length: 1 };
  if (/^(?:now|maintenant)$/.test(w(0)) && ((w(1) === 'full' && w(2) === 'time') || (w(1) === 'temps' && w(2) === 'plein') || (w(1) === 'a' && w(2) === 'temps' && w(3) === 'plein'))) return { kind: 'improved', length: w(1) === 'a' ? 4 : 3 };
  // « plus d'heures », « davantage d'heures », « heures en plus », "more hours", "extra hours".
  if (/^(?:plus|davantage)$/.test(w(0)) && /^(?:d|de)$/.test(w(1)) && /^heures?$/.test(w(2))) return { kind: 'improved', length: 3, noCount: true };
  if (/^heures?$/.test(w(0)) && /^(?:en|de)$/.test(w(1)) && w(2) === 'plus') return { kind: 'improved', length: 3, noCount: true };
  if (/^(?:more|extra)$/.test(w(0)) && /^hours?$/.test(w(1))) return { kind: 'improved', length: 2, noCount: true };
  // « mieux payés », « mieux rémunérée », "better paid", "pay rise".
  if (w(0) === 'mieux' && /^(?:paye|payee|payes|payees|remunere|remuneree|remuneres|remunerees)$/.test(w(1))) return { kind: 'improved', length: 2 };
  if (w(0) === 'better' && w(1) === 'paid') return { kind: 'improved', length: 2 };
  if (/^(?:pay|salary|wage)$/.test(w(0)) && /^(?:rises?|raises?|increases?)$/.test(w(1))) return { kind: 'improved', length: 2, noCount: true };
  // « augmentation des heures / du salaire » improves; « de l'effectif » creates.
  if (INCREASE.test(w(0))) {
    const near = t.slice(i + 1, i + 5);
    if (near.some((x) => HOURS_OR_PAY.test(x))) return { kind: 'improved', length: 1, noCount: true };
    if (near.some((x) => HEADCOUNT.test(x))) return { kind: 'created', length: 1, noCount: true };
  }
  // « toujours là », « encore en poste », "still there".
  if (/^(?:toujours|encore|still)$/.test(w(0))) {
    if (/^(?:la|presente?s?|there|here|employed|present)$/.test(w(1))) return { kind: 'kept', length: 2 };
    if (/^(?:en|in)$/.test(w(1)) && /^(?:poste|place|post)$/.test(w(2))) return { kind: 'kept', length: 3 };
    if (w(1) === 'with' && w(2) === 'us') return { kind: 'kept', length: 3 };
  }
  // « départ non remplacé », "not replaced", "laid off", "let go".
  if (/^(?:non|pas|jamais|not|never)$/.test(w(0)) && /^(?:remplace|remplacee|remplaces|remplacees|replaced)$/.test(w(1))) return { kind: 'lost', length: 2 };
  if (/^(?:laid|let)$/.test(w(0)) && /^(?:off|go)$/.test(w(1))) return { kind: 'lost', length: 2 };
  // « un salarié de plus », « 2 postes en plus »; "took on".
  if (/^(?:de|en)$/.test(w(0)) && w(1) === 'plus' && JOB_NOUN.test(t[i - 1] ?? '')) return { kind: 'created', length: 2 };
  if (w(0) === 'took' && w(1) === 'on') return { kind: 'created', length: 2, hires: true };
  // « 3 CDD signés », « 2 CDI ont été signés », « on a signé un CDI ».
  if (SIGNED.test(w(0)) && [...t.slice(Math.max(0, i - 3), i), ...t.slice(i + 1, i + 4)].some((x) => CONTRACT_KIND.test(x))) return { kind: 'created', length: 1 };
  // « 2 nouveaux postes », "two new jobs".
  if (/^(?:nouveaux|nouveau|nouvelles?|new)$/.test(w(0)) && JOB_NOUN.test(w(1))) return { kind: 'created', length: 1 };
  if (w(0) === 'plusplus') return { kind: 'created', length: 1 }; // « +2 postes »
  return undefined;
}

function wordCue(t: string[], i: number): Omit<Cue, 'at'> | undefined {
  const w = t[i];
  if (CREATED.test(w)) return { kind: 'created', length: 1, hires: HIRES.test(w) };
  if (KEPT.test(w)) return { kind: 'kept', length: 1 };
  // « formé » (trained), not « en forme », « sous forme de ».
  if (IMPROVED.test(w) && !(/^forme/.test(w) && /^(?:en|sous|la|une|bonne)$/.test(t[i - 1] ?? ''))) return { kind: 'improved', length: 1 };
  if (IMPROVED_NO_COUNT.test(w)) return { kind: 'improved', length: 1, noCount: true };
  if (LOST.test(w)) return { kind: 'lost', length: 1 };
  return undefined;
}

/** A job noun at t[j] (« mi-temps », « temps plein » are two words), its length; 0 when none. */
function jobNounAt(t: string[], j: number): number {
  const [a, b] = [t[j] ?? '', t[j + 1] ?? ''];
  if ((a === 'mi' || a === 'demi') && /^(?:temps|poste|postes|etp)$/.test(b)) return 2;
  if ((a === 'temps' && /^(?:plein|pleins|partiel|partiels)$/.test(b)) || (a === 'plein' && b === 'temps') || ((a === 'full' || a === 'part') && b === 'time')) return 2;
  return JOB_NOUN.test(a) ? 1 : 0;
}

interface Segment {
  tokens: string[];
  /** How it follows the one before: « et 1 en CDD » goes on with its kind; « dont 2 en CDI » details it. */
  join: 'break' | 'and' | 'detail';
}

/** Whether « et » / "and" at t[i] starts a clause of its own: a count, a subject, a negation or a kind follows. */
function joinStartsClause(t: string[], i: number): boolean {
  const next = t[i + 1] ?? '';
  const after = t[i + 2] ?? '';
  if (readNumber(t, i + 1) || next === 'plusplus' || VAGUE.test(next) || PRONOUNS.test(next) || NEGATIONS.test(next)) return true;
  if (/^(?:les|des|the|a|an|personne)$/.test(next) && (readNumber(t, i + 2) || JOB_NOUN.test(after))) return true;
  return Boolean(phraseCue(t, i + 1) ?? wordCue(t, i + 1));
}

function segments(t: string[]): Segment[] {
  const out: Segment[] = [];
  let current: Segment = { tokens: [], join: 'break' };
  const start = (join: Segment['join']) => {
    if (current.tokens.length) out.push(current);
    current = { tokens: [], join };
  };
  for (let i = 0; i < t.length; i++) {
    const w = t[i];
    if (BREAKS.test(w) || (w === 'par' && t[i + 1] === 'contre') || (w === 'en' && t[i + 1] === 'revanche')) {
      start('break');
      if (w === 'par' || w === 'en') i += 1;
    } else if (DETAIL.test(w) || (w === 'of' && t[i + 1] === 'which')) {
      start('detail');
      if (w === 'of') i += 1;
    } else if (JOINS.test(w) && joinStartsClause(t, i)) {
      // « , et 1 en CDD »: the comma broke, the « et » still goes on with the kind before.
      start('and');
    } else current.tokens.push(w);
  }
  start('break');
  return out;
}

interface SegmentReading {
  /** Counts read per kind (summed). */
  counts: Partial<Record<JobKind, number>>;
  /** Kinds said with none (« aucune embauche », « pas de licenciement »). */
  zero: Set<JobKind>;
  nothingChanged: boolean;
  unsure: boolean;
  /** Counts tied to no kind (for « et 1 en CDD » to take the kind before). */
  untied: Count[];
  /** Kinds said without a number. */
  mentioned: Set<JobKind>;
}

function readSegment(t: string[]): SegmentReading {
  const reading: SegmentReading = { counts: {}, zero: new Set(), nothingChanged: NOTHING_CHANGED.test(t.join(' ')), unsure: false, untied: [], mentioned: new Set() };
  // Cues first, words they use are no counts nor negations (« non remplacé », « rien de changé »).
  const cues: Cue[] = [];
  const used = new Set<number>();
  for (let i = 0; i < t.length; i++) {
    const cue = phraseCue(t, i) ?? wordCue(t, i);
    if (!cue) continue;
    cues.push({ ...cue, at: i });
    for (let k = i; k < i + cue.length; k++) used.add(k);
    i += cue.length - 1;
  }
  const notAFact = t.some((w, k) => NOT_A_FACT.test(w) && !(w === 'va' && /^(?:ca|tout)$/.test(t[k - 1] ?? '')))
    || t.join(' ').match(/\b(?:en cours|a venir|en projet|projet d)\b/) !== null;
  const negated = !reading.nothingChanged && (t.some((w, k) => !used.has(k) && NEGATIONS.test(w) && !(w === 'pas' && t[k + 1] === 'mal'))
    || t.some((w, k) => w === 'personne' && !used.has(k) && !/^(?:la|une|un|cette|chaque|autre|\d.*)$/.test(t[k - 1] ?? '') && !readNumber(t, k - 1)));

  // Counts.
  const counts: Count[] = [];
  for (let i = 0; i < t.length; i++) {
    if (used.has(i)) continue;
    const w = t[i];
    if ((VAGUE.test(w) && !readNumber(t, i + 1) && !(/^(?:les|the)$/.test(t[i + 1] ?? '') && readNumber(t, i + 2))) || (w === 'pas' && t[i + 1] === 'mal') || (w === 'tout' && t[i + 1] === 'le' && t[i + 2] === 'monde')) {
      counts.push({ at: i, end: i + 1, approximate: true });
      continue;
    }
    // « le poste est passé en CDI », « sa mission », "the position": one.
    if (SINGULAR_DETERMINER.test(w) && SINGULAR_JOB.test(t[i + 1] ?? '') && !PREPOSITIONS.test(t[i - 1] ?? '') && !used.has(i + 1)) {
      counts.push({ at: i, end: i + 2, value: 1, approximate: false, noun: t[i + 1], definite: true });
      i += 1;
      continue;
    }
    // English "a position", "an employee": one.
    if ((w === 'a' || w === 'an') && ENGLISH_ONE.test(t[i + 1] ?? '') && jobNounAt(t, i + 1)) {
      counts.push({ at: i, end: i + 1 + jobNounAt(t, i + 1), value: 1, approximate: false, noun: t[i + 1] });
      continue;
    }
    // "we hired a new coordinator": one.
    if ((w === 'a' || w === 'an') && cues.some((c) => c.at + c.length === i && c.hires)) {
      counts.push({ at: i, end: i + 1, value: 1, approximate: false });
      continue;
    }
    const number = readNumber(t, i);
    if (!number) continue;
    let value = number.value;
    let j = i + number.length;
    let approximate = number.approximate || approximateBefore(t, i);
    // « 2 ou 3 », « 2 à 3 », « entre 2 et 3 »: a range, no count — unless it measures hours (« de 20 à 28 h »).
    const rangeWord = /^(?:ou|or|a|to)$/.test(t[j] ?? '') || (/^(?:et|and)$/.test(t[j] ?? '') && /^(?:entre|between)$/.test(t[i - 1] ?? ''));
    const upper = rangeWord ? readNumber(t, j + 1) : undefined;
    if (upper) {
      const end = j + 1 + upper.length;
      if (NOT_A_COUNT.test(t[end] ?? '')) {
        // « passé de 24 h à 35 h »: more hours.
        if (/^(?:h|hr|hrs|heures?|hours?)$/.test(t[end]) && upper.value > value && number.value > 0) cues.push({ kind: 'improved', at: i, length: end + 1 - i, noCount: true });
        i = end;
        continue;
      }
      counts.push({ at: i, end, approximate: true });
      i = end - 1;
      continue;
    }
    // « de 24h à 35h »: the hours before and after.
    if (NOT_A_COUNT.test(t[j] ?? '')) {
      const unitEnd = j + 1;
      if (/^(?:a|to)$/.test(t[unitEnd] ?? '') && readNumber(t, unitEnd + 1) && /^(?:h|hr|hrs|heures?|hours?)$/.test(t[j]) && /^(?:h|hr|hrs|heures?|hours?)$/.test(t[unitEnd + 1 + readNumber(t, unitEnd + 1)!.length] ?? '')) {
        const up = readNumber(t, unitEnd + 1)!;
        if (up.value > value) cues.push({ kind: 'improved', at: i, length: unitEnd + 2 + up.length - i, noCount: true });
        i = unitEnd + up.length + 1;
      } else i = j;
      continue;
    }
    // A year, a postal code, « loi 1901 »: no count of jobs.
    if (/^\d{4,}$/.test(t[i]) && number.length === 1) continue;
    if (t[j] === 'et' && /^demie?$/.test(t[j + 1] ?? '')) { value += 0.5; j += 2; } // « deux et demi »
    if (t[j] === 'and' && t[j + 1] === 'a' && t[j + 2] === 'half') { value += 0.5; j += 3; }
    if (t[j] === 'demi' && jobNounAt(t, j)) value *= 0.5; // « un demi-poste »
    let k = j;
    // « 2 nouveaux postes »; « une autre » is one (« autre » as the noun when no job noun follows).
    while (k < j + 3 && ADJECTIVES.test(t[k] ?? '') && !used.has(k) && !(jobNounAt(t, k) && !jobNounAt(t, k + 1))) k += 1;
    const noun = jobNounAt(t, k);
    if (NOT_JOBS.test(t[k] ?? '') || NOT_JOBS.test(t[j] ?? '')) {
      i = k;
      continue;
    }
    let end = noun ? k + noun : j;
    if (t[end] === 'et' && /^demie?$/.test(t[end + 1] ?? '')) { value += 0.5; end += 2; } // « deux salariés et demi »
    // « un », « une », "one" are articles, unless a job or a person follows, or a cue of its own
    // (« une embauche »), or a verb whose object is a person (« on a recruté une coordinatrice »).
    const article = number.length === 1 && /^(?:un|une|one)$/.test(t[i]);
    if (article) {
      const cueAfter = cues.find((c) => c.at === j && !c.noCount);
      const hiresBefore = cues.find((c) => c.at + c.length === i && c.hires);
      // « on en a perdu un », « et en créer un »: a pronoun, ending the clause, counts one.
      const pronoun = j >= t.length && cues.some((c) => c.at + c.length <= i);
      if (!noun && !cueAfter && !hiresBefore && !pronoun) continue;
    }
    const others = t.slice(j, k).some((x) => /^(?:autres?|others?)$/.test(x)) || undefined;
    counts.push({ at: i, end, value: Math.round(value * 100) / 100, approximate, noun: noun ? t[k] : undefined, ...(others && { others }) });
    i = end - 1;
  }

  if (notAFact) {
    // A plan, a hope, what would have been: nothing read; said, so unsure.
    reading.unsure = counts.length > 0 || cues.length > 0;
    return reading;
  }
  if (negated) {
    // « aucune embauche », « on n'a perdu personne »: none of each kind said; a count besides is not read.
    for (const c of cues) reading.zero.add(c.kind);
    for (const c of counts) {
      if ((c.value === 0 || c.definite) && cues.length) continue;
      reading.unsure = true;
    }
    return reading;
  }
  // Each count goes to the nearest cue (one after it when as near: « 2 postes créés »).
  const distance = (c: Count, cue: Cue) => (cue.at >= c.end ? cue.at - c.end : cue.at + cue.length <= c.at ? c.at - (cue.at + cue.length) : 0);
  const tied = new Set<Cue>();
  for (const c of counts) {
    const cue = [...cues].sort((a, b) => distance(c, a) - distance(c, b) || b.at - a.at)[0];
    if (!cue) {
      reading.untied.push(c);
      continue;
    }
    tied.add(cue);
    if (c.value === undefined || c.approximate) reading.unsure = true;
    if (c.value === undefined) reading.mentioned.add(cue.kind);
    else reading.counts[cue.kind] = (reading.counts[cue.kind] ?? 0) + c.value;
  }
  for (const cue of cues) if (!tied.has(cue) && reading.counts[cue.kind] === undefined) reading.mentioned.add(cue.kind);
  return reading;
}

/**
 * « et 1 en CDD », « et une autre en septembre »: nothing is said of the count but where, when or
 * which contract (no verb of its own), so it goes on with the kind before. « et 2 CDD renouvelés »
 * and « et on a un CDD » say something else of their own.
 */
function nothingSaidAfter(t: string[], c: Count): boolean {
  // « et on a un CDD »: a subject of its own says something else (a stock, not one more hire).
  if (t.slice(0, c.at).some((w) => PRONOUNS.test(w))) return false;
  const rest = t.slice(c.end);
  // « et 3 salariés » alone may be the staff, not 3 more hires; « et 2 autres personnes » are more of them.
  if (rest.length === 0) return !c.noun || !!c.others || /^(?:autres?|others?|cdi|cdd|cddi|etp|fte|ftes|mi|demi|temps|full|part)$/.test(c.noun);
  return /^(?:en|a|au|aux|in|on|pour|for|dans|chez|at|sur|depuis|since|this|cette|ce|le|la|l)$/.test(rest[0]);
}

/** A capitalised word that is none of the reader's own (« Tout a été maintenu », « Deux CDD »). */
function notAName(w: string): boolean {
  return NO_NAME.test(w) || !!readNumber([w], 0) || PRONOUNS.test(w) || NEGATIONS.test(w) || VAGUE.test(w) || JOB_NOUN.test(w) || NOT_JOBS.test(w)
    || ADJECTIVES.test(w) || w === 'personne' || !!wordCue([w], 0);
}

/**
 * People named where a job changes (« on a titularisé Julie », « Julie et Karim ont été
 * titularisés », « Léa est passée en CDI »): counted as the people they are (« 1 personne »,
 * « 2 personnes »). A name is a capitalised word of the text, only read next to such a verb.
 */
function namedPeopleCounted(text: string, tokens: string[]): string[] {
  const names = new Set((text.match(/(?<!\p{L})\p{Lu}\p{Ll}+(?!\p{L})/gu) ?? []).map((w) => tokenize(w)[0]).filter((w) => w && !notAName(w)));
  if (!names.size) return tokens;
  const t = [...tokens];
  for (let i = 0; i < t.length; i++) {
    if (!names.has(t[i])) continue;
    // « Julie, Karim et Léa »: the names in a row.
    let end = i + 1;
    let people = 1;
    while (/^(?:\||et|and)$/.test(t[end] ?? '') && names.has(t[end + 1] ?? '')) {
      end += 2;
      people += 1;
    }
    const afterVerb = PERSON_VERB.test(t[i - 1] ?? '');
    const verbAt = PASSIVE.test(t[end] ?? '') ? end + 1 : PERFECT.test(t[end] ?? '') && /^(?:ete|been)$/.test(t[end + 1] ?? '') ? end + 2 : -1;
    // « le CDD de Julie a été renouvelé »: Julie's, one job already.
    const beforeVerb = verbAt > 0 && !PREPOSITIONS.test(t[i - 1] ?? '') && !!(phraseCue(t, verbAt) ?? wordCue(t, verbAt));
    if (!afterVerb && !beforeVerb) continue;
    t.splice(i, end - i, String(people), people === 1 ? 'personne' : 'personnes');
    i += 1;
  }
  return t;
}

/**
 * The counts of a check-in's jobs answer (see the top of this file). « je ne sais pas »: nothing
 * known (`dontKnow`). Counts are rounded to the hundredth.
 */
export function readJobCounts(text: string): JobCounts {
  const plain = normalize(text).replace(/[.,]+$/, '');
  if (isDontKnow(text)) return { unsure: false, dontKnow: true };
  if (BARE_NONE.test(plain)) return { created: 0, improved: 0, unsure: false };
  const t = namedPeopleCounted(text, tokenize(text.replace(/[€$£]/g, ' euros ').replace(/%/g, ' pourcent ').replace(/\+\s*(?=\d)/g, ' plusplus ').replace(/:/g, ' ').replace(/\s*(?:→|->|=>|>)\s*/g, ' en ')));
  const result: Partial<Record<JobKind, number>> = {};
  const zero = new Set<JobKind>();
  const mentioned = new Set<JobKind>();
  let unsure = false;
  let nothingChanged = false;
  let before: SegmentReading | undefined;
  for (const segment of segments(t)) {
    const reading = readSegment(segment.tokens);
    // « …en CDI et 1 en CDD »: a count with no kind of its own takes the one kind of the clause before.
    const kindsBefore = before ? (Object.keys(before.counts) as JobKind[]) : [];
    if (reading.untied.length && segment.join === 'and' && kindsBefore.length === 1 && !Object.keys(reading.counts).length && reading.untied.every((c) => nothingSaidAfter(segment.tokens, c))) {
      for (const c of reading.untied) {
        if (c.value === undefined || c.approximate) unsure = true;
        if (c.value !== undefined) result[kindsBefore[0]] = (result[kindsBefore[0]] ?? 0) + c.value;
      }
    } else if (reading.untied.length && segment.join !== 'detail') unsure = true; // « dont 2 en CDI »: a detail, counted already.
    for (const kind of JOB_KINDS) if (reading.counts[kind] !== undefined) result[kind] = (result[kind] ?? 0) + reading.counts[kind]!;
    reading.zero.forEach((k) => zero.add(k));
    reading.mentioned.forEach((k) => mentioned.add(k));
    unsure ||= reading.unsure;
    nothingChanged ||= reading.nothingChanged;
    if (segment.join !== 'detail') before = reading;
  }
  for (const kind of zero) if (result[kind] === undefined) result[kind] = 0;
  if (nothingChanged) for (const kind of ['created', 'improved', 'lost'] as const) if (result[kind] === undefined) result[kind] = 0;
  // A kind said without its number (« on a embauché ») and read nowhere else: unknown, and said so.
  if ([...mentioned].some((k) => result[k] === undefined)) unsure = true;
  const counts: JobCounts = { unsure };
  for (const kind of JOB_KINDS) if (result[kind] !== undefined) counts[kind] = Math.round(result[kind]! * 100) / 100;
  return counts;
}

/** Whether any count is known. */
export function anyJobCount(counts: JobCounts | undefined): boolean {
  return !!counts && JOB_KINDS.some((k) => typeof counts[k] === 'number');
}

/** The structure's words of a stored jobs answer: the text typed (a string, or `{ text }`). */
export function jobsAnswerText(answer: unknown): string | undefined {
  if (typeof answer === 'string') return answer;
  if (typeof answer === 'number') return String(answer);
  const text = (answer as { text?: unknown } | null | undefined)?.text;
  return typeof text === 'string' ? text : undefined;
}

/**
 * The counts of a check-in: those stored with its jobs answer, or — for a check-in answered
 * before they were (its answer a text only) — read from its words now. Undefined when the jobs
 * question has no answer.
 */
export function jobCountsOf(checkin: { jobCounts?: JobCounts | null; answers?: Record<string, unknown> }): JobCounts | undefined {
  if (checkin.jobCounts && typeof checkin.jobCounts === 'object') return checkin.jobCounts;
  const text = jobsAnswerText(checkin.answers?.jobs);
  return text === undefined ? undefined : readJobCounts(text);
}

/**
 * The counts in words: « 2 emplois créés, 3 maintenus » (checkin.jobCounts.* in locales/; the
 * first with the noun, the others without). Undefined when no count is known.
 */
export function jobCountsText(counts: JobCounts | undefined, t: Translate): string | undefined {
  if (!counts) return undefined;
  const parts = JOB_KINDS.filter((k) => typeof counts[k] === 'number')
    .map((k, i) => t(`checkin.jobCounts.${i === 0 ? 'first' : 'next'}.${k}`, { count: counts[k] }));
  return parts.length ? parts.join(t('checkin.jobCounts.separator')) : undefined;
}

/**
 * A reading the check-in confirms with the structure, once (« J'ai noté : 2 emplois créés. C'est
 * bien ça ? »): some count read, some words not — a sure reading is not asked about, nor one
 * with no number to say back.
 */
export function jobCountsToConfirm(counts: JobCounts | null | undefined): counts is JobCounts {
  return !!counts && counts.unsure && !counts.dontKnow && !counts.confirmed && !counts.rejected && anyJobCount(counts);
}

/**
 * The structure's answer to that confirmation: right; wrong (with what else it said, kept with
 * its words); a new answer with numbers (« non, 3 embauches » — it replaces the jobs answer); or
 * no answer to it (« je ne sais pas », or words read as neither after the retries): the reading
 * stays as it is, to check.
 */
export type JobCountsConfirmation = { right: true } | { right: false; words?: string } | { answer: string } | { skipped: true };

const CONFIRM_YES = /^(?:oui|ouais|ouaip|yes|yep|yeah|yup|exact|exactement|c est (?:bien )?(?:ca|cela|exact|juste|correct)|tout a fait|correct|ok|okay|d accord|parfait|absolument|bien sur|voila|right|that s right|that s correct|correct|sure)\b/;
const CONFIRM_NO = /^\s*(?:non|nan|no|nope|c['’ ]?est faux|faux|pas (?:tout à fait|tout a fait|vraiment|exactement|du tout|ça|ca)|wrong|not (?:quite|really|exactly)|incorrect)(?![\p{L}\p{N}])[\s,.:;!-]*/iu;

export function readJobCountsConfirmation(text: string, attempt = 1): ParseResult<JobCountsConfirmation> {
  if (isDontKnow(text)) return ok({ skipped: true });
  const no = CONFIRM_NO.exec(text);
  if (no) {
    const rest = text.slice(no[0].length).trim();
    if (rest && anyJobCount(readJobCounts(rest))) return ok({ answer: rest });
    return ok(rest && looksLikeWords(rest) ? { right: false, words: rest.slice(0, 2000) } : { right: false });
  }
  if (CONFIRM_YES.test(normalize(text))) return ok({ right: true });
  // « en fait 3 embauches et 1 maintenu »: the numbers said again.
  if (anyJobCount(readJobCounts(text))) return ok({ answer: text.trim().slice(0, 2000) });
  return keptAfterRetries<JobCountsConfirmation>(attempt, { skipped: true }, 'checkin.jobCounts.confirmInvalid');
}
