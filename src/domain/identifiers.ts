/**
 * SIREN, SIRET and RNA: format checks and extraction from free text.
 * Rules: DOMAIN.md § Identifiers, and INSEE's own validator (github.com/inseefrlab/validinsee).
 * A valid number *can* exist; whether it is the right structure is for Sirene / a chargé·e to say.
 */
import { saysDontKnow } from './text';

export type IdentifierKind = 'siren' | 'siret' | 'rna';

/** Why an identifier is refused, so the bot can explain it (one i18n text per reason). */
export type InvalidReason =
  | 'empty'
  | 'not_digits' // SIREN/SIRET with letters or other signs
  | 'too_short'
  | 'too_long'
  | 'checksum' // the number's own Luhn key is wrong (typo)
  | 'siren_checksum' // SIRET whose first 9 digits are not a valid SIREN
  | 'bad_prefix' // RNA not starting with W
  | 'bad_characters'; // RNA with characters other than digits and letters

export type IdentifierCheck =
  | { valid: true; kind: IdentifierKind; value: string }
  | { valid: false; kind: IdentifierKind; input: string; reason: InvalidReason };

export const LA_POSTE_SIREN = '356000000';

/** People type "732 829 320 00074", "732.829.320" or "732-829-320": keep the digits' order only. */
const SEPARATORS = /[\s.\u00a0\u202f-]/g;

/** Luhn sum: from the right, every second digit doubled (minus 9 when above 9). */
export function luhnSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum;
}

function digitSum(digits: string): number {
  return [...digits].reduce((s, d) => s + Number(d), 0);
}

function checkDigits(input: string, kind: 'siren' | 'siret', length: number): IdentifierCheck | string {
  const value = input.replace(SEPARATORS, '');
  if (value === '') return { valid: false, kind, input, reason: 'empty' };
  if (!/^\d+$/.test(value)) return { valid: false, kind, input, reason: 'not_digits' };
  if (value.length < length) return { valid: false, kind, input, reason: 'too_short' };
  if (value.length > length) return { valid: false, kind, input, reason: 'too_long' };
  return value;
}

export function validateSiren(input: string): IdentifierCheck {
  const value = checkDigits(input, 'siren', 9);
  if (typeof value !== 'string') return value;
  if (luhnSum(value) % 10 !== 0) return { valid: false, kind: 'siren', input, reason: 'checksum' };
  return { valid: true, kind: 'siren', value };
}

export function validateSiret(input: string): IdentifierCheck {
  const value = checkDigits(input, 'siret', 14);
  if (typeof value !== 'string') return value;
  const siren = value.slice(0, 9);
  const ownKeyOk = luhnSum(value) % 10 === 0;
  const sirenOk = luhnSum(siren) % 10 === 0;
  if (ownKeyOk && sirenOk) return { valid: true, kind: 'siret', value };
  // La Poste has more establishments than the Luhn key allows: INSEE accepts, for its SIREN only,
  // a digit sum that is a multiple of 5 (validinsee applies it as an alternative to the general
  // rule, which is why the siège 35600000000048 passes although its digit sum is 26).
  if (siren === LA_POSTE_SIREN && digitSum(value) % 5 === 0) return { valid: true, kind: 'siret', value };
  return { valid: false, kind: 'siret', input, reason: sirenOk ? 'checksum' : 'siren_checksum' };
}

/** RNA: "W" + 9 characters (digits; some prefectures use letters). No checksum exists. */
export function validateRna(input: string): IdentifierCheck {
  const value = input.replace(SEPARATORS, '').toUpperCase();
  if (value === '') return { valid: false, kind: 'rna', input, reason: 'empty' };
  if (!value.startsWith('W')) return { valid: false, kind: 'rna', input, reason: 'bad_prefix' };
  if (!/^W[0-9A-Z]*$/.test(value)) return { valid: false, kind: 'rna', input, reason: 'bad_characters' };
  if (value.length < 10) return { valid: false, kind: 'rna', input, reason: 'too_short' };
  if (value.length > 10) return { valid: false, kind: 'rna', input, reason: 'too_long' };
  return { valid: true, kind: 'rna', value };
}

/** "73282932000074" → "732 829 320 00074" (how Sirene prints it); other values unchanged. */
export function formatIdentifier(value: string): string {
  if (/^\d{14}$/.test(value)) return `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6, 9)} ${value.slice(9)}`;
  if (/^\d{9}$/.test(value)) return `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6)}`;
  return value;
}

/** The numbers a structure gave, as read out: its SIRET (or SIREN), then its RNA, each formatted (formatIdentifier). */
export function identifiersShown(ids: { siret?: string; siren?: string; rna?: string }): string[] {
  return [ids.siret ?? ids.siren, ids.rna].filter((x): x is string => Boolean(x)).map(formatIdentifier);
}

export interface ParsedIdentifiers {
  siret?: IdentifierCheck;
  siren?: IdentifierCheck;
  rna?: IdentifierCheck;
  /** "je ne sais pas", "aucune idée"…: the person does not know it (not a refusal, not a "none"). */
  unknown: boolean;
  /** "pas encore de SIRET", "on n'en a pas": the structure says it has none (yet). */
  none: boolean;
}

// Phrases are matched on lower-case text without accents, apostrophes as spaces (see plain()).
/** Besides « je ne sais pas » (saysDontKnow): a number not known by heart. */
const UNKNOWN_PHRASES = [
  /\bje (ne )?(le |l )?connais pas\b/,
  // « on sait pas notre siret », « nous ne le connaissons pas »: the structure speaking as « on » or « nous ».
  /\b(on|nous) (ne |n )?(le |l )?(sait|savons|connait|connaissons) pas\b/,
  /\bpas sous la main\b/,
  /\bje (dois|vais) (le )?(chercher|verifier|retrouver)\b/,
  // Not at hand, or someone else has it: « je l'ai pas (là) », « c'est le comptable qui l'a » (« pas encore » says there is none).
  /\b(je|j|on|nous) (ne |n )?l (ai|a|avons) pas\b(?! encore)/,
  /\b(je|j) (n )?ai pas (le|ce|mon|notre) (numero|siret|siren|rna)\b(?! encore)/,
  /\bqui l a\b/,
  /\bpas (ici|sur moi|avec moi|sous les yeux)\b/,
  /\b(do not|don t|dont) have it\b|\bhas it\b|\bnot (at|to) hand\b|\bhandy\b|\bon me\b/,
];

const NONE_PHRASES = [
  // The whole answer, or its first words: « pas encore », « aucun pour l'instant », « en cours », « non ».
  /^(non )?(pas encore|pas pour l instant|pas pour le moment|aucun|aucune|rien|en cours|non|none|not yet|no)\b/,
  /\bpas (encore )?(de|d) (numero|siret|siren|rna|immatriculation)\b/,
  /\bn (en )?(a|avons) (pas|aucun)\b/,
  /\b(on|nous) (n )?en (a|avons) (pas|aucun)\b/, // « on en a pas »
  /\b(c est|il est|elle est|demande|immatriculation|declaration) en cours\b/,
  /\baucun (numero|siret|siren|rna)\b/,
  /\bpas encore (declaree|declare|immatriculee|creee|cree)\b/,
  /\ben cours (de|d) (creation|immatriculation|declaration)\b/,
  /\bwe (do not|don t|dont) have (one|any)\b/,
];

/** Lower case, no accents, apostrophes as spaces, one plain space between words. */
function plain(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’'`´]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Digit runs with single separators between groups: "732 829 320 00074", "732.829.320". */
const DIGIT_RUN = /\d(?:[ .-]?\d)*/g;
/** "W751234567", "w 751 234 567": W then 9 letters/digits, single spaces or dots between groups. */
const RNA_RUN = /\bw(?:[ .]?[0-9a-z]){9}(?![0-9a-z])/g;
/** The token after the word "RNA" when it holds a digit: reported even when malformed. */
const RNA_AFTER_KEYWORD = /\brna\b(?: c est| est|:| :| n°| numero)? ?(w?[0-9a-z]*\d[0-9a-z]*(?:[ .]\d+)*)/;

/**
 * Finds a SIRET (or a SIREN) and/or an RNA in a message such as
 * "notre siret c'est 732 829 320 00074 et RNA W751234567".
 * A digit run is taken as an identifier when it has 9 or 14 digits, or when the message names
 * it ("siret …") or is nothing but digits: then a wrong length is reported (too_short / too_long)
 * instead of being ignored. Phone numbers and postal codes inside a sentence are left alone.
 */
export function parseIdentifiers(text: string): ParsedIdentifiers {
  const result: ParsedIdentifiers = { unknown: false, none: false };
  const work = plain(text);

  // RNA first, and its characters removed, so its digits are not read as a SIREN.
  let rest = work;
  for (const m of work.matchAll(RNA_RUN)) {
    const candidate = m[0].replace(SEPARATORS, '');
    // "Washington" is W + 9 letters: a real RNA is mostly digits.
    if ((candidate.match(/\d/g) ?? []).length < 5) continue;
    result.rna ??= validateRna(candidate);
    rest = rest.replace(m[0], ' ');
  }
  const afterKeyword = result.rna ? undefined : RNA_AFTER_KEYWORD.exec(work);
  if (afterKeyword) {
    result.rna = validateRna(afterKeyword[1].toUpperCase());
    rest = rest.replace(afterKeyword[1], ' ');
  }

  const named = /\b(siret|siren)\b/.test(work);
  const onlyDigits = /^[\d .-]+$/.test(work);
  for (const m of rest.matchAll(DIGIT_RUN)) {
    const digits = m[0].replace(SEPARATORS, '');
    if (digits.length === 14) result.siret ??= validateSiret(digits);
    else if (digits.length === 9) result.siren ??= validateSiren(digits);
    else if ((named || onlyDigits || (digits.length >= 11 && digits.length <= 17)) && digits.length >= 6 && !result.siret) {
      // The person meant an identifier (named, alone, or longer than a phone number: « c'est
      // 443 061 841 0004 je crois »): say what is wrong with its length.
      const saysSiren = /\bsiren\b/.test(work) && !/\bsiret\b/.test(work);
      if (saysSiren) result.siren ??= validateSiren(digits);
      else result.siret = validateSiret(digits);
    }
  }
  // A SIRET carries its SIREN: give it to callers that only need the company.
  if (result.siret?.valid && !result.siren) result.siren = validateSiren(result.siret.value.slice(0, 9));

  result.unknown = saysDontKnow(work) || UNKNOWN_PHRASES.some((re) => re.test(work));
  const found = Boolean(result.siret || result.siren || result.rna);
  const words = work.replace(/[.,;:!?…()]+/g, ' ').replace(/\s+/g, ' ').trim();
  result.none = !found && !result.unknown && NONE_PHRASES.some((re) => re.test(words));
  return result;
}
