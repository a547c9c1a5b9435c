import { doNotLog } from '../src/handoff/transcriptLogger';
import { Attachment, Channels } from 'botbuilder';
import { ComponentDialog, DialogTurnResult, DialogTurnStatus, FoundChoice, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { exportFiles } from '../src/privacy/exportHtml';
import { EXPORT_JSON_HREF, EXPORT_LINK_MINUTES } from '../src/privacy/exports';
import { readDataRequest } from '../src/domain/commands';
import { PrivacyService } from '../src/store/privacy';
import { LocalizedChoicePrompt, NO, YES } from './localizedChoicePrompt';
import { DATA_ERASED } from './state';
import { tr } from './turnLocale';

export const MY_DATA_DIALOG = 'myData';
/** Channels that show a file attached to a message (a data: URL) as a download. */
const INLINE_FILE_CHANNELS = new Set<string>([Channels.Directline, Channels.Webchat, Channels.Emulator]);
const STEPS = 'myData.steps';
const CHOICE = 'myData.choice';

/** A file attached to a message, as Web Chat offers it for download. */
function dataFile(name: string, contentType: string, content: string): Attachment {
  return { contentType, name, contentUrl: `data:${contentType};base64,${Buffer.from(content).toString('base64')}` };
}

/** « Mes données »: the structure's person gets everything stored about it, or erases it. */
export class MyDataDialog extends ComponentDialog {
  /** `timeZone`: the operator's (OPERATOR_TIME_ZONE), for the dates of the export. */
  constructor(private readonly privacy: PrivacyService, private readonly settings: { operatorName: string; timeZone?: string }) {
    super(MY_DATA_DIALOG);
    this.addDialog(new LocalizedChoicePrompt(CHOICE));
    this.addDialog(new WaterfallDialog(STEPS, [this.ask.bind(this), this.act.bind(this), this.afterConfirm.bind(this)]));
    this.initialDialogId = STEPS;
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    // « effacer mes données », « je veux voir mes données », « je retire mon consentement »: what is wanted is said, not asked again.
    const said = readDataRequest(step.context.activity.text);
    // Consent withdrawn: what it means here — the erasure, confirmed next.
    if (said === 'withdraw_consent') await step.context.sendActivity(tr(step.context)('handoffUser.myData.withdrawConsent'));
    if (said) return step.next({ value: said === 'export' ? 'export' : 'erase', index: 0, score: 1 } satisfies FoundChoice);
    return step.prompt(CHOICE, LocalizedChoicePrompt.options('handoffUser.myData.prompt', 'handoffUser.myData.retry', [
      { id: 'export', key: 'handoffUser.myData.export', synonyms: ['recevoir', 'exporter', 'export', 'voir', 'get'] },
      { id: 'erase', key: 'handoffUser.myData.erase', synonyms: ['effacer', 'supprimer', 'erase', 'delete'] },
      { id: 'cancel', key: 'handoffUser.myData.cancel', synonyms: ['annuler', 'rien', 'cancel', 'non'] },
    ]));
  }

  private async act(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const { channelId, from, conversation } = step.context.activity;
    switch ((step.result as FoundChoice).value) {
      case 'export': {
        const data = await this.privacy.exportFor(channelId, from.id, conversation.id);
        if (!data.dossier && data.conversations.every((c) => c.messages.length === 0)) {
          await step.context.sendActivity(t('handoffUser.myData.nothing'));
          return step.endDialog();
        }
        const count = data.conversations.reduce((n, c) => n + c.messages.length, 0);
        const counts = { handoffs: data.handoffs.length, checkins: data.checkins.length, messages: t('handoffUser.myData.messages', { count }) };
        const summary = data.dossier
          ? t('handoffUser.myData.summary', { ...counts, phase: t(`admin.phase.${data.dossier.phase}`) })
          : t('handoffUser.myData.summaryNoDossier', counts);
        // A readable page first, for the person; then the same data in full, for software.
        const files = (jsonHref?: string) => exportFiles(data, t, { operatorName: this.settings.operatorName, timeZone: this.settings.timeZone, jsonHref });
        // Web Chat takes files in the conversation; Teams takes files from a bot only through
        // its file-consent flow, so there (and elsewhere) the person gets a short-lived link.
        const link = INLINE_FILE_CHANNELS.has(channelId) ? undefined : await this.privacy.exportLink(channelId, from.id, files(EXPORT_JSON_HREF));
        if (link) {
          await step.context.sendActivity(t('handoffUser.myData.exportedLink', { summary, url: link.url, minutes: EXPORT_LINK_MINUTES }));
        } else {
          const { html, json } = files();
          await step.context.sendActivity(t('handoffUser.myData.exported', { summary }));
          await step.context.sendActivity({ text: t('handoffUser.myData.exportedFile'), attachments: [dataFile(`${t('handoffUser.myData.fileName')}.html`, 'text/html', html)] });
          await step.context.sendActivity({ text: t('handoffUser.myData.exportedJson'), attachments: [dataFile(`${t('handoffUser.myData.fileName')}.json`, 'application/json', json)] });
        }
        return step.endDialog();
      }
      case 'erase':
        return step.prompt(CHOICE, LocalizedChoicePrompt.options('handoffUser.myData.eraseConfirm', 'handoffUser.myData.eraseRetry', [
          { id: 'yes', key: 'handoffUser.myData.eraseYes', synonyms: [...YES, 'effacer'] },
          { id: 'no', key: 'handoffUser.myData.eraseNo', synonyms: [...NO, 'annuler'] },
        ]));
      default:
        await step.context.sendActivity(t('handoffUser.myData.cancelled'));
        return step.endDialog();
    }
  }

  private async afterConfirm(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    if ((step.result as FoundChoice).value !== 'yes') {
      await step.context.sendActivity(t('handoffUser.myData.kept'));
      return step.endDialog();
    }
    const { channelId, from, conversation } = step.context.activity;
    await this.privacy.eraseFor(channelId, from.id, conversation.id);
    step.context.turnState.set(DATA_ERASED, true);
    doNotLog(step.context); // the erasure is not followed by a new transcript of this very turn
    await step.context.sendActivity(t('handoffUser.myData.erased'));
    // Nothing of what was being answered exists any more: every dialog it was opened on ends.
    // Not the root dialog's own instance (cancelParents): the menu it then shows would be sent
    // from a stack no longer saved, and the structure's first choice lost.
    await step.parent?.cancelAllDialogs();
    return { status: DialogTurnStatus.complete };
  }
}
