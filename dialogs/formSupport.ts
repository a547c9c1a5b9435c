import { ActivityTypes, TurnContext } from 'botbuilder';
import { PromptValidatorContext } from 'botbuilder-dialogs';
import type { ParseResult } from '../src/domain/form';
import { tr } from './turnLocale';


export interface ParsingSlot {
  key: string;
  parse(text: string, attempt: number): ParseResult<unknown>;
}

const PARSED = Symbol('form.parsed');

/**
 * Prompt validator for form slots: the prompt's `validations.data.slot` names the slot; its
 * parser reads the answer. On failure the structure is told why (then asked again); on success
 * the parsed value waits in the turn state for the next step (`parsedAnswer`).
 */
export function slotValidator(slots: () => ParsingSlot[]) {
  return async (pc: PromptValidatorContext<string>): Promise<boolean> => {
    const key = (pc.options.validations as { data?: { slot?: string } } | undefined)?.data?.slot;
    const slot = slots().find((s) => s.key === key);
    if (!slot || pc.context.activity.type !== ActivityTypes.Message) return false;
    const parsed = slot.parse(pc.recognized.value ?? '', pc.attemptCount);
    if (parsed.ok) {
      pc.context.turnState.set(PARSED, parsed.value);
      return true;
    }
    await pc.context.sendActivity(tr(pc.context)(parsed.errorKey, parsed.vars));
    return false;
  };
}

export function parsedAnswer<T>(context: TurnContext): T | undefined {
  return context.turnState.get(PARSED) as T | undefined;
}

export function setParsedAnswer(context: TurnContext, value: unknown): void {
  context.turnState.set(PARSED, value);
}
