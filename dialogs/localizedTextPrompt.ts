import { Activity, Attachment, MessageFactory, TurnContext } from 'botbuilder';
import { PromptOptions, PromptValidator, TextPrompt } from 'botbuilder-dialogs';
import { retryToSay, tr } from './turnLocale';

interface LocalizedValidations {
  promptKey: string;
  /** A value { $t: key } is itself translated when the question is shown (after « English » too). */
  vars?: Record<string, unknown>;
  /** Locale keys of quick replies shown as suggested actions (typing stays possible). */
  suggestions?: string[];
  /**
   * What the prompt's card builder needs (e.g. which area's form): the card is built each time
   * the question is shown, so that after « English » it is in English too.
   */
  card?: Record<string, unknown>;
  /** Free data for the validator (e.g. which slot of a form is asked). */
  data?: Record<string, unknown>;
}

/** TextPrompt whose question is rendered at display time from a locale key (see LocalizedChoicePrompt). */
export class LocalizedTextPrompt extends TextPrompt {
  constructor(dialogId: string, validator?: PromptValidator<string>, private readonly cardBuilder?: (context: TurnContext, card: Record<string, unknown>) => Attachment) {
    super(dialogId, validator);
  }

  static options(promptKey: string, vars?: Record<string, unknown>, data?: Record<string, unknown>, extra: Pick<LocalizedValidations, 'suggestions' | 'card'> = {}): PromptOptions {
    const validations: LocalizedValidations = { promptKey, vars, data, ...extra };
    return { validations };
  }

  /** The question as shown now, in the turn's language. */
  static question(context: TurnContext, options: PromptOptions): string {
    const v = options.validations as LocalizedValidations;
    const t = tr(context);
    const vars = v.vars && Object.fromEntries(Object.entries(v.vars).map(([k, x]) => [k, isKey(x) ? t(x.$t) : x]));
    return t(v.promptKey, vars);
  }

  protected override onPrompt(context: TurnContext, state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    if (isRetry && !retryToSay(context)) return Promise.resolve();
    const v = options.validations as LocalizedValidations | undefined;
    if (!v?.promptKey) return super.onPrompt(context, state, options, isRetry);
    const t = tr(context);
    const prompt = MessageFactory.text(LocalizedTextPrompt.question(context, options)) as Partial<Activity>;
    if (v.suggestions?.length) prompt.suggestedActions = MessageFactory.suggestedActions(v.suggestions.map((k) => t(k))).suggestedActions;
    if (v.card && this.cardBuilder) prompt.attachments = [this.cardBuilder(context, v.card)];
    return super.onPrompt(context, state, { ...options, prompt, retryPrompt: prompt }, isRetry);
  }
}

const isKey = (x: unknown): x is { $t: string } => typeof x === 'object' && x !== null && typeof (x as { $t?: unknown }).$t === 'string';
