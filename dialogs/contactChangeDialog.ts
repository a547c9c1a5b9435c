import { ActivityTypes } from 'botbuilder';
import { ComponentDialog, DialogTurnResult, FoundChoice, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { reachable } from '../src/domain/callBack';
import { ContactPoint, contactText, parseContactPoint } from '../src/domain/contact';
import { changedContact, ContactChange, ContactKind, withoutContactPoint } from '../src/domain/contactChange';
import { inertMarkdown } from '../src/domain/text';
import type { HandoffService } from '../src/handoff/service';
import { Dossier, DossierRepository } from '../src/store/dossiers';
import { contactValidator } from './handoffContactDialog';
import { parsedAnswer, setParsedAnswer } from './formSupport';
import { LocalizedChoicePrompt, NO, NOTHING, YES } from './localizedChoicePrompt';
import { LocalizedTextPrompt } from './localizedTextPrompt';
import { tr } from './turnLocale';

export const CONTACT_CHANGE_DIALOG = 'contactChange';
const STEPS = 'contactChange.steps';
const CONTACT_PROMPT = 'contactChange.prompt';
const CONFIRM_PROMPT = 'contactChange.confirm';
const REMOVE_PROMPT = 'contactChange.remove';

export interface ContactChangeOptions {
  dossierId: string;
  /** The new e-mail and/or phone the message gave, with the name it said (readContactChange); absent: asked. */
  point?: ContactChange['point'];
  /** The point was given alone, without saying what for (contactAlone): the change is asked to be confirmed first. */
  confirm?: boolean;
  /** « retirez mon numéro »: the e-mail or the phones to forget (readContactChange), confirmed first. */
  remove?: ContactKind;
}

export interface ContactChangeDeps {
  dossiers: DossierRepository;
  handoffs: HandoffService;
  now?: () => Date;
}

/** What the contact question answered: the contact (a name alone after the retries too), « annuler », or nothing readable. */
type ContactAnswer = { name?: string; email?: string; phone?: string } | { cancel: true } | { none: true };

/**
 * « Je me suis trompée de numéro, c'est 06… », « changer mes coordonnées »: the structure's
 * contact corrected — the new e-mail or phone replaces the one held (the other kept), asked when
 * the message did not give it (the contact question of HandoffContactDialog). Stored on the
 * dossier and on its request still open or taken up (the chargé·es already notified are told by
 * an update; a closed one is left as it is), then read back. The question beneath is asked again after.
 */
export class ContactChangeDialog extends ComponentDialog {
  constructor(private readonly deps: ContactChangeDeps) {
    super(CONTACT_CHANGE_DIALOG);
    this.addDialog(new LocalizedTextPrompt(CONTACT_PROMPT, contactValidator()));
    this.addDialog(new LocalizedChoicePrompt(CONFIRM_PROMPT));
    // Asked to confirm a removal, another e-mail or phone typed there replaces it instead.
    this.addDialog(new LocalizedChoicePrompt(REMOVE_PROMPT, async (pc) => {
      if (pc.recognized.succeeded) return true;
      const point = pc.context.activity.type === ActivityTypes.Message ? parseContactPoint(pc.context.activity.text ?? '') : undefined;
      if (point) setParsedAnswer(pc.context, point);
      return !!point;
    }));
    this.addDialog(new WaterfallDialog(STEPS, [this.ask.bind(this), this.change.bind(this)]));
    this.initialDialogId = STEPS;
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { dossierId, point, confirm, remove } = step.options as ContactChangeOptions;
    if (point && !confirm) return step.next(point);
    const held = (await this.deps.dossiers.get(dossierId))?.answers?.contact;
    const current = held && contactText(held);
    if (remove) return this.askRemoval(step, remove, held);
    // « marie@asso.fr » alone at the menu: what it would become, asked before anything changes.
    if (point) {
      return step.prompt(CONFIRM_PROMPT, LocalizedChoicePrompt.options(current ? 'handoffUser.contactChange.confirm' : 'handoffUser.contactChange.confirmFirst',
        'handoffUser.contactChange.confirmRetry', [
          { id: 'yes', key: 'handoffUser.contactChange.yes', synonyms: [...YES, 'mettre a jour', 'remplacer', 'noter', 'update', 'replace'] },
          { id: 'no', key: 'handoffUser.contactChange.no', synonyms: [...NO, ...NOTHING, 'garder', 'keep'] },
        ], { held: inertMarkdown(current ?? ''), contact: inertMarkdown(contactText(changedContact(held, point))) }));
    }
    return step.prompt(CONTACT_PROMPT, LocalizedTextPrompt.options(current ? 'handoffUser.contactChange.ask' : 'handoffUser.contactChange.askFirst',
      current ? { contact: inertMarkdown(current) } : undefined, { slot: 'contact' }));
  }

  /**
   * « retirez mon numéro »: what it would leave, asked to be confirmed — when it is the only way to
   * reach the structure, saying that nobody could call back then, and that another may be given instead.
   */
  private async askRemoval(step: WaterfallStepContext, remove: ContactKind, held: ContactPoint & { name?: string } | undefined): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const kind = t(`handoffUser.contactChange.kind.${remove}`);
    if (!held || (remove === 'all' ? !reachable(held) : !held[remove])) {
      const current = held && reachable(held) ? inertMarkdown(contactText(held)) : '';
      await step.context.sendActivity(t(current ? 'handoffUser.contactChange.removeNone' : 'handoffUser.contactChange.unchangedNone', { kind, contact: current }));
      return step.endDialog();
    }
    const left = withoutContactPoint(held, remove);
    return step.prompt(REMOVE_PROMPT, LocalizedChoicePrompt.options(reachable(left) ? 'handoffUser.contactChange.removeConfirm' : 'handoffUser.contactChange.removeConfirmLast',
      'handoffUser.contactChange.removeRetry', [
        { id: 'yes', key: 'handoffUser.contactChange.removeYes', synonyms: [...YES, 'retirer', 'supprimer', 'enlever', 'remove', 'delete'] },
        { id: 'no', key: 'handoffUser.contactChange.removeNo', synonyms: [...NO, ...NOTHING, 'garder', 'keep'] },
      ], { kind, removed: inertMarkdown(contactText(remove === 'email' ? { email: held.email } : remove === 'phone' ? { phone: held.phone, otherPhone: held.otherPhone } : { ...held, name: '' })), contact: inertMarkdown(contactText(left)) }));
  }

  private async change(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const t = tr(step.context);
    const { dossierId, point, confirm, remove } = step.options as ContactChangeOptions;
    const chosen = (step.result as FoundChoice | undefined)?.value;
    const declined = (confirm || remove) && chosen !== 'yes';
    const said = declined ? undefined : point ?? parsedAnswer<ContactAnswer>(step.context);
    const dossier = await this.deps.dossiers.get(dossierId);
    if (!dossier) return step.endDialog();
    const held = dossier.answers?.contact;
    const current = held ? inertMarkdown(contactText(held)) : '';
    // Another e-mail or phone typed at the removal's question replaces it: a change as any other.
    const replacement = remove ? parsedAnswer<ContactPoint>(step.context) : undefined;
    if (remove && held && chosen === 'yes') return this.store(step, dossier, withoutContactPoint(held, remove));
    if (replacement) return this.store(step, dossier, changedContact(held && withoutContactPoint(held, remove!), replacement));
    if (!said || 'cancel' in said || 'none' in said || !reachable(said)) {
      await step.context.sendActivity(t(current ? 'handoffUser.contactChange.unchanged' : 'handoffUser.contactChange.unchangedNone', { contact: current }));
      return step.endDialog();
    }
    return this.store(step, dossier, changedContact(held, said));
  }

  /**
   * The contact now: on the dossier and on its request still open or taken up (the chargé·es told),
   * read back. Left without an e-mail nor a phone (one removed), said that nobody can call back,
   * and how to give another.
   */
  private async store(step: WaterfallStepContext, dossier: Dossier, contact: { name: string } & ContactPoint): Promise<DialogTurnResult> {
    const t = tr(step.context);
    dossier.answers = { ...dossier.answers, contact };
    dossier.contactChangedAt = this.deps.now?.() ?? new Date();
    await this.deps.dossiers.save(dossier, step.context);
    const none = !reachable(contact);
    await step.context.sendActivity(t(none ? 'handoffUser.contactChange.notedNone' : 'handoffUser.contactChange.noted', { contact: inertMarkdown(contactText(contact)) }));
    const latest = await this.deps.handoffs.latest(dossier._id);
    const wasReachable = reachable(latest?.contact);
    if (latest && await this.deps.handoffs.changeContact(latest, contact) && !none) {
      // Passed on without a way to reach the structure: the call back is promised from today.
      if (wasReachable) await step.context.sendActivity(t('handoffUser.contactChange.chargeeTold'));
      else await step.context.sendActivity(this.deps.handoffs.whatNext(t));
    }
    return step.endDialog();
  }
}
