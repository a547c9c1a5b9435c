import { Activity, ActivityTypes, MessageFactory, TurnContext } from 'botbuilder';
import { PromptValidatorContext } from 'botbuilder-dialogs';
import { errorVarsText, ParseResult } from '../src/domain/form';
import { inertMarkdown, normalize } from '../src/domain/text';
import { retryToSay, tr } from './turnLocale';

export interface ParsingSlot {
  key: string;
  parse(text: string, attempt: number, carried?: string): ParseResult<unknown>;
}

const PARSED = Symbol('form.parsed');

/**
 * The answer to a question asked again for a correction, when the structure keeps what it had
 * (« annuler », « on garde »): `parsedAnswer` is then KEEP_ANSWER. Never « rien » or « aucun »,
 * which answer « combien de salarié·es ? » or « quels accompagnements ? ».
 */
export const KEEP_ANSWER = Symbol('form.keep');
const KEEP_WORDS = new Set(['annuler', 'retour', 'garder', 'on garde', 'je garde', 'pas de changement', 'inchange', 'rien a changer', 'finalement rien', 'rien finalement',
  'cancel', 'back', 'keep', 'keep it', 'no change', 'unchanged', 'nothing to change']);

/**
 * Prompt validator for form slots: the prompt's `validations.data.slot` names the slot; its
 * parser reads the answer (with what an earlier answer left to complete, if any). On failure the
 * structure is told why (then asked again); on success
 * the parsed value waits in the turn state for the next step (`parsedAnswer`).
 */
export function slotValidator(slots: () => ParsingSlot[]) {
  return async (pc: PromptValidatorContext<string>): Promise<boolean> => {
    const key = (pc.options.validations as { data?: { slot?: string } } | undefined)?.data?.slot;
    const slot = slots().find((s) => s.key === key);
    if (!slot || pc.context.activity.type !== ActivityTypes.Message) return false;
    // What an earlier answer to this question left to complete (the prompt's state lasts as long as the question).
    // Or what the question was asked knowing (its `validations.data.carried`).
    const state = pc.state as { carried?: string };
    const { carried: given, keepable } = (pc.options.validations as { data?: { carried?: string; keepable?: boolean } } | undefined)?.data ?? {};
    if (keepable && KEEP_WORDS.has(normalize(pc.recognized.value ?? ''))) {
      pc.context.turnState.set(PARSED, KEEP_ANSWER);
      return true;
    }
    const parsed = slot.parse(pc.recognized.value ?? '', pc.attemptCount, state.carried ?? given);
    if (!parsed.ok && parsed.carry) state.carried = parsed.carry;
    else delete state.carried;
    if (parsed.ok) {
      pc.context.turnState.set(PARSED, parsed.value);
      return true;
    }
    // Not understood at all (a keyboard mash): counted like a choice not understood; the third in
    // a row hands over to a chargé·e (MainDialog), without asking again first.
    if (parsed.notUnderstood && !retryToSay(pc.context)) return false;
    const t = tr(pc.context);
    await pc.context.sendActivity(withSuggestions(pc, t(parsed.errorKey, errorVarsText(parsed.vars, (words) => t('quotedWords', { words: inertMarkdown(words) })))));
    return false;
  };
}

/**
 * A message that replaces the re-asked question (Prompt does not re-ask once something was said):
 * it carries the question's quick replies, or a phone user would have to type them.
 */
export function withSuggestions(pc: PromptValidatorContext<unknown>, text: string): Partial<Activity> {
  const t = tr(pc.context);
  const suggestions = (pc.options.validations as { suggestions?: string[] } | undefined)?.suggestions;
  const reply = MessageFactory.text(text) as Partial<Activity>;
  if (suggestions?.length) reply.suggestedActions = MessageFactory.suggestedActions(suggestions.map((k) => t(k))).suggestedActions;
  return reply;
}

export function parsedAnswer<T>(context: TurnContext): T | undefined {
  return context.turnState.get(PARSED) as T | undefined;
}

export function setParsedAnswer(context: TurnContext, value: unknown): void {
  context.turnState.set(PARSED, value);
}
