import { normalizeWords } from './text';

/** Words that only English writes (as whole words, normalized: « i'd » is « i d »). */
const ENGLISH = new Set(('i we you our my your the is are am was be been can could would should will do does did dont don t '
  + 'to of and with for from this that what how why when where which who like want need get know please thanks thank yes hi hello '
  + 'have has had not any some about if it its there their they them employees staff help support check').split(' '));

/**
 * Words that only French writes (not « d »: « I'd » is « i d »; not « association »: English too):
 * one of them and the message is not read as English.
 */
const FRENCH = new Set(('je j nous vous on le la les l un une des du de et est sont pas ne n pour avec dans sur au aux ce cette ces '
  + 'qui que qu quoi mon ma mes notre nos votre vos oui non merci bonjour salut salaries salariee asso').split(' '));

/**
 * A message written in English by someone the assistant speaks French to (« I'd like to check if
 * we can get support »): at least three English words and not one French word. Names, numbers,
 * « SCIC » or « ok » say nothing either way.
 */
export function writesEnglish(text: string | undefined): boolean {
  const words = normalizeWords(text ?? '').split(' ').filter(Boolean);
  if (words.some((w) => FRENCH.has(w))) return false;
  return words.filter((w) => ENGLISH.has(w)).length >= 3;
}
