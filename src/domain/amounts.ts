/**
 * Money and shares from French (and English) free text: a budget ("250 000 €", "250 k€", "1,2 M€",
 * "un million deux cent mille", "environ 80 000 € par an"), a percentage ("40 %",
 * "quarante pour cent", "la moitié", "un tiers") and the breakdown of a structure's resources
 * ("subventions 60 %, ventes 30 %, dons 10 %", "surtout des subventions de la région (la
 * moitié), le reste en ventes"). DOMAIN.md § Diagnostic (economic model).
 *
 * Written by hand: @microsoft/recognizers-text-suite 1.3.1 (Culture.French) reads
 * "un million deux cent mille" as 100000200000, splits "250\u00a0000 €" into 250 and "000 €"
 * (= 0 €), finds no currency in "1.2 million" or "250K", and no percentage in "40 pour cent",
 * "quarante pour cent", "la moitié", "un tiers" or "un quart".
 *
 * French conventions: the comma is the decimal separator ("1,2 M€"); spaces (also U+00A0 and
 * U+202F) and dots group thousands ("250 000", "1.200.000"). A single dot or comma followed by
 * exactly three digits and no multiplier is a thousands separator ("1.200 €", "250,000 €");
 * otherwise it is a decimal one ("1.2 million", "2,500 M€" = 2.5 M€).
 */
import {
  APPROXIMATE_PHRASES, APPROXIMATE_WORDS, ENGLISH_ARTICLE_MAGNITUDES, ENGLISH_NUMBER_WORDS, HUNDRED_WORDS, MAGNITUDE_WORDS,
  NUMBER_WORDS, ONE_AS_ARTICLE,
} from './numberWords';
import { tokenMatches, tokenize as tokenizeWords } from './themes';

export interface AmountResult {
  euros: number;
  /** "environ", "à peu près", "près de", "plus de", "~", a range ("entre 200 et 250 k€"). */
  approximate: boolean;
}

// ---------------------------------------------------------------------------------------------
// Tokens: numbers (raw, decided later), words, and the symbols that matter.

/** A token and where it is in the text it was read from ([at, end), UTF-16 offsets). */
type Tok = ({ kind: 'num'; raw: string } | { kind: 'word'; w: string } | { kind: 'sym'; s: string }) & { at: number; end: number };

const TOKEN = /(?<!\d)\d{1,3}(?: +\d{3})+(?!\d)(?:,\d+)?|\d+(?:[.,]\d+)*|[a-z]+|[€%~$+-]|[.,;:!?()/\n]/g;

/**
 * Lower case, no accents, one space for each kind of space and apostrophe, hyphens between
 * letters as spaces ("quatre-vingt-dix"), dashes as "-" ("200–250 k€": a range). Each output
 * character remembers the offset of the character it comes from, so tokens keep their place.
 */
function fold(text: string): { s: string; origin: number[] } {
  let s = '';
  const origin: number[] = [];
  for (let i = 0; i < text.length;) {
    const ch = String.fromCodePoint(text.codePointAt(i) as number);
    const folded = ch
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[\u00a0\u202f\u2009\u2007’'`´]/g, ' ')
      .replace(/[–—]/g, '-');
    for (const c of folded) {
      s += c;
      origin.push(i);
    }
    i += ch.length;
  }
  origin.push(text.length);
  return { s: s.replace(/(?<=[a-z])[-‐](?=[a-z])/g, ' '), origin };
}

function tokenize(text: string): Tok[] {
  const { s, origin } = fold(text);
  const out: Tok[] = [];
  for (const m of s.matchAll(TOKEN)) {
    const x = m[0];
    const place = { at: origin[m.index as number], end: origin[(m.index as number) + x.length] };
    if (/^\d/.test(x)) out.push({ kind: 'num', raw: x.replace(/ +/g, ' '), ...place });
    else if (/^[a-z]/.test(x)) out.push({ kind: 'word', w: x, ...place });
    else out.push({ kind: 'sym', s: x, ...place });
  }
  return out;
}

const word = (t: Tok | undefined) => (t && t.kind === 'word' ? t.w : '');
const sym = (t: Tok | undefined) => (t && t.kind === 'sym' ? t.s : '');

/** "250 000", "1.200.000", "1,2", "1.2", "250,000": see the header for the rules. */
function numberValue(raw: string, multiplierFollows: boolean): number {
  let s = raw.replace(/ /g, '');
  const dots = (s.match(/\./g) ?? []).length;
  const commas = (s.match(/,/g) ?? []).length;
  if (dots > 0 && commas > 0) {
    const decimal = s.lastIndexOf('.') > s.lastIndexOf(',') ? '.' : ',';
    const thousands = decimal === '.' ? ',' : '.';
    s = s.split(thousands).join('').replace(decimal, '.');
  } else if (dots + commas > 1) {
    s = s.replace(/[.,]/g, '');
  } else if (dots + commas === 1) {
    const threeDigitsAfter = /[.,]\d{3}$/.test(s);
    s = threeDigitsAfter && !multiplierFollows ? s.replace(/[.,]/, '') : s.replace(',', '.');
  }
  return Number(s);
}

// ---------------------------------------------------------------------------------------------
// Quantities: digits or French or English words, with multipliers ("250 k", "1,2 M",
// "deux cent mille", "two hundred thousand").

/** Multipliers that may follow words or digits. */
const WORD_MULTIPLIERS = MAGNITUDE_WORDS;
/** Multipliers that only follow digits: "250 k", "250k€", "1,2 M€", "3 Md€". */
const DIGIT_MULTIPLIERS: Record<string, number> = {
  k: 1e3, ke: 1e3, keur: 1e3, keuros: 1e3, m: 1e6, meur: 1e6, meuros: 1e6, mio: 1e6, md: 1e9, mds: 1e9, mrd: 1e9,
};
/** Multipliers that also say "euros". */
const EURO_MULTIPLIERS = new Set(['ke', 'keur', 'keuros', 'meur', 'meuros']);

interface Quantity {
  value: number;
  /** Token index range [start, end). */
  start: number;
  end: number;
  /** A magnitude word was read: k, M, mille, million… (evidence of money without "€"). */
  multiplied: boolean;
  /** The multiplier of the last group (to lend to the first number of a range). */
  lastMultiplier: number;
  /** The value before the last multiplier ("250" in "250 k€"). */
  beforeLastMultiplier: number;
  euroInside: boolean;
}

function isMultiplierAt(t: Tok[], i: number, afterDigits: boolean): number | undefined {
  const w = word(t[i]);
  if (WORD_MULTIPLIERS[w] !== undefined) return WORD_MULTIPLIERS[w];
  if (afterDigits && DIGIT_MULTIPLIERS[w] !== undefined) return DIGIT_MULTIPLIERS[w];
  return undefined;
}

/**
 * A quantity at t[i]: "250 000", "250 k", "1,2 M", "un million deux cent mille", "2 millions et demi",
 * "two hundred and fifty thousand", "a million", "two and a half million".
 * Undefined when no quantity starts at t[i] (callers try every position).
 */
function readQuantity(t: Tok[], i: number): Quantity | undefined {
  let total = 0;
  let current = 0;
  let j = i;
  let read = false;
  let lastDigits = false; // digits are only followed by a multiplier or "et demi"
  let afterMultiplier = false; // a new group may start: "1 million 200 000", "un million deux cent mille"
  let multiplied = false;
  let lastMultiplier = 1;
  let beforeLastMultiplier = 0;
  let euroInside = false;
  const multiply = (m: number) => {
    beforeLastMultiplier = current || 1;
    total += (current || 1) * m;
    current = 0;
    lastMultiplier = m;
    multiplied = true;
    afterMultiplier = true;
    lastDigits = false;
  };
  while (j < t.length) {
    const tok = t[j];
    const w = word(tok);
    if (tok.kind === 'num') {
      if (read && !afterMultiplier) break;
      const multiplierFollows = isMultiplierAt(t, j + 1, true) !== undefined;
      current += numberValue(tok.raw, multiplierFollows);
      lastDigits = true;
      afterMultiplier = false;
      j += 1;
    } else if (lastDigits && isMultiplierAt(t, j, true) !== undefined) {
      euroInside ||= EURO_MULTIPLIERS.has(w);
      multiply(isMultiplierAt(t, j, true) ?? 1);
      j += 1;
    } else if (lastDigits && !(w === 'et' && /^demie?$/.test(word(t[j + 1]))) && !andAHalfAt(t, j)) {
      break;
    } else if (!read && (w === 'a' || w === 'an') && ENGLISH_ARTICLE_MAGNITUDES.has(word(t[j + 1]))) {
      current = 1; // "a hundred", "a million" (not French "à", which is never followed by these)
      j += 1;
    } else if (w === 'quatre' && /^vingts?$/.test(word(t[j + 1]))) {
      current += 80;
      afterMultiplier = false;
      j += 2;
    } else if (NUMBER_WORDS[w] !== undefined) {
      current += NUMBER_WORDS[w];
      afterMultiplier = false;
      j += 1;
    } else if (HUNDRED_WORDS.has(w) && (read || w !== 'cents')) {
      current = (current || 1) * 100;
      afterMultiplier = false;
      j += 1;
    } else if (WORD_MULTIPLIERS[w] !== undefined && (read || w === 'mille')) {
      multiply(WORD_MULTIPLIERS[w]);
      j += 1;
    } else if (w === 'et' && read && /^(un|une|onze)$/.test(word(t[j + 1]))) {
      j += 1; // "vingt et un", "soixante et onze"
    } else if (w === 'and' && read && ENGLISH_NUMBER_WORDS[word(t[j + 1])] !== undefined && (HUNDRED_WORDS.has(word(t[j - 1])) || WORD_MULTIPLIERS[word(t[j - 1])] !== undefined)) {
      j += 1; // "two hundred and fifty", "a thousand and one"
    } else if (read && andAHalfAt(t, j)) {
      // "two million and a half" (half the multiplier); "two and a half million" (the multiplier follows)
      j += 3;
      if (current === 0 && lastMultiplier > 1) {
        total += lastMultiplier / 2;
        break;
      }
      current += 0.5;
      if (WORD_MULTIPLIERS[word(t[j])] === undefined && !(lastDigits && isMultiplierAt(t, j, true) !== undefined)) break;
      continue;
    } else if (w === 'et' && read && /^demie?$/.test(word(t[j + 1]))) {
      // "deux millions et demi" (half the multiplier), "deux et demi"
      if (current === 0 && lastMultiplier > 1) total += lastMultiplier / 2;
      else current += 0.5;
      j += 2;
      read = true;
      break;
    } else break;
    read = true;
  }
  if (!read) return undefined;
  return { value: total + current, start: i, end: j, multiplied, lastMultiplier, beforeLastMultiplier, euroInside };
}

const andAHalfAt = (t: Tok[], j: number) => word(t[j]) === 'and' && word(t[j + 1]) === 'a' && word(t[j + 2]) === 'half';

// ---------------------------------------------------------------------------------------------
// Amounts

const APPROX_WORDS = new Set([...APPROXIMATE_WORDS, 'max', 'maximum', 'quelque']);
const APPROX_PHRASES = APPROXIMATE_PHRASES;
const APPROX_AFTER = new Set(['environ', 'env', 'approx', 'approximativement', 'about']);

function phraseAt(t: Tok[], i: number, phrase: string[]): boolean {
  return phrase.every((p, k) => word(t[i + k]) === p);
}

function approximateBefore(t: Tok[], i: number): boolean {
  if (sym(t[i - 1]) === '~') return true;
  for (let k = Math.max(0, i - 4); k < i; k++) {
    if (APPROX_WORDS.has(word(t[k])) && k >= i - 2) return true;
    if (APPROX_PHRASES.some((p) => k + p.length === i && phraseAt(t, k, p))) return true;
  }
  return false;
}

/** Currency right after a quantity: "€", "euros", "d'euros", "EUR", "e"; returns the tokens used. */
function currencyAfter(t: Tok[], j: number): number {
  if (sym(t[j]) === '€' || sym(t[j]) === '$') return 1;
  if (/^(euro|euros|eur|e)$/.test(word(t[j]))) return 1;
  if (/^(d|de|des)$/.test(word(t[j])) && /^euros?$/.test(word(t[j + 1]))) return 2;
  return 0;
}

/** Percentages: "40 %", "40 pour cent", "40 pourcents", "40 percent". Returns the tokens used. */
function percentAfter(t: Tok[], j: number): number {
  if (sym(t[j]) === '%') return 1;
  if (/^(pourcent|pourcents|percent|pct)$/.test(word(t[j]))) return 1;
  if ((word(t[j]) === 'pour' || word(t[j]) === 'per') && /^cents?$/.test(word(t[j + 1]))) return 2;
  return 0;
}

/** After a bare number, only these may follow for it to be an amount ("80000 par an"). */
const BARE_FOLLOWERS = new Set(['par', 'an', 'ans', 'annuel', 'annuels', 'ht', 'ttc', 'hors', 'environ', 'env', 'approx', 'approximativement', 'about', 'per', 'year']);

/** Words after which a bare number of 1,000 or more is still an amount: the sentence goes on, no unit is named. */
const SENTENCE_GOES_ON = new Set(['avec', 'grace', 'pour', 'dont', 'mais', 'si', 'sur', 'y', 'en', 'et', 'je', 'j', 'on', 'il', 'ca', 'c', 'selon', 'd', 'apres', 'avant',
  'cette', 'cet', 'l', 'la', 'le', 'les', 'au', 'with', 'including', 'but', 'this', 'last', 'in', 'for']);

interface AmountCandidate extends AmountResult {
  strong: boolean;
  start: number;
  end: number;
}

/**
 * `beforeSource`: true for a token that starts a funding source (« ventes » in « subventions 100000
 * ventes 80000 »): a large bare number before it is what the source before brings in.
 */
function findAmounts(t: Tok[], beforeSource?: (next: Tok | undefined) => boolean): AmountCandidate[] {
  const found: AmountCandidate[] = [];
  let i = 0;
  while (i < t.length) {
    const q = readQuantity(t, i);
    if (!q) {
      i += 1;
      continue;
    }
    let { value } = q;
    let end = q.end;
    let approximate = approximateBefore(t, i);
    let currency = q.euroInside || sym(t[i - 1]) === '€';
    let multiplied = q.multiplied;
    const percent = percentAfter(t, end);
    if (percent > 0) {
      i = end + percent;
      continue;
    }
    // A range: "entre 200 et 250 k€", "200 à 250 000 €", "200-250 k€".
    const rangeWord = word(t[end]) === 'a' || sym(t[end]) === '-' || (word(t[end]) === 'et' && word(t[i - 1]) === 'entre');
    const upper = rangeWord ? readQuantity(t, end + 1) : undefined;
    if (upper) {
      let lower = value;
      // The lower bound borrows the upper bound's multiplier: "entre 200 et 250 k€".
      if (!q.multiplied && upper.multiplied && lower < upper.beforeLastMultiplier * 10) lower *= upper.lastMultiplier;
      value = (lower + upper.value) / 2;
      approximate = true;
      end = upper.end;
      currency ||= upper.euroInside;
      multiplied ||= upper.multiplied;
    }
    const c = currencyAfter(t, end);
    if (c > 0) {
      currency = true;
      end += c;
    }
    // "80 000 € environ", "80 000 euros par an environ"
    for (let k = end; k < end + 4 && BARE_FOLLOWERS.has(word(t[k])); k++) if (APPROX_AFTER.has(word(t[k]))) approximate = true;
    const next = t[end];
    // « 335 000 avec la dernière subvention »: a large number, then the sentence goes on.
    const bareOk = next === undefined || next.kind === 'sym' || BARE_FOLLOWERS.has(word(next))
      || (value >= 1000 && (SENTENCE_GOES_ON.has(word(next)) || (beforeSource?.(next) ?? false)));
    const yearLike = !currency && !multiplied && Number.isInteger(value) && value >= 1900 && value <= 2100;
    const loneArticle = !currency && !multiplied && t[i].kind === 'word' && q.end - q.start === 1 && ONE_AS_ARTICLE.has(word(t[i]));
    if (!yearLike && !loneArticle && (currency || multiplied || bareOk)) {
      found.push({ euros: Math.round(value * 100) / 100, approximate, strong: currency || multiplied, start: i, end });
    }
    i = Math.max(end, i + 1);
  }
  return found;
}

/**
 * The amount in euros in a message: the first one with a currency or a magnitude word, else a
 * lone bare number ("80000", "80 000 par an"). Undefined when there is none, or only numbers
 * that are clearly something else ("12 salariés", "40 %", "en 2023").
 */
export function parseAmountEuros(text: string): AmountResult | undefined {
  const chosen = chosenAmount(text);
  return chosen && { euros: chosen.euros, approximate: chosen.approximate };
}

/** True when the amount of a message is a bare number: no currency, no « k », no « mille » (« 180 », « environ 500 par an »). */
export function amountIsBare(text: string): boolean {
  const chosen = chosenAmount(text);
  return chosen !== undefined && !chosen.strong;
}

function chosenAmount(text: string): AmountCandidate | undefined {
  const candidates = findAmounts(tokenize(text));
  return candidates.find((c) => c.strong) ?? (candidates.length === 1 ? candidates[0] : undefined);
}

// ---------------------------------------------------------------------------------------------
// Percentages

const round1 = (x: number) => Math.round(x * 10) / 10;
const FRACTIONS: Record<string, number> = {
  moitie: 2, moities: 2, demi: 2, tiers: 3, quart: 4, quarts: 4, cinquieme: 5, cinquiemes: 5, dixieme: 10, dixiemes: 10,
  half: 2, third: 3, thirds: 3, quarter: 4, quarters: 4,
};
const WHOLE = new Set(['totalite', 'integralite']);

interface PercentFound {
  value: number;
  start: number;
  end: number;
}

function findPercents(t: Tok[]): PercentFound[] {
  const found: PercentFound[] = [];
  let i = 0;
  while (i < t.length) {
    const w = word(t[i]);
    const q = readQuantity(t, i);
    if (q) {
      const p = percentAfter(t, q.end);
      if (p > 0) {
        found.push({ value: round1(q.value), start: i, end: q.end + p });
        i = q.end + p;
        continue;
      }
      // "deux tiers", "trois quarts", "2 tiers", "2/3"
      const slash = sym(t[q.end]) === '/' && t[q.end + 1]?.kind === 'num' && q.end - q.start === 1;
      if (slash) {
        const d = Number((t[q.end + 1] as { raw: string }).raw);
        if (d >= 2 && d <= 10 && q.value > 0 && q.value < d) {
          found.push({ value: round1((100 * q.value) / d), start: i, end: q.end + 2 });
          i = q.end + 2;
          continue;
        }
      }
      const denominator = FRACTIONS[word(t[q.end])];
      if (denominator !== undefined && q.value > 0 && q.value < denominator) {
        found.push({ value: round1((100 * q.value) / denominator), start: i, end: q.end + 1 });
        i = q.end + 1;
        continue;
      }
      i = q.end;
      continue;
    }
    // "la moitié", "le tiers", "a quarter", "moitié"
    if (FRACTIONS[w] !== undefined) {
      found.push({ value: round1(100 / FRACTIONS[w]), start: i, end: i + 1 });
    } else if (WHOLE.has(w)) {
      found.push({ value: 100, start: i, end: i + 1 });
    }
    i += 1;
  }
  return found;
}

/**
 * An explicit percentage: "40 %", "40%", "12,5 %", "40 pour cent", "quarante pour cent",
 * "la moitié" (50), "un tiers" (33.3), "deux tiers" (66.7), "un quart" (25), "trois quarts" (75),
 * "la totalité" (100). A bare "0,4" or "40" is not a percentage.
 */
export function parsePercent(text: string): number | undefined {
  return findPercents(tokenize(text))[0]?.value;
}

// ---------------------------------------------------------------------------------------------
// Funding sources

export type FundingSource = 'public_grants' | 'sales' | 'donations' | 'membership_fees' | 'private_funding' | 'other';

export interface FundingShare {
  source: FundingSource;
  /** The structure's own words: "subventions", "prestations", "le reste". */
  label: string;
  /** Percentage of the resources, when given (or computed from "le reste", or from euros). */
  share?: number;
  euros?: number;
}

export interface FundingBreakdown {
  sources: FundingShare[];
  /** Sum of the known shares; undefined when no share is known. */
  totalShare?: number;
  /** False when the shares add up to more than 100, or clearly not 100 when all are given. */
  consistent: boolean;
}

/** Shares are typed rounded: "33, 33, 33" or three "un tiers" are 100. */
export const SHARE_TOLERANCE = 2;

const SOURCE_WORDS: Record<FundingSource, string[]> = {
  public_grants: [
    'subvention*', 'subventionn*', 'fonds publics', 'financement* public*', 'aide* publique*', 'argent public', 'etat',
    'region', 'regional*', 'departement', 'departemental*', 'commune', 'mairie', 'ville', 'municipal*', 'intercommunal*',
    'metropole', 'communaute de communes', 'agglo*', 'collectivite*', '=caf', '=ars', '=drac', '=ddets', '=dreets',
    'politique de la ville', 'europe*', '=fse', 'feder', 'dotation*', 'public*', 'publique*', 'contrat* aide*', 'aide* a l emploi',
    'aide* au poste', 'grant*', 'appel* a projet*',
    // English: the funders as people name them (« city of Lyon 40% », "EU grants", "Erasmus+").
    'city', 'city council', 'council*', 'local authorit*', 'government', 'state', 'erasmus*', 'eu grant*', 'eu fund*', 'eu funding',
    'public funding', 'public money', 'subsid*',
  ],
  sales: [
    'vente*', 'prestation*', 'recette*', 'ressources propres', 'chiffre d affaires', 'billetterie', 'entrees',
    'factur*', 'marche* public*', 'commande publique', 'boutique', 'services', 'formations', 'participation des usagers',
    'participation des familles', 'participation des beneficiaires', 'participations des usagers', 'tarif*', 'sales',
    'revenu*', 'location*', 'activite* economique*', 'autofinancement',
    // English: "fees" alone are what users pay (workshop, course fees); members' fees are "membership fees".
    'fees', 'ticket sales', 'ticketing', 'box office', 'own income', 'earned income', 'trading income', 'turnover', 'rental*',
  ],
  donations: [
    '=don', '=dons', 'donateur*', 'donatrice*', 'donation*', 'collecte*', 'crowdfunding', 'financement participatif',
    'legs', 'generosite*', 'appel aux dons', 'donor*', 'particuliers', 'fundrais*', 'gifts', 'individual giving',
  ],
  membership_fees: ['cotisation*', 'adhesion*', 'adherent*', 'membership', 'membership fees', 'member fees', 'members fees', 'membres', 'subscriptions', '=dues'],
  private_funding: [
    'mecenat', 'mecene*', 'fondation*', 'entreprise*', 'sponsor*', 'partenaire* prive*', 'fonds prive*',
    'financement* prive*', 'prive*', 'philanthrop*', 'foundation*', 'private',
  ],
  other: ['autre*', 'divers', 'produits financiers', 'emprunt*', 'pret', 'prets', 'other', 'misc*'],
};
const SOURCE_ENTRIES = Object.entries(SOURCE_WORDS)
  .flatMap(([source, patterns]) => patterns.map((p) => ({ source: source as FundingSource, pattern: p, words: p.split(' ') })))
  .sort((a, b) => b.words.length - a.words.length);

/**
 * Words that only qualify the source next to them: « dons privés », "private donations", "public
 * grants" name one source, the noun's (alone, « privés » still names private funding).
 */
const QUALIFIERS = new Set(['public*', 'publique*', 'prive*', 'private', 'regional*', 'departemental*', 'municipal*', 'intercommunal*', 'europe*']);

/** A piece that continues the previous one's funders: "(et) de la métropole", "du département", "d'Europe". */
const DETAIL_START = /^\s*(?:de|du|des|d['’])(?=\s|['’])/i;

const REMAINDER = /\b(le|du|pour le|au) (reste|restant|solde|complement)\b|\bremainder\b|\bthe rest\b/;

/** Sources named in a piece of text, in order, longest phrase first at each position. */
function sourcesIn(text: string): { source: FundingSource; label: string; start: number; end: number }[] {
  const tokens = tokenizeWords(text);
  const out: { source: FundingSource; label: string; start: number; end: number; qualifier: boolean }[] = [];
  let i = 0;
  while (i < tokens.length) {
    const hit = SOURCE_ENTRIES.find((e) =>
      e.words.every((p, k) => tokens[i + k] !== undefined && tokenMatches(p, tokens[i + k].norm) && (k === 0 || tokens[i + k].gapBefore === 'space')),
    );
    if (!hit) {
      i += 1;
      continue;
    }
    const lastWord = tokens[i + hit.words.length - 1];
    // « Erasmus+ »: the sign is part of the name.
    const last = { end: lastWord.end + (text[lastWord.end] === '+' ? 1 : 0) };
    const qualifier = QUALIFIERS.has(hit.pattern);
    const before = out[out.length - 1];
    // Next to the previous source, nothing but a space between: one source with a longer label,
    // when it is the same source or one of the two only qualifies the other.
    if (before && tokens[i].gapBefore === 'space' && /^\+?\s+$/.test(text.slice(before.end, tokens[i].start))
      && (before.source === hit.source || qualifier || before.qualifier)) {
      Object.assign(before, { source: qualifier ? before.source : hit.source, qualifier: before.qualifier && qualifier, end: last.end, label: text.slice(before.start, last.end) });
    } else {
      out.push({ source: hit.source, label: text.slice(tokens[i].start, last.end), start: tokens[i].start, end: last.end, qualifier });
    }
    i += hit.words.length;
  }
  return out.map(({ qualifier: _, ...x }) => x);
}

/**
 * Pieces: commas (not decimal ones), semicolons, new lines, "+" (not one that ends a name:
 * "Erasmus+ grants"), "et", "puis", "ainsi que"…, and
 * before "le reste" ("subventions 60 % le reste en ventes", "grants 60% the rest sales").
 */
const SEPARATORS = /\s*(?:;|\n|(?<![A-Za-zÀ-ÿ])\+|\+(?=[A-Za-zÀ-ÿ\d])|,(?!\d)|(?<!\d),|\.(?!\d)|\/(?!\d)|(?<!\d)\/|(?<=\s)(?:et|puis|ainsi que|and|plus)(?=\s)|(?<=\s)(?=(?:le|du|au|pour le)\s+(?:reste|restant|solde|compl[eé]ment)\b)|(?<=\s)(?=the\s+(?:rest|remainder)\b))\s*/i;

/** What joins two sources into one: « adhésions et dons », « ventes + prestations », "fees and donations". */
const JOINING = /^\s*(?:et|and|\+|&)\s*$/i;

/** A share or an amount in the text: a digit, or a share in words (« la moitié »). */
const hasFigure = (text: string) => /\d/.test(text) || findPercents(tokenize(text)).length > 0;

/**
 * « de la région » after « subventions de l'État »: a detail of the same kind of source (DETAIL_START),
 * not « des participations des familles » after « des adhésions », another source with its article.
 */
const detailOf = (before: string, piece: string) =>
  DETAIL_START.test(piece) && sourcesIn(piece).every((s) => sourcesIn(before).some((b) => b.source === s.source));

/**
 * The pieces between SEPARATORS; a source with no figure joined by « et » to the next piece, a
 * source with its figure — or any source after « le reste en … » —, makes one piece with it (`joined`): « adhésions et dons 10 » is one
 * source of 10 %, not « adhésions » without its share beside « dons 10 ». « subventions 60 % et
 * ventes 40 % » (each its figure), « des subventions et des dons » (no figure) and « subventions
 * de l'État et de la région 60 % » (a detail of the source: DETAIL_START) are not joined.
 */
function joinedPieces(text: string): { piece: string; joined?: true }[] {
  const parts = cutAfterShares(text).split(new RegExp(`(${SEPARATORS.source})`, 'i'));
  const out: { piece: string; joined?: true }[] = [];
  for (let k = 0; k < parts.length; k += 2) {
    const piece = parts[k] ?? '';
    const before = out[out.length - 1];
    if (before && !before.joined && JOINING.test(parts[k - 1] ?? '') && sourcesIn(before.piece).length > 0 && !hasFigure(before.piece)
      && sourcesIn(piece).length > 0 && !detailOf(before.piece, piece)
      // « le reste en cotisations et un peu de dons »: the rest is both, as a figure after both would be.
      && (hasFigure(piece) || (REMAINDER.test(normalized(before.piece)) && !hasFigure(piece)))) {
      out[out.length - 1] = { piece: `${before.piece}${parts[k - 1]}${piece}`, joined: true };
    } else out.push({ piece });
  }
  return out;
}

/**
 * When the sources come first (« prestations 40 % subventions 45 % »), a percentage ends its
 * source: a « ; » after each one followed by words, so that « …45% cotisations + dons 15% » is
 * read as « cotisations + dons », joined, with its 15 %, as when typed with commas.
 */
function cutAfterShares(text: string): string {
  const t = tokenize(text);
  const percents = findPercents(t);
  const sources = sourcesIn(text);
  if (sources.length === 0 || percents.length === 0 || t[percents[0].start].at < sources[0].start) return text;
  let out = text;
  // Only a percentage with a source of its own before it (« 30 % de dons » after « subventions 40 %, » has none).
  percents.map((p, i) => ({ from: i === 0 ? 0 : t[percents[i - 1].end - 1].end, at: t[p.start].at, end: t[p.end - 1].end }))
    .filter((p) => sources.some((x) => x.start >= p.from && x.end <= p.at) && /^\s+\p{L}/u.test(text.slice(p.end)))
    .reverse().forEach((p) => { out = `${out.slice(0, p.end)} ;${out.slice(p.end)}`; });
  return out;
}

/** What says which of its kind a source is, after it: « ventes de légumes », « vente d'œufs », "sales of vegetables". */
const COMPLEMENT = /^\s+(?:(?:de|du|des|of)\s+|d['’]\s*)(?:(?:la|le|les|the)\s+|l['’]\s*)?(?!(?:ordre|environ|plus|moins|about|around)\b)\p{L}[\p{L}-]*/iu;

/**
 * A piece that names several sources and as many shares with no separator between them:
 * "subventions 60 % ventes 40 %", "60 % subventions 40 % ventes", "moitié subventions moitié
 * ventes", "3/4 subventions 1/4 prestations". When sources (neighbours count as one: "subventions
 * de la région") and shares (percentages or amounts) alternate, each source takes the share on
 * the side the first one does; otherwise the piece stays whole.
 */
function splitPairs(piece: string): string[] {
  const t = tokenize(piece);
  const span = (start: number, end: number) => ({ at: t[start].at, end: t[end - 1].end });
  const shares = [
    ...findPercents(t).map((p) => span(p.start, p.end)),
    ...fundingAmounts(t, piece).map((a) => span(a.start, a.end)),
  ].map((x) => ({ kind: 'share' as const, ...x })).sort((a, b) => a.at - b.at);
  const sources = sourcesIn(piece).map((x) => ({ kind: 'source' as const, at: x.start, end: x.end }));
  const items = [...shares, ...sources].sort((a, b) => a.at - b.at);
  const kinds = items.map((x) => x.kind).filter((k, i, all) => k === 'share' || all[i - 1] !== 'source');
  const pairs = shares.length;
  if (pairs < 2 || kinds.length !== 2 * pairs || kinds.some((k, i) => k === kinds[i - 1])) return [piece];
  const cuts = kinds[0] === 'source' ? shares.slice(0, -1).map((p) => p.end) : shares.slice(1).map((p) => p.at);
  return [0, ...cuts].map((from, i) => piece.slice(from, cuts[i] ?? piece.length));
}

/**
 * The amounts of a funding answer (`piece`, tokenized as `t`): with a currency or a magnitude
 * (« 20k », « 10 000 euros »), and bare ones of 1,000 or more (« metropole 120 000 », « subventions
 * 100000 »), also when the next source follows with no comma (« subventions 100000 ventes 80000 »):
 * next to a source, a large number is what it brings in, never a share.
 */
function fundingAmounts(t: Tok[], piece: string): AmountCandidate[] {
  const sourceStarts = new Set(sourcesIn(piece).map((x) => x.start));
  return findAmounts(t, (next) => next !== undefined && sourceStarts.has(next.at)).filter((a) => a.strong || a.euros >= 1000);
}

/** A piece's words without its figures: « epicerie 20000 euros » → « epicerie »; the piece itself when nothing is left. */
function withoutFigures(piece: string, t: Tok[]): string {
  const spans = [...findPercents(t), ...fundingAmounts(t, piece)].map((x) => ({ at: t[x.start].at, end: t[x.end - 1].end })).sort((a, b) => b.at - a.at);
  let rest = piece;
  for (const x of spans) rest = `${rest.slice(0, x.at)} ${rest.slice(x.end)}`;
  rest = rest.replace(/\s+/g, ' ').replace(/^[\s:=,-]+|[\s:=,-]+$/g, '').trim();
  return /\p{L}/u.test(rest) ? rest : piece.trim();
}

/**
 * Whole percentages from amounts, by largest remainder, so that they add up to exactly 100: 120,
 * 30, 20 and 10 k€ are 67, 17, 11 and 5 % (rounded one by one they would make 101).
 */
function sharesOfTotal(amounts: number[]): number[] {
  const sum = amounts.reduce((a, b) => a + b, 0);
  const exact = amounts.map((x) => (100 * x) / sum);
  const shares = exact.map(Math.floor);
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest);
  const missing = 100 - shares.reduce((a, b) => a + b, 0);
  for (let k = 0; k < missing; k++) shares[order[k % order.length].i] += 1;
  return shares;
}

function normalized(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[’'`´]/g, ' ');
}

/** What an amount naming the whole budget may be said with (normalized): its unit, « budget », « CA », "total". */
const WHOLE_WORDS = /\b(?:k|m|ke|keur|k?euros?|eur|mille|millions?|budget(?: annuel| total)?|total|ca|chiffre d affaires|turnover|annual|de|d|un|sur|pour|notre|avec|environ|about|on|of|for|our|an|a|with|par an|a year|per year)\b/g;

/** « subv », « subv. », « subs »: « subventions », also in the label (the dot is no separator). */
const SUBVENTIONS_SHORT = /(?<![\p{L}\d])(s)(?:ubvs?\.?|ubs)(?![\p{L}\d])/giu;

function withoutAbbreviations(text: string): string {
  return text.replace(SUBVENTIONS_SHORT, (_, s: string) => `${s}ubventions`);
}

/**
 * The structure's resources by source: "subventions 60 %, ventes 30 %, dons 10 %",
 * "60% de subventions publiques, 30% de prestations et 10% de cotisations", "surtout des
 * subventions de la région (la moitié), le reste en ventes", "subventions 120 k€, ventes 80 k€".
 * The same source named twice is merged; "le reste" takes what the other shares leave.
 */
export function parseFundingSources(text: string): FundingBreakdown {
  interface Piece { source: FundingSource; labels: string[]; share?: number; euros?: number; remainder: boolean; total?: true }
  const pieces: Piece[] = [];
  // "subventions 70 % dont 50 % de l'État et 20 % de la région": the detail after "dont" (up to
  // the next comma, not a decimal one) is part of the 70 % — but after an amount that names no
  // source (« 900k dont 60 % de ventes… »), the shares of that whole are the breakdown itself.
  const expanded = withoutAbbreviations(text);
  const withoutDetails = expanded.replace(/(?<=\s|^)dont\s(?:[^,;.\n]|[.,](?=\d))*/gi, (detail, at: number) =>
    (sourcesIn(expanded.slice(0, at).split(/[;\n]|,(?!\d)|\.(?!\d)/).pop() ?? '').length ? ' ' : detail.replace(/^dont/i, ',')));
  // Shares or amounts with no source named anywhere ("deux cent mille euros") are no breakdown.
  let namedAny = false;
  for (const { piece, joined } of joinedPieces(withoutDetails).flatMap((p) => splitPairs(p.piece).map((x) => ({ piece: x, joined: p.joined })))) {
    if (!piece.trim()) continue;
    const t = tokenize(piece);
    const share = findPercents(t)[0]?.value;
    const amount = fundingAmounts(t, piece)[0]?.euros;
    const found = sourcesIn(piece);
    // « adhésions et dons 10 »: one source, named with all its words.
    const named = joined && found.length > 1 ? [{ ...found[0], label: piece.slice(found[0].start, found[found.length - 1].end) }] : found;
    const remainder = REMAINDER.test(normalized(piece));
    if (named.length === 0) {
      if (remainder) {
        pieces.push({ source: 'other', labels: [piece.trim().replace(/^(pour|et)\s+/i, '')], share, euros: amount, remainder: share === undefined });
        continue;
      }
      if (share === undefined && amount === undefined) continue;
      // "des subventions, à 60 %": a share alone belongs to the source just before, if it has none.
      const previous = pieces[pieces.length - 1];
      if (previous && previous.share === undefined && previous.euros === undefined && !previous.remainder) {
        previous.share = share;
        previous.euros = amount;
      } else {
        // « 900k, 60 % ventes… », « budget 900 000 € »: an amount that names no source is the whole, not one of them.
        const label = withoutFigures(piece, t);
        // (withoutFigures gives the piece back when nothing but the amount is left: « quatre cent mille euros ».)
        const whole = share === undefined && (label === piece.trim() || !/\p{L}{2}/u.test(normalized(label).replace(/\d+(?:[.,]\d+)*/g, ' ').replace(WHOLE_WORDS, ' ')));
        pieces.push({ source: 'other', labels: [label], share, euros: amount, remainder: false, ...(whole ? { total: true as const } : {}) });
      }
      continue;
    }
    // Several sources in one piece ("subventions de l'État, de la région"): the first names it.
    namedAny = true;
    const source = named[0].source;
    // "…des subventions de la région et de la métropole": "de la métropole", with no share, only
    // details the source just named (like "dont"), whose words stay its label.
    const previous = pieces[pieces.length - 1];
    if (share === undefined && amount === undefined && DETAIL_START.test(piece) && previous?.source === source && named.every((n) => n.source === source)) continue;
    // The one source named keeps the structure's words after it: « ventes de légumes ».
    const label = named.length === 1 && !joined ? named[0].label + (COMPLEMENT.exec(piece.slice(named[0].end))?.[0] ?? '') : named[0].label;
    pieces.push({ source, labels: [label], share, euros: amount, remainder: remainder && share === undefined });
    for (const other of named.filter((n) => n.source !== source)) {
      if (!pieces.some((p) => p.source === other.source)) pieces.push({ source: other.source, labels: [other.label], remainder: false });
    }
  }

  if (!namedAny) return { sources: [], consistent: true };
  // The whole said with its breakdown (« 900k, 60 % ventes 40 % subventions »): not one of its sources.
  const totals = pieces.filter((p) => p.total);
  if (totals.length === 1 && pieces.some((p) => !p.total && p.share !== undefined)) pieces.splice(pieces.indexOf(totals[0]), 1);

  // Merge a source named twice; shares add up. Two funders of one kind, each with its own share
  // or amount (« metropole 120 000, region 30 000 »), stay two lines: the structure named both.
  const figure = (p: Piece) => p.share !== undefined || p.euros !== undefined;
  const merged: Piece[] = [];
  for (const p of pieces) {
    const same = merged.find((m) => m.source === p.source
      && (!figure(m) || !figure(p) || m.labels.some((l) => p.labels.some((x) => normalized(x) === normalized(l)))));
    if (!same) {
      merged.push({ ...p, labels: [...p.labels] });
      continue;
    }
    for (const l of p.labels) if (!same.labels.some((x) => normalized(x) === normalized(l))) same.labels.push(l);
    if (p.share !== undefined) same.share = (same.share ?? 0) + p.share;
    if (p.euros !== undefined) same.euros = (same.euros ?? 0) + p.euros;
    same.remainder ||= p.remainder;
  }

  // Shares from euros when no percentage is given at all: "subventions 120 k€, ventes 80 k€".
  if (merged.length > 0 && merged.every((p) => p.share === undefined && p.euros !== undefined)) {
    const amounts = merged.map((p) => p.euros ?? 0);
    if (amounts.reduce((a, b) => a + b, 0) > 0) sharesOfTotal(amounts).forEach((share, i) => { merged[i].share = share; });
  }

  // "le reste": what the other shares leave (when they leave something).
  const rest = merged.filter((p) => p.remainder && p.share === undefined);
  if (rest.length === 1) {
    const known = merged.filter((p) => p !== rest[0] && p.share !== undefined).reduce((a, p) => a + (p.share ?? 0), 0);
    if (known > 0 && known < 100) rest[0].share = round1(100 - known);
  }

  const sources: FundingShare[] = merged.map((p) => {
    const s: FundingShare = { source: p.source, label: p.labels.join(', ') };
    if (p.share !== undefined) s.share = round1(p.share);
    if (p.euros !== undefined) s.euros = p.euros;
    return s;
  });
  const shares = sources.filter((s) => s.share !== undefined).map((s) => s.share ?? 0);
  const totalShare = shares.length > 0 ? round1(shares.reduce((a, b) => a + b, 0)) : undefined;
  const allGiven = sources.length > 0 && shares.length === sources.length;
  const consistent =
    totalShare === undefined ||
    (totalShare <= 100 + SHARE_TOLERANCE && (!allGiven || Math.abs(totalShare - 100) <= SHARE_TOLERANCE));
  return totalShare === undefined ? { sources, consistent } : { sources, totalShare, consistent };
}
