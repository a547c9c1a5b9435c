import { TurnContext } from 'botbuilder';
import { Language, Translate, translator } from '../src/i18n';

/** The bot resolves the turn's language once (user choice > channel locale > default). */
export const LANGUAGE_KEY = Symbol('dla.language');

export function turnLanguage(context: TurnContext): Language {
  return (context.turnState.get(LANGUAGE_KEY) as Language | undefined) ?? 'fr';
}

export function setTurnLanguage(context: TurnContext, language: Language): void {
  context.turnState.set(LANGUAGE_KEY, language);
}

const LANGUAGE_SWITCHED = Symbol('dla.languageSwitched');

/** « English » / « français » in this turn: the question asked again says everything it said, in the new language. */
export function markLanguageSwitched(context: TurnContext): void {
  context.turnState.set(LANGUAGE_SWITCHED, true);
}

export function languageSwitched(context: TurnContext): boolean {
  return context.turnState.get(LANGUAGE_SWITCHED) === true;
}

/** Translator for the current turn's language. */
export function tr(context: TurnContext): Translate {
  return translator(turnLanguage(context));
}

const REPROMPTED = Symbol('dla.reprompted');

/** Prompts call this when they ask again because the answer was not understood. */
function markReprompted(context: TurnContext): void {
  context.turnState.set(REPROMPTED, true);
}

export function wasReprompted(context: TurnContext): boolean {
  return context.turnState.get(REPROMPTED) === true;
}

const HANDS_OVER_IF_MISUNDERSTOOD = Symbol('dla.handsOverIfMisunderstood');

/**
 * Two answers in a row were not understood: a third hands over to a chargé·e (MainDialog), so its
 * question is not asked again first — « Répondez… » then « je passe la main » contradict each other.
 */
export function markHandsOverIfMisunderstood(context: TurnContext, said: readonly string[] = []): void {
  context.turnState.set(HANDS_OVER_IF_MISUNDERSTOOD, true);
  context.turnState.set(MISUNDERSTOOD_BEFORE, said);
}

const MISUNDERSTOOD_BEFORE = Symbol('dla.misunderstoodBefore');

/**
 * What this answer, if not understood too, completes for the chargé·e: the answers not
 * understood before it (kept only with consent), then this one.
 */
export function misunderstoodWith(context: TurnContext, text: string): string {
  return [...((context.turnState.get(MISUNDERSTOOD_BEFORE) as readonly string[] | undefined) ?? []), text.slice(0, 500)].join('\n');
}

/** This answer, if not understood, is the third misunderstanding in a row (see above). */
export function handsOverIfMisunderstood(context: TurnContext): boolean {
  return context.turnState.get(HANDS_OVER_IF_MISUNDERSTOOD) === true;
}

/** A prompt's retry: marks the turn as misunderstood; false when the retry is not to be said (see above). */
export function retryToSay(context: TurnContext): boolean {
  markReprompted(context);
  return context.turnState.get(HANDS_OVER_IF_MISUNDERSTOOD) !== true;
}
