/** Building blocks of the conversational forms (accueil, diagnostic): a form is data. */
import { normalize } from './text';

/**
 * What a slot's parser returns: a value, or the locale key saying what is wrong — with, when the
 * next answer completes this one (« il manque la part de : ventes »), `carry`: the text to read
 * it with (the parser gets it back as `carried`).
 */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; errorKey: string; vars?: Record<string, string>; carry?: string };

export const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
export const fail = (errorKey: string, vars?: Record<string, string>): ParseResult<never> => ({ ok: false, errorKey, ...(vars ? { vars } : {}) });

const DONT_KNOW = /^(je (ne )?sais pas|sais pas|aucune idee|je ne sais plus|pas sur|pas sure|inconnu|i don t know|don t know|no idea|\?)$/;

/** A free-text answer: at least `min` characters once trimmed, cut at `max`. */
export const freeText = (errorKey: string, min = 2, max = 4000) => (text: string): ParseResult<string> =>
  text.trim().length >= min ? ok(text.trim().slice(0, max)) : fail(errorKey);

/** "Je ne sais pas" and its variants: an accepted answer, not a failure. */
export const isDontKnow = (text: string): boolean => DONT_KNOW.test(normalize(text));

/** Failed attempts after which an answer that could not be read is kept as typed (the chargé·e reads it). */
export const MAX_FAILED_ATTEMPTS = 2;

/**
 * For an answer that could not be read: the error `errorKey` (asked again) until the structure
 * has failed MAX_FAILED_ATTEMPTS times (`attempt` counts its answers, this one included), then
 * `value`, what is kept of it: a wrong SIRET typed twice is asked a third time, where « je ne
 * sais pas » still answers it. The diagnostic's unreadAnswer keeps its answers by it too.
 */
export const keptAfterRetries = <T>(attempt: number, value: T, errorKey: string, vars?: Record<string, string>): ParseResult<T> =>
  attempt > MAX_FAILED_ATTEMPTS ? ok(value) : fail(errorKey, vars);

/** The same, and at once when the structure says it does not know. */
export const acceptUnreadAfterAttempts = <T>(text: string, attempt: number, value: T, errorKey: string): ParseResult<T> =>
  isDontKnow(text) ? ok(value) : keptAfterRetries(attempt, value, errorKey);
