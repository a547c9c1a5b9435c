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

/**
 * The consent's own words as typed, with what closes them (« j'accepte, », « J’accepte. », "I agree -"):
 * the phrases of CONSENT a first message opens or ends with.
 */
const CONSENT_TYPED = /(?:^|(?<=[\s,.;!]))(?:(?:ok|oui|bonjour|bjr|hello|alors)[\s,!]+)*(?:j['’\s]?accepte(?:\s+(?:les conditions|la conservation(?: de mes données)?))?|je consens|je donne mon (?:accord|consentement)|i (?:accept|agree|consent))(?![\p{L}'’]|\s+(?:pas|plus|rien|jamais|not|never)\b)[\s,.;:!–-]*/giu;

/**
 * A message that gives consent with something else (« j'accepte, on est une asso de 4 salariés … »):
 * the rest, without the consent's words — the request is never « j'accepte ».
 */
export function withoutConsent(text: string): string {
  if (!saysConsent(text)) return text;
  const rest = text.replace(CONSENT_TYPED, ' ').replace(/\s+/g, ' ').trim().replace(/[\s,;:–-]+$/u, '');
  return rest || text;
}

/** What a person asks about the consent notice instead of answering it. */
export type ConsentQuestion = 'how_long' | 'who';

/** « combien de temps ? », « vous gardez ça combien de temps », « jusqu'à quand ? », "how long do you keep it". */
const HOW_LONG = /(?:^| )(?:combien de (?:temps|mois|ans|annees)|jusqu a quand|(?:quelle |la )?duree(?: de conservation)?|conserve(?:es|s|e)? combien|gardee?s? combien|how long|for how long|until when|retention)(?: |$)/;
/** « qui voit mes données ? », « qui y a accès », « c'est transmis à qui ? », "who sees my data". */
const WHO = /(?:^| )(?:qui (?:voit|verra|les voit|le voit|la voit|peut (?:les |le )?voir|a acces|aura acces|y a acces|y aura acces|lit|les lit|consulte|les consulte|les recoit)|a qui (?:c est|sont|seront|elles sont) (?:transmis|transmises|envoye|envoyees|donne|donnees)|transmise?s? a qui|who (?:sees|will see|can see|has access|gets|reads)|who is it shared with)(?: |$)/;

/**
 * The questions a message at the consent question asks about the notice (« vous gardez ça combien
 * de temps ? », « et qui voit mes données ? »), in the notice's order: each answered, then consent
 * asked again. Empty for anything else (an answer, another question: the notice is shown again).
 */
export function consentQuestions(text: string | undefined): ConsentQuestion[] {
  if (!text) return [];
  const plain = normalizeWords(text);
  return ([['how_long', HOW_LONG], ['who', WHO]] as const).filter(([, pattern]) => pattern.test(plain)).map(([question]) => question);
}
