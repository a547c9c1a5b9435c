import { SPOKEN_PHONE, withSpokenDigits } from './spokenDigits';

/** A way for a chargé·e to reach the structure's contact person: an e-mail and/or a phone. */
export interface ContactPoint {
  email?: string;
  /** A mobile when one was given: it reaches the person. */
  phone?: string;
  /** A second number given with it (« Tél. 05 56 00 00 00 / Port. 06 12 34 56 78 »: the office's). */
  otherPhone?: string;
}

export const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
// French numbers: 0X XX XX XX XX or +33 X XX XX XX XX (spaces, dots or dashes between groups); DOM too.
export const PHONE = /(?:\+33\s?\(?0?\)?\s?|0033\s?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b/;

/**
 * Where the message a reply quotes begins, in an e-mail pasted whole: « Le 27/11/2026 à 10:12, … a
 * écrit : », "On … wrote:", « -----Message d'origine----- », "-----Original Message-----", or a line quoted with « > ».
 */
const QUOTED_REPLY = /^(?:>|le .{4,160}? a [ée]crit\s*:|on .{4,160}? wrote\s*:|-{3,}\s*(?:message d.origine|original message|message transf[ée]r[ée]|forwarded message))/imu;

/** The structure's own words of a pasted e-mail: without the message it quotes (whose sender is the DLA, or anybody else). */
function withoutQuotedReply(text: string): string {
  const m = QUOTED_REPLY.exec(text);
  return m && m.index > 0 ? text.slice(0, m.index) : text;
}

export function parseContactPoint(typed: string): ContactPoint | undefined {
  // « zéro six douze trente-quatre… » dictated: the number in figures.
  const text = withSpokenDigits(withoutQuotedReply(typed), SPOKEN_PHONE);
  const email = EMAIL.exec(text)?.[0].toLowerCase();
  // A signature with two numbers: the mobile first (it reaches the person), the other kept too.
  const [phone, otherPhone] = [...new Set([...text.matchAll(ALL_PHONES)].map((m) => formatPhone(m[0])))]
    .sort((a, b) => Number(MOBILE.test(b)) - Number(MOBILE.test(a)));
  return email || phone ? { ...(email ? { email } : {}), ...(phone ? { phone } : {}), ...(otherPhone ? { otherPhone } : {}) } : undefined;
}

/** A French mobile number, as formatPhone writes it. */
const MOBILE = /^0[67]/;

function formatPhone(raw: string): string {
  const digits = raw.replace(/\D/g, '').replace(/^(0033|33)/, '0').replace(/^00/, '0');
  const national = digits.startsWith('0') ? digits : `0${digits}`;
  return national.replace(/(\d{2})(?=\d)/g, '$1 ').trim();
}

const ALL_EMAILS = new RegExp(EMAIL.source, 'g');
const ALL_PHONES = new RegExp(PHONE.source, 'g');

/** Words around an address or a number that are not the person's name (accents removed, lower case). */
const LEAD_IN = new RegExp('^(?:'
  + '(?:mon|ma|notre|my|our)?\\s*(?:n(?:o|um(?:ero)?)?|tel(?:ephone)?|portable|mobile|fixe|phone(?: number)?|number|mail|e ?mail|courriel|adresse(?: e ?mail| mail)?|address|email address)'
  + '|c ?est|c etait|je suis|moi c ?est|je m appelle|my name is|i m|i am|this is|it s|nom|name|contact|prenom|'
  + 'vous pouvez me (?:joindre|contacter|appeler|ecrire)|(?:joindre|contacter|appeler|ecrire)(?: moi)?|appelez moi|ecrivez moi|joignable|reachable|call me|you can reach me|'
  + 'au|a|le|la|sur|par|at|on|via|ou|or|et|and|est|is|merci|thanks|thank you|plutot|de preference|preferably|'
  // « désormais Karim Benali », « maintenant c'est Paul »: when, not who.
  + 'desormais|dorenavant|maintenant|a present|now|from now on|'
  // What opens or closes a signature block: « Cordialement, », « Bien à vous ».
  + 'cordialement|bien cordialement|bien a vous|bonne journee|best regards|kind regards|regards|'
  + '(?:(?:de|du|pour) )?(?:preference|le mieux)'
  + ')(?:\\s+|$)'
  // What opens an answer, with its punctuation: « Bonjour, », « Oui bien sûr : », "Hi! Sure,".
  + '|^(?:bonjour|bonsoir|salut|coucou|hello|hi|oui|yes|bien sur|d accord|ok|okay|sure|of course|voici|voila|here|alors|moi)(?:[\\s!,.]+|$)');

/** The one-word lead-ins that also begin French names (« Le Goff », « La Fontaine », « Au Duc »). */
const LITTLE_WORD = /^(?:au|a|le|la|sur|par|on|ou|et|est)$/;

/**
 * A role in the structure, said before or after the name (« Mireille Dubois présidente », « la
 * trésorière, Anne Roy »): the contact has no role field, so it is not kept in the name. Inclusive
 * spellings too (« président·e », « directeur·rice »). Matched on folded text (see dropLeadIns).
 */
const ROLE = new RegExp('(?<=^|\\s)(?:(?:la|le|l|notre|votre|son|sa|en tant que|the|our|as)\\s+)?(?:(?:co|vice)\\s*)?(?:'
  + 'president(?:e|[·.]e)?s?|tresorier(?:e|[·.]e|ere)?s?|secretaire(?:\\s+generale?)?s?|directeur(?:[·.]?(?:rice|trice))?s?|directrice|'
  + 'coordinat(?:eur|rice)(?:[·.]?(?:rice|trice))?s?|charge(?:e|[·.]e)?\\s+de\\s+mission|gerant(?:e|[·.]e)?s?|salarie(?:e|[·.]e)?s?|benevoles?|'
  + 'chair(?:man|woman|person)?|treasurer|secretary|director|manager|coordinator|volunteer'
  + ')(?:\\s+(?:adjointe?|generale?|executive?|general))?'
  // « présidente de l'association », « director of the organisation »: the structure, not the person.
  + '(?:\\s+(?:de|du|d|of)\\s+(?:(?:l|la|le|the|notre|our)\\s+)?(?:association|asso|structure|ca|bureau|conseil d administration|cooperative|coop|board|organi[sz]ation|organism))?'
  + '(?=\\s|$)', 'g');

/**
 * The person's name in a contact answer, once its e-mail and phone are taken out: the lead-in
 * words (« mon tel c'est le », « vous pouvez me joindre au », « ou ») and roles (« présidente »)
 * dropped, what remains kept part by part (« Sophie Martin, Paris »).
 */
export function contactName(typed: string): string {
  const text = withSpokenDigits(withoutQuotedReply(typed), SPOKEN_PHONE);
  // A signature block pasted (« Claire Martin / Directrice / Les Petits Débrouillards / 12 rue des
  // Faures… »): the person's name is its first line that holds one — not the structure, its address
  // nor the labels of its numbers on the lines after it; in a whole e-mail, the first after its
  // closing (« Bien cordialement, », « -- »), not a sentence of the message before.
  const all = text.split('\n');
  const closing = all.map((line) => CLOSING.test(fold(line).trim())).lastIndexOf(true);
  const signature = closing >= 0 && all.slice(closing + 1).some((line) => line.trim()) ? all.slice(closing + 1) : all;
  // A sentence before it (« Voici mon numéro pour le rappel »: five words or more, not typed as a name) is no name.
  const lines = signature.filter((line, i, kept) => kept.length === 1 || !isSentence(line)).map(lineName).filter(Boolean);
  return (lines.length > 1 ? lines[0] : lines.join('')).slice(0, 300);
}

function isSentence(line: string): boolean {
  const words = line.trim().split(/\s+/);
  return words.length >= 5 && !/[\d@]/.test(line) && !writtenAsName(words.join(' '));
}

/** A line that closes a message before its signature (folded): « Bien cordialement, », « Merci d'avance », « -- », "Best regards". */
const CLOSING = /^(?:--+|(?:(?:bien|tres|tres bien) )?cordialement|bien a vous|a bientot|bonne (?:journee|soiree)|(?:un grand )?merci(?: d avance| beaucoup)?|(?:best|kind|warm)? ?regards|best|sincerely|thanks|cheers)[\s,.!]*$/;

function lineName(text: string): string {
  const parts = text.replace(ALL_EMAILS, '|').replace(ALL_PHONES, '|')
    // A sentence's full stop splits (« martin. mon tel »), an initial does not (« J. Dupont »).
    .split(/[|,;:()/]|\.(?=\s+\p{Ll}|\s*$)|\s-\s|\s(?:ou|or|et|and)\s/u)
    .map((part) => dropTrailing(dropLeadIns(dropRoles(dropLeadIns(part.trim())))))
    .filter((part) => /\p{L}/u.test(part));
  // The person's name first: typed all in lower case, it gets capitals (« Sophie Martin, directrice »).
  if (parts[0] && parts[0] === parts[0].toLowerCase()) parts[0] = capitalizeName(parts[0]);
  return parts.join(', ');
}

/** Accents removed, lower case, apostrophes and hyphens as spaces: one character for one (of an NFC text). */
const fold = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[’'`-]/g, ' ');

function dropRoles(part: string): string {
  const typed = part.normalize('NFC');
  const roles = [...fold(typed).matchAll(ROLE)];
  if (roles.length === 0) return part;
  let rest = typed;
  // From the end, so that the positions of the earlier ones still hold.
  for (const m of roles.reverse()) rest = rest.slice(0, m.index) + rest.slice(m.index + m[0].length);
  return rest.replace(/\s+/g, ' ').replace(/^[\s,.-]+|[\s,-]+$/gu, '');
}

function dropLeadIns(part: string): string {
  let rest = part.replace(/[.!?\s]+$/u, '');
  for (;;) {
    const folded = fold(rest);
    const m = LEAD_IN.exec(folded);
    if (!m) return rest;
    // « Le Goff Marie », « Au Duc Minh »: a capitalised article or preposition before more words is
    // part of a name, not a lead-in (« le 06… », « au 05… » are typed in lower case, or stand alone).
    if (LITTLE_WORD.test(m[0].trim()) && /^\p{Lu}/u.test(rest) && rest.slice(m[0].length).trim() !== '') return rest;
    // The folded text keeps the positions of the typed one (accents removed, one character for one).
    rest = rest.slice(m[0].length).trim();
  }
}

/**
 * Words after a name that say when (« c'est Paul Martin maintenant ») or lead to the number that
 * follows, dictated without a comma (« julie martin mon numéro c'est 06… »), on folded text.
 */
const TRAILING = new RegExp('(?:\\s+(?:maintenant|desormais|dorenavant|a present|a partir de maintenant|a la place|now|from now on|instead'
  + '|(?:mon|ma|notre|my|our) (?:numero|num|no|tel|telephone|portable|mobile|fixe|mail|e mail|email|courriel|adresse mail|phone|phone number|number)(?: (?:c est|c etait|est|is))?(?: le)?'
  + '|c est(?: le)?|(?:vous pouvez me )?(?:joindre|contacter|appeler)(?: au| sur)?|joignable au|au|sur))+$');

function dropTrailing(part: string): string {
  const m = TRAILING.exec(fold(part));
  // Typed in lower case: « Marie Au » keeps its name.
  return m && part.slice(m.index) === part.slice(m.index).toLowerCase() ? part.slice(0, m.index).trim() : part;
}

/** « sophie martin » → « Sophie Martin », « jean de la fontaine » → « Jean de la Fontaine ». */
function capitalizeName(name: string): string {
  return name.replace(/\p{L}[\p{L}’'-]*/gu, (word, offset: number) => (
    offset > 0 && /^(de|du|des|la|le|d|van|von)$/.test(word) ? word : word[0].toUpperCase() + word.slice(1)
  ));
}

/** Little words of family names (« Le Goff », « de La Fontaine », « Ben Ali »), written in lower case too. */
const NAME_PARTICLES = new Set(['de', 'du', 'des', 'd', 'le', 'la', 'l', 'van', 'von', 'der', 'den', 'di', 'da', 'ben', 'el', 'al']);

/** Words written as a person's name, as typed: each with its capital but the particles (« Anne Roy », « Jean de La Fontaine »), not a sentence. */
export function writtenAsName(words: string): boolean {
  const parts = words.split(/[\s,]+/).flatMap((w) => w.split(/['’]/)).filter(Boolean);
  return parts.length > 0 && parts.every((w) => /^\p{Lu}/u.test(w) || NAME_PARTICLES.has(w));
}

/** A contact as the structure reads it back: « Camille Martin, camille@exemple.fr, 06 12 34 56 78 » (and its other phone). */
export function contactText(contact: { name?: string } & ContactPoint): string {
  return [contact.name, contact.email, contact.phone, contact.otherPhone].filter((x) => typeof x === 'string' && x.trim() !== '').join(', ');
}
