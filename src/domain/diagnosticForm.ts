/**
 * The inputs a chargé·e needs before the diagnostic partagé, as a form (one slot a question).
 * Texts are locale keys (locales/<lng>/diagnostic.json). Pure: no I/O.
 */
import { AmountResult, amountIsBare, parseAmountEuros, parseFundingSources } from './amounts';
import { parseEmployees, parseVolunteers } from './employees';
import { DIAGNOSTIC_FIELD_WORDS, fieldsNamed } from './fieldWords';
import { ErrorVars, fail, freeText, keptAfterRetries, notUnderstood, ok, ParseResult, saidToTheOffer, valuesAfterFields } from './form';
import { NUMBER_WORDS, ONE_AS_ARTICLE } from './numberWords';
import { Area, AREAS } from './ranking';
import { mapNeedsToThemes } from './themes';
import { isDontKnow, looksLikeWords, normalize, saysDontKnow } from './text';

export { AREAS };
export type { Area };

export type SlotKind = 'text' | 'urgency';

export interface DiagnosticSlot {
  /** Flat key, no dots (MongoDB-compatible servers refuse dotted field names). */
  key: string;
  kind: SlotKind;
  /** The area an area slot belongs to (its card asks the situation and the urgency at once). */
  area?: Area;
  parse(text: string, attempt: number, carried?: string): ParseResult<unknown>;
}

export interface DiagnosticAnswers {
  [key: string]: unknown;
}

/** Letters or digits: « ??? » or emoji alone are never an answer. */
export const hasWords = (text: string): boolean => /[\p{L}\p{N}]/u.test(text);

/** A free-text answer (freeText); `errorKey` says what is expected, with an example. */
const diagnosticText = (errorKey: string, min = 3) => freeText(errorKey, { min });

/**
 * An answer that could not be read. « Je ne sais pas » is an answer (`{ text }`). Otherwise the
 * structure is asked again (`errorKey`, which says what is expected) until it has failed
 * MAX_FAILED_ATTEMPTS times (keptAfterRetries) — `attempt` counts its answers, this one included — after which an
 * answer in words is kept as written, flagged `unread` for the dialog to say so and the chargé·e
 * to check. « ??? » or a keyboard mash is never kept: not understood (the third in a row hands
 * over to a chargé·e, rather than asking again forever).
 */
export function unreadAnswer(text: string, attempt: number, errorKey: string, vars?: ErrorVars): ParseResult<{ text: string; unread?: true }> {
  if (isDontKnow(text)) return ok({ text: text.trim() });
  if (!hasWords(text) || !looksLikeWords(text)) return notUnderstood(errorKey, vars);
  return keptAfterRetries(attempt, { text: text.trim(), unread: true as const }, errorKey, vars);
}

/**
 * Resources by source, each with its share (DOMAIN.md § Diagnostic): anything less — shares that
 * do not add up to 100 %, a source without its share, an amount instead of shares — is said and
 * asked again rather than stored as a wrong reading. The answer to « il manque la part de :
 * adhésions, ventes » completes the earlier one (`carried`): « adhésions 15 ventes 15 » adds
 * the two shares (bare numbers read as percentages there) to the 70 % of subventions already said;
 * so does the answer to shares short of 100 % (« cotisations 10 », « le reste en cotisations »).
 */
export function parseFunding(text: string, attempt: number, carried?: string): ParseResult<unknown> {
  const read = (r: ParseResult<unknown>) => r.ok && !(r.value as { unread?: boolean }).unread;
  // A bare figure up to 100 is a share (« adhésions 15 »); over it, an amount (« ventes 80 000 »).
  const shares = text.replace(BARE_NUMBER, (n) => (Number(n.replace(',', '.')) <= 100 ? `${n} %` : n));
  // « subventions 60 ventes 40 », « subventions 60 % ventes 40 »: bare figures next to the sources
  // are their shares when, read so, every source has one and they add up to 100 %.
  const asShares = !read(readFunding(text, 1)) && shares !== text ? readFunding(shares, attempt) : undefined;
  let alone = asShares?.ok && read(asShares) ? ok({ ...(asShares.value as object), text: text.trim() }) : readFunding(text, attempt);
  // Read so, they do not add up (« subventions 60 ventes 30 »): that is what is said, not a missing
  // share; or fewer shares are missing (« subventions 60, ventes »: only the share of « ventes »).
  const missing = (r: ParseResult<unknown> | undefined) => (r && !r.ok && r.errorKey === 'diagnostic.funding.missingShare' ? (r.vars?.sources?.length ?? 0) : undefined);
  if (asShares && !asShares.ok && missing(alone) !== undefined
    && (asShares.errorKey === 'diagnostic.funding.inconsistent' || (missing(asShares) ?? Infinity) < missing(alone)!)) alone = asShares;
  if (!carried) return alone;
  const together = readFunding(`${withoutNamedAgain(carried, shares)} ; ${shares}`, attempt);
  const count = (r: ParseResult<unknown>) => (r.ok ? (r.value as { sources: unknown[] }).sources.length : 0);
  // A full answer of its own (« subventions 70 %, adhésions 15 %, ventes 15 % ») replaces the
  // earlier one; an answer that only completes it (« ventes 80 000 » after « subventions 100 000,
  // ventes ») is read with it.
  if (read(alone) && !(read(together) && count(together) > count(alone))) return alone;
  // Still short, everything typed so far is carried on (the pieces named again dropped at each reading).
  if (!together.ok) return together.carry ? { ...together, carry: `${carried} ; ${shares.trim()}` } : together;
  return ok({ ...(together.value as object), text: `${carried} ; ${text.trim()}` });
}

/**
 * The earlier answer without its pieces that name a source the new one names again with a figure
 * (« les adhésions et participations c'est 10 % ensemble » after « …, des adhésions et des
 * participations des familles (10 %) »): the new share replaces the earlier one, never adds to it.
 */
function withoutNamedAgain(carried: string, answer: string): string {
  if (!parseFundingSources(answer).sources.some((s) => s.share !== undefined || s.euros !== undefined)) return carried;
  const said = new Set(keyWords(answer));
  const pieces = carried.split(/\s*(?:[,;\n]|\s(?:et|and|\+)\s)\s*/iu);
  const kept = pieces.filter((piece, i) => {
    const names = (p: string | undefined) => !!p && parseFundingSources(p).sources.some((s) => keyWords(s.label).some((w) => said.has(w)));
    // A figure alone after a source named again (« adhésions, 10 % ») goes with it.
    return !names(piece) && !(!/\p{L}{3}/u.test(piece.replace(/\b(?:pour ?cents?|percent|euros?)\b/giu, '')) && names(pieces[i - 1]));
  });
  return kept.length < pieces.length ? kept.join(', ') : carried;
}

/** The words that name a source, without their plural: « des participations des familles » → participation, famille. */
const keyWords = (text: string) => normalize(text).split(' ').filter((w) => w.length >= 4 && !['pour', 'avec', 'dans', 'part', 'reste', 'ensemble', 'together'].includes(w)).map((w) => w.replace(/[sx]$/, ''));

/**
 * A number with no unit after it (« adhésions 15 »), not a piece of a larger one (« 80 000 »), nor
 * a count of people or time (« 12 salariés dont 9 associés », « depuis 3 ans »: the structure
 * answered another question, it gave no share).
 */
const BARE_NUMBER = new RegExp(`(?<![\\d.,]|\\d\\s)(\\d+(?:[.,]\\d+)?)(?![.,]?\\d|\\s\\d{3}(?!\\d)|\\s*(?:%|€|k€|k\\b|euros?\\b|eur\\b|pour ?cents?|percent)|\\s*(?:${[
  'salari', 'etp\\b', 'b[ée]n[ée]vol', 'personnes?\\b', 'associ[ée]', 'adh[ée]rent', 'membres?\\b', 'postes?\\b', 'emplois?\\b', 'employ',
  'ans?\\b', 'années?\\b', 'mois\\b', 'semaines?\\b', 'jours?\\b', 'heures?\\b',
  'volunteers?\\b', 'staff\\b', 'people\\b', 'members?\\b', 'years?\\b', 'months?\\b', 'weeks?\\b', 'days?\\b', 'hours?\\b',
].join('|')}))`, 'giu');

/** An amount typed as one (« 200 000 € », « 180k »), not a small bare figure (« urgence 3 »): at the funding question, the budget said again. */
function amountSaid(text: string): boolean {
  const amount = parseAmountEuros(text);
  return !!amount && (amount.euros >= SMALL_BUDGET || !amountIsBare(text));
}

function readFunding(text: string, attempt: number): ParseResult<unknown> {
  const funding = parseFundingSources(text);
  // A source with its amount (« subventions 100 000 ») lacks no share when another lacks everything (« ventes »).
  const bare = funding.sources.filter((s) => s.share === undefined && s.euros === undefined);
  const missing = bare.length ? bare : funding.sources.filter((s) => s.share === undefined);
  if (funding.sources.length > 0 && funding.consistent && missing.length === 0) return ok({ ...funding, text: text.trim() });
  const error: [string, ErrorVars?] =
    funding.sources.length === 0
      ? [amountSaid(text) ? 'diagnostic.funding.amount' : 'diagnostic.funding.invalid']
      : !funding.consistent
        ? ['diagnostic.funding.inconsistent', { total: String(Math.round(funding.totalShare ?? 0)) }]
        : ['diagnostic.funding.missingShare', { sources: missing.map((s) => s.label) }];
  const unread = unreadAnswer(text, attempt, ...error);
  if (unread.ok) return ok({ sources: [], ...unread.value });
  // A share missing, or shares short of 100 % (« … dons 10 % » then « le reste c'est des
  // cotisations »): the next answer completes this one. Over 100 %, it replaces it.
  const completable = error[0] === 'diagnostic.funding.missingShare' || (error[0] === 'diagnostic.funding.inconsistent' && (funding.totalShare ?? 0) < 100);
  return completable ? { ...unread, carry: text.trim() } : unread;
}

/** A word after « urgence 4 » that only insists or hedges: « urgence 4 clairement », « urgence 3, je dirais ». */
const HEDGE = '(?:[\\s,]+(?:clairement|vraiment|carr[ée]ment|franchement|s[ûu]rement|sans doute|je dirais|je dirai|je pense|au moins|minimum|environ|quand m[êe]me|clearly|definitely|really|at least|about|i(?:\'|’)?d say|i think))?';

/** What names an urgency figure right before it: « urgence 3 », « urgent 3 », « très urgent 4 », "priority 2". */
const URGENCY_LABEL = '(?:urgence|urgency|priorit[ée]|priority|(?:(?:tr[èe]s|vraiment|assez|peu|pas|very|really|quite|not)\\s+)?urgente?)';

/** "un", "une", "one" → 1 … "quatre", "four" → 4. */
const URGENCY_WORDS: [RegExp, number][] = [1, 2, 3, 4].map((n) => [
  new RegExp(`\\b(${Object.keys(NUMBER_WORDS).filter((w) => NUMBER_WORDS[w] === n).join('|')})\\b`), n,
]);

/**
 * An urgency said at the end of a situation: explicitly (« …, urgence 3 », « … (urgency: 4) »,
 * « … 3/4 », « …, 3 », « … — 4 »: the situation without it), or as a closing clause in words
 * (« …, c'est très urgent », « … Ça peut attendre. »: the situation keeps the structure's words,
 * and `fromWords` says the urgency was read from them). Only a closing clause: « c'est urgent de
 * recruter » describes the situation, it does not rate it.
 */
export function situationWithUrgency(text: string): { situation: string; urgency: number; fromWords?: true } | undefined {
  const trimmed = text.trim();
  return writtenUrgency(trimmed) ?? spokenUrgency(trimmed) ?? urgencyWithItsReason(trimmed);
}

/**
 * « urgence 3 » said once inside the text, its reason after it (« Je dirais urgence 3, parce que ça
 * use l'équipe… », « …, urgence 4 car la coordinatrice part »): that urgency, the words kept whole.
 * Not « urgence 3 nuits » (a count), « urgence 2 ou 3 », two of them, nor « notre priorité 1, c’est… ».
 */
const URGENCY_INSIDE = /\b(?:urgence|urgency)\s*[:=]?\s*([1-4])(?:\s*\/\s*4)?(?=\s*[,;.!)\n]|\s+(?:parce|car|puisque|vu|because|since|as)\b)/giu;
function urgencyWithItsReason(trimmed: string): { situation: string; urgency: number; fromWords: true } | undefined {
  const found = [...trimmed.matchAll(URGENCY_INSIDE)];
  if (found.length !== 1 || normalize(trimmed.replace(found[0][0], ' ')).length < 3) return undefined;
  return { situation: trimmed, urgency: Number(found[0][1]), fromWords: true };
}

/** The words of the urgency options' labels (« 4 · très urgent », "2 · to address"), typed after the figure. */
const OPTION_LABEL = '(?:peut attendre|[àa] traiter|(?:tr[èe]s )?urgente?|can wait|to address|(?:very )?urgent)';

/** situationWithUrgency, as typed with marks: a figure, or a closing clause after a mark. */
function writtenUrgency(trimmed: string): { situation: string; urgency: number; fromWords?: true } | undefined {
  // `s`: a pasted text of several lines is read at its end too.
  // « urgent 3 », « très urgent 4 »: the word before the figure is no part of the situation.
  const m = new RegExp(`^(.*?\\S)[\\s,;.–—-]*(?:\\(\\s*)?${URGENCY_LABEL}\\s*[:=]?\\s*([1-4])(?:\\s*\\/\\s*4)?(?:\\s*\\))?${HEDGE}[\\s.!]*$`, 'isu').exec(trimmed)
    // « …, niveau 2 », « … (level 3) »: after a comma, a dash or a bracket only (« un poste de niveau 3 » is a situation).
    ?? new RegExp(`^(.*\\S)\\s*(?:[,;(–—-]|\\.\\s)\\s*(?:niveau|level|note)\\s*[:=]?\\s*([1-4])(?:\\s*\\/\\s*4)?(?:\\s*\\))?${HEDGE}[\\s.!]*$`, 'isu').exec(trimmed)
    ?? /^(.*\S)[\s,;.–—-]*\(?\s*([1-4])\s*\/\s*4\s*\)?[\s.!]*$/su.exec(trimmed)
    // « … (2) »: a lone figure in brackets.
    ?? /^(.*\S)\s*\(\s*([1-4])\s*\)[\s.!]*$/su.exec(trimmed)
    // The figure with its option's label, as the buttons say it: « …, 4 très urgent », « … 2 à traiter ».
    ?? new RegExp(`^(.*[^\\s,;.:–—-])\\s*(?:[,;–—-]|[.:]\\s)?\\s*([1-4])\\s*[·.:-]?\\s*${OPTION_LABEL}[\\s.!]*$`, 'isu').exec(trimmed)
    // A lone 1–4 after a comma, a dash, a colon or a full stop, last (an emoji may follow): « turnover chez
    // les vendeurs, 3 », « …c'est fragile. 3 », « …de 30 % : 3 » (« version 2.3 » is no urgency: a space must follow the stop).
    ?? /^(.*[^\s,;.:–—-])\s*(?:[,;–—-]|[.:]\s)\s*([1-4])[\s.!\p{Extended_Pictographic}\uFE0F]*$/su.exec(trimmed)
    // With no mark at all, after a word the figure does not complete: « ça va à peu près 2 » (not « on a 2 »).
    ?? loneTrailingFigure(trimmed);
  if (m && m[1].trim().length >= 3) return { situation: m[1].replace(/[\s,;.(–—-]+$/u, '').trim(), urgency: Number(m[2]) };
  // The words after the last punctuation mark or line break: « Trésorerie tendue, c'est très
  // urgent ! » → « c'est très urgent » — before a closing courtesy (« Merci d'avance. »), if any.
  const segments = trimmed.split(/[,;.!?…()–—\n]|\s-\s/u).map((x) => x.trim()).filter(Boolean);
  while (segments.length > 1 && COURTESY.test(normalize(segments[segments.length - 1]))) segments.pop();
  const last = segments.pop() ?? '';
  // « …, c'est assez urgent je dirais »: a hedge after the clause changes nothing.
  const clause = URGENCY_CLAUSE.exec(normalize(last).replace(TRAILING_HEDGE, ''));
  const before = trimmed.slice(0, trimmed.lastIndexOf(last));
  if (!clause || last === trimmed || normalize(before).length < 3) return undefined;
  return { situation: trimmed, urgency: clauseUrgency(clause[1] ?? '', clause[2]), fromWords: true };
}

/** What is said before a figure spoken at the end (« … je dirais trois », « … euh quatre », « … urgence deux »). */
const SPOKEN_BEFORE = '(?:euh+|heu+|bah|ben|je dirais|je dirai|disons|plut[oô]t|je pense|i d say|i would say|i think)';
const SPOKEN_FIGURE = new RegExp(`^(.*?\\S)(?:\\s*[,;:–—]\\s*|\\s+-\\s+|\\s+(?:${SPOKEN_BEFORE}\\s+)+|\\s+((?:urgence|urgency|niveau|level|note)\\s+))(deux|trois|quatre|two|three|four|(?<=(?:urgence|urgency|niveau|level|note)\\s+)(?:un|une|one))[\\s.!]*$`, 'iu');
const SPOKEN_WORDS: Record<string, number> = { un: 1, une: 1, one: 1, deux: 2, two: 2, trois: 3, three: 3, quatre: 4, four: 4 };
/** « c'est », « ça », "it's": the subject a clause closing a dictated situation starts with (« … c'est très urgent »). */
const CLAUSE_SUBJECT = /^(?:(?:et|mais|and|but) )?(?:(?:je dirais|je pense|i d say|i think) (?:que )?)?(?:c est|ce n est|ca n est|cela n est|ca|cela|it s|it is|this is|that s|that is) /;

/**
 * An urgency dictated, without marks: a figure said as a word after a hesitation or a label
 * (« les rôles sont pas clairs je dirais trois », « on sait pas où on va euh trois », « ça va à peu
 * près urgence deux »), or a closing clause with its subject (« on a deux mois de trésorerie c'est
 * très urgent »: the situation keeps the words). « nous sommes trois », « un remplaçant urgent » rate nothing.
 */
function spokenUrgency(trimmed: string): { situation: string; urgency: number; fromWords?: true } | undefined {
  const figure = SPOKEN_FIGURE.exec(trimmed);
  if (figure && figure[1].trim().length >= 3) return { situation: figure[1].trim(), urgency: SPOKEN_WORDS[figure[3].toLowerCase()] };
  const words = normalize(trimmed).replace(TRAILING_HEDGE, '').split(' ');
  for (let k = 1; k < words.length; k++) {
    const clause = words.slice(k).join(' ');
    const rated = CLAUSE_SUBJECT.test(clause) ? URGENCY_CLAUSE.exec(clause) : null;
    if (rated && words.slice(0, k).join(' ').length >= 3) return { situation: trimmed, urgency: clauseUrgency(rated[1] ?? '', rated[2]), fromWords: true };
  }
  return undefined;
}

/** A hedge closing an urgency said in words (normalized): « je dirais », « à mon avis », "I think". */
const TRAILING_HEDGE = / (?:je dirais|je dirai|je pense|je crois|a mon avis|quand meme|i d say|i would say|i think)$/;

/** Words a figure right after belongs to: « on a 2 », « nous sommes 2 », « depuis 2 », « phase 2 », "we have 2". */
const FIGURE_COMPLETES = new Set(['a', 'ai', 'as', 'avons', 'avez', 'ont', 'est', 'sont', 'sommes', 'etes', 'y', 'en', 'de', 'des', 'du', 'd', 'les', 'la', 'le', 'l', 'nos',
  'vos', 'ses', 'leurs', 'mes', 'ces', 'sur', 'pour', 'par', 'avec', 'sans', 'que', 'qu', 'plus', 'moins', 'environ', 'depuis', 'dont', 'soit', 'entre', 'chez', 'et', 'ou',
  'x', 'n', 'no', 'numero', 'version', 'article', 'phase', 'etape', 'tranche', 'lot', 'type', 'categorie', 'classe', 'zone', 'page', 'saison', 'partie', 'annee',
  'have', 'has', 'had', 'are', 'is', 'were', 'was', 'of', 'the', 'to', 'for', 'by', 'than', 'with', 'our', 'and', 'or', 'about', 'around', 'since', 'step', 'stage', 'part', 'year',
  // A mark with no situation before it, or after « de » (« de niveau 3 »): the other readings' to say.
  'urgence', 'urgency', 'urgent', 'urgente', 'niveau', 'level', 'note', 'priorite', 'priority']);

/**
 * « Rôles flous 3 »: a lone 1–4 closing a situation, after a word it does not complete
 * (FIGURE_COMPLETES), nor a verb after « en » (« il nous en manque 2 »).
 */
function loneTrailingFigure(text: string): RegExpExecArray | null {
  const m = /^(.*\p{L})\s+([1-4])[\s.!\p{Extended_Pictographic}\uFE0F]*$/su.exec(text);
  const words = m ? normalize(m[1]).split(' ') : [];
  return m && !FIGURE_COMPLETES.has(words[words.length - 1]) && words[words.length - 2] !== 'en' ? m : null;
}

/** What may close a pasted text after its last sentence: « Merci d'avance », « Cordialement », « Bonne journée ». */
const COURTESY = /^(merci( beaucoup| d avance| par avance| pour votre aide)?|cordialement|bien cordialement|bien a vous|bonne journee|a bientot|thanks?( you)?( in advance)?|best( regards)?|kind regards|regards)$/;

/**
 * A closing clause that rates the urgency (normalized): « c'est (très | assez | pas | pas très |
 * moyennement) urgent », « ça peut attendre », « urgence moyenne », "not urgent", "moderately
 * urgent", "it can wait", "medium urgency".
 */
const URGENCY_CLAUSE = new RegExp('^(?:(?:et|and|mais|but)\\s+)?(?:(?:je dirais|je dirai|je pense|plutot|i d say|i would say|i think)\\s+(?:que\\s+)?)?(?:(?:c est|c etait|ce n est|ca n est|cela n est|ca|cela|it s|it is|this is|that s|that is|it|this|that)\\s+)?'
  + '(?:(tres|vraiment|assez|plutot|peu|pas|pas du tout|pas tres|pas vraiment|pas si|moyennement|moderement|super|hyper|ultra|archi|extremement|very|really|quite|fairly|pretty|rather|extremely|not|not very|not really|not that|not so|moderately|somewhat|mildly)\\s+)?'
  + '(urgente?s?|prioritaire|critique|critical|peut attendre|pourra attendre|can wait|could wait|urgence moyenne|medium urgency|moderate urgency|moyennement urgent'
  // « à traiter », option 2's own words (« à traiter rapidement »: sooner); « une (vraie) urgence ».
  + '|a traiter(?: rapidement| vite| en urgence| en priorite)?|une urgence(?: absolue)?|une vraie urgence|une grosse urgence)$');

function clauseUrgency(modifier: string, word: string): number {
  if (/^(pas|pas du tout|not)$/.test(modifier) || /attendre|wait/.test(word)) return 1;
  if (word === 'a traiter') return 2;
  if (/absolue|vraie|grosse/.test(word)) return 4;
  if (/^(peu|pas tres|pas vraiment|pas si|moyennement|moderement|not very|not really|not that|not so|moderately|somewhat|mildly)$/.test(modifier) || /moyenn|medium|moderate/.test(word)) return 2;
  if (/^(tres|vraiment|super|hyper|ultra|archi|extremement|very|really|extremely)$/.test(modifier) || /^(critique|critical)$/.test(word)) return 4;
  return 3;
}

/** Words that go with an urgency figure without saying anything else: « urgence 3 je dirais », « ça va, 2 », "level two I think". */
const URGENCY_FILLERS = new Set(['urgence', 'urgency', 'niveau', 'level', 'note', 'je', 'dirais', 'dirai', 'pense', 'plutot', 'environ', 'disons',
  'sur', 'quatre', 'c', 'est', 'ca', 'i', 'd', 'say', 'would', 'think', 'about', 'maybe', 'perhaps', 'out', 'of', 'four', 'it', 's', 'is', 'its', 'a', 'an',
  'un', 'une', 'ok', 'alors', 'euh', 'um', 'well', 'va', 'bof', 'bon', 'ben', 'bah', 'hmm', 'mouais']);

/**
 * A figure is an urgency when the answer is about it: alone or with a few words that go with it
 * (« trois », « 3 je dirais », "level two"), or right after « urgence » / "urgency" / "level".
 * « Le lundi, la directrice et deux administrateurs » answers another question: not urgency 2.
 */
function figureIsTheAnswer(words: string[], at: number): boolean {
  if (/^(urgence|urgency|urgent|urgente|niveau|level)$/.test(words[at - 1] ?? '')) return true;
  return words.filter((w, k) => k !== at && !URGENCY_FILLERS.has(w)).length === 0;
}

/** « plutôt 3 », « urgence 2 », « 3/4 », « 4 je dirais »: an urgency figure with the words that go with one, and nothing else. */
function urgencyFigureAlone(text: string): boolean {
  const words = normalize(text).split(' ').filter(Boolean);
  return words.some((w) => /^[1-4]$/.test(w)) && words.every((w) => /^[1-4]$/.test(w) || URGENCY_FILLERS.has(w));
}

/** Words that may follow « un » said as a figure: « un sur quatre », « un je dirais », "one out of four". */
const AFTER_ONE = new Set(['sur', 'out', 'of', 'je', 'j', 'i', 'ou', 'or', 'peut', 'maybe', 'environ', 'disons', 'alors', 'quoi', 'ok']);

/**
 * « un », « une », "one" followed by a word of its own (« une urgence », « un atelier », « un peu »)
 * is an article, never urgency 1 — unless said right after « urgence » / "level".
 */
function articleAt(words: string[], at: number): boolean {
  if (!ONE_AS_ARTICLE.has(words[at]) || /^(urgence|urgency|niveau|level|note)$/.test(words[at - 1] ?? '')) return false;
  const next = words[at + 1];
  return next !== undefined && !AFTER_ONE.has(next);
}

/** Urgency 1 (can wait) to 4 (very urgent): digits, French or English words. */
export function parseUrgency(text: string): number | undefined {
  const t = normalize(text);
  const phrases: [RegExp, number][] = [
    [/\bpas (une|un) (vraie |grosse )?(urgence|priorite)\b/, 1],
    [/\b(pas tres|pas vraiment|pas si|not very|not really|not that|not so) urgente?\b/, 2],
    [/\b((?:tres|super|hyper|ultra|archi|extremement) urgente?|prioritaire|critique|vital|(?:very|extremely|super) urgent|critical|urgence absolue|vraie urgence|grosse urgence)\b/, 4],
    [/\b(pas urgent|pas urgente|pas du tout urgent|peut attendre|not urgent|can wait)\b/, 1],
    [/\b(peu urgent|peu urgente|moyen|moyenne|moyennement|moderement|somewhat|medium|moderate|moderately|mildly)\b/, 2],
    [/\b(urgent|urgente|assez urgent|urgently|une urgence|a traiter (rapidement|vite|en urgence|en priorite))\b/, 3],
    // Option 2's own words (« 2 · à traiter »), typed with or without the accent.
    [/\ba traiter\b/, 2],
  ];
  const words = t.split(' ');
  // A figure said as the answer (« 3 », « trois », « urgence 2 »), before words (« 3 - urgent mais
  // gérable ») or after them, when it is the only one.
  const figures = words.map((w, k) => ({ k, n: /^[1-4]$/.test(w) ? Number(w) : URGENCY_WORDS.find(([re]) => re.test(w))?.[1] }))
    .filter((f) => f.n !== undefined && !articleAt(words, f.k));
  const digit = figures.find((f) => /^[1-4]$/.test(words[f.k]) && (f.k === 0 || figureIsTheAnswer(words, f.k)));
  if (digit) return digit.n;
  const phrase = phrases.find(([re]) => re.test(t))?.[1];
  if (phrase) return phrase;
  return figures.find((f) => figureIsTheAnswer(words, f.k))?.n;
}

/** Words that name whom a count is of: the employees or the volunteers. */
const STAFF_WORDS = /\b(salarie\w*|etp|temps (plein|partiel)|employe\w*|staff|fte|benevol\w*|volunteers?)\b/;

/**
 * The answer to « combien de bénévoles ? » when the accueil already gave the ETP: « 20 », « une
 * vingtaine », « aucun » count the volunteers; an answer that restates the employees
 * (« en fait 5 salariés et 20 bénévoles ») is read whole. `etpFromAccueil`: the ETP is the accueil's.
 */
export function staffKnowingEtp(text: string, etp: number): { employees?: number; volunteers?: number; text: string; etpFromAccueil?: true } | undefined {
  const t = normalize(text);
  const staff = parseStaff(text);
  if (staff && STAFF_WORDS.test(t)) {
    if (staff.employees === undefined) return { ...staff, employees: etp, etpFromAccueil: true };
    // « une trentaine, et en fait on est passé à 5 salariés »: the count said first, alone, answers
    // the question asked — the volunteers.
    const first = normalize(text.split(/,(?!\d)|;|\.(?!\d)|\n|\s(?:et|mais|and|but)\s/)[0] ?? '');
    const volunteers = staff.volunteers === undefined && first && !STAFF_WORDS.test(first) && first.split(' ').length <= 4 ? parseEmployees(first).etp : undefined;
    return volunteers === undefined ? staff : { ...staff, volunteers: Math.round(volunteers) };
  }
  if (/^(aucun|aucune|zero|personne|pas de benevoles?|pas un|none|no volunteers?|no one|nobody)$/.test(t)) return { employees: etp, volunteers: 0, text: text.trim(), etpFromAccueil: true };
  const count = t.split(' ').length <= 4 ? parseEmployees(text).etp : undefined;
  return count === undefined ? undefined : { employees: etp, volunteers: count, text: text.trim(), etpFromAccueil: true };
}

/** "5 salariés et 20 bénévoles", "3,5 ETP, une dizaine de bénévoles", "aucun bénévole", "3 employees and 18 volunteers". */
export function parseStaff(text: string): { employees?: number; volunteers?: number; text: string } | undefined {
  const t = normalize(text);
  let volunteers = parseVolunteers(text);
  if (/\b(aucun|pas de|sans|zero)\s+benevol|\b(no|without|zero)\s+volunteers?\b/.test(t)) volunteers = 0;
  // The whole answer: a head count or an ETP may come before or after the volunteers (« une trentaine
  // de bénévoles, et on a embauché quelqu'un, donc 3,5 etp »); parseEmployees never counts volunteers.
  const employees = parseEmployees(text).etp;
  if (employees === undefined && volunteers === undefined) return undefined;
  return { ...(employees !== undefined ? { employees } : {}), ...(volunteers !== undefined ? { volunteers } : {}), text: text.trim() };
}

/**
 * A staff answer corrected with one count at the summary (« non en fait on a 12 salariés pas 10 »):
 * the other count said before — the volunteers, or the employees — is kept; `counts`: the summary
 * says both counts rather than the words typed, which give only one of them.
 */
export function staffCorrected(before: unknown, given: { employees?: number; volunteers?: number; text: string }): { employees?: number; volunteers?: number; text: string; counts?: true } {
  const b = (before ?? {}) as { employees?: unknown; volunteers?: unknown };
  const employees = given.employees ?? (typeof b.employees === 'number' ? b.employees : undefined);
  const volunteers = given.volunteers ?? (typeof b.volunteers === 'number' ? b.volunteers : undefined);
  if (employees === given.employees && volunteers === given.volunteers) return given;
  return { ...given, ...(employees !== undefined ? { employees } : {}), ...(volunteers !== undefined ? { volunteers } : {}), counts: true };
}

/** The staff counts in force on a dossier (currentStaff). */
export interface CurrentStaff {
  /** Employees in ETP: the diagnostic's when it read one, else the accueil's; undefined when neither is known. */
  etp?: number;
  volunteers?: number;
  /** The ETP was read at the diagnostic and differs from the accueil's (`accueilEtp`, undefined when unknown there). */
  changed: boolean;
  accueilEtp?: number;
  /**
   * Employing or not differs between the accueil and the diagnostic (0 or unknown there, employees
   * now, or the reverse): the rules' eligibility was decided on the accueil's count and is not re-decided.
   */
  employerChanged: boolean;
}

/**
 * The staff in force: an ETP read at the diagnostic's staff question (« on est passé à 3 salariés
 * depuis septembre ») is newer than the accueil's; an answer with no number read, or the accueil's
 * ETP carried (etpFromAccueil), keeps the accueil's. Never a guess: only numbers read.
 */
export function currentStaff(accueilEtp: number | undefined, staff: unknown): CurrentStaff {
  const s = (staff ?? {}) as { employees?: unknown; volunteers?: unknown; etpFromAccueil?: boolean };
  const read = typeof s.employees === 'number' && !s.etpFromAccueil ? s.employees : undefined;
  const volunteers = typeof s.volunteers === 'number' ? s.volunteers : undefined;
  const changed = read !== undefined && read !== accueilEtp;
  const etp = changed ? read : accueilEtp;
  return {
    ...(etp !== undefined ? { etp } : {}), ...(volunteers !== undefined ? { volunteers } : {}), changed,
    ...(changed && accueilEtp !== undefined ? { accueilEtp } : {}),
    employerChanged: changed && (accueilEtp === undefined || (accueilEtp > 0) !== (read! > 0)),
  };
}

/** Answers corrected in one message with their new value (an area has two, the needs their themes: those are asked again). */
export const DIRECT_FIXES = new Set<string>(['activity', 'budget', 'funding', 'staff', 'governance', 'support', 'availability']);

/**
 * The answers a message names with their new value (« en fait on est 14 ETP, et le budget c'est
 * 950k », "actually we have 9 employees and the budget is 650k"), each read by its own question's
 * slot — among `fields` (all those the message names, by default) — and the staff count not said
 * kept from `answers` (« on a 12 salariés pas 10 »: the volunteers stay). Those not read are left out.
 */
export function correctionsNamed(text: string, answers: DiagnosticAnswers, fields: string[] = fieldsNamed(text, DIAGNOSTIC_FIELD_WORDS)): DiagnosticAnswers {
  const said: Record<string, string | undefined> = valuesAfterFields(text, Object.fromEntries(fields.filter((key) => DIRECT_FIXES.has(key)).map((key) => [key, DIAGNOSTIC_FIELD_WORDS[key as keyof typeof DIAGNOSTIC_FIELD_WORDS]])));
  return Object.fromEntries(Object.entries(said).flatMap(([key, given]) => {
    const parsed = DIAGNOSTIC_SLOTS.find((slot) => slot.key === key)?.parse(given!, 1);
    return parsed?.ok ? [[key, key === 'staff' ? staffCorrected(answers.staff, parsed.value as Parameters<typeof staffCorrected>[1]) : parsed.value]] : [];
  }));
}

/** Under this, a budget said without a unit (« 180 ») may be thousands: it is asked once. */
export const SMALL_BUDGET = 1000;

/**
 * The annual budget. A bare number under SMALL_BUDGET (« 180 ») is asked back once — « 180 € par
 * an, ou 180 000 € ? » — with the number carried: the same number said again, or with its unit
 * (« 180 € »), is then kept; « 180 000 » or « 180k » replaces it.
 */
export function parseBudget(text: string, attempt: number, carried?: string): ParseResult<unknown> {
  const amount = parseAmountEuros(text);
  const small = (euros: number): ParseResult<never> =>
    ({ ok: false, errorKey: 'diagnostic.budget.small', vars: { amount: String(euros), thousands: String(euros * 1000) }, carry: String(euros) });
  if (amount && amount.euros > 0 && amount.euros < SMALL_BUDGET && amountIsBare(text) && Number(carried) !== amount.euros) return small(amount.euros);
  if (amount) return ok({ ...amount, text: text.trim() });
  if (carried === undefined) return unreadAnswer(text, attempt, 'diagnostic.budget.invalid');
  // No amount in the answer to « 180 € par an, ou 180 000 € ? »: the same question, until it is kept as written.
  const unread = unreadAnswer(text, attempt, 'diagnostic.budget.small', { amount: carried, thousands: String(Number(carried) * 1000) });
  return unread.ok ? unread : { ...unread, carry: carried };
}

/** Words that name an amount as the annual budget, in an answer to another question. */
const BUDGET_WORDS = /\b(budgets?|chiffre d affaires|turnover)\b/;
/** « CA 900 k€ », « notre CA de 1,2 M€ »: the turnover's abbreviation before an amount (never « ça »). */
const CA_AMOUNT = /(?:\bC\.?A\.?|\b(?:le|notre|un|du|son|leur) ca)\s+(?:de\s+|d['’]\s*|d environ\s+|environ\s+)?\d/;

/**
 * The annual budget said with the activity (« On gère une crèche associative, budget 450 000 € par
 * an »): read as the budget question reads it, when the answer names a budget and the amount is
 * no small bare number (the budget question asks those back); undefined otherwise.
 */
export function budgetSaidWith(text: string): (AmountResult & { text: string }) | undefined {
  if (!BUDGET_WORDS.test(normalize(text)) && !CA_AMOUNT.test(text)) return undefined;
  const amount = parseAmountEuros(text);
  return amount && amount.euros >= SMALL_BUDGET ? { ...amount, text: text.trim() } : undefined;
}

/** How a structure says what it does: « on fait de la restauration collective », « nous gérons une crèche », "we run a food bank". */
const DOES = /^(?:(?:et|mais|alors|donc|sinon|and)\s+)?(?:on (?:fait|gere|propose|accompagne|organise|produit|anime|accueille|travaille dans|intervient)|nous (?:faisons|gerons|proposons|accompagnons|organisons|produisons|animons|accueillons|travaillons dans|intervenons)|notre activite|l activite c est|we (?:run|do|provide|offer|work in|organise|organize)|our (?:activity|work) is)\b(?! face)/;

/**
 * What a structure said of its activity and budget before the diagnostic (its first message, its
 * request: « SCIC, 14 ETP, CA 900 k€, on fait de la restauration collective bio »): the piece that
 * says what it does, and the budget said with its name — each read from its own piece, so that the
 * staff or another figure is never taken for the budget.
 */
export function toldOfActivityAndBudget(text: string | undefined): { activity?: string; budget?: AmountResult & { text: string } } {
  const pieces = (text ?? '').split(/[;\n!?]|,(?!\d)|\.(?!\d)/).map((p) => p.trim()).filter(Boolean);
  const activity = pieces.find((p) => DOES.test(normalize(p)));
  const budget = pieces.map(budgetSaidWith).find(Boolean);
  return { ...(activity ? { activity } : {}), ...(budget ? { budget } : {}) };
}

/**
 * A situation that only rates the area (« c'est très urgent »): the urgency its words give
 * (urgent 3, très urgent 4, peut attendre 1…); undefined when it says more than that.
 */
export function urgencyAlone(text: string): number | undefined {
  const clause = URGENCY_CLAUSE.exec(normalize(text));
  return clause ? clauseUrgency(clause[1] ?? '', clause[2]) : undefined;
}

/**
 * The answer to an urgency question that gives no figure: « je ne sais pas » (`{ text }`), or
 * words kept as written after the retries (`{ text, unread }`). The area is then unrated: the
 * ranking places its axis after the rated ones (unratedAreas), and the summary says so.
 */
export interface UrgencyNotRated {
  text: string;
  unread?: true;
}

/** An urgency answered as a figure (1–4), else not rated (UrgencyNotRated); undefined when not answered yet. */
export function urgencyOf(answers: DiagnosticAnswers, area: Area): number | UrgencyNotRated | undefined {
  const value = answers[`${area}_urgency`];
  if (typeof value === 'number') return value;
  return value && typeof value === 'object' && typeof (value as UrgencyNotRated).text === 'string' ? value as UrgencyNotRated : undefined;
}

/** The areas whose urgency was answered without a figure (« je ne sais pas », words kept as written). */
export function unratedAreas(answers: DiagnosticAnswers): Area[] {
  return AREAS.filter((area) => { const u = urgencyOf(answers, area); return u !== undefined && typeof u !== 'number'; });
}

/** The urgency question's reading: a figure 1–4, « je ne sais pas », or unreadable words kept after the retries. */
export function parseUrgencyAnswer(text: string, attempt: number): ParseResult<number | UrgencyNotRated> {
  const urgency = parseUrgency(text);
  if (urgency) return ok(urgency);
  // « je sais pas trop », « aucune idée, faut voir avec le bureau »: not rated — an answer, not a failure.
  if (saysDontKnow(text)) return ok({ text: text.trim() });
  // « bof », « ça dépend »: asked again twice, then kept as written; « ??? » is not understood.
  return unreadAnswer(text, attempt, 'diagnostic.urgency.invalid');
}

const AREA_SLOTS: DiagnosticSlot[] = AREAS.flatMap((area): DiagnosticSlot[] => [
  {
    key: `${area}_situation`, kind: 'text', area,
    // « urgent » alone rates the area without describing it: the situation is asked for first —
    // twice; said a third time, it is kept as the situation (its urgency read from its words).
    parse: (text, attempt) => (URGENCY_CLAUSE.test(normalize(text)) || urgencyFigureAlone(text)
      ? keptAfterRetries(attempt, text.trim(), 'diagnostic.area.urgencyOnly')
      : diagnosticText('diagnostic.area.invalid')(text)),
  },
  { key: `${area}_urgency`, kind: 'urgency', area, parse: parseUrgencyAnswer },
]);

export const DIAGNOSTIC_SLOTS: DiagnosticSlot[] = [
  { key: 'activity', kind: 'text', parse: diagnosticText('diagnostic.activity.invalid') },
  { key: 'budget', kind: 'text', parse: parseBudget },
  { key: 'funding', kind: 'text', parse: parseFunding },
  {
    key: 'staff', kind: 'text',
    // `carried`: the ETP said at the accueil, when there was one; only the volunteers are asked then.
    parse: (text, attempt, carried) => {
      if (carried !== undefined) {
        const staff = staffKnowingEtp(text, Number(carried));
        if (staff) return ok(staff);
        // The volunteers kept as typed after the retries (« bof », « je ne sais pas »): the accueil's ETP stays known.
        const unread = unreadAnswer(text, attempt, 'diagnostic.staff.invalidKnown');
        return unread.ok ? ok({ ...unread.value, employees: Number(carried), etpFromAccueil: true as const }) : unread;
      }
      const staff = parseStaff(text);
      return staff ? ok(staff) : unreadAnswer(text, attempt, 'diagnostic.staff.invalid');
    },
  },
  {
    key: 'governance', kind: 'text',
    parse: (text) => {
      const answer = diagnosticText('diagnostic.governance.invalid')(text);
      if (!answer.ok) return answer;
      const board = /(\d+)\s*(membres|personnes|administrateur|administratrice|elus|élus|people|members)/i.exec(text);
      return ok({ ...(board ? { boardSize: Number(board[1]) } : {}), text: answer.value });
    },
  },
  ...AREA_SLOTS,
  { key: 'support', kind: 'text', parse: diagnosticText('diagnostic.support.invalid', 2) },
  { key: 'availability', kind: 'text', parse: diagnosticText('diagnostic.availability.invalid', 2) },
  {
    key: 'needs', kind: 'text',
    parse: (text) => {
      const answer = diagnosticText('diagnostic.needs.invalid', 5)(text);
      return answer.ok ? ok({ text: answer.value, themes: mapNeedsToThemes(text) }) : answer;
    },
  },
];

/** A governance's bodies and roles (normalized): « conseil d'administration », « bureau », « collèges », "board". */
const GOVERNANCE_WORDS = /\b(?:conseil d administration|bureau|gouvernance|assemblee generale|colleges?|administrat(?:eur|rice)s?|co ?presiden\w*|presiden\w*|gerance|gerant\w*|associes|societaires|board|governance|trustees|general meeting)\b/;
/** Its abbreviations, in capitals as typed: « CA de 9 membres », « AG annuelle ». */
const GOVERNANCE_ABBREVIATION = /\b(?:CA|AG)\b/;
/** The questions asked before the governance, whose answer may tell it too. */
const BEFORE_GOVERNANCE = new Set(['activity', 'budget', 'funding', 'staff']);

/**
 * At a question before the governance, a piece of the answer that tells it (« 12 ETP et 15
 * bénévoles, CA de 9 membres avec 3 collèges » at the staff question): that piece, read as the
 * governance question reads it — when it is not answered yet and the piece counts no staff.
 */
export function governanceSaidWith(key: string, text: string, answers: DiagnosticAnswers): unknown {
  if (!BEFORE_GOVERNANCE.has(key) || answers.governance !== undefined) return undefined;
  const piece = text.split(/[;\n]|,(?!\d)|\.(?!\d)/).map((p) => p.trim())
    .find((p) => (GOVERNANCE_WORDS.test(normalize(p)) || GOVERNANCE_ABBREVIATION.test(p)) && !STAFF_WORDS.test(normalize(p)));
  const read = piece ? DIAGNOSTIC_SLOTS.find((s) => s.key === 'governance')!.parse(piece, 1) : undefined;
  return read?.ok ? read.value : undefined;
}

/**
 * At the budget or the funding question, what an answer that gives no amount (the budget's) or names
 * no source (the funding's) says of later questions instead (« on a 20 bénévoles et le CA se réunit
 * peu », « 2 salariés, 12 bénévoles »): the volunteers — the staff question's answer, when the
 * accueil's ETP (`etp`) goes with them or the employees are said too — and the governance, each not answered yet.
 */
export function laterAnswersAt(slot: string, text: string, answers: DiagnosticAnswers, etp?: number): DiagnosticAnswers {
  const answersItself = slot === 'budget' ? !!parseAmountEuros(text) : slot === 'funding' ? parseFundingSources(text).sources.length > 0 : true;
  if (answersItself || isDontKnow(text)) return {};
  const pieces = text.split(/[;\n]|,(?!\d)|\.(?!\d)|\s(?:et|mais|and|but)\s/u).map((p) => p.trim()).filter(Boolean);
  const found: DiagnosticAnswers = {};
  const volunteers = answers.staff === undefined ? pieces.find((p) => parseVolunteers(p) !== undefined) : undefined;
  const staff = volunteers && (etp !== undefined ? staffKnowingEtp(volunteers, etp) : parseStaff(text));
  if (staff && staff.employees !== undefined) found.staff = staff;
  const governance = answers.governance === undefined ? governanceSaidWith(slot, pieces.join('; '), {}) : undefined;
  if (governance) found.governance = governance;
  return found;
}

/** A share said as one (« 60 % », « 40 pour cent », "30 percent"): the funding told with another answer must give them. */
const SHARE_SAID = /\d\s*%|(?<!\p{L})(?:pour ?cents?|percent|moiti[ée]|tiers|quarts?|half|third|quarters?)(?!\p{L})/iu;

/**
 * At the activity or the budget question, the funding told with it (« 900k, 60 % ventes 40 %
 * subventions »): read as the funding question reads it, when it is not answered yet and the
 * answer gives shares — never an amount alone taken for a source's (« on vend des paniers à 15 € »).
 */
export function fundingSaidWith(key: string, text: string, answers: DiagnosticAnswers): unknown {
  if ((key !== 'activity' && key !== 'budget') || answers.funding !== undefined || !SHARE_SAID.test(text)) return undefined;
  const read = parseFunding(text, 1);
  return read.ok && (read.value as { sources?: unknown[] }).sources?.length ? read.value : undefined;
}

/**
 * At « On commence ? » (the diagnostic offered), an answer to its first question typed at once
 * (« on fait de l'insertion par le maraîchage bio »): that answer, read by the question's own
 * slot, when the message reads as one — three words or more, and nothing said to the offer
 * itself (saidToTheOffer). Biased towards asking again: a message costs less than « je n'ai pas
 * le temps là » kept as the structure's activity.
 */
export function firstAnswerAtStart(text: string): { key: string; value: unknown } | undefined {
  if (normalize(text).split(' ').filter((w) => /[a-z]/.test(w)).length < 3 || saidToTheOffer(text)) return undefined;
  const funding = fundingAtStart(text);
  if (funding) return funding;
  const first = DIAGNOSTIC_SLOTS[0];
  const read = first.parse(text, 1);
  return read.ok ? { key: first.key, value: read.value } : undefined;
}

/**
 * « 60 % subventions, 30 % billetterie, le reste du mécénat » typed at « On commence ? »: the
 * funding question's answer (two sources with their shares at least), kept for it — never the
 * activity (a crèche « financée à 80 % par la CAF » still is one).
 */
function fundingAtStart(text: string): { key: 'funding'; value: unknown } | undefined {
  const read = parseFunding(text, 1);
  if (!read.ok) return undefined;
  const shares = (read.value as { sources?: { share?: number }[] }).sources?.filter((s) => s.share !== undefined) ?? [];
  return shares.length >= 2 ? { key: 'funding', value: read.value } : undefined;
}

/**
 * What a message must name to answer a waiting question at the welcome (normalized), for the
 * questions whose answer is free words: « notre activité c'est… », « le CA compte 7 membres ».
 * The budget and the funding need no word: only an amount read, or sources with their shares.
 * An area's situation is taken there only with its urgency (« les rôles sont flous, urgence 3 »:
 * nothing else reads so), which the welcome says back with the area's name; its urgency alone is
 * not (which area is asked is not on screen).
 */
const OFFER_TOPIC: Record<string, RegExp> = {
  activity: /\b(activites?|secteur|on fait|nous faisons|on propose|nous proposons|activity|sector|we run)\b/,
  staff: /\b(salarie\w*|benevol\w*|etp|temps plein|mi temps|employes?|employees?|volunteers?|staff|full time)\b/,
  governance: /\b(conseil d administration|ca|bureau|gouvernance|administrat\w*|presiden\w*|assemblee|board|governance|trustees?)\b/,
  support: /\b(accompagn\w*|dla|formations?|conseils?|support|supported|training)\b/,
  availability: /\b(disponib\w*|lundi|mardi|mercredi|jeudi|vendredi|matin\w*|apres midi|soir|semaine|available|availability|monday|tuesday|wednesday|thursday|friday|morning|afternoon)\b/,
  needs: /\b(besoins?|aide sur|aide pour|appui|need|needs|help with)\b/,
};

/**
 * At the welcome of a new conversation whose diagnostic waits (« Pour la reprendre, répondez
 * « oui » »), the answer to its next question typed at once (« environ 200 000 € »): that answer,
 * read by the question's own slot — when it reads as one (an amount read at the budget, sources
 * with their shares at the funding, the question's topic named elsewhere: OFFER_TOPIC) and says
 * nothing to the offer itself (saidToTheOffer, as for the check-in offered at the welcome).
 * `etp`: the ETP said at the accueil (the staff question then asks the volunteers only).
 * Biased towards asking again: « oui » then the answer costs less than « bonjour » kept as one.
 */
export function answerAtDiagnosticOffer(text: string, answers: DiagnosticAnswers, etp?: number): { key: string; value: unknown } | undefined {
  const slot = nextDiagnosticSlot(answers);
  if (!slot || saidToTheOffer(text)) return undefined;
  if (slot.area) {
    const read = slot.kind === 'text' && situationWithUrgency(text) ? slot.parse(text, 1) : undefined;
    return read?.ok ? { key: slot.key, value: read.value } : undefined;
  }
  const structural = slot.key === 'budget' || slot.key === 'funding';
  if (!structural && !OFFER_TOPIC[slot.key]?.test(normalize(text))) return undefined;
  const read = slot.parse(text, 1, slot.key === 'staff' && etp !== undefined ? String(etp) : undefined);
  // Words kept as written, or « je ne sais pas », are no reading.
  if (!read.ok || (read.value as { unread?: boolean }).unread) return undefined;
  if (slot.key === 'budget' && typeof (read.value as { euros?: unknown }).euros !== 'number') return undefined;
  if (slot.key === 'funding' && !(read.value as { sources?: unknown[] }).sources?.length) return undefined;
  return { key: slot.key, value: read.value };
}

export function nextDiagnosticSlot(answers: DiagnosticAnswers): DiagnosticSlot | undefined {
  return DIAGNOSTIC_SLOTS.find((s) => answers[s.key] === undefined);
}

export function remainingQuestions(answers: DiagnosticAnswers): number {
  return DIAGNOSTIC_SLOTS.filter((s) => answers[s.key] === undefined).length;
}

export function urgencies(answers: DiagnosticAnswers): Partial<Record<Area, number>> {
  return Object.fromEntries(AREAS.filter((a) => typeof answers[`${a}_urgency`] === 'number').map((a) => [a, answers[`${a}_urgency`] as number]));
}

/** A card submit for an area: `{ area, situation, urgency }`, validated like typed answers. */
/**
 * An area's card as submitted: its situation and urgency. Without a valid urgency (a client that
 * does not enforce the card's required inputs) the situation alone is read: it is kept, and the
 * urgency asked for.
 */
export function parseAreaSubmit(value: unknown, area: Area): ParseResult<{ situation: string; urgency?: number }> {
  const v = (value ?? {}) as { area?: unknown; situation?: unknown; urgency?: unknown };
  if (v.area !== area) return fail('diagnostic.card.otherQuestion');
  const situation = typeof v.situation === 'string' ? v.situation.trim() : '';
  const urgency = parseUrgency(String(v.urgency ?? ''));
  if (situation.length < 3 || !hasWords(situation)) return fail('diagnostic.area.invalid');
  return ok(urgency ? { situation, urgency } : { situation });
}
