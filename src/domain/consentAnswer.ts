import { normalizeWords } from './text';

/**
 * Consent given in a person's own words, anywhere in the message: « j'accepte », « c'est bon
 * j'accepte que vous gardiez mes infos », « ok pour la conservation », « vous pouvez garder mes
 * données », « je donne mon accord », "I accept", "I agree". Not when negated right after
 * (« j'accepte pas », "I agree not to…"); « je n'accepte pas », "I don't agree" never match.
 */
const CONSENT = new RegExp(`(?:^| )(?:${[
  'j ?accepte', 'je consens', 'je donne mon (?:accord|consentement)',
  '(?:ok|okay|oui|d accord|je suis d accord) (?:pour|avec) (?:la conservation|conserver|garder|que vous (?:gardiez|conserviez))',
  '(?:vous pouvez |pouvez vous )?(?:garder|gardez|conserver|conservez) (?:mes|nos) (?:infos|informations|donnees|reponses)',
  'i (?:accept|agree|consent)', '(?:ok|okay) (?:to|for) (?:keep|keeping|store|storing) (?:my|our) (?:data|information|answers)',
].join('|')})(?! (?:pas|plus|rien|jamais|not|never))(?: |$)`);

/** Whether the message gives consent to keeping the person's answers (see CONSENT). */
export function saysConsent(text: string | undefined): boolean {
  return !!text && CONSENT.test(normalizeWords(text));
}
