import { Activity, MessageFactory, TurnContext } from 'botbuilder';
import { Choice, ChoicePrompt, FoundChoice, ListStyle, PromptOptions, PromptRecognizerResult, PromptValidator } from 'botbuilder-dialogs';
import { normalize } from '../src/domain/text';
import { tr, turnLanguage } from './turnLocale';

/** A choice stored by id and locale key, so it can be shown in whatever language is current. */
export interface LocalizedChoice {
  id: string;
  key: string;
  /** Extra words that select this choice, in any language. */
  synonyms?: string[];
}

interface LocalizedValidations {
  promptKey: string;
  retryKey: string;
  vars?: Record<string, unknown>;
  choices: LocalizedChoice[];
}

/**
 * ChoicePrompt whose texts are rendered at display time from locale keys: after "English"
 * or "français", the same question is asked again in the new language, and answers in either
 * language are recognised. The chosen `value` is the stable choice id.
 */
export class LocalizedChoicePrompt extends ChoicePrompt {
  constructor(dialogId: string, validator?: PromptValidator<FoundChoice>) {
    super(dialogId, validator, 'fr-fr');
    this.style = ListStyle.suggestedAction;
  }

  static options(promptKey: string, retryKey: string, choices: LocalizedChoice[], vars?: Record<string, unknown>): PromptOptions {
    const validations: LocalizedValidations = { promptKey, retryKey, choices, vars };
    return { validations };
  }

  private render(context: TurnContext, options: PromptOptions): PromptOptions {
    const v = options.validations as LocalizedValidations | undefined;
    if (!v?.promptKey) return options;
    const t = tr(context);
    const choices: Choice[] = v.choices.map((c) => {
      const title = t(c.key);
      return { value: c.id, action: { type: 'imBack', title, value: title }, synonyms: [title, ...(c.synonyms ?? [])] };
    });
    return {
      ...options,
      prompt: MessageFactory.text(t(v.promptKey, v.vars)) as Partial<Activity>,
      retryPrompt: MessageFactory.text(t(v.retryKey, v.vars)) as Partial<Activity>,
      choices,
    };
  }

  protected override onPrompt(context: TurnContext, state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    return super.onPrompt(context, state, this.render(context, options), isRetry);
  }

  protected override onRecognize(context: TurnContext, state: object, options: PromptOptions): Promise<PromptRecognizerResult<FoundChoice>> {
    const rendered = this.render(context, options);
    const exact = exactChoice(context.activity.text ?? '', rendered.choices as Choice[]);
    if (exact) return Promise.resolve({ succeeded: true, value: exact });
    // Otherwise the full recogniser (ordinals, numbers in words, partial matches) in the
    // user's language. It is regex-heavy: a button click or a digit never needs it.
    context.activity.locale = turnLanguage(context) === 'en' ? 'en-us' : 'fr-fr';
    return super.onRecognize(context, state, rendered);
  }
}

/** Fast path: a suggested action (exact title), a synonym typed as is, or the choice number. */
function exactChoice(text: string, choices: Choice[]): FoundChoice | undefined {
  const said = normalize(text);
  if (/^\d{1,2}$/.test(said)) {
    const index = Number(said) - 1;
    return choices[index] ? { value: choices[index].value, index, score: 1, synonym: said } : undefined;
  }
  const index = choices.findIndex((c) => [c.value, ...(c.synonyms ?? [])].some((s) => normalize(s) === said));
  return index >= 0 ? { value: choices[index].value, index, score: 1, synonym: said } : undefined;
}
