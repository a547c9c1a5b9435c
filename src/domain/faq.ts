import { normalizeWords } from './text';

/** The simple questions on the DLA the assistant answers at the menu, during « Découvrir le DLA » and at the accueil's and diagnostic's questions. */
export type FaqTopic = 'bot' | 'data' | 'cost' | 'commitment' | 'duration' | 'who' | 'start' | 'next' | 'callback' | 'chargees' | 'contact' | 'provider' | 'what';

/** A longer message says more than a simple question (a need, a story): it is left to the menu. */
const MAX_WORDS = 10;

/** « chargé·e », « chargée », « chargés », « chargé·es » once normalized. */
const CHARGEE = 'charge(?: e| es|e|es|s)?';

/**
 * Each topic with what people type for it, on the normalized text (no accents, lower case, « ' »
 * as a space), whole words only. The first topic that matches wins: « combien de temps » is a
 * duration before « combien » could be a cost.
 */
/** « appeler », « rappeler », « contacter », « recontacter » with « me » / « m' » / « nous » before it. */
const CALL_ME = '(?:m |me |nous )(?:appeler|rappeler|contacter|recontacter|joindre)';

/** What the person may wonder it is talking to: « un robot », « une IA », « une vraie personne », "a bot", "a real person". */
const BOT_OR_HUMAN = '(?:un |une |a |an )?(?:robot|bot|chatbot|ia|intelligence artificielle|machine|humain|humaine|etre humain|vraie personne|personne reelle|vrai humain|human|human being|real person|real human|ai)(?: ou (?:quoi|pas|une personne|un humain)| or (?:what|not|a person|a human))?';

const TOPICS: [FaqTopic, string[]][] = [
  // Whether a person answers (« t'es un robot ? », « vous êtes une vraie personne ? », "am I talking to a bot?"): the assistant says what it is.
  ['bot', [`(?:t es|tu es|es tu|vous etes|etes vous|est ce que (?:tu es|vous etes|c est|je parle a)|je parle (?:a|avec)) ${BOT_OR_HUMAN}$`,
    `^c est ${BOT_OR_HUMAN}$`, '^(?:un |une )?(?:robot|bot|chatbot|ia)$',
    `(?:are you|is this|am i (?:talking|speaking|chatting) (?:to|with)) ${BOT_OR_HUMAN}$`]],
  // A consultant offering their services (« comment devenir prestataire du DLA ? »): the DLA, not this assistant, chooses them.
  ['provider', ['(?:devenir|etre) (?:un |une )?(?:prestataire|consultant|consultante|intervenant|intervenante)s?(?: du dla| pour le dla| dla)?',
    'appels? (?:a|aux) prestataires?', 'appels? d offres? (?:du )?dla',
    '(?:travailler|intervenir) (?:pour|avec) (?:le|les) dla', 'proposer mes services', 'proposer nos services', '(?:etre|me faire) referencee? (?:comme|en tant que) (?:prestataire|consultant|consultante)', 'referencement des (?:prestataires|consultants)',
    'become a (?:consultant|provider|contractor)', '(?:work|consult) (?:for|with) the dla', 'offer my services', 'offer our services']],
  // When and by whom the structure will be called (« quand est-ce qu'on va m'appeler ? »): where its request stands.
  ['callback', [`quand (?:est ce qu )?(?:on|vous|quelqu un|un e charge e|une chargee|un charge) (?:va|allez|vont|pourra|pourrez|doit|devez) ${CALL_ME}`,
    `(?:on|vous) (?:va|allez) ${CALL_ME} quand`, `qui (?:va|doit|devrait|pourra) ${CALL_ME}`, `quand (?:serai je|serons nous|je serai|nous serons|vais je etre|je vais etre) (?:contacte|rappele|recontacte)\\w*`,
    `quand (?:m|nous) (?:appelez|rappelez|contactez|recontactez) vous`, `vous (?:m|nous) (?:appelez|rappelez|contactez|recontactez) quand`, `on va ${CALL_ME}`,
    `vous allez ${CALL_ME}`, 'toujours pas de nouvelles', 'toujours pas d appel', 'personne ne m a (?:appele|rappele|contacte)\\w*', 'j attends (?:toujours )?(?:un|votre) appel',
    'avez vous des nouvelles', 'vous avez des nouvelles', 'pas encore de nouvelles',
    'when will (?:someone|somebody|you|an advisor|the advisor|the dla) (?:call|contact|phone|ring|get back to|reach) (?:me|us)',
    '(?:who will|who s going to|who is going to) (?:call|contact|phone|get back to) (?:me|us)', `qui est ce qui (?:va|doit) ${CALL_ME}`, 'when will (?:i|we) hear (?:back|from you|from someone)', 'will (?:someone|you) (?:call|contact) (?:me|us)',
    '(?:vous avez|avez vous|est ce que vous avez) (?:bien )?recu (?:ma|notre|mon|notre) (?:demande|message|dossier)', '(?:ma|notre) demande (?:a|est) (?:bien )?(?:ete )?(?:transmise|partie|envoyee|recue|arrivee)',
    'did you (?:get|receive) (?:my|our) (?:request|message)', 'has (?:my|our) request been (?:sent|received|passed on)',
    'ca traine', 'ca traine un peu', 'c est long ce delai', 'c est (?:trop |tres |vraiment |un peu )?long quand meme', 'any news', 'still no news', 'this is taking (?:long|forever|a while)', 'it s taking (?:long|forever|a while)', 'no one has called', 'nobody has called', 'still waiting for a call']],
  // What becomes of what the structure types (« vous gardez mes données combien de temps ? »): before « combien de temps » is the DLA's.
  ['data', ['mes donnees', 'nos donnees', 'vos donnees', 'donnees personnelles', 'mes informations', 'mes reponses',
    'qui voit', 'qui a acces', 'my data', 'our data', 'personal data', 'my answers', 'who sees', 'who can see']],
  // The time the structure's leaders give (« faut y passer combien de temps nous ? »): before « combien de temps » is the DLA's length.
  ['commitment', ['y (?:passer|consacrer|mettre) combien de temps', 'combien de temps (?:faut il |doit on |on doit |devons nous |allons nous )?y (?:passer|consacrer|mettre)',
    'combien de temps (?:ca |cela )?(?:va )?nous (?:prend|prendra|prendre|demande|demandera)', '(?:ca |cela )?(?:va )?nous (?:prendre|prend|demander|demande) combien de temps',
    'how much (?:of our )?time (?:do|will|would|should) we', 'how much time does it take us', 'time commitment']],
  ['duration', ['combien de temps', 'duree', 'ca dure', 'cela dure', 'dure combien', 'how long', 'how much time', 'duration',
    // « c'est long ? », « ça prend longtemps ? » — as the whole question (« c'est long de recruter » is not about the DLA).
    'c est (?:trop |tres |assez )?long(?: le dla| l accompagnement)?$', '(?:ca|cela) (?:va )?(?:prend|prendre|prendra) (?:du temps|longtemps)$', 'does it take long', 'is it long$']],
  ['cost', ['payant', 'payante', 'payants', 'gratuit', 'gratuite', 'gratuits', 'gratuitement', 'combien ca coute', 'ca coute', 'coute combien', 'cout', 'couts',
    'tarif', 'tarifs', 'prix', 'faut il payer', 'il faut payer', 'doit on payer', 'on doit payer', 'a payer', 'free', 'free of charge', 'cost', 'costs',
    'price', 'fee', 'fees', 'do we pay', 'do we have to pay', 'is it paid',
    // « faut payer qqch ? », « ça coûte cher ? », « c gratuit ? », « on paie quelque chose ? »
    'faut payer', 'faut il que je paie', 'faut il qu on paie', 'on paie', 'on paye', 'dois je payer', 'devons nous payer',
    'cela coute', 'coute quelque chose', 'gratos', 'sans frais', 'do i have to pay', 'do i pay', 'do we need to pay', 'does it cost']],
  ['who', ['qui peut', 'qui peuvent', 'pour qui', 'qui est concerne', 'qui sont concernes', 'qui a droit', 'who can', 'who is it for', 'who is eligible', 'who qualifies']],
  ['chargees', [`qui sont les ${CHARGEE}`, `c est qui les ${CHARGEE}`, `c est quoi un ${CHARGEE}`, `c est quoi une ${CHARGEE}`, `qu est ce qu un ${CHARGEE}`,
    `qu est ce qu une ${CHARGEE}`, `role du ${CHARGEE}`, `role de la ${CHARGEE}`, `role des ${CHARGEE}`, `que fait un ${CHARGEE}`, `que font les ${CHARGEE}`,
    'who are the advisors', 'what is an advisor', 'what does an advisor do']],
  ['start', ['comment commencer', 'comment on commence', 'comment ca commence', 'comment demarrer', 'par ou commencer', 'comment faire une demande',
    'comment on fait', 'comment faire', 'how do i start', 'how do we start', 'how to start', 'get started', 'how do we apply', 'how do i apply']],
  // What comes next: how to start for a newcomer, where its request stands for a structure that has one.
  ['next', ['et apres', 'et ensuite', 'et maintenant', 'que se passe t il (?:ensuite|apres|maintenant)', 'qu est ce qui se passe (?:ensuite|apres|maintenant)',
    'prochaine etape', 'c est quoi la suite', 'quelle est la suite', 'et la suite', 'la suite c est quoi', 'on fait quoi maintenant', 'je fais quoi maintenant',
    'what happens next', 'what happens after', 'what happens now', 'what next', 'what s next', 'whats next', 'what now', 'now what']],
  // How to reach the DLA, or the one of another département (« vous pouvez transmettre au DLA 17 ? »).
  ['contact', ['contacter le dla', 'joindre le dla', 'comment vous contacter', 'comment vous joindre', 'vous contacter', 'vous joindre', 'votre telephone', 'votre numero',
    'votre adresse', 'vos coordonnees', 'coordonnees du dla', 'vos bureaux', 'vos locaux', 'ou etes vous', 'vous etes ou', 'ou vous trouver', 'ou se trouve le dla',
    'c est ou', 'ou aller', 'ou dois je aller', 'ou m adresser', 'a qui m adresser', 'a qui s adresser', 'a qui dois je m adresser', 'telephone du dla', 'adresse du dla',
    'vous avez un numero', 'vous avez un telephone', 'vous avez une adresse', 'vous avez un mail', 'mon dla', 'autre dla', 'le bon dla', 'transmettre au dla', 'transmettre a l autre dla', 'how to contact', 'how can i contact', 'how do i contact', 'contact you',
    'reach you', 'your phone', 'your number', 'your address', 'where are you', 'where is the dla', 'where do i go', 'where should i go', 'my dla', 'other dla', 'contact details']],
];

const MATCHERS = TOPICS.map(([topic, phrases]) => [topic, new RegExp(`(?:^| )(?:${phrases.join('|')})(?: |$)`)] as const);

/**
 * The simple question a short message asks (« c'est payant ? », « combien de temps ça dure »,
 * « qui peut être accompagné ? »), or undefined. Only what a person types as a question: a long
 * message is not read.
 */
export function matchFaq(text: string | undefined): FaqTopic | undefined {
  if (!text) return undefined;
  // « se passe-t-il »: hyphens as spaces.
  const plain = normalizeWords(text);
  if (!plain || plain.split(' ').length > MAX_WORDS) return undefined;
  const topic = MATCHERS.find(([, pattern]) => pattern.test(plain))?.[0];
  // « c'est long... », « c'est long quand même »: without a question mark, a sigh about the wait — where the request stands.
  return topic === 'duration' && !text.includes('?') && SIGH.test(plain) ? 'callback' : topic;
}

/** « c'est long », « c'est trop long quand même », "this is taking long": said of the wait. */
const SIGH = /^(?:(?:bon|ben|bah|pff+|oh|hmm|hm|bref) )*(?:c est (?:trop |tres |vraiment |un peu |super |quand meme )?long(?: quand meme)?|(?:ca|cela) (?:prend|met) du temps|this is taking (?:long|forever|a while)|it s taking (?:long|forever|a while))$/;

/** « c'est quoi le DLA ? », « le DLA c'est quoi », « qu'est-ce que le DLA ? », "what is the DLA?": the whole question. */
const WHAT_IS_THE_DLA = /^(?:(?:mais|et|euh|au fait|sinon|du coup|pardon|sorry|but|and)\s)*(?:c est quoi (?:le|un|votre) dla|c quoi (?:le|un) dla|qu est ce que (?:c est que )?(?:le|un) dla|le dla c est quoi|le dla qu est ce que c est|what is (?:the|a) dla|what s (?:the|a) dla|what does the dla do)(?: exactement| en fait| exactly| actually)?$/;

/** A question by its form: a question mark, a question word (« ça coûte combien »), or an opening that asks (« est-ce que c'est gratuit »). */
const ASKS = /\b(?:combien|comment|pourquoi|quoi|quel|quelle|quels|quelles|how|what|why)\b|^(?:est ce qu\w*|faut il|y a t il|doit on|peut on|is|are|do|does|can|will) /;

/** Names the DLA itself: « c'est payant le DLA ? », « l'accompagnement est gratuit ? ». */
const ABOUT_THE_DLA = /\b(?:dla|dispositif local d accompagnement|l accompagnement|votre accompagnement)\b/;

/**
 * The questions whose answer is the structure's own words (its activity, situations,
 * governance…): « c'est payant ? » may be that answer there.
 */
const FREE_TEXT_SLOT = /^(?:activity|governance|support|availability|\w+_situation)$/;

/**
 * The questions that ask what brings the structure (the accueil's request, the diagnostic's needs,
 * a request for a chargé·e's subject, a new need): the structure's own words too, but « c'est
 * gratuit vraiment ? » alone asks the assistant — a question with words of its own (« comment
 * payer nos salaires ? », « le coût des formations ? ») is the answer.
 */
const SUBJECT_SLOT = /^(?:request|needs|subject|need)$/;

/** Words that frame a simple question without saying anything of the structure (« est-ce que c'est … pour nous ? »). */
const FRAME_WORDS = new Set(('c est ce que qu ca cela il elle y a t on nous je j vous votre vos le la les l un une des du de d en pour quelque chose qqch quoi '
  + 'combien alors et donc mais svp stp s plait merci bonjour bjr euh ah au fait vraiment cher chere etre dla dispositif local accompagnement service '
  + 'accompagne accompagnee accompagnes accompagnees beneficier '
  + 'prend prendre faut it is the this that there an do does we i you your any anything so please thanks how much what take takes last lasts').split(' '));

/** The message is the simple question and nothing else: its FAQ phrases and framing words only. */
function onlyTheQuestion(plain: string): boolean {
  let rest = ` ${plain} `;
  for (const [, pattern] of MATCHERS) while (pattern.test(rest)) rest = rest.replace(pattern, ' ');
  return rest.split(' ').every((w) => !w || FRAME_WORDS.has(w));
}

/**
 * The simple question (matchFaq) asked at a question of the accueil, the diagnostic, or a request
 * for a chargé·e (`slot`: the question's form slot, none for a choice): only when it is asked as a
 * question, where the answer is free text only when it names the DLA (« c'est payant le DLA ? »)
 * — or, at what brings the structure (SUBJECT_SLOT), when it is that question alone (« c'est payant ? ») —
 * and never how long at a choice.
 */
export function matchFaqAtQuestion(text: string | undefined, slot?: string): FaqTopic | undefined {
  // « c'est quoi le DLA ? » at a question (at the menu, « Découvrir le DLA » answers it).
  const topic = matchFaq(text) ?? (text && WHAT_IS_THE_DLA.test(normalizeWords(text)) ? 'what' : undefined);
  if (!topic || !text) return undefined;
  const plain = normalizeWords(text);
  if (!text.includes('?') && !ASKS.test(plain)) return undefined;
  // « t'es un robot ? » is never the structure's own words.
  if (topic === 'bot') return topic;
  // A choice (no slot) says how long what it offers lasts: « combien de temps ? » at the consent
  // asks how long answers are kept, at « On commence ? » how long the questions take.
  if (!slot && (topic === 'duration' || topic === 'commitment')) return undefined;
  // At the contact question, « votre numéro ? » is about the structure's own.
  if (slot === 'contact' && topic === 'contact') return undefined;
  if (slot && SUBJECT_SLOT.test(slot)) return ABOUT_THE_DLA.test(plain) || onlyTheQuestion(plain) ? topic : undefined;
  return slot && FREE_TEXT_SLOT.test(slot) && !ABOUT_THE_DLA.test(plain) ? undefined : topic;
}
