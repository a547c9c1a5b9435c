import { isCourtesy, isGreeting } from './commands';
import { looksLikeWords, normalize } from './text';

/**
 * A detail a structure adds in its own words to its request already passed on to a chargé·e
 * (« Trésorerie tendue », « j'oubliais : nos 3 contrats aidés finissent en juin »): when a
 * message reads as one, how long it may be, and whether the request can still take it.
 */

/** Characters kept of one message: beyond, it is cut (and the structure is told so when it is read back). */
export const MESSAGE_MAX_CHARS = 1000;
/** Messages one request holds: beyond, nothing more is added (the chargé·e reads them with the structure on the call). */
export const MESSAGES_MAX = 20;

/** Words that only acknowledge (« ok », « oui », « d'accord », « non »): no detail for a chargé·e. */
const ACKNOWLEDGEMENTS = new Set(['oui', 'ouais', 'non', 'ok', 'okay', 'd', 'accord', 'daccord', 'bien', 'tres', 'super', 'parfait', 'top', 'cool', 'entendu',
  'yes', 'no', 'nope', 'yep', 'yeah', 'fine', 'good', 'great', 'merci', 'thanks', 'alors', 'euh', 'bon', 'ben', 'bah', 'hmm', 'hm']);

/**
 * Whether a message, none of the menu's paths, reads as words to pass on: not nonsense
 * (« qsdfgh », « ??? »: looksLikeWords), not a greeting nor thanks, not only « ok » / « oui » /
 * « non », and with at least one word of three letters or more.
 */
export function readsAsMessage(text: string | undefined): boolean {
  if (!text?.trim() || !looksLikeWords(text) || isGreeting(text) || isCourtesy(text)) return false;
  const words = normalize(text).split(/[\s-]+/).filter((w) => /[a-z0-9]/.test(w) && !ACKNOWLEDGEMENTS.has(w));
  return words.some((w) => w.length >= 3 || /\d/.test(w));
}

/** The message as it is kept: trimmed, cut at MESSAGE_MAX_CHARS (`cut`: it was longer). */
export function messageText(text: string): { text: string; cut: boolean } {
  const trimmed = text.trim();
  if (trimmed.length <= MESSAGE_MAX_CHARS) return { text: trimmed, cut: false };
  return { text: `${trimmed.slice(0, MESSAGE_MAX_CHARS - 1).trimEnd()}…`, cut: true };
}

/** Whether a request can take one more message: 'closed' (dealt with: a new need or a new request instead), 'full' (MESSAGES_MAX reached), or 'ok'. */
export function messageRoom(handoff: { status: string; messages?: readonly unknown[] }): 'ok' | 'closed' | 'full' {
  if (handoff.status === 'closed') return 'closed';
  return (handoff.messages?.length ?? 0) >= MESSAGES_MAX ? 'full' : 'ok';
}

/**
 * Who closed a request the structure withdrew (« je voudrais annuler ma demande »): its `closedBy`
 * (HandoffOutbox.withdraw), a code each reader names in its own language (handoff.withdrawnBy).
 */
export const WITHDRAWN_BY = 'structure';

/** Whether the request is closed because the structure withdrew it. */
export function isWithdrawn(handoff: { status: string; closedBy?: string | null }): boolean {
  return handoff.status === 'closed' && handoff.closedBy === WITHDRAWN_BY;
}

/** « annuler / retirer ma demande », « on n'a plus besoin de vous », "cancel my request", "we no longer need help" (normalized). */
const WITHDRAWAL = new RegExp([
  '\\b(?:annul|retir|supprim|abandonn|clotur|ferm|arret)\\w* (?:(?:ma|notre|la|cette|votre) )?(?:demande|dossier|requete)\\b',
  '\\b(?:on|nous) (?:n )?(?:a|avons) plus besoin (?:de (?:vous|votre aide|l accompagnement|votre accompagnement|l aide|rien|votre appel|etre rappele\\w*)|d (?:aide|accompagnement))\\b',
  '\\b(?:on|nous) (?:renonce|renoncons|laisse tomber|abandonne|abandonnons)\\b',
  '\\b(?:cancel|withdraw|close|drop)\\w* (?:(?:my|our|the|this) )?(?:request|application)\\b',
  '\\bwe (?:no longer need|don t need|do not need) (?:your )?(?:help|support|it|you)(?: any ?more)?\\b',
].join('|'));

/**
 * A message at the menu that withdraws the structure's request (« je voudrais annuler ma demande »,
 * « on n'a plus besoin de vous, vous pouvez annuler notre demande », "please cancel my request"):
 * confirmed, then the request closed as withdrawn — never words to pass on to the chargé·e.
 */
export function readsAsWithdrawal(text: string | undefined): boolean {
  return !!text && WITHDRAWAL.test(normalize(text));
}
