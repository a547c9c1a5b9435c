/**
 * Where a message lands in the dialog stack: which question waits for it (the deepest dialog's),
 * and which flows run beneath it. Pure readings of a DialogContext, shared by MainDialog's
 * commands, menu and handoffs.
 */
import { DialogContext, DialogInstance, PromptOptions } from 'botbuilder-dialogs';
import { ACCUEIL_DIALOG } from './accueilDialog';
import { CHECKIN_DIALOG } from './checkinDialog';
import { DIAGNOSTIC_DIALOG } from './diagnosticDialog';
import { HANDOFF_CONTACT_DIALOG, SUBJECT_PROMPT } from './handoffContactDialog';
import { LocalizedChoice, LocalizedChoicePrompt } from './localizedChoicePrompt';
import { CONFIRM_PROMPT as MESSAGE_PROMPT } from './handoffMessageDialog';
import { NEED_PROMPT } from './newNeedDialog';

/** The question waiting for the message: the deepest dialog's, and whether it is one of the accueil's or the diagnostic's, a request's subject, a new need (free text) or a message for the chargé·e read back. */
export function questionAsked(dc: DialogContext): { deepest: DialogContext; active: DialogInstance | undefined; inForm: boolean } {
  let deepest: DialogContext = dc;
  while (deepest.child) deepest = deepest.child;
  const active = deepest.activeDialog;
  const inForm = [ACCUEIL_DIALOG, DIAGNOSTIC_DIALOG].includes(deepest.parent?.activeDialog?.id ?? '') || [SUBJECT_PROMPT, NEED_PROMPT, MESSAGE_PROMPT].includes(active?.id ?? '');
  return { deepest, active, inForm };
}

/** The question waiting is one for the structure's contact (the accueil's, a request's, a correction's): slot `contact`. */
export function contactQuestionAsked(dc: DialogContext): boolean {
  const { active } = questionAsked(dc);
  return promptValidations(active).data?.slot === 'contact';
}

/** The question waiting offers the contact as a choice (the accueil review's list of answers to correct), and the message chooses it. */
export function contactChosen(dc: DialogContext): boolean {
  const { active } = questionAsked(dc);
  const options = (active?.state as { options?: PromptOptions } | undefined)?.options;
  return !!options && !!promptValidations(active).choices?.some((c) => c.id === 'contact') && LocalizedChoicePrompt.match(dc.context, options)?.value === 'contact';
}

/** What a prompt of this project carries in its options' validations: its form slot (data.slot), its retry text's key, its choices. */
export function promptValidations(active: DialogInstance | undefined): { data?: { slot?: string }; promptKey?: string; retryKey?: string; choices?: LocalizedChoice[] } {
  return ((active?.state as { options?: PromptOptions } | undefined)?.options?.validations ?? {}) as { data?: { slot?: string }; promptKey?: string; retryKey?: string; choices?: LocalizedChoice[] };
}

/** The contact asked for a check-in's new needs: HandoffContactDialog inside CheckinDialog. */
export function checkinContactAsked(dc: DialogContext): boolean {
  return dc.stack.some((d) => d.id === CHECKIN_DIALOG) && !dc.stack.some((d) => d.id === HANDOFF_CONTACT_DIALOG) && inStack(dc, HANDOFF_CONTACT_DIALOG);
}

/** The contact asked for a request for a chargé·e made in the middle of a check-in: HandoffContactDialog on top of CheckinDialog. */
export function requestContactInCheckin(dc: DialogContext): boolean {
  return dc.stack.some((d) => d.id === HANDOFF_CONTACT_DIALOG) && dc.stack.some((d) => d.id === CHECKIN_DIALOG);
}

/** The outermost dialog context of `dc` (MainDialog's): a dialog running beneath it sees the whole stack from there. */
export function root(dc: DialogContext): DialogContext {
  let c = dc;
  while (c.parent) c = c.parent;
  return c;
}

/** A dialog `id` runs in `dc` or any dialog beneath it. */
export function inStack(dc: DialogContext, id: string): boolean {
  for (let c: DialogContext | undefined = dc; c; c = c.child) if (c.stack.some((d) => d.id === id)) return true;
  return false;
}
