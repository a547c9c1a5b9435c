/** Lower case, no accents, apostrophes and punctuation as spaces, single spaces. */
export function normalize(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’'`´]/g, ' ')
    .replace(/[^a-z0-9@.,\s-]/g, ' ')
    .replace(/[.,!?;:]+(\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** normalize(), hyphens read as spaces too (« pouvez-vous », « où en est-elle », « se passe-t-il »): the words a reader matches. */
export function normalizeWords(input: string): string {
  return normalize(input).replace(/-/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * « Je ne sais pas » and its variants, French and English, as normalize() writes them: « je sais
 * pas », « j'sais pas », « je ne le sais plus », « aucune idée », « pas la moindre idée », « je
 * n'en sais rien », « aucun avis », « pas sûr », « jsp » (typed on a phone) (not « pas sûr que… »: what follows is judged),
 * "I don't know", "dunno", "no idea", "not sure".
 */
const DONT_KNOW = '(?:je (?:ne )?(?:le |l )?sais (?:pas|plus)|j sais pas|jsais? pas|ne sais pas|sais pas|jsp|chais pas|aucune idee|pas la moindre idee|(?:je )?n en sais rien|j en sais rien|aucun avis'
  + '|pas sure?(?! qu)|i (?:do not|don t|dont) know|(?:don t|dont) know|dunno|no idea|not sure)';
const DONT_KNOW_IN = new RegExp(`\\b${DONT_KNOW}\\b`);
/**
 * A refusal to answer, as the whole answer (« je veux pas répondre », « je préfère ne pas le dire »,
 * « pas envie de répondre », "I'd rather not say"): read as not known — the question moves on where
 * « je ne sais pas » does, and the words are kept as typed for the chargé·e.
 */
const DECLINES = '(?:(?:je |j )?(?:ne )?(?:veux|veut|souhaite|prefere|tiens|voudrais) pas (?:repondre|le dire|le donner|la donner|le communiquer|vous le dire|vous le donner|en parler)'
  + '|(?:je )?prefere(?:rais)? ne pas (?:repondre|le dire|le donner|le communiquer|en parler)|pas envie (?:de repondre|de le dire|de le donner|d en parler)'
  + '|(?:je )?(?:ne )?reponds pas|no comment|sans commentaire|(?:i d|i would) rather not (?:say|answer|tell)|(?:i )?prefer not to (?:say|answer)|(?:i )?(?:don t|do not) want to (?:say|answer))';
/** The whole answer: the phrase (or « inconnu »), with a hesitation before it or an adverb after it (« euh, je sais pas trop »). */
const DONT_KNOW_WHOLE = new RegExp(`^(?:(?:euh+|heu+|bah|ben|hm+|alors|honnetement|franchement|well|um+|honestly) )*(?:${DONT_KNOW}|${DECLINES}|inconnue?)(?: (?:trop|du tout|vraiment|encore|desolee?|really|at all|sorry|a ca|a cette question|la dessus|to that|that))*$`);

/** The whole answer says the person does not know (« je ne sais pas », « euh, aucune idée », "no idea"): an answer, not a failure. */
export function isDontKnow(text: string): boolean {
  return DONT_KNOW_WHOLE.test(normalize(text));
}

/** Words that confirm what was just checked (« oui c'est le bon », « je confirme »), for isConfirmation. */
const CONFIRMS = '(?:oui|ouais|yes|yep|exact|exactement|tout a fait|correct|je confirme|confirme|absolument|c est (?:bien )?(?:ca|cela|exact|juste|correct|le bon(?: numero)?)|il est (?:bon|juste|correct)|le numero est (?:bon|juste|correct)|right|that s right|(?:it s|that s|it is) correct|i confirm)';
const CONFIRMATION_WHOLE = new RegExp(`^(?:${CONFIRMS})(?: ${CONFIRMS})*(?: (?:je vous assure|merci|thanks))?$`);

/** The whole answer confirms what the assistant doubted (« c'est correct », « oui c'est le bon numéro », "yes, that's right"). */
export function isConfirmation(text: string): boolean {
  return CONFIRMATION_WHOLE.test(normalize(text));
}

/** The answer says, somewhere, that the person does not know (« c'est le trésorier qui suit ça, je sais pas »). */
export function saysDontKnow(text: string): boolean {
  const said = normalize(text);
  return DONT_KNOW_WHOLE.test(said) || DONT_KNOW_IN.test(said);
}

/** What the answer says besides « je ne sais pas » (normalized): « je sais pas, stable » → « stable ». */
export function withoutDontKnow(text: string): string {
  return normalize(text).replace(new RegExp(DONT_KNOW_IN.source, 'g'), ' ').replace(/\s+/g, ' ').trim();
}

/**
 * What a structure typed, made inert before it is repeated in a Markdown message or card (Web
 * Chat, Teams): Markdown's backslash escapes keep « **Asso** », « [clic](http://…) » or
 * « _vraiment_ » as they were typed. `_` inside a word (camille_martin@…) is no emphasis and is
 * left alone, so an address copied from the message still works.
 */
export function inertMarkdown(text: string): string {
  return text.replace(/[\\*`~[\]]/g, '\\$&').replace(/(?<![\p{L}\p{N}])_/gu, '\\_');
}

/**
 * A Markdown list item: the lines after the first indented under it, so that a structure's words of
 * several paragraphs stay inside their item (Web Chat rendered the second one outside the list).
 */
export function listItem(text: string): string {
  return `- ${text.replace(/\r?\n/g, '\n  ')}`;
}

/** Markdown escapes (inertMarkdown's), kept aside while the emphasis markers are taken away. */
const ESCAPED = /\\([\\*`~[\]_])/g;
const KEPT = (c: string) => String.fromCharCode(0xe000 + c.charCodeAt(0));

/**
 * A bot message as plain text (« mes données »'s readable page): « **Quoi** », « _vraiment_ »,
 * « __à noter__ » read « Quoi », « vraiment », « à noter ». What was escaped (a structure's own
 * « **Asso** », repeated by the bot through inertMarkdown) reads as it was typed; `_` inside a
 * word (camille_martin@…) is no emphasis.
 */
export function markdownAsText(text: string): string {
  return text.replace(ESCAPED, (_, c: string) => KEPT(c))
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '$1')
    .replace(/(?<![\p{L}\p{N}_])__(?=\S)([\s\S]*?\S)__(?![\p{L}\p{N}_])/gu, '$1')
    .replace(/(?<![\p{L}\p{N}*])\*(?=\S)([^*\n]*?\S)\*(?![\p{L}\p{N}*])/gu, '$1')
    .replace(/(?<![\p{L}\p{N}_])_(?=\S)([^_\n]*?\S)_(?![\p{L}\p{N}_])/gu, '$1')
    .replace(/[\ue02a\ue05b-\ue05d\ue05f\ue060\ue07e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xe000));
}

/**
 * A text written on several lines (a chargé·e's parcours), its line breaks kept in a Markdown
 * message: Web Chat and Teams join lines a single line break separates, not lines ending in two
 * spaces (a hard break).
 */
export function markdownLineBreaks(text: string): string {
  return text.replace(/[ \t]*\r?\n/g, '  \n');
}

/** What a card said, as text (its TextBlocks and button titles): a card exchange is not an empty line. */
export function cardText(attachment: unknown, separator = ' / '): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if ((n.type === 'TextBlock' || n.type === 'Action.Submit' || n.type === 'Action.OpenUrl') && typeof (n.text ?? n.title) === 'string') texts.push(String(n.text ?? n.title));
    Object.values(n).forEach(walk);
  };
  walk((attachment as { content?: unknown } | undefined)?.content);
  return texts.join(separator).slice(0, 2000);
}

/** Card fields that say which card or choice it was, not what the person answered. */
const SUBMIT_KEYS_NOT_ANSWERS = new Set(['area', 'action', 'card']);

/** What a card submitted (« Pas de fiches de poste · 3 »), as text; '' when it holds no answer. */
export function submittedText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value).slice(0, 2000);
  return Object.entries(value as Record<string, unknown>)
    .filter(([k, v]) => !SUBMIT_KEYS_NOT_ANSWERS.has(k) && (typeof v === 'string' || typeof v === 'number') && String(v).trim() !== '')
    .map(([, v]) => String(v).trim()).join(' · ').slice(0, 2000);
}

/**
 * French typography: a no-break space inside « » and before « : », a narrow one before « ; ! ? »,
 * so that a line never starts with « » » or « ? » (« écrivez « aide », « recommencer
 * » ou … » on a phone). Applied to the French texts of locales/, not to what people type.
 */
export function frenchSpacing(text: string): string {
  return text
    .replace(/« /g, '«\u00a0')
    .replace(/ »/g, '\u00a0»')
    .replace(/ :(?=\s|$)/g, '\u00a0:')
    .replace(/ ([;!?])/g, '\u202f$1');
}

/** Keyboard rows (QWERTY and AZERTY), where a hand mashing keys runs along: « asdfgh », « azerty », « hjkl ». */
const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'azertyuiop', 'qsdfghjklm', 'wxcvbn'];
const ROW_RUNS = [...KEYBOARD_ROWS, ...KEYBOARD_ROWS.map((r) => [...r].reverse().join(''))];
const VOWELS = /[aeiouy]/g;

const vowelCount = (word: string) => (word.match(VOWELS) ?? []).length;
/** Part of a keyboard row, forwards or backwards (« sdf », « poiu »). */
const alongARow = (word: string) => ROW_RUNS.some((row) => row.includes(word));

/**
 * A word made by hitting keys, not by writing: one letter again and again (« zzzz », « jjjjjj »),
 * a run along a keyboard row (« qwerty », « azerty », « asdfgh », « hjkl »), a short chunk typed
 * again (« sdfsdf », « asdasd »), and, unless typed in capitals like an acronym (« TZCLD »),
 * letters of one row with hardly a vowel (« sdfgsdfh ») or a long word without any (« dfkjgh »).
 * `word`: lower case, no accents.
 */
function isKeyboardMash(word: string, acronym: boolean): boolean {
  if (/^(.)\1{2,}$/.test(word)) return true;
  const vowels = vowelCount(word);
  // « azer » (a first name) is kept: a 4-letter run needs to be almost vowel-less to be a mash.
  if (alongARow(word) && (word.length >= 5 || (word.length === 4 && vowels <= 1))) return true;
  const chunk = /^(.{2,4})\1+$/.exec(word)?.[1];
  // « tutu », « bonbon » are words: the chunk typed again is vowel-less or along a row.
  if (chunk && (vowelCount(chunk) === 0 || (chunk.length >= 3 && alongARow(chunk)))) return true;
  if (acronym) return false;
  // « jkl », « xcv » in lower case (« SDF » in capitals is an acronym).
  if (word.length === 3 && vowels === 0 && alongARow(word)) return true;
  if (word.length < 6) return false;
  if (KEYBOARD_ROWS.some((row) => [...word].every((c) => row.includes(c))) && vowels / word.length < 0.25) return true;
  return vowels === 0;
}

/**
 * Whether a free-text answer looks like words rather than a keyboard mash (« asdfgh »,
 * « qwerty », « zzzz », « sdfsdf »). Biased towards yes: a real name refused is worse than
 * gibberish kept, so acronyms (« ADIE », « TZCLD », « CCAS »), short names (« Nyx », « 3F »)
 * and consonant-heavy words (« Strasbourg », « Schwartz ») pass, and one real word among
 * mashes is enough. False for an answer with no letter or digit at all.
 */
export function looksLikeWords(text: string): boolean {
  const tokens = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').match(/[\p{L}\p{N}]+/gu) ?? [];
  // One or two letters (« a », « ok », « de ») say too little either way: words only when nothing else is a mash.
  const judged = tokens.filter((token) => token.length >= 3 || /\p{N}/u.test(token));
  if (judged.length === 0) return tokens.length > 0;
  return judged.some((token) => /\p{N}/u.test(token) || !isKeyboardMash(token.toLowerCase(), token === token.toUpperCase() && token.length <= 8));
}
