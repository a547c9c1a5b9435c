/**
 * The follow-up check-in as a form: the four effects the national evaluation measures (jobs;
 * economic and financial health; strategic vision; partnerships), whether the recommendations
 * were applied, satisfaction (1–5) and new needs. Pure; texts in locales/<lng>/checkin.json.
 */
import { fail, freeText, keptAfterRetries, notUnderstood, ok, ParseResult, saidToTheOffer } from './form';
import { NUMBER_WORDS } from './numberWords';
import { looksLikeWords, normalize, saysDontKnow, withoutDontKnow } from './text';

export interface CheckinSlot {
  key: string;
  /** Locale keys of quick replies (typing stays possible). */
  suggestions?: string[];
  /** `attempt` counts the answers to this question (1 for the first, the default); `carried`, what an answer before it left to complete. */
  parse(text: string, attempt?: number, carried?: string): ParseResult<unknown>;
}

/*
 * « je sais pas », « aucune idée », « c'est le trésorier qui suit ça, je sais pas » (saysDontKnow):
 * the structure does not know. Accepted at every question, stored as not known with its words (`unknown`).
 */
/** Unsure of what follows (« je ne sais pas si c'est mieux »): the judgement after it is no answer. */
const UNSURE_OF_WHAT_FOLLOWS = /\b(sais pas (trop )?si|pas sure? que|know (if|whether)|not sure (if|whether|that))\b/;

/** Free text that holds words (freeText: « asdfgh » is not understood). */
const checkinText = (min = 2) => freeText('checkin.tooShort', { min, max: 2000, unclearKey: 'checkin.unclear' });

/** An answer in words no reading could place, kept after the retries as typed: the chargé·e reads it, marked to check. */
const unread = (text: string) => ({ text: text.trim(), unread: true as const });

/** Words that greet or only say « go on » (« bonjour », « ok, allez-y »), or « oui » with nothing else: no answer yet. */
const GREETING_WORDS = new Set(['bonjour', 'bonsoir', 'rebonjour', 'salut', 'coucou', 'hello', 'hi', 'hey', 'good', 'morning', 'afternoon', 'madame', 'monsieur', 'a', 'vous', 'tous', 'there', 'everyone']);
const GO_ON_WORDS = new Set(['oui', 'ouais', 'ok', 'okay', 'd', 'accord', 'daccord', 'allez', 'y', 'go', 'vas', 'yes', 'yep', 'yeah', 'sure', 'bien', 'sur', 'avec', 'plaisir',
  'volontiers', 'of', 'course', 'merci', 'thanks', 'thank', 'you', 'entendu', 'je', 'vous', 'ecoute', 'c', 'est', 'parti',
  // « euh », « hmm »: a hesitation, no answer yet.
  'euh', 'heu', 'euuh', 'hmm', 'hm', 'hum', 'bah', 'ben', 'um', 'uh']);

/**
 * « 0 », « 2 », « deux emplois créés »: a number alone is an answer too. The first question of a
 * check-in, right after « pouvez-vous me dire ce que cela a changé ? »: « bonjour » or « oui,
 * allez-y » answer the greeting, not how many jobs — asked again (kept as typed after the retries).
 */
const jobsText = (text: string, attempt = 1): ParseResult<string> => {
  if (/^\s*\d+\s*$/.test(text)) return ok(text.trim());
  const words = normalize(emojiAsWords(text)).split(/[\s-]+/).filter(Boolean);
  if (words.length && words.every((w) => GREETING_WORDS.has(w) || GO_ON_WORDS.has(w))) {
    return keptAfterRetries(attempt, text.trim(), words.some((w) => GREETING_WORDS.has(w) && !['a', 'vous', 'good'].includes(w)) ? 'checkin.jobs.greeting' : 'checkin.jobs.howMany');
  }
  return checkinText()(text);
};

/** At « Avec qui ? », nobody named: « non », « personne », « aucun en particulier », « je préfère ne pas dire », "nobody". */
const NOBODY_NAMED = /^(?:(?:euh|bah|ben|bon|alors|en fait|finalement|well|um) )*(?:non|nan|no|nope|personne|aucun|aucune|rien|nobody|no one|none|passer|pass|skip|pas de nom|je (?:ne )?(?:prefere|prefererais) (?:ne )?pas (?:dire|les nommer|preciser)|i d rather not say)(?: (?:en particulier|de precis|merci|pour l instant|pour le moment|in particular|thanks))*$/;

/**
 * Partnerships: « oui » alone says there are some, not with whom — asked (kept as typed after the
 * retries), the « oui » carried. Answered there with nobody named (« non », « personne », « je sais
 * pas »): partnerships born, partners not named — `{ value: 'yes', text }`, never a partner called « non ».
 */
const partnershipsText = (text: string, attempt = 1, carried?: string): ParseResult<string | { value: 'yes'; text: string }> => {
  const said = normalize(emojiAsWords(text));
  if (carried !== undefined && (NOBODY_NAMED.test(said) || saysDontKnow(text))) return ok({ value: 'yes', text: text.trim() });
  const read = /^(oui|ouais|yes|yep|yeah|oui oui|bien sur|of course)$/.test(said) ? keptAfterRetries(attempt, text.trim(), 'checkin.partnerships.which') : checkinText()(text);
  // « ??? » at « Avec qui ? »: the « oui » still carried for the next answer.
  return read.ok ? read : { ...read, carry: carried ?? (read.errorKey === 'checkin.partnerships.which' ? text.trim() : undefined) };
};

/**
 * Better / same / worse, or yes / partly / no, from words: the first pattern that matches wins —
 * or, `firstInText`, the match that comes first in the answer (its first judgement; the list order
 * for matches at the same place). `lasting`: words that describe a state rather than a change
 * (« la tréso reste tendue »), its value only when the answer says no change besides them
 * (« …mais ça va mieux » is better).
 */
function scale(values: [string, RegExp][], errorKey: string, firstInText = false, typos: [string, string[]][] = [], lasting?: [string, RegExp]) {
  const at = (re: RegExp, t: string) => re.exec(t)?.index ?? Infinity;
  const judged = (t: string): [string, RegExp] | undefined => (firstInText
    ? values.reduce<[string, RegExp] | undefined>((best, v) => (at(v[1], t) < (best ? at(best[1], t) : Infinity) ? v : best), undefined)
    : values.find(([, re]) => re.test(t)));
  const withState = (t: string): [string, RegExp] | undefined => {
    const state = lasting?.[1].exec(t);
    if (!state) return judged(t);
    return judged(`${t.slice(0, state.index)} ${t.slice(state.index + state[0].length)}`) ?? lasting;
  };
  return (text: string, attempt = 1): ParseResult<{ value?: string; unknown?: true; unread?: true; text: string }> => {
    const said = normalize(emojiAsWords(text));
    // What is judged is what is said besides « je sais pas » (« no idea » is no « no »; « je sais pas, stable »).
    const t = withoutDontKnow(said)
      // « euh… oui », « finalement non », "well, yes": what only leads to the answer.
      .replace(/^(?:(?:euh|alors|bah|ben|bon|hmm|hum|en fait|finalement|je dirais|honnetement|franchement|(?:comme )?je (?:vous )?l ai (?:deja )?dit|comme dit|deja dit|well|um|honestly|i d say|as i said|i said) )+/, '');
    // « meileure », « stabl », « moin bonne », « en parti »: the whole answer one letter off one of the words offered.
    const typo = typos.find(([, words]) => words.some((w) => oneLetterOff(t, w)))?.[0];
    const found = typo ? [typo] : withState(t);
    // « je sais pas, c'est le trésorier qui suit ça »; but « je sais pas, stable je crois » is stable.
    if (saysDontKnow(said) && (!found || UNSURE_OF_WHAT_FOLLOWS.test(said))) return ok({ unknown: true, text: text.trim() });
    if (found) return ok({ value: found[0], text: text.trim() });
    // A real explanation (« on a fait la fiche de poste, le reste attend le CA ») is kept as written.
    if (said.split(' ').length >= 6) {
      const read = checkinText()(text);
      return read.ok ? ok({ text: read.value }) : read;
    }
    // No words (« ??? », a keyboard mash, an emoji): not understood — the third in a row hands over.
    if (!looksLikeWords(text)) return notUnderstood(errorKey);
    // Words no reading places (« voir avec la trésorière »): asked again, then kept as typed like any
    // answer in words, rather than asked forever (the structure would go on answering the next questions here).
    return keptAfterRetries(attempt, unread(text), errorKey);
  };
}

/** 👍, 👎, 📈, 📉 said instead of words (a phone user's quick answer). */
function emojiAsWords(text: string): string {
  return text.replace(/(?:\u{1F44D}|\u{1F44C}|\u{2705}|\u{1F197})[\u{1F3FB}-\u{1F3FF}\u{FE0F}]?/gu, ' oui ').replace(/(?:\u{1F44E}|\u{274C})[\u{1F3FB}-\u{1F3FF}\u{FE0F}]?/gu, ' non ')
    .replace(/\u{1F4C8}/gu, ' mieux ').replace(/\u{1F4C9}/gu, ' moins bien ');
}

/** `said` is `word` typed with one letter wrong, missing, added or two swapped (for words of five letters or more). */
function oneLetterOff(said: string, word: string): boolean {
  if (word.length < 5 || Math.abs(said.length - word.length) > 1 || said === word) return false;
  let i = 0;
  while (i < said.length && said[i] === word[i]) i += 1;
  const rest = (a: number, b: number) => said.slice(a) === word.slice(b);
  return rest(i + 1, i + 1) || rest(i + 1, i) || rest(i, i + 1) || (said[i] === word[i + 1] && said[i + 1] === word[i] && rest(i + 2, i + 2));
}

/** Satisfaction in words, from 1 to 5: the first pattern that matches wins (« pas très satisfait » before « très satisfait »). */
const SATISFACTION_WORDS: [number, RegExp][] = [
  // The answer to « votre satisfaction ? » with no adjective: « pas du tout » (satisfied), « pas vraiment ».
  [1, /^(?:non )?(?:pas du tout|absolument pas|vraiment pas|not at all|absolutely not)$/],
  [2, /^(?:non )?(?:pas vraiment|pas trop|pas tellement|pas beaucoup|not really|not much|not very)$/],
  [3, /\b(ni satisfait\w* ni (insatisfait|mecontent|decu)\w*|neither satisfied nor dissatisfied)\b/],
  [4, /\b(pas mecontent\w*|pas decu\w*|not disappointed|not unhappy|pas mauvais\w*|pas (si )?mal|not bad)\b/],
  [1, /\b((tres|vraiment|totalement) mauvais\w*|nul(le)?s?|catastroph\w*|horrible|awful|very bad|useless)\b/],
  [2, /\b(pas (tres |si |super |vraiment |trop )?(bien|top|terrible|genial|bon|bonne|super|terrible)|not (very |that |so )?(good|great)|mauvais\w*|(plutot |assez )?decevant\w*|bad|poor|(plutot |vraiment |assez )?peu (satisfait|content)\w*|plutot pas (satisfait|content)\w*|pas (tres|vraiment|trop|super|completement|entierement|totalement) (satisfait|content)\w*|(un peu|un petit peu|plutot|assez) (decu|mecontent)\w*|not (very|really|entirely|fully|completely|quite) satisfied|(somewhat|rather|fairly|slightly|a bit|a little) (dissatisfied|disappointed|unhappy))\b/],
  [1, /\b(pas du tout (satisfait|content)\w*|pas satisfait\w*|pas content\w*|insatisfait\w*|(tres |vraiment |totalement )?decu\w*|mecontent\w*|not at all satisfied|not satisfied|(very |really |totally )?(dissatisfied|unsatisfied|disappointed|unhappy)|terrible)\b/],
  [3, /\b(moyen\w*|mitige\w*|bof|mouais|couci couca|neutre|partagee?s?|so[ -]so|average|mixed|neutral|middling|lukewarm|correct\w*|ok|okay|ca va|ca peut aller|passable|acceptable|alright)\b/],
  [5, /\b((tres|vraiment|extremement|entierement|completement|pleinement|totalement|parfaitement|super|hyper|tout a fait|on ne peut plus) (satisfait|content)\w*|ravie?s?|enchantee?s?|comblee?s?|(very|really|extremely|completely|fully|totally|entirely) (satisfied|happy|pleased)|delighted|thrilled|super|top|au top|genial\w*|excellent\w*|parfait\w*|nickel|formidable|tres bien|great|perfect|amazing|awesome|brilliant|very good|fantastic)\b/],
  [4, /\b(satisfait\w*|contente?s?|satisfied|happy|pleased|bien|bon|bonne|good|pretty good|fine)\b/],
];

/** The scale said with the mark (« sur 5 », « /5 », « de 1 à 5 »): not the mark itself. */
const SCALE = /(?:\b(?:de|entre|from|between)\s+)?\b(?:1|un|one)\s*(?:a|et|-|to|and)\s*(?:5|cinq|five)\b|(?:\bsur\b|\/|\bout of\b)\s*(?:5|cinq|five|10|dix|ten|20|vingt|twenty)\b/g;
const MARK_NUMBER = '(\\d+(?:[.,]\\d+)?|un|une|one|deux|two|trois|three|quatre|four|cinq|five|six|sept|seven|huit|eight|neuf|nine|dix|ten)';
/** « 4 sur 5 », « 4/5 », « 8 sur 10 », « four out of five ». */
const MARK_ON_SCALE = new RegExp(`(?<![\\w.,])${MARK_NUMBER}\\s*(?:\\/|\\bsur\\b|\\bout of\\b)\\s*(5|cinq|five|10|dix|ten|20|vingt|twenty)\\b`);
const numberOf = (word: string): number => (/^\d/.test(word) ? Number(word.replace(',', '.')) : NUMBER_WORDS[word]);
/** A mark on 5 as the check-in stores it: a half mark is the mark below (« 4,5 » → 4), another scale rounded (« 7/10 » → 4). */
const onFive = (mark: number, of = 5): number => Math.min(5, Math.max(1, of === 5 ? Math.floor(mark) : Math.round((mark / of) * 5)));

/** Lower case, no accents, apostrophes as spaces: as the marks are read. */
const folded = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[’'`´]/g, ' ').replace(/\s+/g, ' ');

/** A mark on its scale and nothing else (« je dirais 4 sur 5 », « 4/5 »): the satisfaction, whatever the question asked. */
const markAlone = (text: string) => MARK_ON_SCALE.test(folded(text)) && satisfactionWords(text) === undefined;

/**
 * Satisfaction from 1 to 5: the mark given wins over the scale said with it (« sur 5 je mettrais
 * 4 », « 4/5 », « note : 4 », « 8 sur 10 » → 4), then a number word (« quatre »), then words
 * (« plutôt satisfait » → 4, « bof » → 3, « déçu » → 1).
 */
export function readSatisfaction(text: string): number | undefined {
  // ⭐⭐⭐⭐: as many stars as the mark; 👍 alone, satisfied.
  const stars = text.match(/[\u{2B50}\u{1F31F}\u{2605}]/gu)?.length ?? 0;
  if (stars >= 1 && stars <= 5 && !/\d/.test(text)) return stars;
  if (/^\s*\u{1F44D}[\u{1F3FB}-\u{1F3FF}]?\s*$/u.test(text)) return 4;
  const t = folded(text);
  const onScale = MARK_ON_SCALE.exec(t);
  if (onScale) {
    const [mark, of] = [numberOf(onScale[1]), numberOf(onScale[2])];
    if (mark >= 0 && mark <= of) return onFive(mark, of);
  }
  const rest = t.replace(SCALE, ' ');
  const digits = [...rest.matchAll(/(?<![\d.,])\d+(?:[.,]\d+)?(?!\d)/g)].map((m) => numberOf(m[0])).find((n) => n >= 1 && n <= 5);
  if (digits) return onFive(digits);
  const words = normalize(rest).split(' ');
  // « un », « une », « one » are articles (« un peu déçu »), a mark only when said alone.
  const word = words.map((w) => (words.length > 1 && /^(un|une|one)$/.test(w) ? undefined : NUMBER_WORDS[w])).find((n) => n !== undefined && n >= 1 && n <= 5);
  if (word) return word;
  const plain = normalize(text);
  return SATISFACTION_WORDS.find(([, re]) => re.test(plain))?.[0];
}

/**
 * The words said with a satisfaction mark (« moyennement, c'était un peu court »), kept beside the
 * mark for the chargé·e (`answers.satisfactionWords`); undefined for a bare mark (« 4 », « 4/5 »,
 * « quatre », ⭐⭐⭐⭐), which says nothing more.
 */
export function satisfactionWords(text: string): string | undefined {
  const rest = normalize(text.replace(SCALE, ' ')).split(' ').filter((w) => w && !/^\d+$/.test(w) && NUMBER_WORDS[w] === undefined && !/^(?:sur|note|out|of|je|j|i|d|mettrais|mets|mettrai|dirais|dis|donne|donnerais|give|would|say)$/.test(w));
  return rest.length && looksLikeWords(text) ? text.trim().slice(0, 2000) : undefined;
}

/** A negation shortly before the word: « pas mieux », « ne s'est pas amélioré », « not better ». */
const NEGATED = '\\b(?:pas|plus|jamais|ne|n|not|no|never)\\b(?:\\s+\\S+){0,2}?\\s+';

/**
 * « la tréso reste tendue », « toujours en déficit », "cash is still tight": a state that goes on,
 * not a change — the same, however hard (« encore plus tendue », « toujours pire » still compare;
 * « le reste » is a noun).
 */
const STILL = new RegExp('(?<!\\b(?:le|du|au) )\\b(?:reste|restent|demeure|toujours|encore|still|remains?|stays?|always)\\b'
  + '(?:\\s+(?!(?:plus|moins|pire|mieux|more|less|worse|better)\\b)\\S+){0,3}?\\s+'
  + '(?:tendue?s?|difficiles?|compliquee?s?|fragiles?|juste|serree?s?|precaires?|critiques?|dure?s?|en difficulte|en deficit|deficitaires?|dans le rouge|du mal'
  + '|tight|difficult|hard|precarious|struggling|a struggle|in the red|stable|bien|bonne|solide|saine?|correcte?|ok|good|fine|healthy|solid)\\b');

// The first judgement in the answer: « plutôt stable, la trésorerie va mieux » is the same; a state
// that goes on only when nothing else is judged (« la tréso reste tendue mais ça va mieux » is better).
const TREND = scale([
  // Starts at the negation: « pas mieux qu'avant », « ça ne s'est pas amélioré » say the same, not better.
  ['same', new RegExp(`${NEGATED}(?:mieux|meilleure?s?|ameliore(?:e|es|s)?|better|improved)\\b`)],
  // « pas terrible », « pas top », « ça ne va pas bien », "not great": not good, so worse.
  ['worse', new RegExp(`${NEGATED}(?:bien|bon|bonne|terrible|top|fameux|fameuse|brillant|brillante|ok|great|good|well|fine)\\b`)],
  // « pas mal », « moins tendue », "not bad": better (before « mal », « tendue », "bad" below).
  ['better', /\b(pas (?:si )?mal|not bad|moins (?:difficile|tendue?|compliquee?|fragile|juste))\b/],
  ['worse', /\b(moins bonne|moins bien|pire|degrade\w*|worse|baisse|en baisse|fragilise\w*|plus difficile|pas (?:tres |vraiment )?stable|instable|not stable|unstable|difficile|difficult\w*|tendue?s?|compliquee?s?|fragile|critique|mal|galere|dure?|en difficulte|deficit\w*|perdu|perte|ca (?:ne )?va pas|tight|struggling|hard|bad|declin\w*|terrible)\b/],
  // « ça va bien », « très bien », « bonne », "good": the better of the three answers offered.
  ['better', /\b(meilleure?s?|mieux|ameliore\w*|amelioration|better|improved|improving|en hausse|plus solide|progres\w*|progresse\w*|redresse\w*|on respire|ca respire|on souffle|assaini\w*|plus saine?|(?:re)?trouve l equilibre|ca va (?:tres |plutot |assez )?bien|(?:tres |plutot |assez )?bien|bonne|good|great|healthier|stronger|growing)\b/],
  ['same', /\b(stable|pareil|identique|inchange\w*|same|comme avant|bof|ni mieux ni pire|sans changement|pas de changement|idem|on s en sort|on tient le coup|ca tient|on tient|ca va(?! (?:\S+ ){0,2}(?:mieux|bien|mal|moins|pas))|correcte?|ok|okay|a l equilibre|equilibree?|fine|steady|unchanged|no change)\b/],
], 'checkin.trend.invalid', true, [['better', ['meilleure', 'meilleur', 'mieux', 'better']], ['same', ['stable', 'pareil']], ['worse', ['moins bonne', 'moins bien', 'worse']]], ['same', STILL]);

/** A count of the recommendations applied: « quatre sur cinq », « 3/5 », "4 out of 5". */
const COUNT = '(?:\\d+|zero|aucune?|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|one|two|three|four|five|six|seven|eight|nine|ten)';
const COUNT_OF = `${COUNT} (?:sur|out of) ${COUNT}`;

const YES_PARTLY_NO = scale([
  // « 5 sur 5 »: all of them; « 0 sur 5 »: none; « quatre sur cinq », « toutes sauf une »: some (below).
  ['yes', new RegExp(`\\b(${COUNT}) (?:sur|out of) \\1\\b`)],
  ['no', new RegExp(`\\b(?:0|zero|aucune?|none) (?:sur|out of) ${COUNT}\\b`)],
  ['partly', new RegExp(`\\b(?:${COUNT_OF}|sauf|except)\\b`)],
  // Before « non »: « pas toutes », « pas encore tous », « pas complètement » say some, not none.
  ['partly', /\b(oui mais|yes but|en partie|une (?:bonne |grande |petite )?partie|partiellement|un peu|a moitie|la moitie|moitie|plus ou moins|certaines?|quelques|pas (?:encore )?tou(?:t|te|s|tes)|pas (?:completement|entierement|totalement)|la plupart|mais pas|bof|mouais|moyennement|en grande partie|en bonne partie|presque|quasi\w*|la majorite|majoritairement|en cours|on y travaille|en train|(?<!\b(?:pas|pas encore|jamais|not|not yet) )(?:commence\w*|entame\w*|started|begun)|ca avance|ca progresse|oui et non|partly|some|somewhat|a bit|a little|kind of|sort of|in part|half|most of them|in progress|working on it|getting there|yes and no|not (?:all|quite|entirely|completely|fully))\b/],
  // « c'est pas plus clair », « on n'y voit pas plus clair »: the question's words, negated.
  ['no', /^(non|nan|no|nope|nah|pas du tout|pas vraiment|pas trop|pas tellement|plutot non|pas encore|pas eu le temps|pas plus clair\w*|aucune?|rien|jamais|je (?:ne )?(?:pense|crois) pas|not really|not yet|not at all|not much|none|never|i don t think so)\b|^(?:c est|ce n est|on (?:n )?y voit|on (?:ne )?voit|j (?:n )?y vois) (?:pas|not) plus clair/],
  // « ça reste flou », « toujours aussi flou », "still unclear": not clearer.
  ['no', /\b(?:flou\w*|brouill\w*|unclear|blurry|fuzzy)\b/],
  // « notre vision n'est pas encore claire », « toujours pas clair », "not clear yet": the question's words, negated, anywhere.
  ['no', /\b(?:pas|not) (?:encore |toujours |tres |vraiment |yet |really |very )?(?:clair\w*|clear\w*)/],
  // « c'est beaucoup plus clair », « on y voit plus clair »: the question's words, said back.
  ['yes', /^(oui|ouais?|ouaip|ouep|yes|yep|yeah|yup|plutot oui|tout a fait|completement|entierement|globalement|dans l ensemble|absolument|bien sur|evidemment|carrement|clairement|certainement|sans (?:aucun )?doute|ok|toutes|tous|je (?:pense|crois)|(?:(?:c est|c est devenu|ca devient|on y voit|j y vois|on voit) )?(?:beaucoup |bien |nettement |largement |vraiment )?plus clair\w*|vraiment|mostly|absolutely|definitely|of course|sure|certainly|all of them|i think so|(?:much )?clearer)\b/],
], 'checkin.yesPartlyNo.invalid', false, [['partly', ['en partie', 'partiellement', 'partly']]]);


/**
 * « non », and the ways of saying it: « nope », « pas de nouveaux besoins », « pas pour le moment »,
 * « tout va bien », « RAS », « on verra »… — each one handed off to a chargé·e as a need otherwise.
 */
// « pour l'instant pas d'autres besoins », « a priori non »: what leads to the answer first.
const NO_NEW_NEEDS = new RegExp(`^(?:(?:pour l instant|pour le moment|a priori|apriori|sinon|alors|euh|bah|ben) )*(?:${[
  'non', 'nan', 'nope', 'nah', 'no', 'rien', 'aucun', 'aucune', 'ras', 'r a s', 'merci non', 'tout va bien', 'ca va', 'on verra', 'peut etre plus tard', 'plus tard peut etre',
  'pas (?:pour l instant|pour le moment|maintenant|encore|besoin|vraiment|specialement|particulierement|que je sache|de besoins?|d autres? besoins?|de (?:nouveaux|nouvelles|nouveau|nouvelle|autres?) (?:besoins?|demandes?))',
  'nothing', 'none', 'no need', 'not (?:right )?now', 'not at the moment', 'not for now', 'not really', 'not yet', 'all good', 'we (?:re|are) (?:good|fine|ok)', 'maybe later',
].join('|')})\\b`);

export const CHECKIN_SLOTS: CheckinSlot[] = [
  { key: 'jobs', parse: jobsText },
  { key: 'economics', suggestions: ['checkin.trend.better', 'checkin.trend.same', 'checkin.trend.worse'], parse: TREND },
  { key: 'strategy', suggestions: ['checkin.yesPartlyNo.yes', 'checkin.yesPartlyNo.partly', 'checkin.yesPartlyNo.no'], parse: YES_PARTLY_NO },
  { key: 'partnerships', parse: partnershipsText },
  { key: 'recommendations', suggestions: ['checkin.yesPartlyNo.yes', 'checkin.yesPartlyNo.partly', 'checkin.yesPartlyNo.no'], parse: YES_PARTLY_NO },
  {
    key: 'satisfaction', suggestions: ['1', '2', '3', '4', '5'],
    parse: (text, attempt = 1) => {
      const n = readSatisfaction(text);
      if (n) return ok(n);
      if (saysDontKnow(text)) return ok({ unknown: true, text: text.trim() });
      return looksLikeWords(text) ? keptAfterRetries(attempt, unread(text), 'checkin.satisfaction.invalid') : notUnderstood('checkin.satisfaction.invalid');
    },
  },
  {
    key: 'newNeeds',
    parse: (text) => {
      const t = normalize(text);
      const words = t.split(' ').filter(Boolean);
      // « je ne sais pas » is not a need to hand off; « je sais pas, peut-être la com » may be one.
      if (saysDontKnow(t) && !/\b(mais|but|sauf|peut[ -]etre|maybe|perhaps|probablement|probably|sans doute)\b/.test(t)) return ok({ any: false, unknown: true, text: text.trim() });
      // « oui » alone says there are some, not which: asked.
      if (/^(oui|yes|ouais|oui oui|oui plutot|yes please)$/.test(t)) return fail('checkin.newNeeds.which');
      // « Non merci, mais on aimerait un appui sur le numérique »: the « mais » carries a need.
      const noButNeeds = /\b(mais|but|sauf)\b/.test(t) && words.length >= 5;
      if (!noButNeeds && NO_NEW_NEEDS.test(t)) return ok({ any: false, text: text.trim() });
      const needs = checkinText(3)(text);
      return needs.ok ? ok({ any: true, text: needs.value }) : needs;
    },
  },
];

/** What starts a correction of an answer already given: « non en fait », « pardon », « je me suis trompé », "actually", "I meant". */
const CORRECTION_LEAD = /^\s*(?:non[\s,]+)?(?:en fait|finalement|pardon|oups|correction|erreur|je me suis tromp[ée]+(?:[·.-]?e)?|je voulais dire|euh non|attendez|actually|sorry|oops|i meant|wait)(?![\p{L}\p{N}])[\s,:.!-]*(.+)$/iu;

/** Words naming what each question is about: a correction that names it is about it. */
const TOPIC: Record<string, RegExp> = {
  jobs: /\b(emplois?|postes?|embauch\w*|recrut\w*|salarie\w*|cdi|cdd|jobs?|hired?|hiring|staff|employ\w*|licenci\w*|contrats?)\b/,
  economics: /\b(treso\w*|financ\w*|economi\w*|budget|comptes|sante|cash|money)\b/,
  strategy: /\b(vision|strateg\w*|projet)\b/,
  partnerships: /\b(partenari\w*|partenaires?|partners?|partnerships?|alliances?|conventions?|collabor\w*)\b/,
  recommendations: /\b(preconisations?|recommandations?|recommendations?)\b/,
  satisfaction: /\b(satisf\w*|note|notes|etoiles?|mettrai\w*|donnerai\w*|stars?|give|rate|rating|out of|sur 5|sur cinq)\b|\/\s*5/,
};

/**
 * « non en fait 3 embauches » at the question after the jobs one: the answer just given, corrected —
 * when the words after the lead read as that question's answer, and name what it is about or
 * cannot answer the question asked now. Undefined otherwise (it answers the question asked).
 */
export function correctionOf(text: string, previousKey: string, currentKey: string): { text: string; value: unknown } | undefined {
  // « je dirais 4 sur 5 » at the new-needs question: the mark, given again (after « je sais pas »), needs no lead.
  const rest = CORRECTION_LEAD.exec(text)?.[1]?.trim() ?? (previousKey === 'satisfaction' && markAlone(text) ? text.trim() : undefined);
  const previous = CHECKIN_SLOTS.find((s) => s.key === previousKey);
  const current = CHECKIN_SLOTS.find((s) => s.key === currentKey);
  if (!rest || !previous || !current) return undefined;
  const read = previous.parse(rest, 1);
  // A reading, not words kept as typed: a trend or a yes/no said, a mark, a need.
  const value = read.ok ? read.value : undefined;
  const isReading = typeof value === 'number' || typeof value === 'string' || (typeof value === 'object' && value !== null && ('value' in value || 'any' in value));
  if (!isReading) return undefined;
  const named = (TOPIC[previousKey]?.test(normalize(rest)) ?? false) || (previousKey === 'satisfaction' && markAlone(rest));
  // Free text reads anything: only a count (« en fait 3 ») says the jobs answer is corrected.
  const fitsPrevious = previousKey === 'jobs' ? /\d/.test(rest) || normalize(rest).split(' ').some((w) => NUMBER_WORDS[w] !== undefined) : previousKey !== 'partnerships';
  if (named || (fitsPrevious && !current.parse(text, 1).ok)) return { text: rest, value };
  return undefined;
}

/** « on aurait besoin d'aide sur la com », « il nous faudrait un appui », "we would need help": a need, said at any question. */
const NEED = /\b(?:(?:on|nous|j)\s+(?:aurait|aurions|aurais|a|avons|ai)\s+(?:bien\s+|vraiment\s+|grand\s+|surtout\s+)?besoin|besoin d(?:e l)?\s*(?:aide|un appui|appui|un accompagnement|accompagnement|soutien|conseils?)|il nous (?:faudrait|faut) (?:de l aide|un appui|un accompagnement|du soutien|des conseils)|(?:on|nous|j)\s+(?:aimerait|aimerions|aimerais|voudrait|voudrions|voudrais|souhaiterait|souhaiterions|souhaite|souhaitons)\s+(?:bien\s+|beaucoup\s+)?(?:de l aide|un appui|un accompagnement|etre accompagne\w*|etre aide\w*|un soutien|des conseils|de l accompagnement|se faire aider|un coup de main)|we\s+(?:would\s+|d\s+)?(?:really\s+)?need\s+(?:help|support|some help|advice)|we could use (?:some )?help|we (?:would|d) like (?:some )?(?:help|support))/;
/** « pas besoin d'aide », « on n'a plus besoin »: no need said. */
const NO_NEED_BEFORE = /\b(?:pas|plus|sans|jamais|don t|do not|no longer|not)\s+(?:\S+\s+)?$/;

/**
 * A project of its own to come (« on a un nouveau projet de tiers-lieu », « nous lançons un projet de
 * recyclerie », "we have a new project"): a need for the DLA too, though it asks for nothing. Not
 * a project done with someone (« un nouveau projet avec la mairie » answers the partnerships).
 */
/**
 * « on voudrait maintenant travailler notre modèle économique », « on aimerait revoir notre
 * gouvernance », "we would now like to work on our business model": something the structure
 * wants to work on next, a need though it asks for no help.
 */
const WANTS_TO_WORK_ON = /\b(?:(?:on|nous|j)\s+(?:aimerait|aimerions|aimerais|voudrait|voudrions|voudrais|souhaiterait|souhaiterions|souhaite|souhaitons|veut|voulons|envisage|envisageons)\s+(?:(?:maintenant|desormais|bien|aussi|ensuite|a present)\s+)*(?:(?:re)?travailler(?!\s+(?:avec|ensemble|chez|pour))|revoir|repenser|structurer|restructurer|consolider|diversifier|ameliorer|refaire|renforcer|professionnaliser|clarifier)|we\s+(?:(?:would|d)\s+(?:now\s+|also\s+)?like|(?:now\s+|also\s+)?want)\s+to\s+(?:now\s+)?(?:work on|rethink|review|rework|strengthen|improve|restructure|diversify|consolidate))\b/;

const NEW_PROJECT = /\b(?:(?:on|nous|j)\s+(?:a|avons|ai|lance|lancons|monte|montons|demarre|demarrons|prepare|preparons)\s+(?:un|une)\s+(?:(?:nouveau|nouvel|nouvelle|autre|gros|grand)\s+)?projet\s+(?:de|d)|nouveaux?\s+projets?\s+(?:de|d)|we\s+(?:have|ve got|are starting|re starting|are launching|re launching)\s+a\s+(?:new\s+)?project)\b/;

/** True when the answer says the structure needs something (« on aurait besoin d'aide sur la com », « on a un nouveau projet de tiers-lieu », « on voudrait revoir notre gouvernance »). */
export function saysNeed(text: string): boolean {
  const t = normalize(text);
  const m = NEED.exec(t) ?? NEW_PROJECT.exec(t) ?? WANTS_TO_WORK_ON.exec(t);
  return !!m && !NO_NEED_BEFORE.test(t.slice(0, m.index));
}

/**
 * An answer that also tells a need (« stable, mais on aurait besoin d'aide sur la com »): what it
 * answers of the question `key`, if anything besides the need — a trend, yes/no or mark read, or
 * for the free-text questions words about their subject (« on a gardé les 3 postes »).
 */
export function answerBesidesNeed(key: string, text: string): unknown {
  const read = CHECKIN_SLOTS.find((s) => s.key === key)?.parse(text, 1);
  if (!read?.ok) return undefined;
  const value = read.value;
  if (typeof value === 'number') return value;
  // « oui avec la communauté de communes, et on aurait besoin… »: partners named after « avec ».
  const partners = key === 'partnerships' && /^(?:oui |yes )?(?:avec|with) /.test(normalize(text));
  if (typeof value === 'string') return TOPIC[key]?.test(normalize(text)) || partners || (key === 'jobs' && /\d/.test(text)) ? value : undefined;
  return typeof value === 'object' && value !== null && ('value' in value || 'unknown' in value) ? value : undefined;
}

/** The questions an answer to another one may also answer, clause by clause (« …, la tréso va mieux et on a un partenariat avec la mairie »). */
const SAID_IN_PASSING = ['economics', 'strategy', 'partnerships', 'recommendations', 'satisfaction', 'newNeeds'];

/**
 * What a clause said in passing names, more strictly than at the question itself: satisfaction by
 * its word or a mark on its scale (« je mettrais 4/5 »; « 3 postes sur 5 » is no mark), new needs by
 * the word (« pas d'autres besoins »).
 */
const NAMED_IN_PASSING: Record<string, (clause: string) => boolean> = {
  ...Object.fromEntries(Object.entries(TOPIC).map(([key, re]) => [key, (clause: string) => re.test(normalize(clause))])),
  satisfaction: (clause) => /\b(satisf\w*|note|mettrai\w*|etoiles?|stars?)\b/.test(normalize(clause)) || MARK_ON_SCALE.test(clause.toLowerCase()),
  newNeeds: (clause) => /\b(besoins?|needs?)\b/.test(normalize(clause)),
};

/** What a clause said in passing answers: a reading (a trend, yes / partly / no, a mark, « no new needs »), or any words about a partnership. */
function readInPassing(key: string, value: unknown): boolean {
  if (key === 'partnerships') return typeof value === 'string';
  if (key === 'satisfaction') return typeof value === 'number';
  if (typeof value !== 'object' || value === null) return false;
  // A need said in passing is noted as one (saysNeed), never taken as the new-needs answer.
  return key === 'newNeeds' ? (value as { any?: boolean; unknown?: boolean }).any === false && !(value as { unknown?: boolean }).unknown : 'value' in value;
}

/** « mais », « par contre », "but": the clause goes on with what it opposes (« la tréso reste tendue mais ça va mieux »). */
const CONTRAST = /^(?:mais|but|par contre|en revanche|cependant|pourtant|quand meme|toutefois|however)\b/;

/**
 * What an answer to question `key` also says of the questions not answered yet (`answers`): a
 * clause naming the finances with a trend read (« la tréso va mieux »), a clause naming a
 * partnership (« on a un partenariat avec la mairie »), the vision or the recommendations with a
 * yes / partly / no, a mark, « pas d'autres besoins ». Each with its clause, as said — and the
 * clause after it when it only opposes it (« la tréso reste tendue mais ça va mieux »).
 */
export function saidInPassing(text: string, key: string, answers: Record<string, unknown>): { key: string; text: string; value: unknown }[] {
  // « stable, et on a un partenariat… »: the clause without the conjunction that joined it; `contrast`
  // when that conjunction, or its first words, oppose it to the clause before.
  const clauses: { text: string; start: number; end: number; contrast: boolean }[] = [];
  let from = 0;
  let joinedBy = '';
  for (const m of [...text.matchAll(/\s*(?:[,;.!?\n]+|\s(?:et|mais|puis|and|but)\s)\s*/giu), undefined]) {
    const end = m ? m.index! : text.length;
    const raw = text.slice(from, end);
    const lead = /^\s*(?:(?:et|mais|puis|aussi|and|but)\s+)*/iu.exec(raw)![0];
    const said = raw.slice(lead.length).trim();
    if (said) clauses.push({ text: said, start: from + lead.length, end: from + lead.length + said.length, contrast: /\b(?:mais|but)\b/i.test(joinedBy + lead) || CONTRAST.test(normalize(said)) });
    joinedBy = m?.[0] ?? '';
    from = m ? m.index! + m[0].length : text.length;
  }
  if (clauses.length < 2) return [];
  const namesAny = (clause: string) => Object.values(NAMED_IN_PASSING).some((named) => named(clause));
  const found: { key: string; text: string; value: unknown }[] = [];
  for (const other of SAID_IN_PASSING.filter((k) => k !== key && answers[k] === undefined)) {
    const slot = CHECKIN_SLOTS.find((s) => s.key === other)!;
    for (let i = 0; i < clauses.length; i++) {
      if (!NAMED_IN_PASSING[other](clauses[i].text)) continue;
      // Goes on over the clauses that only oppose it, naming nothing else.
      let last = i;
      while (last + 1 < clauses.length && clauses[last + 1].contrast && !namesAny(clauses[last + 1].text)) last += 1;
      const said = last === i ? clauses[i].text : text.slice(clauses[i].start, clauses[last].end).trim();
      const read = slot.parse(said, 1);
      const value = read.ok ? read.value : undefined;
      if (readInPassing(other, value)) {
        found.push({ key: other, text: said, value });
        break;
      }
    }
  }
  return found;
}

/** The key of a need said at the check-in's offer (answerAtCheckinOffer): noted in `answers.needsSaid`, as at any question. */
export const NEED_SAID = 'needsSaid';

/** The needs said at other questions than the new-needs one (stored in `answers.needsSaid`). */
export function needsSaid(answers: Record<string, unknown>): string[] {
  return Array.isArray(answers.needsSaid) ? answers.needsSaid.filter((x): x is string => typeof x === 'string') : [];
}

export function nextCheckinSlot(answers: Record<string, unknown>): CheckinSlot | undefined {
  return CHECKIN_SLOTS.find((s) => answers[s.key] === undefined);
}

/**
 * « pas maintenant », « pas le temps là », « stop », "not now": the structure answers the check-in
 * later (a pause, its answers kept), never an answer to the question. At the new-needs question,
 * « pas maintenant » answers it (no need for now).
 */
const LATER = ['pas maintenant', 'pas le temps', 'pas trop le temps', 'pas le temps maintenant', 'pas le temps aujourd hui', 'j ai pas le temps', 'je n ai pas le temps',
  'pas aujourd hui', 'une autre fois', 'on verra plus tard', 'je reponds plus tard', 'je repondrai plus tard', 'je vous reponds plus tard', 'je vous repondrai plus tard',
  'on reprend plus tard', 'on reprendra plus tard', 'stop', 'arretez', 'arrete', 'not now', 'not today', 'no time', 'remind me later', 'another time',
  'i ll answer later', 'i will answer later', 'i ll reply later', 'i will reply later'];
/** When the structure will answer: « la semaine prochaine », « demain », « lundi », "next week". */
const WHEN = '(?:plus tard|(?:la )?semaine prochaine|demain|ce soir|cet apres midi|dans (?:la semaine|quelques jours|\\w+ jours)|un autre jour|une autre fois|(?:lundi|mardi|mercredi|jeudi|vendredi)(?: prochain)?'
  + '|later|next week|tomorrow|tonight|another day|(?:on )?(?:monday|tuesday|wednesday|thursday|friday))';
/** « je vous réponds la semaine prochaine », « on finit ça demain », "I'll answer next week": the answers promised for later. */
const ANSWER_LATER = `(?:(?:je|j|on|nous) (?:vous )?(?:reponds|repondrai|repond|repondra|repondrons|reviens|reviendrai|revient|reviendra|reviendrons|finis|finirai|finit|finira|finirons|termine|terminerai|terminera|complete|completerai|fais|ferai|fait|fera|continue|continuerai|continuera|regarde|regarderai|regardera|verrai|verra)`
  + ` (?:(?:le reste|la suite|ca|cela|a la suite|au reste|vers vous) )?${WHEN}`
  + `|(?:i ll|i will|we ll|we will|i can|we can) (?:answer|reply|respond|get back to you|come back|finish|do (?:it|this|the rest)|continue)(?: (?:to you|on this|the rest|it))? ${WHEN}|${WHEN})`;
const NOT_NOW = new Set(['pas maintenant', 'pas aujourd hui', 'not now', 'not today']);
const LATER_SAID = new RegExp(`^(?:(?:desole|desolee|dsl|bonjour|sorry|hi|hello|euh|ah|oh|alors) )*(${LATER.join('|')}|${ANSWER_LATER})`
  + '(?: (?:merci|desole|desolee|dsl|sorry|thanks|thank you|la|svp|please|je suis occupee?|je suis debordee?|busy|i m busy'
  // « pas maintenant merci, je suis en réunion »: the reason said after it.
  + '|je suis en (?:reunion|rendez vous|rdv|deplacement|route|voiture)|en reunion|je conduis|je suis au volant|i m in a meeting|in a meeting|i m driving))*$');

/** 'pause' when the message, at the check-in question `slot`, says « later » rather than answers it. */
export function checkinCommand(text: string, slot: string | undefined): 'pause' | undefined {
  const said = LATER_SAID.exec(normalize(text))?.[1];
  if (!said || (slot === 'newNeeds' && NOT_NOW.has(said))) return undefined;
  return 'pause';
}

/**
 * At the welcome of a new conversation that offers a waiting check-in (« Voulez-vous y répondre
 * maintenant ? »), the answer to its next question typed at once (« on a embauché 2 personnes »):
 * that answer, read by the question's own slot — when the message names what the question is
 * about (« embauché », « la tréso ») and says nothing to the offer itself (saidToTheOffer, as at
 * the diagnostic's « On commence ? »), nor a need (asked at its own question). Biased towards
 * asking again: « oui » then the answer costs less than « bonjour » kept as the jobs answer.
 */
export function answerAtCheckinOffer(text: string, answers: Record<string, unknown>): { key: string; value: unknown } | undefined {
  const slot = nextCheckinSlot(answers);
  // « on a un nouveau projet de tiers-lieu »: a need, noted as one said at any question (NEED_SAID), the check-in then asked.
  if (slot && saysNeed(text)) return { key: NEED_SAID, value: text.trim().slice(0, 2000) };
  const topic = slot && TOPIC[slot.key];
  if (!slot || !topic || !topic.test(normalize(text)) || saidToTheOffer(text)) return undefined;
  const read = slot.parse(text, 1);
  return read.ok ? { key: slot.key, value: read.value } : undefined;
}
