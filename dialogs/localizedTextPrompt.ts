import { Activity, MessageFactory, TurnContext } from 'botbuilder';
import { PromptOptions, PromptValidator, TextPrompt } from 'botbuilder-dialogs';
import { tr } from './turnLocale';

interface LocalizedValidations {
  promptKey: string;
  vars?: Record<string, unknown>;
  /** Free data for the validator (e.g. which slot of a form is asked). */
  data?: Record<string, unknown>;
}

/** TextPrompt whose question is rendered at display time from a locale key (see LocalizedChoicePrompt). */
export class LocalizedTextPrompt extends TextPrompt {
  constructor(dialogId: string, validator?: PromptValidator<string>) {
    super(dialogId, validator);
  }

  static options(promptKey: string, vars?: Record<string, unknown>, data?: Record<string, unknown>): PromptOptions {
    const validations: LocalizedValidations = { promptKey, vars, data };
    return { validations };
  }

  protected override onPrompt(context: TurnContext, state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    const v = options.validations as LocalizedValidations | undefined;
    if (!v?.promptKey) return super.onPrompt(context, state, options, isRetry);
    const prompt = MessageFactory.text(tr(context)(v.promptKey, v.vars)) as Partial<Activity>;
    return super.onPrompt(context, state, { ...options, prompt, retryPrompt: prompt }, isRetry);
  }
}
