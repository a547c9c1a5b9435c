/**
 * Number words shared by the readers of free text (employees.ts, amounts.ts, ranking.ts,
 * diagnosticForm.ts), in French and English. Normalized spelling: lower case, no accents,
 * hyphens read as spaces ("quatre-vingt-dix" → "quatre vingt dix", "twenty-five" → "twenty five").
 * How the words combine ("vingt et un", "quatre vingts", "two hundred and fifty") is for
 * each reader; "quatre vingt" (80) is read by the readers, not listed here.
 */

/** French units and tens, Belgian and Swiss tens included (septante, huitante, octante, nonante). */
export const FRENCH_NUMBER_WORDS: Readonly<Record<string, number>> = {
  zero: 0, un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9, dix: 10,
  onze: 11, douze: 12, treize: 13, quatorze: 14, quinze: 15, seize: 16, vingt: 20, vingts: 20, trente: 30,
  quarante: 40, cinquante: 50, soixante: 60, septante: 70, huitante: 80, octante: 80, nonante: 90,
};

export const ENGLISH_NUMBER_WORDS: Readonly<Record<string, number>> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};

/** Both languages: "deux", "two", "septante", "ninety". */
export const NUMBER_WORDS: Readonly<Record<string, number>> = { ...FRENCH_NUMBER_WORDS, ...ENGLISH_NUMBER_WORDS };

/** "deux cents", "two hundred": multiply what precedes by 100 (or 100 alone: "cent", "a hundred"). */
export const HUNDRED_WORDS: ReadonlySet<string> = new Set(['cent', 'cents', 'hundred']);

/** Magnitude words: "deux cent mille", "1,2 million", "two hundred thousand". */
export const MAGNITUDE_WORDS: Readonly<Record<string, number>> = {
  mille: 1e3, milles: 1e3, million: 1e6, millions: 1e6, milliard: 1e9, milliards: 1e9, thousand: 1e3, billion: 1e9,
};

/** English "a"/"an" is "one" only before these: "a hundred", "a thousand", "a million". */
export const ENGLISH_ARTICLE_MAGNITUDES: ReadonlySet<string> = new Set(['hundred', 'thousand', 'million', 'billion']);

/** Words for one that are more often an article than a number: "un", "une", "one". */
export const ONE_AS_ARTICLE: ReadonlySet<string> = new Set(['un', 'une', 'one']);

/** "une dizaine", "a dozen": an estimate (the readers flag it approximate). */
export const ROUND_NUMBERS: Readonly<Record<string, number>> = {
  dizaine: 10, douzaine: 12, quinzaine: 15, vingtaine: 20, trentaine: 30, quarantaine: 40,
  cinquantaine: 50, soixantaine: 60, centaine: 100, dozen: 12,
};

/** Words before a number that make it an estimate: "environ 4", "about 80 000 €". */
export const APPROXIMATE_WORDS: ReadonlySet<string> = new Set([
  'environ', 'env', 'approximativement', 'approx', 'presque', 'quasiment', 'quasi',
  'about', 'around', 'roughly', 'approximately', 'nearly', 'almost',
]);

/** Phrases before a number that make it an estimate: "à peu près 3", "more than 100 000 €". */
export const APPROXIMATE_PHRASES: readonly string[][] = [
  ['a', 'peu', 'pres'], ['pres', 'de'], ['autour', 'de'], ['de', 'l', 'ordre', 'de'], ['en', 'gros'], ['grosso', 'modo'],
  ['plus', 'de'], ['moins', 'de'], ['un', 'peu', 'plus'], ['un', 'peu', 'moins'], ['pas', 'loin', 'de'], ['plus', 'ou', 'moins'],
  ['au', 'moins'], ['more', 'than'], ['less', 'than'], ['at', 'least'], ['up', 'to'],
];
