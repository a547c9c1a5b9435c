import { ENGLISH_NUMBER_WORDS, FRENCH_NUMBER_WORDS } from './numberWords';
import { normalizeWords } from './text';

/**
 * A choice picked by its number or rank: « 2 », « le deuxième », « option 3 svp », « je prends
 * la 1re », « le dernier », "the second one". Only a message about a number alone: one that
 * merely has one (« j'ai 3 salariés », « <script>alert(1)</script> ») picks nothing.
 *
 * Written by hand: @microsoft/recognizers-text's French number and ordinal models (what
 * botbuilder's ChoicePrompt calls) compile their regular expressions at their first uses in a
 * process — about 12 s of CPU on this 2-core machine, the event loop blocked meanwhile for every
 * conversation — to read what these few words say.
 */
export type ChoiceNumber = number | 'last';

const ORDINALS: Readonly<Record<string, number>> = {
  premier: 1, premiere: 1, first: 1, second: 2, seconde: 2, deuxieme: 2, troisieme: 3, third: 3, quatrieme: 4, fourth: 4,
  cinquieme: 5, fifth: 5, sixieme: 6, sixth: 6, septieme: 7, seventh: 7, huitieme: 8, eighth: 8, neuvieme: 9, ninth: 9, dixieme: 10, tenth: 10,
};
const LAST = new Set(['dernier', 'derniere', 'last']);
/** « un », « une », "one": the number 1 only when nothing else is (« la une », but "the second one" is 2). */
const WEAK_ONE = new Set(['un', 'une', 'one']);
const CARDINALS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries({ ...FRENCH_NUMBER_WORDS, ...ENGLISH_NUMBER_WORDS }).filter(([word, n]) => n >= 1 && n <= 10 && !WEAK_ONE.has(word)),
);

/** Words that may surround a choice number: « je prends le 2 », « option 3 svp », "the second one please". */
const AROUND_A_NUMBER = new Set(['le', 'la', 'l', 'les', 'numero', 'n', 'no', 'option', 'choix', 'reponse', 'celui', 'celle', 'ci',
  'je', 'j', 'prends', 'prend', 'choisis', 'veux', 'voudrais', 'svp', 'stp', 's', 'il', 'vous', 'plait', 'merci', 'c', 'est', 'donc', 'alors',
  'the', 'number', 'choice', 'i', 'take', 'choose', 'want', 'please', 'thanks', 'it', 'a']);

/** « 2 », « 2e », « 2eme », « 1er », « 1re », "2nd", "3rd", "4th". */
const DIGITS = /^(\d{1,2})(?:er|ere|re|e|eme|nd|rd|th|st)?$/;

function numberOf(word: string): ChoiceNumber | undefined {
  const digits = DIGITS.exec(word);
  if (digits) return Number(digits[1]);
  if (LAST.has(word)) return 'last';
  return ORDINALS[word] ?? CARDINALS[word];
}

/** The number or rank the message picks; undefined when it says anything else, or two different numbers. */
export function choiceNumber(text: string): ChoiceNumber | undefined {
  const words = normalizeWords(text).split(' ').filter(Boolean);
  const found = new Set<ChoiceNumber>();
  let weakOne = false;
  for (const word of words) {
    const n = numberOf(word);
    if (n !== undefined) found.add(n);
    else if (WEAK_ONE.has(word)) weakOne = true;
    else if (!AROUND_A_NUMBER.has(word)) return undefined;
  }
  if (found.size === 0) return weakOne ? 1 : undefined;
  return found.size === 1 ? [...found][0] : undefined;
}

/** The index in a list of `count` choices, if the number picks one of them. */
export function choiceIndex(picked: ChoiceNumber | undefined, count: number): number | undefined {
  if (picked === undefined || count === 0) return undefined;
  const index = picked === 'last' ? count - 1 : picked - 1;
  return index >= 0 && index < count ? index : undefined;
}
