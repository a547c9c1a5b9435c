import { ConversationState, StatePropertyAccessor, UserState } from 'botbuilder';
import { DialogState } from 'botbuilder-dialogs';
import type { AccueilAnswers } from '../src/domain/accueilForm';
import { Language } from '../src/i18n';

/** What we keep about a user across conversations (no personal data here). */
export interface UserProfile {
  /** Explicit language choice ("English" / "français"); wins over the channel locale. */
  language?: Language;
}

/** What we keep about one conversation besides the dialog stack. */
export interface ConversationFlags {
  welcomed?: boolean;
  /** Consecutive turns where the answer was not understood (3 → a chargé·e takes over). */
  misunderstood?: number;
  /** What those answers said (the last few), for the chargé·e who takes over. */
  misunderstoodTexts?: string[];
  /** Consent was declined in this conversation (and not given since): nothing it says is stored. */
  consentDeclined?: boolean;
  /** What the consent declined was asked for (ConsentAskedFor): « j'accepte » later carries on with it. */
  consentDeclinedFor?: 'accueil' | 'handoffContact';
  /** The impersonal answers an outcome was given on without consent: « j'accepte » afterwards keeps them (erased with this state). */
  answersWithoutConsent?: AccueilAnswers;
  /** The language chosen by hand before « mes données » erased the user's state (see DlaBot.save). */
  language?: Language;
  /** « Writing in English? » was said once (MainDialog.offerEnglish). */
  englishOffered?: boolean;
  /** The language the conversation was started in (its first conversationUpdate's locale), for messages without one. */
  startLanguage?: Language;
}

/** Set in the turn state when « mes données » erased the user's data (the conversation keeps its language). */
export const DATA_ERASED = Symbol('dataErased');

export interface StateAccessors {
  dialogState: StatePropertyAccessor<DialogState>;
  profile: StatePropertyAccessor<UserProfile>;
  flags: StatePropertyAccessor<ConversationFlags>;
}

export function createAccessors(conversationState: ConversationState, userState: UserState): StateAccessors {
  return {
    dialogState: conversationState.createProperty<DialogState>('dialogState'),
    profile: userState.createProperty<UserProfile>('profile'),
    flags: conversationState.createProperty<ConversationFlags>('flags'),
  };
}
