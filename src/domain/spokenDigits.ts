/**
 * Numbers dictated as French words, as speech-to-text writes them: a postal code said by its
 * figures or by its numbers (« trois trois zéro zéro zéro », « trente-trois sept cents », « trente
 * trois mille »), a phone number by pairs (« zéro six douze trente-quatre cinquante-six
 * soixante-dix-huit »). Each number said is written in figures, one after the other.
 */
import { FRENCH_NUMBER_WORDS } from './numberWords';

/** Folded as the readers fold: lower case, no accents. */
const fold = (word: string) => word.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** The French number words (numberWords.ts) by kind: units 0–9, 10–16, tens. */
const wordsWhere = (keep: (n: number) => boolean): Record<string, number> => Object.fromEntries(Object.entries(FRENCH_NUMBER_WORDS).filter(([, n]) => keep(n)));
const UNITS = wordsWhere((n) => n < 10);
const TEENS = wordsWhere((n) => n >= 10 && n < 20);
const TENS = wordsWhere((n) => n >= 20);

type Read = { value: number; next: number } | undefined;

/** 10–19: « dix », « onze »… « seize », « dix-sept »… « dix-neuf ». */
function teen(words: string[], i: number): Read {
  const w = words[i];
  if (w === 'dix' && ['sept', 'huit', 'neuf'].includes(words[i + 1])) return { value: 10 + UNITS[words[i + 1]], next: i + 2 };
  return w in TEENS ? { value: TEENS[w], next: i + 1 } : undefined;
}

/** 0–99, read as far as it goes: « trente-trois », « soixante-dix-huit », « quatre-vingt-onze », « vingt et un ». */
function belowHundred(words: string[], i: number): Read {
  const w = words[i];
  // « quatre-vingt(s) »: 80, then a unit or a teen (« quatre-vingt-dix » is 90).
  if (w === 'quatre' && (words[i + 1] === 'vingt' || words[i + 1] === 'vingts')) {
    const rest = teen(words, i + 2) ?? (words[i + 2] in UNITS && UNITS[words[i + 2]] > 0 ? { value: UNITS[words[i + 2]], next: i + 3 } : undefined);
    return rest ? { value: 80 + rest.value, next: rest.next } : { value: 80, next: i + 2 };
  }
  if (w in TENS) {
    const tens = TENS[w];
    let j = i + 1;
    if (words[j] === 'et' && ['un', 'une', 'onze'].includes(words[j + 1])) return { value: tens + (words[j + 1] === 'onze' ? 11 : 1), next: j + 2 };
    // « soixante-douze »: 60 and a teen.
    const rest = tens === 60 ? teen(words, j) : undefined;
    if (rest) return { value: 60 + rest.value, next: rest.next };
    if (words[j] in UNITS && UNITS[words[j]] > 0) return { value: tens + UNITS[words[j]], next: ++j };
    return { value: tens, next: j };
  }
  return teen(words, i) ?? (w in UNITS ? { value: UNITS[w], next: i + 1 } : undefined);
}

/** 0–999: « sept cents », « deux cent douze », « cent ». */
function belowThousand(words: string[], i: number): Read {
  const isHundred = (w: string | undefined) => w === 'cent' || w === 'cents';
  const first = belowHundred(words, i);
  const times = isHundred(words[i]) ? { value: 1, next: i } : first && first.value >= 1 && first.value <= 9 && isHundred(words[first.next]) ? first : undefined;
  if (!times) return first;
  const rest = belowHundred(words, times.next + 1);
  return { value: times.value * 100 + (rest?.value ?? 0), next: rest?.next ?? times.next + 1 };
}

/** A whole number: « trente-trois mille », « mille deux cents », « sept cents ». */
function number(words: string[], i: number): Read {
  if (words[i] === 'mille') {
    const rest = belowThousand(words, i + 1);
    return { value: 1000 + (rest?.value ?? 0), next: rest?.next ?? i + 1 };
  }
  const first = belowThousand(words, i);
  if (!first || words[first.next] !== 'mille' || first.value === 0) return first;
  const rest = belowThousand(words, first.next + 1);
  return { value: first.value * 1000 + (rest?.value ?? 0), next: rest?.next ?? first.next + 1 };
}

/** A run of numbers said in words: their figures one after the other, and how many numbers. */
export interface SpokenRun {
  digits: string;
  numbers: number;
  /** Where the run is in the text it was read from. */
  start: number;
  end: number;
}

const WORD = /[\p{L}]+(?:-[\p{L}]+)*/gu;

/** The runs of number words in `text` (« zéro six douze… », « trois trois zéro zéro zéro »), each as figures. */
export function spokenRuns(text: string): SpokenRun[] {
  // Words with their place: « trente-trois » is two words; « et » only inside a number (« vingt et un »).
  const words: { word: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(WORD)) {
    let at = m.index!;
    for (const part of m[0].split('-')) {
      words.push({ word: fold(part), start: at, end: at + part.length });
      at += part.length + 1;
    }
  }
  const plain = words.map((w) => w.word);
  const runs: SpokenRun[] = [];
  let i = 0;
  while (i < plain.length) {
    const numbers: number[] = [];
    let j = i;
    for (let read = number(plain, j); read && read.next > j; read = number(plain, j)) {
      numbers.push(read.value);
      j = read.next;
    }
    if (numbers.length === 0) { i++; continue; }
    runs.push({ digits: numbers.join(''), numbers: numbers.length, start: words[i].start, end: words[j - 1].end });
    i = j;
  }
  return runs;
}

/**
 * `text` with each run of number words that `wanted` accepts written in figures (« je suis à
 * bordeaux trois trois zéro zéro zéro » → « je suis à bordeaux 33000 »), the rest as typed.
 */
export function withSpokenDigits(text: string, wanted: (run: SpokenRun) => boolean): string {
  let out = text;
  // From the end, so that the places of the earlier runs still hold.
  for (const run of spokenRuns(text).filter(wanted).reverse()) out = out.slice(0, run.start) + run.digits + out.slice(run.end);
  return out;
}

/** A phone number said in words (« zéro six douze trente-quatre… »): ten figures from a 0. */
export const SPOKEN_PHONE = (run: SpokenRun) => /^0[1-9]\d{8}$/.test(run.digits);

/**
 * A postal code said in words: five figures, said as several numbers (« trois trois zéro zéro
 * zéro », « trente-trois sept cents ») — or, where a postal code is asked, as one (« trente-trois
 * mille »; elsewhere « douze mille euros » is an amount).
 */
export const spokenPostalCode = (asked: boolean) => (run: SpokenRun) => /^\d{5}$/.test(run.digits) && (asked || run.numbers > 1);

