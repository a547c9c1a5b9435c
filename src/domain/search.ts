import { normalize } from './text';

/**
 * The back-office's search (« Rechercher » on the dossier list): what a chargé·e types when a
 * structure calls — its name or its contact's, an e-mail, a phone number, a SIRET, an RNA, a postal
 * code — matched whatever the accents, the case or the spaces typed in a number.
 */
export interface SearchTerms {
  /** Words matched inside the text fields, each as normalize() writes it. */
  words: string[];
  /** Numbers typed (their spaces, dots and dashes dropped: « 06 12 34 56 78 », « 732 829 320 00074 »), matched inside a field's digits. */
  numbers: string[];
}

/** Longest search accepted (a longer one is refused, not cut). */
export const MAX_SEARCH_LENGTH = 100;

/** A French phone number in its international form (+33 6…, 0033 6…) as dialled at home (06…). */
function nationalDigits(digits: string): string {
  const international = /^(?:0033|33)([1-9]\d{8})$/.exec(digits);
  return international ? `0${international[1]}` : digits;
}

/** The terms of a search; none when it holds nothing to look for. Consecutive groups of digits are one number. */
export function searchTerms(query: string): SearchTerms {
  const words: string[] = [];
  const numbers: string[] = [];
  let digits = '';
  const endNumber = () => {
    if (digits) numbers.push(nationalDigits(digits));
    digits = '';
  };
  for (const token of query.trim().split(/\s+/)) {
    if (/^\+?[\d.\-/]*\d[\d.\-/]*$/.test(token)) {
      digits += token.replace(/\D/g, '');
      continue;
    }
    endNumber();
    const parts = normalize(token).split(' ').map((part) => part.replace(/^[.,-]+|[.,-]+$/g, '')).filter(Boolean);
    // « l’atelier »: its elided article is no word to look for.
    words.push(...(parts.length > 1 ? parts.filter((word) => word.length > 1) : parts));
  }
  endNumber();
  return { words, numbers };
}

export function isEmptySearch(terms: SearchTerms): boolean {
  return terms.words.length === 0 && terms.numbers.length === 0;
}

/** Every term is found: each word inside the fields' text, each number inside one field's digits. */
export function matchesSearch(fields: (string | null | undefined)[], terms: SearchTerms): boolean {
  const present = fields.filter((f): f is string => typeof f === 'string' && f !== '');
  const text = present.map(normalize).join(' ');
  const digits = present.map((f) => f.replace(/\D/g, '')).filter(Boolean).map(nationalDigits);
  return terms.words.every((w) => text.includes(w)) && terms.numbers.every((n) => digits.some((d) => d.includes(n)));
}
