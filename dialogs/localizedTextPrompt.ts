import { Activity, Attachment, MessageFactory, TurnContext } from 'botbuilder';
import { PromptOptions, PromptValidator, TextPrompt } from 'botbuilder-dialogs';
import { markReprompted, tr } from './turnLocale';

interface LocalizedValidations {
  promptKey: string;
  /** A value { $t: key } is itself translated when the question is shown (after « English » too). */
  vars?: Record<string, unknown>;
  /** Locale keys of quick replies shown as suggested actions (typing stays possible). */
  suggestions?: string[];
  /** An attachment (e.g. an Adaptive Card form) sent with the question. */
  attachment?: Attachment;
  /** Free data for the validator (e.g. which slot of a form is asked). */
  data?: Record<string, unknown>;
}

/** TextPrompt whose question is rendered at display time from a locale key (see LocalizedChoicePrompt). */
export class LocalizedTextPrompt extends TextPrompt {
  constructor(dialogId: string, validator?: PromptValidator<string>) {
    super(dialogId, validator);
  }

  static options(promptKey: string, vars?: Record<string, unknown>, data?: Record<string, unknown>, extra: Pick<LocalizedValidations, 'suggestions' | 'attachment'> = {}): PromptOptions {
    const validations: LocalizedValidations = { promptKey, vars, data, ...extra };
    return { validations };
  }

  protected override onPrompt(context: TurnContext, state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    if (isRetry) markReprompted(context);
    const v = options.validations as LocalizedValidations | undefined;
    if (!v?.promptKey) return super.onPrompt(context, state, options, isRetry);
    const t = tr(context);
    const vars = v.vars && Object.fromEntries(Object.entries(v.vars).map(([k, x]) => [k, isKey(x) ? t(x.$t) : x]));
    const prompt = MessageFactory.text(t(v.promptKey, vars)) as Partial<Activity>;
    if (v.suggestions?.length) prompt.suggestedActions = MessageFactory.suggestedActions(v.suggestions.map((k) => t(k))).suggestedActions;
    if (v.attachment) prompt.attachments = [v.attachment];
    return super.onPrompt(context, state, { ...options, prompt, retryPrompt: prompt }, isRetry);
  }
}

const isKey = (x: unknown): x is { $t: string } => typeof x === 'object' && x !== null && typeof (x as { $t?: unknown }).$t === 'string';
