/**
 * Employees in ETP (équivalent temps plein) and a hiring plan, read from French free text:
 * "3,5", "deux salariés et demi", "deux temps plein et un mi-temps", "aucun salarié mais on veut
 * embaucher" — and from English, which the assistant also speaks: "two and a half employees",
 * "two full-time and one half-time", "none, but we want to hire". DOMAIN.md § Eligibility 3
 * (employer, or primo-employeuse with a hiring plan).
 *
 * Written by hand rather than with @microsoft/recognizers-text-suite: its French model reads
 * "deux et demi" as 1, "vingt-et-un" as 20 and 1, "une dizaine" as 1 and has no idea of
 * "mi-temps"; what matters here is which noun a number belongs to (salariés vs bénévoles).
 */
import { APPROXIMATE_PHRASES, APPROXIMATE_WORDS, HUNDRED_WORDS, NUMBER_WORDS, ROUND_NUMBERS } from './numberWords';

export interface EmployeesResult {
  /** Employees in ETP; undefined when the message gives no usable count. */
  etp: number | undefined;
  /** "une dizaine", "environ 4", "2 ou 3", "quelques", "un temps partiel": to confirm with a person. */
  approximate: boolean;
  /** A concrete intention to hire ("on veut embaucher", "projet de recrutement", "première embauche"). */
  hiringPlan: boolean;
}

/** "plusieurs salariés": at least two; the exact number is for the chargé·e to ask. */
const VAGUE_PLURALS = new Set(['plusieurs', 'quelques', 'several']);

type UnitKind = 'etp' | 'worker';
interface Unit {
  kind: UnitKind;
  /** ETP per counted item: 1 for a full-time job, 0.5 for a mi-temps. */
  weight: number;
  approximate: boolean;
  length: number;
  /**
   * Says how the jobs are held — a working time (« à mi-temps », « temps plein », « 24h ») or a
   * contract after « en » (« 2 en CDI ») — so that it may detail a total said before it.
   */
  detail?: true;
}

const EMPLOYEE_NOUNS = /^(salarie|salariee|salaries|salariees|employe|employee|employes|employees|cdi|cdd|cddi|permanent|permanente|permanents|permanentes|poste|postes|emploi|emplois|contrat|contrats|collaborateur|collaboratrice|collaborateurs|collaboratrices|apprenti|apprentie|apprentis|apprenties|alternant|alternante|alternants|alternantes|staff|employee|employees|worker|workers|job|jobs|position|positions)$/;

/** The nouns of jobs that a total (« 3 salariés ») may be detailed by: the same people, or their contracts. */
const DETAIL_NOUNS = /^(salarie|salariee|salaries|salariees|employe|employee|employes|employees|cdi|cdd|cddi|poste|postes|emploi|emplois|staff)$/;

/** Weekly hours of a full-time job (French legal working week): 35 h = 1 ETP. */
export const FULL_TIME_HOURS = 35;
/** Monthly hours of a full-time job (35 h × 52 / 12). */
const FULL_TIME_MONTHLY_HOURS = 151.67;

const HOURS = /^(?:h|heure|heures|hour|hours|hr|hrs)(?:\/(semaine|sem|week|wk|mois|month))?$/;

/**
 * Hours worked, as a weight: « 20h », « 24 heures par semaine », « 20 h hebdo », "20 hours a
 * week" (/35), « 80 h par mois » (/151.67). Capped at a full-time job.
 */
function readHours(t: string[], i: number): Unit | undefined {
  const n = /^\d+([.,]\d+)?$/.test(t[i] ?? '') ? Number(t[i].replace(',', '.')) : undefined;
  const unit = HOURS.exec(t[i + 1] ?? '');
  if (n === undefined || !unit) return undefined;
  let length = 2;
  let perMonth = /^(mois|month)$/.test(unit[1] ?? ''); // « 20h/semaine », « 80h/mois »
  const w = (k: number) => t[i + length + k] ?? '';
  if (/^(par|per|a|\/)$/.test(w(0)) && /^(semaine|sem|week|mois|month)$/.test(w(1))) {
    perMonth = /^(mois|month)$/.test(w(1));
    length += 2;
  } else if (!unit[1] && /^(hebdo|hebdomadaires?|weekly|mensuelles?|monthly)$/.test(w(0))) {
    perMonth = /^(mensuel|monthly)/.test(w(0));
    length += 1;
  }
  const weight = n / (perMonth ? FULL_TIME_MONTHLY_HOURS : FULL_TIME_HOURS);
  if (n <= 0 || weight > 1.5) return undefined; // « 24h/24 », « 100 h »: no working week
  return { kind: 'worker', weight: Math.min(1, weight), approximate: false, length, detail: true };
}

/** Words after a job's noun that say which contract, before its hours: « contrat aidé 20h », « CDI à 28h », « salariés en insertion ». */
const CONTRACT_QUALIFIERS = /^(aide|aides|aidee|aidees|cdi|cdd|cddi|pec|insertion|d|en|unique|adulte|relais|permanent|permanente)$/;

/**
 * The weekly hours said in parentheses after the jobs (« 14 salariés en insertion (CDDI 26h) »,
 * « 3 salariés (24h/semaine) »): their weight, as « à 26h » would say it. Only a parenthesis (or
 * an aside between punctuation) holding nothing but a contract and the hours.
 */
function hoursInParentheses(t: string[], i: number): Unit | undefined {
  if (t[i] !== '|') return undefined;
  let k = i + 1;
  while (k < i + 4 && CONTRACT_QUALIFIERS.test(t[k] ?? '')) k += 1;
  const hours = readHours(t, k);
  const end = hours ? k + hours.length : k;
  if (!hours || (end < t.length && t[end] !== '|')) return undefined;
  return { ...hours, length: end + 1 - i };
}

/** A unit after a number: "etp", "équivalents temps plein", "temps plein", "mi-temps", "salariés à mi-temps", « à 24h ». */
function readUnit(t: string[], i: number): Unit | undefined {
  const at = (k: number) => t[i + k] ?? '';
  let skip = 0;
  if (at(0) === 'a' || at(0) === 'en') skip = 1; // "1 à mi-temps", "2 en CDI"
  const w = (k: number) => at(skip + k);
  // « un à 24h », « 2 à 28 heures »: hours said after « à ».
  const hours = skip === 1 && at(0) === 'a' ? readHours(t, i + 1) : undefined;
  if (hours) return { ...hours, length: 1 + hours.length };
  if (w(0) === 'etp' || w(0) === 'fte' || w(0) === 'ftes' || (w(0).startsWith('equivalent') && w(1) === 'temps' && w(2).startsWith('plein'))) {
    return { kind: 'etp', weight: 1, approximate: false, length: skip + (w(0).startsWith('equivalent') ? 3 : 1) };
  }
  // English: "full time equivalents", "full-time", "fulltime", "half-time", "part-time".
  if (w(0) === 'full' && w(1) === 'time' && w(2).startsWith('equivalent')) return { kind: 'etp', weight: 1, approximate: false, length: skip + 3 };
  if ((w(0) === 'full' && w(1) === 'time') || w(0) === 'fulltime') return { kind: 'worker', weight: 1, approximate: false, length: skip + (w(0) === 'fulltime' ? 1 : 2), detail: true };
  if ((w(0) === 'half' && w(1) === 'time') || w(0) === 'halftime') return { kind: 'worker', weight: 0.5, approximate: false, length: skip + (w(0) === 'halftime' ? 1 : 2), detail: true };
  if ((w(0) === 'part' && w(1) === 'time') || w(0) === 'parttime') return { kind: 'worker', weight: 0.5, approximate: true, length: skip + (w(0) === 'parttime' ? 1 : 2), detail: true };
  if (w(0) === 'temps' && w(1).startsWith('plein')) return { kind: 'worker', weight: 1, approximate: false, length: skip + 2, detail: true };
  if (w(0).startsWith('plein') && w(1) === 'temps') return { kind: 'worker', weight: 1, approximate: false, length: skip + 2, detail: true };
  if (w(0) === 'mi' && w(1) === 'temps') return { kind: 'worker', weight: 0.5, approximate: false, length: skip + 2, detail: true };
  if (w(0) === 'demi' && /^(poste|postes|etp|temps)$/.test(w(1))) return { kind: 'worker', weight: 0.5, approximate: false, length: skip + 2, detail: true };
  if (w(0) === 'temps' && w(1).startsWith('partiel')) return { kind: 'worker', weight: 0.5, approximate: true, length: skip + 2, detail: true };
  // « 2 en CDI à temps plein »: the contract after « en » names the jobs, as a noun would.
  const contractAfterEn = skip === 1 && at(0) === 'en' && /^(cdi|cdd|cddi)$/.test(w(0));
  if ((skip === 0 || contractAfterEn) && EMPLOYEE_NOUNS.test(w(0))) {
    // "salariés à mi-temps", "personne salariée", "salariés en CDI", « contrat aidé 20h »: the modifier sets the weight.
    let k = skip + 1;
    while (k < skip + 4 && CONTRACT_QUALIFIERS.test(at(k))) k += 1;
    const modifier = readUnit(t, i + k) ?? readHours(t, i + k) ?? hoursInParentheses(t, i + k);
    // « 2 salariés à mi-temps », « 1 CDD à mi-temps » may detail a total; « 1 contrat aidé 20h » is another job.
    const detail = contractAfterEn || (modifier?.detail === true && DETAIL_NOUNS.test(w(0))) ? { detail: true as const } : {};
    if (modifier && modifier.kind === 'worker') return { kind: 'worker', weight: modifier.weight, approximate: modifier.approximate, length: k + modifier.length, ...detail };
    return { kind: 'worker', weight: 1, approximate: false, length: skip + 1, ...detail };
  }
  // « 3 personnes salariées », « 40 entrepreneurs-salariés » (a CAE's).
  if (/^(personnes?|entrepreneu(?:rs?|ses?))$/.test(w(0)) && /^salarie/.test(w(1))) return { kind: 'worker', weight: 1, approximate: false, length: skip + 2 };
  if ((w(0) === 'people' || w(0) === 'persons') && /^(employed|paid)$/.test(w(1))) return { kind: 'worker', weight: 1, approximate: false, length: skip + 2 };
  return undefined;
}

/**
 * A count tied to a job's noun or a role (« 6 permanents », « 12 encadrants », « 4 salariés »), as
 * parseEmployees counts them — not a number alone (« 33500 », « 45 travailleurs »).
 */
export function countsStaff(text: string): boolean {
  const t = tokenize(text);
  return t.some((_, i) => {
    const number = readNumber(t, i);
    if (!number) return false;
    const j = i + number.length + (t[i + number.length] === 'de' || t[i + number.length] === 'd' ? 1 : 0);
    return readUnit(t, j) !== undefined || roleUnit(t, j, 0) !== undefined;
  });
}

/**
 * A number in digits or French or English words at t[i]: "3", "2,5", "vingt et un", "quatre vingt dix", "une dizaine".
 * Also read by the check-in's job counts (jobCounts.ts).
 */
export function readNumber(t: string[], i: number): { value: number; approximate: boolean; length: number } | undefined {
  const first = t[i];
  if (first === undefined) return undefined;
  // "1 200" (French thousands separator) is one number.
  if (/^\d{1,3}$/.test(first) && /^\d{3}$/.test(t[i + 1] ?? '')) return { value: Number(first + t[i + 1]), approximate: false, length: 2 };
  if (/^\d+([.,]\d+)?$/.test(first)) return { value: Number(first.replace(',', '.')), approximate: false, length: 1 };
  if (ROUND_NUMBERS[first] !== undefined) return { value: ROUND_NUMBERS[first], approximate: true, length: 1 };
  if (VAGUE_PLURALS.has(first)) return { value: 2, approximate: true, length: 1 };
  let value = 0;
  let j = i;
  let read = false;
  while (j < t.length) {
    const w = t[j];
    if (w === 'quatre' && /^vingts?$/.test(t[j + 1] ?? '')) {
      value += 80;
      j += 2;
    } else if (NUMBER_WORDS[w] !== undefined) {
      value += NUMBER_WORDS[w];
      j += 1;
    } else if (HUNDRED_WORDS.has(w) && read) {
      value = value * 100;
      j += 1;
    } else if (HUNDRED_WORDS.has(w)) {
      value = 100;
      j += 1;
    } else if (w === 'et' && read && /^(un|une|onze)$/.test(t[j + 1] ?? '')) {
      j += 1; // "vingt et un", "soixante et onze"
      continue;
    } else break;
    read = true;
  }
  if (!read) return undefined;
  // "une dizaine", "deux dizaines"
  const round = ROUND_NUMBERS[(t[j] ?? '').replace(/s$/, '')];
  if (round !== undefined) return { value: value * round, approximate: true, length: j - i + 1 };
  return { value, approximate: false, length: j - i };
}

function startsWithPhrase(t: string[], i: number, phrase: string[]): boolean {
  return phrase.every((p, k) => t[i + k] === p);
}

/** "environ", "à peu près", "plus de" in the three words before a number. */
export function approximateBefore(t: string[], i: number): boolean {
  for (let k = Math.max(0, i - 3); k < i; k++) {
    if (APPROXIMATE_WORDS.has(t[k])) return true;
    if (APPROXIMATE_PHRASES.some((p) => startsWithPhrase(t, k, p) && k + p.length <= i)) return true;
  }
  return false;
}

const NEGATIONS = new Set(['pas', 'aucun', 'aucune', 'jamais', 'sans', 'ne', 'n', 'ni', 'not', 'no', 'never', 'without']);
const PAST_AUXILIARIES = new Set(['a', 'ai', 'avons', 'avez', 'ont', 'avait', 'avions', 'avaient']);

/** Where a hiring intention starts: "embaucher", "recrutement", "première embauche", "créer un poste". */
function hiringTriggerLength(t: string[], i: number): number {
  const w = t[i];
  if (/^(embauch|recrut|recruit|hire|hiring)/.test(w) || w === 'salarier' || w === 'employer') return 1;
  if (/^(premier|premiere|futur|future|futurs|futures|first)$/.test(w) && /^(salari|emploi|poste|cdi|employe|job|position|hire)/.test(t[i + 1] ?? '')) return 2;
  if ((w === 'creer' || w === 'creation' || w === 'ouvrir' || w === 'create' || w === 'open') && t.slice(i + 1, i + 5).some((x) => /^(poste|postes|emploi|emplois|job|jobs|position|positions)$/.test(x))) return 1;
  return 0;
}

/** After a counted noun: "un poste à créer", "deux CDI prévus" are future jobs, not current ones. */
function futureAfter(t: string[], i: number): boolean {
  return (
    (t[i] === 'a' && /^(creer|pourvoir|venir)$/.test(t[i + 1] ?? '')) ||
    /^prevue?s?$/.test(t[i] ?? '') ||
    (t[i] === 'en' && t[i + 1] === 'projet')
  );
}

const ZERO_PHRASES = [
  /\b(aucun|aucune|pas (encore )?(de|d)|sans|zero|0|no|none) ?(salarie|employe|personnel|etp|poste|emploi|cdi|staff|employee)/,
  /\b(que|uniquement|seulement|exclusivement|entierement|totalement|100) (des |de |du )?benevol/,
  /^(aucun|aucune|personne|non aucun|non|none|nobody|rien|nada)$/,
  /\b(tous|toutes) (des )?benevol/,
  /\b(only|all|just) (volunteers|volunteer)/,
  /^(no one|nobody|none|not yet|not one)\b/,
];

/** Lower case, no accents; hyphens and apostrophes as spaces; "3etp" → "3 etp"; punctuation → "|". Also read by jobCounts.ts. */
export function tokenize(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/~/g, ' environ ')
    .replace(/\b(?:une?\s+)?(\d+)\s*aines?\b/g, ' environ $1 ') // « une 15aine »: about 15
    .replace(/(\d)\s*-\s*(\d)/g, '$1 a $2') // "2-3 salariés"
    .replace(/(\d)([a-z])/g, '$1 $2')
    .replace(/[’'`´-]/g, ' ')
    .replace(/([.,])(?!\d)|(?<!\d)([.,])/g, ' | ') // "3,5" stays a number; "salariés, on" is a break
    .replace(/[;:!?()\n]/g, ' | ')
    .split(/\s+/)
    .filter(Boolean);
}

/** Clause breaks: punctuation, "mais", "puis", "donc", and "et" when a new subject follows. */
function isClauseBreak(t: string[], i: number): boolean {
  const w = t[i];
  if (w === '|' || w === 'mais' || w === 'puis' || w === 'donc' || w === 'car' || w === 'cependant' || w === 'but' || w === 'then' || w === 'however') return true;
  return (w === 'et' && /^(on|nous|je|j|il|elle|ils|elles)$/.test(t[i + 1] ?? '')) || (w === 'and' && /^(we|i|they|he|she|it)$/.test(t[i + 1] ?? ''));
}

interface Quantity {
  etp: number;
  kind: UnitKind | 'bare';
  approximate: boolean;
  /** People counted (« 2 à mi-temps »: 2, for 1 ETP). */
  heads: number;
  /** May detail a total said before it (Unit.detail). */
  detail: boolean;
  /** Followed by a punctuation or at once by another count (« 3 salariés : 2… », « 3 salariés 2 à temps plein… »), not by « + » or « et ». */
  listsAfter: boolean;
}

export function parseEmployees(text: string): EmployeesResult {
  const t = tokenize(text);
  const quantities: Quantity[] = [];
  let hiringPlan = false;
  let approximate = false;

  let clauseStart = 0;
  let clauseHiring = false; // a hiring word seen earlier in this clause: later numbers are future jobs
  let clausePast = false; // "on a embauché…": hiring already done, numbers are current jobs
  let i = 0;
  while (i < t.length) {
    if (isClauseBreak(t, i)) {
      clauseStart = i + 1;
      clauseHiring = false;
      clausePast = false;
      i += 1;
      continue;
    }

    const trigger = hiringTriggerLength(t, i);
    if (trigger > 0) {
      let back = i - 1;
      if (t[back] === 'deja') back -= 1;
      const past = (/^(embauche|embauches|embauchee|embauchees|recrute|recrutes|recrutee|recrutees)$/.test(t[i]) && PAST_AUXILIARIES.has(t[back]))
        || /^(hired|recruited)$/.test(t[i]); // English: 'we hired two people'
      clausePast ||= past;
      clauseHiring = !clausePast;
      if (!clausePast && !negatedSince(t, i, clauseStart)) hiringPlan = true;
      i += trigger;
      continue;
    }

    const number = readNumber(t, i);
    if (!number) {
      i += 1;
      continue;
    }
    if (notAHeadcount(t, i, number.length) || aboutVolunteers(t, i, number.length)) {
      i += number.length;
      continue;
    }
    const range = readRange(t, i, number);
    let value = range.value;
    const approx = number.approximate || approximateBefore(t, i) || range.ranged;
    let j = range.end;
    const half = () => {
      if (t[j] === 'et' && /^demie?$/.test(t[j + 1] ?? '')) {
        value += 0.5; // "deux et demi", "deux salariés et demi"
        j += 2;
      } else if (t[j] === 'and' && t[j + 1] === 'a' && t[j + 2] === 'half') {
        value += 0.5; // "two and a half"
        j += 3;
      }
    };
    half();
    // "12 employees, 3 of them part time", "including 3 part time", "of whom 3 are part time": a breakdown, as after « dont ».
    const ofThem = t[j] === 'of' && (t[j + 1] === 'them' || t[j + 1] === 'whom');
    if (ofThem) j += 2;
    else if (t[j] === 'de' || t[j] === 'd' || t[j] === 'of') j += 1; // "une dizaine de salariés"
    if ((ofThem || t[i - 1] === 'whom' || t[i - 1] === 'including') && t[j] === 'are') j += 1;
    const unit = readUnit(t, j);
    if (unit) j += unit.length;
    half();
    // « 12 salariés en insertion + 3 encadrants »: a job's name counts as a job, unless volunteers are its clause's subject.
    const role = unit ? undefined : roleUnit(t, j, clauseStart);
    if (role) j += role.length;
    const future = clauseHiring || futureAfter(t, j);
    if (future && futureAfter(t, j)) hiringPlan = true;
    // « 0 pour l'instant », « 2 actuellement »: a time adverb after a lone number changes nothing.
    const end = j + forNowLength(t, j);
    const atClauseEnd = end >= t.length || isClauseBreak(t, end);
    if (!future) {
      const counted = unit ?? role;
      if (counted) {
        // "3 salariés dont 1 à mi-temps": the "dont" part corrects the total already counted.
        const breakdown = t[i - 1] === 'dont' || t[i - 1] === 'including' || t[i - 1] === 'whom' || ofThem;
        const weight = breakdown ? counted.weight - 1 : counted.weight;
        quantities.push({ etp: value * weight, kind: counted.kind, approximate: approx || counted.approximate, heads: value,
          detail: !breakdown && counted.detail === true, listsAfter: t[j] === '|' || readNumber(t, j) !== undefined });
      } else if (atClauseEnd) {
        quantities.push({ etp: value, kind: 'bare', approximate: approx, heads: value, detail: false, listsAfter: false });
      }
    }
    i = Math.max(j, i + 1);
  }

  const etpCounts = quantities.filter((q) => q.kind === 'etp');
  const workerCounts = withoutDetailedTotals(quantities.filter((q) => q.kind === 'worker'));
  const bare = quantities.filter((q) => q.kind === 'bare');
  // Stated ETP first, then counted jobs, then a lone number answering "combien ?".
  const chosen = etpCounts.length > 0 ? etpCounts : workerCounts.length > 0 ? workerCounts : bare.length === 1 ? bare : [];
  let etp: number | undefined;
  if (chosen.length > 0) {
    etp = Math.max(0, chosen.reduce((sum, q) => sum + q.etp, 0));
    approximate = chosen.some((q) => q.approximate);
  }
  const plain = t.filter((w) => w !== '|').join(' ');
  // "Aucun, nous sommes tous bénévoles", "aucun mais on veut embaucher": a first clause that is
  // only "aucun" (or "pas encore", "personne"…) answers the question.
  const clauseEnd = t.findIndex((_, k) => isClauseBreak(t, k));
  const firstClause = t.slice(0, clauseEnd === -1 ? t.length : clauseEnd).join(' ');
  const bareNone = BARE_NONE.has(firstClause.replace(FOR_NOW, ' ').trim());
  if ((etp === undefined || etp === 0) && (bareNone || ZERO_PHRASES.some((re) => re.test(plain)))) {
    etp = 0;
    approximate = false;
  }
  return { etp: etp === undefined ? undefined : Math.round(etp * 100) / 100, approximate, hiringPlan };
}

/**
 * « 3 salariés : 2 à temps plein et 1 à mi-temps », « 2 salariés, un temps plein et un mi-temps »:
 * a head count followed by counts that say how those same people work is detailed by them —
 * counted once, by their working time, not a second time. Fewer people detailed than counted
 * (« 4 salariés, 2 à mi-temps »): the others work full time, as after « dont » (3 ETP).
 */
function withoutDetailedTotals(counts: Quantity[]): Quantity[] {
  const rest = new Map<Quantity, Quantity>();
  counts.forEach((total, k) => {
    if (total.detail || !total.listsAfter || total.heads <= 0) return;
    let heads = 0;
    let m = k + 1;
    while (m < counts.length && counts[m].detail && heads < total.heads) heads += counts[m++].heads;
    if (m > k + 1 && heads <= total.heads) {
      rest.set(total, { ...total, heads: total.heads - heads, etp: (total.etp * (total.heads - heads)) / total.heads });
    }
  });
  return counts.map((q) => rest.get(q) ?? q);
}

/** "pour l'instant aucun", "aucun pour le moment": a time adverb around the answer changes nothing. */
const FOR_NOW_PHRASES = ['pour l instant', 'pour le moment', 'pour l heure', 'a ce jour', 'a l heure actuelle', 'actuellement', 'aujourd hui', 'en ce moment',
  'for now', 'at the moment', 'currently', 'right now'];
/** « 4 je l'ai déjà dit »: said again, impatiently — the answer stands as alone. */
const SAID_AGAIN_PHRASES = ['je vous l ai deja dit', 'je vous l ai dit', 'je l ai deja dit', 'je l ai dit', 'comme je l ai dit', 'comme dit', 'deja dit'];
/** What may follow an answer without changing it: a time adverb, or « je l'ai déjà dit ». */
const ASIDE_PHRASES = [...FOR_NOW_PHRASES, ...SAID_AGAIN_PHRASES];
const FOR_NOW = new RegExp(`(^| )(${ASIDE_PHRASES.join('|')})(?= |$)`, 'g');

/** How many words of an aside (ASIDE_PHRASES) start at t[i]; 0 when none does. */
function forNowLength(t: string[], i: number): number {
  const phrase = ASIDE_PHRASES.map((p) => p.split(' ')).find((words) => startsWithPhrase(t, i, words));
  return phrase?.length ?? 0;
}

/**
 * The staff named by their jobs: « 3 encadrants », « 2 animatrices à mi-temps », "two trainers".
 * Not when volunteers are named in the same clause (« 20 bénévoles dont 3 animateurs »,
 * « 4 animateurs bénévoles »): those are volunteers' roles.
 */
const ROLE_NOUNS = /^(encadrant|encadrante|encadrants|encadrantes|animateur|animatrice|animateurs|animatrices|formateur|formatrice|formateurs|formatrices|educateur|educatrice|educateurs|educatrices|coordinateur|coordinatrice|coordinateurs|coordinatrices|coordinator|coordinators|directeur|directrice|directeurs|directrices|accompagnateur|accompagnatrice|accompagnateurs|accompagnatrices|mediateur|mediatrice|mediateurs|mediatrices|secretaire|secretaires|comptable|comptables|technicien|technicienne|techniciens|techniciennes|ouvrier|ouvriere|ouvriers|ouvrieres|supervisor|supervisors|trainer|trainers|instructor|instructors|manager|managers)$/;

function roleUnit(t: string[], i: number, clauseStart: number): Unit | undefined {
  if (!ROLE_NOUNS.test(t[i] ?? '')) return undefined;
  let end = i;
  while (end < t.length && !isClauseBreak(t, end)) end += 1;
  if (t.slice(clauseStart, end).some((w) => VOLUNTEER_NOUNS.test(w))) return undefined;
  // « 2 animatrices à mi-temps »: the modifier sets the weight, as after « salariés ».
  const modifier = readUnit(t, i + 1) ?? readHours(t, i + 1);
  if (modifier && modifier.kind === 'worker') return { kind: 'worker', weight: modifier.weight, approximate: modifier.approximate, length: 1 + modifier.length };
  return { kind: 'worker', weight: 1, approximate: false, length: 1 };
}

const BARE_NONE = new Set(['aucun', 'aucune', 'zero', 'none', 'nobody', 'personne', 'non', 'non aucun', 'rien', 'pas encore', 'not yet', 'no one']);

/** Year prepositions: "depuis 2009", "créée en 1998", "since 2015". */
const YEAR_BEFORE = new Set(['depuis', 'en', 'annee', 'since', 'in']);

/**
 * A number that is not a count of people: the year of a law ("loi 1901", "loi de 1908"), a year
 * ("depuis 2009"), a postal code ("33000"). Unit-less only: "1901 salariés" stays a count.
 */
function notAHeadcount(t: string[], i: number, length: number): boolean {
  if (length !== 1 || readUnit(t, i + 1)) return false;
  const w = t[i];
  if (t[i - 1] === 'loi' || t[i - 1] === 'law' || (t[i - 1] === 'de' && t[i - 2] === 'loi')) return true;
  if (/^(1[89]|20)\d\d$/.test(w) && YEAR_BEFORE.has(t[i - 1] ?? '')) return true;
  return /^\d{5}$/.test(w);
}

const VOLUNTEER_NOUNS = /^(benevole|benevoles|benevolat|volunteer|volunteers)$/;

/**
 * The count at t[i], or the middle of a range starting there — « 2 ou 3 », « 2 à 3 », « entre 2 et
 * 3 », "2 to 3" (ranged) — and where it ends. « 1 à 24h » is one job's hours, not a range.
 */
function readRange(t: string[], i: number, first: { value: number; length: number }): { value: number; end: number; ranged: boolean } {
  const j = i + first.length;
  const rangeWord = t[j] === 'ou' || t[j] === 'or' || ((t[j] === 'a' || t[j] === 'to') && !readHours(t, j + 1))
    || ((t[j] === 'et' || t[j] === 'and') && /^(entre|between)$/.test(t[i - 1] ?? ''));
  const upper = rangeWord ? readNumber(t, j + 1) : undefined;
  return upper ? { value: (first.value + upper.value) / 2, end: j + 1 + upper.length, ranged: true } : { value: first.value, end: j, ranged: false };
}

/**
 * A unit-less number right after "bénévoles" — "que des bénévoles (une vingtaine)", "bénévoles : 20"
 * — counts volunteers, never employees ("20 bénévoles" is already no count: no employee unit).
 */
function aboutVolunteers(t: string[], i: number, length: number): boolean {
  if (readUnit(t, i + length)) return false;
  for (let k = i - 1; k >= Math.max(0, i - 3); k--) {
    if (VOLUNTEER_NOUNS.test(t[k])) return true;
    if (EMPLOYEE_NOUNS.test(t[k])) return false;
  }
  return false;
}

/** Words between a count and "volunteers": "20 active volunteers", "15 regular volunteers". */
const VOLUNTEER_ADJECTIVES = new Set(['active', 'regular', 'committed', 'occasional']);

/**
 * Volunteers counted in free text, in French or English: "20 bénévoles", "une vingtaine de
 * bénévoles", "environ vingt bénévoles", "around fifteen volunteers", "a dozen volunteers",
 * "10 à 15 bénévoles" (the middle). Undefined when no number comes before the word.
 */
export function parseVolunteers(text: string): number | undefined {
  const t = tokenize(text);
  for (let i = 0; i < t.length; i++) {
    const number = readNumber(t, i);
    if (!number) continue;
    const range = readRange(t, i, number);
    const value = range.value;
    let j = range.end;
    if (t[j] === 'de' || t[j] === 'd' || t[j] === 'of') j += 1; // "une dizaine de bénévoles", "a dozen of volunteers"
    if (VOLUNTEER_ADJECTIVES.has(t[j])) j += 1;
    if (VOLUNTEER_NOUNS.test(t[j] ?? '') && t[j] !== 'benevolat') return Math.round(value);
    i += number.length - 1;
  }
  return undefined;
}

/** A negation between the clause start and a hiring word, unless it is about a noun in between. */
function negatedSince(t: string[], i: number, clauseStart: number): boolean {
  for (let k = i - 1; k >= Math.max(clauseStart, i - 6); k--) {
    if (EMPLOYEE_NOUNS.test(t[k]) || t[k] === 'benevoles') return false; // "pas de salarié et un projet d'embauche"
    if (NEGATIONS.has(t[k])) return true;
  }
  return false;
}
