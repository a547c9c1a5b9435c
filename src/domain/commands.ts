import { readContactChange } from './contactChange';
import { normalize, normalizeWords } from './text';

/** Commands a user can type at any step, in French or English. */
export type GlobalCommand = 'help' | 'restart' | 'language_en' | 'language_fr' | 'language_toggle' | 'pause' | 'resume' | 'human' | 'status' | 'my_data' | 'opt_out' | 'contact';

/** English requests for a person: "talk to a human", "speak with an advisor", "speak to someone from the DLA". */
const ENGLISH_HUMAN = ['talk to', 'speak to', 'talk with', 'speak with', 'chat with', 'get in touch with', 'be put through to'].flatMap((verb) =>
  ['a human', 'a human being', 'someone', 'somebody', 'a person', 'a real person', 'a real human', 'an advisor', 'an adviser', 'a advisor',
    'your advisor', 'my advisor', 'someone from the dla', 'an advisor from the dla', 'a member of staff', 'a staff member', 'a consultant']
    .map((whom) => `${verb} ${whom}`));

/** English questions on where a request stands: "status of my application", "any news on my request". */
const ENGLISH_STATUS = ['request', 'application', 'file', 'case'].flatMap((thing) => ['my', 'our'].flatMap((own) => {
  const x = `${own} ${thing}`;
  return [`status of ${x}`, `the status of ${x}`, `what is the status of ${x}`, `what s the status of ${x}`, `where is ${x}`, `where s ${x}`, `where is ${x} at`, `where s ${x} at`,
    `where are we with ${x}`, `where does ${x} stand`, `how is ${x} going`, `how s ${x} going`, `what s happening with ${x}`,
    `what is happening with ${x}`, `any news on ${x}`, `any news about ${x}`, `any news of ${x}`, `news on ${x}`, `news about ${x}`,
    `any update on ${x}`, `any updates on ${x}`, `an update on ${x}`, `update on ${x}`, `${x} status`];
}));

/**
 * « Où en est ma demande ? » in the orders people type it: « ma demande elle en est où », « elle
 * en est où ma demande », « on en est où de notre dossier », « qu'en est-il de ma demande ».
 */
const FRENCH_STATUS = [['ma demande', 'elle'], ['notre demande', 'elle'], ['mon dossier', 'il'], ['notre dossier', 'il']].flatMap(([x, it]) => [
  `ou en est ${x}`, `${x} en est ou`, `${x} ${it} en est ou`, `${x} ou en est ${it}`, `${x} ou ${it} en est`, `${it} en est ou ${x}`, `ou ${it} en est ${x}`,
  `ou en est ${it} ${x}`, `on en est ou de ${x}`, `on en est ou avec ${x}`, `ou on en est de ${x}`, `ou on en est avec ${x}`, `ca en est ou ${x}`,
  `qu en est il de ${x}`, `des nouvelles de ${x}`, `avez vous des nouvelles de ${x}`, `vous avez des nouvelles de ${x}`, `suivi de ${x}`, `statut de ${x}`, `${x} ca avance`,
]);

/** « on peut parler anglais ? », "can we speak French": a language asked for, in either language (its French and English names). */
function askedInLanguage(fr: string, en: string): string[] {
  return [`parlez vous ${fr}`, `vous parlez ${fr}`, `on peut parler ${fr}`, `on peut parler en ${fr}`, `je prefere en ${fr}`, `je prefere le ${fr}`,
    `do you speak ${en}`, `can you speak ${en}`, `can we speak ${en}`, `can we speak in ${en}`, `could we speak ${en}`, `speak ${en}`,
    `switch to ${en}`, `${en} please`, `i prefer ${en}`];
}

/**
 * Whole-message phrases only: "aide" is a command, "nous avons besoin d'aide pour recruter"
 * is an answer. Phrases are normalized (no accents, lower case).
 */
const PHRASES: Record<GlobalCommand, string[]> = {
  help: ['aide', 'aidez moi', 'help', 'au secours', 'je suis perdu', 'je suis perdue', 'comment ca marche', '?'],
  restart: ['recommencer', 'on recommence', 'tout recommencer', 'reprendre depuis le debut', 'restart', 'start over', 'reset'],
  language_en: ['english', 'anglais', 'en anglais', 'in english', 'en', ...askedInLanguage('anglais', 'english'),
    'i don t speak french', 'i do not speak french', 'i don t understand french', 'i do not understand french', 'no french'],
  language_fr: ['francais', 'french', 'en francais', 'in french', 'parler francais', 'fr', ...askedInLanguage('francais', 'french'),
    'je ne parle pas anglais', 'je parle pas anglais', 'je ne comprends pas l anglais', 'je comprends pas l anglais', 'pas en anglais'],
  language_toggle: ['changer de langue', 'change language', 'langue', 'language'],
  pause: ['pause', 'faire une pause', 'on fait une pause', 'plus tard', 'je reviens plus tard', 'stop pour l instant', 'later',
    // « je reviens demain », « on reprendra demain », "I'll come back tomorrow": leaving for now.
    'je reviens demain', 'je reviendrai', 'je reviendrai plus tard', 'je reviendrai demain', 'on reprend demain', 'on reprendra demain', 'on reprendra plus tard',
    'je reprendrai demain', 'je reprendrai plus tard', 'je continue demain', 'on continue demain', 'je continuerai demain', 'je continuerai plus tard', 'la suite demain', 'a demain',
    'je finirai plus tard', 'je finirai demain', 'i ll come back later', 'i ll come back tomorrow', 'i ll be back later', 'i ll be back tomorrow', 'i ll continue tomorrow', 'i ll finish later',
    // « on peut faire une pause ? », « je dois y aller, on reprend plus tard »: asked, or said with the reason.
    'on peut faire une pause', 'je peux faire une pause', 'on peut faire une petite pause', 'une petite pause', 'petite pause', 'on reprend plus tard', 'on continue plus tard',
    'je dois y aller', 'je dois partir', 'je dois filer', 'i have to go', 'i need to go', 'gotta go', 'can we take a break', 'take a break'],
  // « reprenons », « on peut reprendre le questionnaire ? »: the questions left, asked.
  resume: ['reprendre', 'on reprend', 'je reprends', 'reprise', 'resume', 'reprenons', 'on peut reprendre', 'on reprend ou on en etait', 'reprendre le questionnaire', 'on peut reprendre le questionnaire',
    'reprendre le point de suivi', 'on peut reprendre le point de suivi', 'reprendre les questions', 'let s resume', 'can we resume', 'let s continue where we left off'],
  // Not « une personne »: it answers « combien de salarié·es ? ».
  human: ['parler a un e charge e', 'parler a un charge', 'parler a une chargee', 'parler a un charge e', 'un e charge e', 'charge e',
    'parler a quelqu un', 'un humain', 'parler a une personne', 'parler a un humain', 'conseiller', 'conseillere', 'un conseiller', 'une conseillere',
    'parler a une vraie personne', 'une vraie personne', 'un vrai humain', 'un humain au telephone', 'etre rappele', 'etre rappelee', 'etre rappele e',
    'qu on me rappelle', 'qu on nous rappelle', 'rappelez moi', 'rappelez nous', 'me faire rappeler', 'me rappeler', 'nous rappeler', 'me recontacter', 'nous recontacter',
    'etre recontacte', 'etre recontactee', 'etre recontacte e', 'que vous me rappeliez', 'que vous nous rappeliez', 'que quelqu un me rappelle', 'qu un conseiller me rappelle',
    'demande de rappel', 'un rappel telephonique',
    'human', 'a human', 'agent', 'advisor', 'an advisor', 'a real person', 'call me back', 'call us back', ...ENGLISH_HUMAN],
  status: ['statut', 'ma demande', 'status', 'my request', 'my application', ...FRENCH_STATUS, ...ENGLISH_STATUS],
  opt_out: ['ne plus me relancer', 'ne me relancez plus', 'stop relances', 'stop relance', 'plus de relances', 'desinscription', 'stop reminders', 'unsubscribe',
    'ne plus etre relance', 'ne plus etre relancee', 'ne plus etre relance e', 'je ne veux plus etre relance', 'je ne veux plus etre relancee', 'je ne veux plus etre relance e',
    'arretez de me relancer', 'arretez les relances', 'arretez de m envoyer ces messages', 'arretez de m envoyer des messages', 'stop aux relances',
    'stop sending me messages', 'stop sending me these messages', 'stop sending us messages', 'stop sending us these messages', 'stop sending these messages',
    'stop messaging me', 'stop messaging us', 'no more reminders',
    // « me désabonner », « je ne souhaite plus recevoir ces messages », « arrêter les relances »…
    'me desabonner', 'se desabonner', 'je veux me desabonner', 'je souhaite me desabonner', 'desabonnez moi', 'desabonnement',
    'plus de relance', 'arreter les relances', 'arreter de me relancer', 'ne plus recevoir de relances', 'ne plus recevoir ces messages', 'ne plus recevoir de messages',
    'je ne souhaite plus etre relance', 'je ne souhaite plus etre relancee', 'je ne souhaite plus etre relance e',
    'je ne souhaite plus recevoir ces messages', 'je ne souhaite plus recevoir de messages', 'je ne veux plus recevoir ces messages', 'je ne veux plus recevoir de messages',
    'je ne souhaite plus recevoir de relances', 'je ne veux plus recevoir de relances',
    'do not contact me again', 'don t contact me again', 'stop contacting me', 'please stop contacting me', 'unsubscribe me', 'no more messages', 'stop the reminders'],
  my_data: ['mes donnees', 'mes donnees personnelles', 'mes informations', 'my data', 'rgpd',
    'effacer mes donnees', 'supprimer mes donnees', 'effacer mes informations', 'supprimer mes informations',
    'exporter mes donnees', 'telecharger mes donnees', 'delete my data', 'erase my data', 'export my data'],
  // And any message that corrects or gives new contact details (readContactChange): « je me suis trompée de numéro : 06… ».
  contact: ['mes coordonnees', 'changer mes coordonnees', 'corriger mes coordonnees', 'modifier mes coordonnees', 'my contact details', 'change my contact details', 'update my contact details', 'change my details', 'update my details'],
};

export const GLOBAL_COMMANDS = Object.keys(PHRASES) as GlobalCommand[];

const LOOKUP = new Map<string, GlobalCommand>(
  (Object.entries(PHRASES) as [GlobalCommand, string[]][]).flatMap(([cmd, phrases]) => phrases.map((p) => [p, cmd] as const)),
);

/**
 * « Je voudrais parler à un humain, s'il vous plaît » asks for the same as « parler à un humain »:
 * a request wrapped in politeness, for the commands people phrase as a request. Not for the
 * others: « j'aimerais reprendre » may answer « qu'est-ce qui vous amène ? ».
 */
const FILLER_BEFORE = '(?:(?:bonjour|bonsoir|rebonjour|coucou|salut|hello|hi|hey|bjr|bsr|slt|cc|svp|stp|s il vous plait|merci(?! de)|please|pls|plz|et|du coup|en fait|euh|alors|bon|ben|sinon|finalement|ok|okay|d accord|quand meme|je reviens|je dois y aller|je dois partir|je dois filer|i have to go|me revoila|c est encore moi|actually|well|i m back|sorry|excuse me|pardon|desole|desolee) )*';
const FILLER_AFTER = '(?: s il vous plait| s il te plait| svp| stp| please| merci| merci d avance| merci beaucoup| quand meme| finalement| anyway| pls| plz| thanks| thank you| thx| ty| je dois y aller| je dois partir| je dois filer| je reviendrai| i have to go| i need to go| gotta go| sorry| desole| desolee| c est urgent| urgent| en urgence| rapidement| vite| au plus vite| des que possible| au plus tot| it s urgent| urgently| quickly| asap| as soon as possible)*';

/**
 * « Bonjour, je reviens, où en est ma demande ? », « pause, je dois y aller », « hello, do you
 * speak English? »: any command with a greeting before it, or politeness or a goodbye after it.
 */
const WITH_FILLER = new RegExp(`^${FILLER_BEFORE}(.+?)${FILLER_AFTER}$`);

/** « Je voudrais parler à un humain directement, s'il vous plaît »: the greetings and politeness of WITH_FILLER around a request. */
const POLITE_ASK = new RegExp(`^${FILLER_BEFORE}(?:(?:je veux|je voudrais|j aimerais|je souhaite|je souhaiterais|je peux|je prefere|je prefererais|puis(?:-| )je|pourrais(?:-| )je|est(?:-| )ce que je peux|est(?:-| )ce que je pourrais|on peut|on voudrait|nous voudrions|nous souhaitons|merci de me laisser|merci de|i want to|i would like to|i d like to|i need to|can i|could i|may i|can we|could we|is it possible to|please let me|can you tell me|could you tell me|please tell me|tell me|i would like|i d like|i want|pouvez vous|vous pouvez|pourriez vous|vous pourriez|est ce que vous pouvez|est ce que vous pourriez|est ce qu on peut|est ce qu on pourrait|on pourrait|peut on|pourrait on|quelqu un peut|quelqu un pourrait|est ce que quelqu un peut|est ce que quelqu un pourrait|can you|could you|can u|could u) )?(?:savoir |know |to know )?(.+?)(?: directement| en direct| de vive voix| plutot| instead| directly)?${FILLER_AFTER}$`);
const POLITE_COMMANDS = new Set<GlobalCommand>(['human', 'status', 'my_data', 'opt_out']);
/** « pause, je dois voir avec la trésorière », « on fait une pause, j'ai une réunion »: a pause, with the reason said after it. */
const PAUSE_WITH_REASON = /^(?:(?:on )?(?:fait |faire |fais )?une )?pause (?:je|j|il|faut|on|nous|i|we)\b/;
const STOP_THEN = /^(?:stop|arretez|arrete|stoppez) (.+)$/;

/** What is wanted of the structure's data: a copy, or its erasure (a consent withdrawn is one, said so first). */
export type DataRequest = 'export' | 'erase' | 'withdraw_consent';

const DATA = '(?:(?:toutes |tous |all )?(?:mes|nos|my|our) |toutes les |all the )(?:donnees|informations|infos|data)(?: personnelles| perso| personal)?';
/** « ce que vous avez sur moi », "everything you have on me": what the DLA holds, said in words. */
const WHAT_YOU_HOLD = '(?:tout )?(?:ce que|tout ce que|ce qu|everything|what) (?:vous|you) (?:avez|savez|gardez|conservez|stockez|have|keep|hold|know)(?: (?:sur|de|on|about) (?:moi|nous|me|us))?';
const DATA_REQUESTS: [RegExp, DataRequest][] = [
  [new RegExp(`^(?:(?:je |nous |i |we )?(?:retire|retirons|retirer|withdraw|revoke)|(?:retrait|withdrawal) (?:de|du|of)) (?:mon |notre |my |our )?(?:consentement|accord|consent)$`), 'withdraw_consent'],
  [new RegExp(`^(?:que vous )?(?:supprim|effac|detrui|delete|erase|remove)\\w* (?:${DATA}|tout|${WHAT_YOU_HOLD}|everything)(?: (?:que vous avez|you have))?$`), 'erase'],
  [/^(?:oubliez|oublier|forget) (?:moi|nous|me|us)$|^(?:droit a l oubli|right to be forgotten)$/, 'erase'],
  [new RegExp(`^(?:voir|consulter|recevoir|obtenir|avoir|acceder a|recuperer|connaitre|savoir|see|get|access|view|receive|know) (?:${DATA}|${WHAT_YOU_HOLD})$`), 'export'],
  [new RegExp(`^(?:exporter|telecharger|export|download|envoyez moi|send me) ${DATA}$`), 'export'],
  // « (savoir) ce que vous avez sur moi », « quelles données avez-vous sur moi ? »
  [/^(?:tout )?(?:ce que|ce qu|qu est ce que|quelles (?:donnees|informations|infos)|what(?: data)?) (?:vous )?(?:avez|savez|gardez|conservez|stockez|do you have|do you keep|you have)(?: vous)? (?:sur|de|on|about) (?:moi|nous|me|us)$/, 'export'],
];

/**
 * A request about the structure's data in words (« je veux voir mes données », « supprimez tout
 * ce que vous avez sur moi », « je retire mon consentement », "delete everything you have on me"),
 * the whole message (with the politeness of a command around it): what is wanted; undefined otherwise.
 */
export function readDataRequest(text: string | undefined): DataRequest | undefined {
  if (!text) return undefined;
  const plain = normalizeWords(text);
  const cores = [plain, WITH_FILLER.exec(plain)?.[1], POLITE_ASK.exec(plain)?.[1]];
  for (const core of cores) {
    const found = core ? DATA_REQUESTS.find(([re]) => re.test(core))?.[1] : undefined;
    if (found) return found;
  }
  return undefined;
}

export function matchGlobalCommand(text: string | undefined): GlobalCommand | undefined {
  if (!text) return undefined;
  if (text.trim() === '?') return 'help';
  // « où en est-elle », « pouvez-vous », « rappelez-moi »: a hyphen joins what people also type apart.
  // "whats", "wheres": the apostrophe people skip.
  const plain = normalizeWords(text).replace(/\b(what|where)s\b/g, '$1 s');
  const exact = LOOKUP.get(plain) ?? LOOKUP.get(WITH_FILLER.exec(plain)?.[1] ?? '');
  if (exact) return exact;
  if (readDataRequest(text)) return 'my_data';
  if (readContactChange(text)) return 'contact';
  if (PAUSE_WITH_REASON.test(WITH_FILLER.exec(plain)?.[1] ?? plain)) return 'pause';
  // « stop, ne plus me relancer », « stop les relances »: « stop » said before the opt-out (alone, in a check-in, it pauses).
  const afterStop = STOP_THEN.exec(plain)?.[1];
  if (afterStop && (afterStop === 'les relances' || matchGlobalCommand(afterStop) === 'opt_out')) return 'opt_out';
  if (optOutInSentence(plain)) return 'opt_out';
  const core = POLITE_ASK.exec(plain)?.[1];
  if (!core) return undefined;
  // « parler à un conseiller »: whom, after « parler à » (« conseiller » is a command on its own).
  const polite = (core !== plain ? LOOKUP.get(core) : undefined)
    ?? LOOKUP.get(core.replace(/^(?:parler (?:a|avec)|avoir|talk to|speak to|speak with|have) /, '').replace(/ (?:au telephone|par telephone|on the phone)$/, ''));
  return polite && POLITE_COMMANDS.has(polite) ? polite : undefined;
}

/**
 * « ne plus me relancer » and its ways said inside a sentence: « je préférerais que vous ne me relanciez
 * plus », « pourriez-vous ne plus me relancer ? », « je ne souhaite plus recevoir ces questionnaires ».
 */
const OPT_OUT_IN = new RegExp(String.raw`\b(?:ne (?:me|nous) (?:relancez|relanciez|relancerez|sollicitez|solliciez|contactez|contactiez|ecrivez|ecriviez) plus`
  + String.raw`|ne plus (?:me|nous) (?:relancer|solliciter|envoyer (?:de|ces|vos) (?:messages|questionnaires|questions))|ne plus etre (?:relance|sollicite)\w*(?: e| es)?`
  + String.raw`|(?:arreter|arretez|arretiez|cesser|cessez|cessiez) de (?:me|nous) (?:relancer|solliciter|envoyer (?:ces|des|vos) (?:messages|questionnaires|questions))`
  + String.raw`|ne (?:souhaite|souhaitons|veux|voulons|desire|desirons) plus (?:recevoir|etre (?:relance|sollicite)\w*(?: e| es)?)(?: (?:de|ces|vos|les) (?:messages|questionnaires|questions|relances|points de suivi|sollicitations))?`
  + String.raw`|(?:stop|plus de|fini les) (?:relances|sollicitations)|(?:stop|no more) (?:reminders|follow ups|check ins)|(?:stop|quit) (?:sending|messaging) (?:me|us)|(?:don t|do not) (?:contact|remind|message) (?:me|us) (?:again|anymore|any more))\b`);

/**
 * An opt-out said in a sentence of a few words (OPT_OUT_IN): « merci mais je préférerais que vous ne me
 * relanciez plus s'il vous plaît ». Not in a long message, where it may be reported (« ils nous ont dit
 * de ne plus les relancer ») or come with answers that would be lost.
 */
export function optOutInSentence(plain: string): boolean {
  const said = OPT_OUT_IN.exec(plain);
  // « je ne veux pas que vous arrêtiez de me relancer »: the opt-out denied.
  return !!said && plain.split(' ').length <= 20 && !/\b(?:pas|jamais|not|never)\b/.test(plain.slice(0, said.index).split(' ').slice(-4).join(' '));
}

/** « bonjour », « salut », « bonsoir madame », "hello there": a greeting, with nothing else said. */
const GREETING = /^(?:bonjour|bonsoir|salut|coucou|bjr|slt|rebonjour|re bonjour|hello|hi|hey|good morning|good afternoon|good evening)(?: (?:a vous|a tous|a toutes|madame|monsieur|messieurs dames|mesdames|there|everyone|all))?$/;

/** A hand waved (👋, any skin tone): hello when nothing has been said yet, goodbye at the end. */
const WAVE = /^(?:👋|\p{Emoji_Modifier}|\uFE0F|\s)+$/u;

/** True for a message that only greets (« bonjour ! », « salut », a hand waved 👋): never an answer to a question. */
export function isGreeting(text: string | undefined): boolean {
  return GREETING.test(normalize(text ?? '')) || (!!text?.includes('👋') && WAVE.test(text));
}

/** Thanks and goodbyes: « merci », « au revoir », « bonne journée », "thanks", "bye"… */
const BYE = ['au revoir', 'bonne journee', 'bonne soiree', 'bonne fin de journee', 'bon week end', 'a bientot', 'bye', 'goodbye', 'have a nice day', 'have a good day', 'see you'];
const THANKS_OR_BYE = ['merci', 'merci beaucoup', 'merci bien', 'mille mercis', ...BYE,
  'thanks', 'thank you', 'thanks a lot', 'many thanks', 'cordialement', 'a vous aussi', 'vous aussi', 'you too'];
/** What may come with them: « super, merci », « parfait, bonne journée », « c'est tout, merci ». */
const WITH_THANKS = ['super', 'parfait', 'top', 'ok', 'okay', 'd accord', 'tres bien', 'genial', 'cool', 'great', 'perfect', 'c est tout', 'ce sera tout', 'rien d autre',
  'that s all', 'et', 'and', 'a vous', 'pour tout', 'for everything', 'encore'];
const COURTESY = new RegExp(`^(?:(?:${[...THANKS_OR_BYE, ...WITH_THANKS].join('|')})(?: |$))+$`);
const THANKS_SAID = new RegExp(`(?:^| )(?:${THANKS_OR_BYE.join('|')})(?: |$)`);

/** Emoji that thank or greet (🙏, 👍, 😊, 👋…): not 🤔 or 😡, which say something is wrong. */
const THANKS_EMOJI = /^(?:[🙏👍👌😊🙂☺😀😃😄😁😉🤗😍🥰😘❤💙💚🧡💛💜🤍👋🤝✅✌💪👏🎉✨⭐🌟☀🌞🌸💐]|\p{Emoji_Modifier}|\uFE0F|\u200D|\s)+$/u;

/** True for a message that only thanks or says goodbye (« super, merci ! », « au revoir »; a thanking emoji alone too: 🙏, 👍). */
export function isCourtesy(text: string | undefined): boolean {
  if (!text) return false;
  const plain = normalize(text);
  return plain === '' ? THANKS_EMOJI.test(text) : COURTESY.test(plain) && THANKS_SAID.test(plain);
}

/** The goodbyes among them (BYE): « au revoir », « bonne journée », « à bientôt », "bye". */
const BYE_SAID = new RegExp(`(?:^| )(?:${BYE.join('|')})(?: |$)`);

/** True for a courtesy (isCourtesy) that says goodbye (« merci, au revoir », « bonne journée »), not thanks alone. */
export function isGoodbye(text: string | undefined): boolean {
  return isCourtesy(text) && BYE_SAID.test(normalize(text ?? ''));
}

/** « ok », « d'accord », « très bien », « compris », "got it": the message heard, nothing chosen nor asked. */
const ACKNOWLEDGEMENT = /^(?:ok(?:ay|ey|i)?|oki|d accord|daccord|dac|ok d accord|ok tres bien|tres bien|bien|entendu|compris|ok compris|bien compris|ca marche|ca roule|note|c est note|bien note|bien recu|super|parfait|top|cool|alright|all right|got it|understood|noted|fine|sounds good)$/;

/** True for a message that only acknowledges what was said (« ok », « d'accord », "got it"): not a choice, nor a thanks (isCourtesy). */
export function isAcknowledgement(text: string | undefined): boolean {
  return ACKNOWLEDGEMENT.test(normalize(text ?? '').replace(/[.,!]/g, ' ').replace(/\s+/g, ' ').trim());
}
