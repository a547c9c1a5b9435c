/** Building blocks of the conversational forms (accueil, diagnostic): a form is data. */
import { FORM_FIELD_WORDS } from './fieldWords';
import { NUMBER_WORDS, ONE_AS_ARTICLE } from './numberWords';
import { isDontKnow, looksLikeWords, normalize, saysDontKnow } from './text';

/**
 * The values of an error text: a list is the structure's own words, each shown quoted the way
 * its language quotes (« ventes », “sales”: the `quotedWords` text of locales/), then joined.
 */
export type ErrorVars = Record<string, string | readonly string[]>;

/**
 * What a slot's parser returns: a value, or the locale key saying what is wrong — with, when the
 * next answer completes this one (« il manque la part de : ventes »), `carry`: the text to read
 * it with (the parser gets it back as `carried`).
 */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; errorKey: string; vars?: ErrorVars; carry?: string; notUnderstood?: true };

export const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
export const fail = (errorKey: string, vars?: ErrorVars): ParseResult<never> => ({ ok: false, errorKey, ...(vars ? { vars } : {}) });

/**
 * An answer not understood at all (no words, a keyboard mash): asked again, never kept — the
 * dialogs count it like a choice not understood, and the third in a row hands over to a chargé·e.
 */
export const notUnderstood = (errorKey: string, vars?: ErrorVars): ParseResult<never> => ({ ok: false, errorKey, ...(vars ? { vars } : {}), notUnderstood: true });

/** An error's values as text: each word of a list quoted by `quote` (the language's quotes), joined by commas. */
export function errorVarsText(vars: ErrorVars | undefined, quote: (words: string) => string): Record<string, string> | undefined {
  return vars && Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === 'string' ? v : v.map(quote).join(', ')]));
}

/**
 * A free-text answer in the structure's own words (a name, a request, a situation): words, at
 * least `min` characters once trimmed, cut at `max`. Anything else — « ??? », a keyboard mash
 * (« asdfgh »), too short — is not understood (`unclearKey` says so for what has no words,
 * `errorKey` for what is too short): asked again and never kept, so that the third in a row
 * hands over to a chargé·e, as at any question.
 */
export const freeText = (errorKey: string, { min = 2, max = 4000, unclearKey = errorKey }: { min?: number; max?: number; unclearKey?: string } = {}) =>
  (text: string): ParseResult<string> => {
    const trimmed = text.trim();
    if (!looksLikeWords(trimmed)) return notUnderstood(unclearKey);
    return trimmed.length >= min ? ok(trimmed.slice(0, max)) : notUnderstood(errorKey);
  };

/** Failed attempts after which an answer that could not be read is kept as typed (the chargé·e reads it). */
export const MAX_FAILED_ATTEMPTS = 2;

/**
 * For an answer that could not be read: the error `errorKey` (asked again) until the structure
 * has failed MAX_FAILED_ATTEMPTS times (`attempt` counts its answers, this one included), then
 * `value`, what is kept of it: a wrong SIRET typed twice is asked a third time, where « je ne
 * sais pas » still answers it. The diagnostic's unreadAnswer keeps its answers by it too.
 */
export const keptAfterRetries = <T>(attempt: number, value: T, errorKey: string, vars?: ErrorVars): ParseResult<T> =>
  attempt > MAX_FAILED_ATTEMPTS ? ok(value) : fail(errorKey, vars);

/**
 * keptAfterRetries for an answer in words (a wrong SIRET, « bof »: the chargé·e can read it);
 * « ??? », a keyboard mash, an answer without any word is never kept: not understood, so that
 * the third in a row hands over to a chargé·e.
 */
export const keptAfterRetriesIfWords = <T>(text: string, attempt: number, value: T, errorKey: string, vars?: ErrorVars): ParseResult<T> =>
  looksLikeWords(text) ? keptAfterRetries(attempt, value, errorKey, vars) : notUnderstood(errorKey, vars);

/** The same, and at once when the structure says it does not know. */
export const acceptUnreadAfterAttempts = <T>(text: string, attempt: number, value: T, errorKey: string): ParseResult<T> =>
  isDontKnow(text) ? ok(value) : keptAfterRetriesIfWords(text, attempt, value, errorKey);

/** A field's name typed with or without accents: « salaries » also finds « salariés ». */
function accentInsensitive(words: string): string {
  const CLASSES: Record<string, string> = { a: '[aàâä]', e: '[eéèêë]', i: '[iîï]', o: '[oôö]', u: '[uùûü]', c: '[cç]', ' ': "[\\s'’-]+" };
  return [...words].map((ch) => CLASSES[ch] ?? ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('');
}

/** Words that judge an answer rather than give a new one (« le nom est faux »). */
const JUDGEMENT = /^(faux|pas bon|pas le bon|incorrect|errone|mal ecrit|a corriger|a changer|wrong|not right|a mistake|mistaken|not correct)$/;

/** What may come before the correction: « non, en fait, … », "no, actually, …", "sorry, …". */
const LEAD = "(?:(?:non|en fait|attendez|attends|pardon|oups|euh|ah|et|bon|ben|no|and|actually|sorry|oops|wait|well|um|in fact)[\\s,]+)*";
/** A count in the value (« 3 », « trois », "three"; not « un », more often an article). */
const COUNT = `(?:\\d|\\b(?:${Object.keys(NUMBER_WORDS).filter((w) => !ONE_AS_ARTICLE.has(w)).join('|')})\\b)`;

/** Words that only insist, at the end of the new value: « 3 en fait », "2.5 in fact", "Green Hands, actually". */
const TRAILING = /[\s,]+(?:en fait|plut[oô]t|finalement|in fact|actually|really|instead|rather)$/iu;

/** What starts a new clause after « et » / « , »: « on a », « nous avons », « il y a », "we have"… */
const CLAUSE_OPENER = /^(?:on (?:a|est|compte)|nous (?:avons|sommes|comptons)|il y a|y a|j ai|we (?:have|are|ve got|now have)|we re|there (?:are|is))(?= |$)/;
/** …or a determiner before another answer's name: « et le code postal c'est… », "and the budget is…". */
const DETERMINER = /^(?:le|la|les|l|notre|nos|the|our)(?= )/;
/** What follows an answer's word when a value is given for it: a verb (« c'est », "is"), or a number. */
const FIELD_VALUE = /^(?:c est|c |est|sont|etait|serait|plutot|s|is|are|was|should be|\d)/;

/**
 * The value cut before a clause about another answer: « Compagnie du Fil Rouge et on a 2,6 etp
 * en fait » → « Compagnie du Fil Rouge »; « …, et le code postal c'est 69003 » too. « Jardins et
 * Potagers », « un CA de 9 et on a un bureau » (the governance's own words) stay whole.
 */
function beforeOtherField(value: string, fieldWords: readonly string[]): string {
  const own = fieldWords.map(normalize);
  const others = FORM_FIELD_WORDS.filter((w) => !own.some((o) => o === w || o.startsWith(`${w} `) || o.endsWith(` ${w}`)));
  const names = (words: string) => others.some((w) => words === w || words.startsWith(`${w} `));
  // « et la ville c'est Lyon », « et le cp 69003 », « et le budget : 180 000 »: the answer's word, then what it is.
  const namesWithValue = (words: string) => others.some((w) => words.startsWith(`${w} `) && FIELD_VALUE.test(words.slice(w.length + 1)));
  for (const m of value.matchAll(/\s*,\s*(?:(?:et|and)\s+)?|\s+(?:et|and)\s+/giu)) {
    const rest = normalize(value.slice((m.index ?? 0) + m[0].length).replace(/\s*[:=]\s*/gu, ' est '));
    const clause = CLAUSE_OPENER.exec(rest);
    const det = DETERMINER.exec(rest);
    // A clause: another answer named in its first words (« on a 2,6 etp »); a determiner: right
    // after it, with its value (« Sport et la Ville » is a name, « et la ville c'est Lyon » is not).
    const about = clause
      ? rest.slice(clause[0].length).trim().split(' ').slice(0, 4).some((_, k, words) => names(words.slice(k).join(' ')))
      : det !== null && namesWithValue(rest.slice(det[0].length).trim());
    if (about && m.index) return value.slice(0, m.index);
  }
  return value;
}

/**
 * The new value said with a field's name, at a review: after it (« le nom c'est plutôt Jardins
 * Partagés », « non, le budget : 180 000 € », « le siret 443 061 841 00047 », "the name is Green Hands Garden", "the employees
 * are 2.5 in fact"), or with its count before it (« en fait nous avons 3 salariés », "actually we
 * have 3 employees": the value is « 3 salariés », for the field's parser to read). Undefined when
 * the message only names the field, or judges it (« le nom est faux »).
 */
export function valueAfterField(text: string, fieldWords: readonly string[]): string | undefined {
  if (!fieldWords.length) return undefined;
  const field = [...fieldWords].sort((a, b) => b.length - a.length).map(accentInsensitive).join('|');
  const trimmed = text.trim();
  const after = new RegExp(`^${LEAD}(?:(?:le|la|les|l['’]|the|our|its|my|notre|nos|son|sa|ses)\\s*)?(?:${field})\\s*,?\\s*(?:(?:c['’ ]?\\s?est(?:\\s+plut[oô]t)?|c(?=\\s)|est(?:\\s+plut[oô]t)?|sont(?:\\s+plut[oô]t)?|plut[oô]t|['’]s|is|are|was|were|should be|:|=)\\s+|(?=\\d|W\\s?\\d))(?:(?:tout\\s+)?simplement\\s+|juste\\s+|just\\s+|simply\\s+|actually\\s+|in fact\\s+|rather\\s+)?(.+)$`, 'iu')
    .exec(trimmed)?.[1];
  const counted = after === undefined
    ? new RegExp(`^${LEAD}(?:(?:nous|on)\\s+(?:avons|a|est|sommes)(?:\\s+maintenant|\\s+aujourd['’]hui)?|(?:we|we now|we currently)\\s+(?:have|are|employ)|we['’]ve got|we['’]re|il y a|there are)\\s+(.*${COUNT}.*\\b(?:${field})\\b.*)$`, 'iu').exec(trimmed)?.[1]
    : undefined;
  const whole = after ?? counted;
  const value = (whole === undefined ? undefined : beforeOtherField(whole, fieldWords))?.trim().replace(/[.!]+$/u, '').replace(TRAILING, '').trim();
  return value && /[\p{L}\p{N}]/u.test(value) && !JUDGEMENT.test(normalize(value)) ? value : undefined;
}

/**
 * The new values said for several answers in one message (« en fait on est 14 ETP, et le budget
 * c'est 950k »): each read by valueAfterField from the last clause that names it — what follows a
 * comma or « et », or the whole message. A field whose value is not read is left out.
 */
export function valuesAfterFields<K extends string>(text: string, fields: Record<K, readonly string[]>): Partial<Record<K, string>> {
  // The last clause first: the one nearest to the field's name that reads a value for it.
  const starts = [0, ...[...text.matchAll(/\s*[,;]\s*(?:(?:et|and|puis)\s+)?|\s+(?:et|and)\s+/giu)].map((m) => (m.index ?? 0) + m[0].length)].reverse();
  const found: Partial<Record<K, string>> = {};
  for (const key of Object.keys(fields) as K[]) {
    const value = starts.map((at) => valueAfterField(text.slice(at), fields[key])).find((v) => v !== undefined);
    if (value !== undefined) found[key] = value;
  }
  return found;
}

/**
 * What is said to an offer itself (« On commence ? », « Voulez-vous y répondre maintenant ? »)
 * rather than about the structure (normalized): a yes, a no or a hesitation first; a wish about
 * the conversation (« je voudrais corriger le nom »); a question; time or the conversation
 * (« pas maintenant », « ça prend combien de temps »); a negation.
 */
const SAID_TO_THE_OFFER = new RegExp([
  '^(?:oui|ouais|non|ok|okay|d accord|daccord|euh+|heu+|bah|ben|bon|hm+|mm+|bof|alors|attendez|attends|yes|yeah|yep|no|nope|sure|well|um+|uh+|wait)\\b',
  '^(?:je|j|i)(?: ne| n)? (?:veux|voudrais|voudrai|prefere|prefererais|dois|peux|pourrais|vais|aimerais|souhaite|souhaiterais|want|would|need|prefer|can|could|will|d|m)\\b',
  '^(?:quoi|qui|combien|pourquoi|comment|quel|quelle|quels|quelles|est ce|what|who|why|how|which|is|are|do|does|can)\\b',
  '\\b(?:c est quoi|combien|est ce que|temps|tard|demain|maintenant|minutes?|heures?|pause|questions?|diagnostic|corriger|modifier|recommencer|reprendre|commencer|time|later|tomorrow|now|hours?|busy|start)\\b',
  '\\b(?:pas|plus|jamais|rien|not|never|don t|dont|nothing)\\b',
].join('|'));

/**
 * The message answers the offer of a series of questions (or says it does not know) rather than
 * its first question: asked again (« Commencer » / « oui »), never kept as an answer. Shared by
 * the diagnostic's « On commence ? » and the welcome that offers a waiting check-in.
 */
export function saidToTheOffer(text: string): boolean {
  return text.includes('?') || SAID_TO_THE_OFFER.test(normalize(text)) || saysDontKnow(text);
}
