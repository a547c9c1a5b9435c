import { ContactPoint, contactName, parseContactPoint, writtenAsName } from './contact';
import { normalizeWords } from './text';

/** A way to reach the structure, as people name it: « numéro », « mail », « coordonnées », "phone number". */
const CONTACT_WORD = '(?:numero(?: de (?:telephone|tel|portable))?|num|telephone|tel|portable|mobile|mail|e mail|email|courriel|adresse (?:mail|e mail|email|electronique)|coordonnees'
  + '|phone(?: number)?|number|email address|e mail address|contact details|contact info)';
const OWN = '(?:mes|mon|ma|nos|notre|les|le|la|l|my|our|the)';
/** The person to call, as people name a change of it: « changer de contact », « nouvelle interlocutrice », "new contact person". */
const PERSON_WORD = '(?:contact|interlocut(?:eur|rice)|referent|referente|personne (?:a|de) contact|personne a contacter|contact person)';

/**
 * A correction or a change said in words, the contact word right after it (« un tel déficit »
 * after « mauvaise gestion » is no phone): « je me suis trompée de numéro », « le numéro que je
 * vous ai donné est faux », « changer mes coordonnées », "update my phone number".
 */
const CHANGE = new RegExp([
  `\\b(?:trompe|trompee|trompes|trompe e|erreur|faute|mistake)\\b (?:(?:de|d|dans|sur|in|on|with) )?(?:${OWN} )?${CONTACT_WORD}\\b`,
  `\\b(?:mauvais|mauvaise|wrong) ${CONTACT_WORD}\\b`,
  `\\b${OWN} ${CONTACT_WORD}(?: \\w+){0,6} (?:est faux|est fausse|n est pas le bon|n est pas la bonne|n est plus le bon|n est plus la bonne|is wrong|was wrong|has changed|a change)\\b`,
  `\\b(?:corriger|corrige|modifier|modifie|changer|change|mettre a jour|actualiser|rectifier|rectifie|update|correct|fix|edit)\\b (?:${OWN} )?${CONTACT_WORD}\\b`,
  `\\b(?:nouveau|nouvel|nouvelle|nouvelles|new) ${CONTACT_WORD}\\b`,
  // « je voudrais changer de contact », « changement d'interlocutrice »: the person to call changes.
  `\\b(?:changer|change|changement|modifier|modifie|update|replace|remplacer) (?:de |d |of )?(?:${OWN} )?${PERSON_WORD}\\b`,
].join('|'));

/** « mon numéro c'est 06… », « le bon numéro est … », « my email is … »: a statement, a change only with the new details in it. */
const STATEMENT = new RegExp(`\\b(?:mon|ma|notre|my|our|le|la|the) (?:(?:bon|bonne|vrai|vraie|correct|right|real) )?(?:${CONTACT_WORD})\\b`
  // « notre nouvelle interlocutrice, Marie Roy, 06… »: a new person, with the details to reach them (« un nouveau contact avec la mairie » has none).
  + `|\\b(?:nouveau|nouvel|nouvelle|new) ${PERSON_WORD}\\b`);

/** Numbers that are no way to reach anyone: « je me suis trompé de numéro de SIRET ». */
const OTHER_NUMBER = /\b(?:siret|siren|rna|tva|naf|ape|dossier|adherent|rue|avenue|code postal|bancaires?|rib|iban|gps)\b/;

/** What a message correcting or giving new contact details says; undefined when it is not one. */
export interface ContactChange {
  /** The new e-mail and/or phone it gives (absent: to be asked), with the person's name when it says one. */
  point?: ContactPoint & { name?: string };
  /** The way to reach the structure it asks to forget, without giving a new one (« retirez mon numéro de téléphone »). */
  remove?: ContactKind;
}

/** An e-mail, or the phone numbers (the other one given with the first goes with it), or both (« mes coordonnées »). */
export type ContactKind = 'email' | 'phone' | 'all';

const EMAIL_WORD = '(?:mail|e mail|email|courriel|adresse (?:mail|e mail|email|electronique)|email address|e mail address)';
const PHONE_WORD = '(?:numero(?: de (?:telephone|tel|portable))?|num|telephone|tel|portable|mobile|phone(?: number)?|number)';
/**
 * « retirez mon numéro de téléphone », « supprimez mon mail », « pouvez-vous effacer mon ancien
 * numéro », "remove my phone number": the verb, then whose (optional) and which way to reach.
 */
const REMOVE = new RegExp(`\\b(?:retir|supprim|enlev|effac|remov|delet|eras)\\w* (?:${OWN} )?(?:(?:ancien|ancienne|anciennes|vieux|old) )?(?:(${EMAIL_WORD})|(coordonnees|contact details)|${PHONE_WORD})\\b`);

/**
 * The person's name said with the new details (« Anne Roy, mon numéro c'est le 06… »): a part of
 * the message written as a first and last name, as typed — never the words of the change
 * (« je me suis trompée de numéro », « Nouveau Numéro »), nor a word before it (« Oups », « Bonjour »).
 */
function nameWith(text: string): string | undefined {
  return contactName(text).split(', ').find((part) => text.includes(part) && /\S\s+\S/.test(part) && writtenAsName(part)
    && !CHANGE.test(normalizeWords(part)) && !STATEMENT.test(normalizeWords(part)));
}

/**
 * « oups je me suis trompée de numéro c'est 06 11 22 33 55 », « nouvel e-mail : … », « changer
 * mes coordonnées », "update my phone number": a message that corrects the structure's contact
 * details, with the new ones when it gives them (parseContactPoint).
 */
export function readContactChange(text: string | undefined): ContactChange | undefined {
  if (!text) return undefined;
  const plain = normalizeWords(text);
  if (OTHER_NUMBER.test(plain)) return undefined;
  const point = parseContactPoint(text);
  // Asked to forget one without giving another: removed (with the new details, it is replaced).
  const removed = point ? undefined : REMOVE.exec(plain);
  if (removed) return { remove: removed[1] ? 'email' : removed[2] ? 'all' : 'phone' };
  if (!CHANGE.test(plain) && !(point && (STATEMENT.test(plain) || REMOVE.test(plain)))) return undefined;
  const name = point && nameWith(text);
  return point ? { point: { ...point, ...(name ? { name } : {}) } } : {};
}

/**
 * A message that is only contact details, with the person's name at most (« marie@asso.fr »,
 * « 06 12 34 56 78 », « Marie Roy, marie@asso.fr »), said without what for: what it gives;
 * undefined when it says more (« marie@asso.fr pour le rendez-vous de mardi »).
 */
export function contactAlone(text: string | undefined): (ContactPoint & { name?: string }) | undefined {
  const point = text ? parseContactPoint(text) : undefined;
  if (!point) return undefined;
  const name = contactName(text!);
  // An e-mail signature pasted: its street and other lines are the signature's, not another number.
  if (signatureBlock(text!, name)) return { ...point, name };
  if (OTHER_NUMBER.test(normalizeWords(text!))) return undefined;
  return !name || readsAsName(text!, name) ? { ...point, ...(name ? { name } : {}) } : undefined;
}

/**
 * « Camille Martin / Directrice / La Recyclerie / 12 rue X 33000 Bordeaux / Tél. … / camille@… »,
 * one a line: a signature block — three lines or more, the first of them the person's name.
 */
function signatureBlock(text: string, name: string): boolean {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return lines.length >= 3 && name !== '' && lines[0].includes(name) && writtenAsName(name);
}

/** Words that join a sentence, not a name typed in lower case (« pour le rendez-vous de mardi »). */
const SENTENCE_WORDS = /\b(?:pour|avec|sur|mon|ma|mes|notre|nos|votre|vos|est|sont|pas|a|au|aux|les|des|un|une|je|on|nous|vous|il|elle|for|with|about|my|our|your|is|are|the|a|an|i|we)\b/;

/** The rest of a contact answer is a person's name: written as one (« Marie Roy »), or up to three words in lower case that join no sentence (« marie roy »). */
function readsAsName(text: string, name: string): boolean {
  if (text.includes(name)) return writtenAsName(name);
  const words = normalizeWords(name).split(' ').filter(Boolean);
  return words.length <= 3 && !SENTENCE_WORDS.test(words.join(' '));
}

/** The contact without its e-mail, or without its phones (« retirez mon numéro »), or its name alone. */
export function withoutContactPoint(held: { name?: string } & ContactPoint, kind: ContactKind): { name: string } & ContactPoint {
  const { email, phone, otherPhone } = held;
  const keepEmail = kind === 'phone' && email;
  const keepPhones = kind === 'email';
  return { name: held.name ?? '', ...(keepEmail ? { email } : {}), ...(keepPhones && phone ? { phone } : {}), ...(keepPhones && otherPhone ? { otherPhone } : {}) };
}

/**
 * The contact once changed: the e-mail or the phone given replaces the one held, the other kept;
 * the name given (asked, or said with the new details) replaces the one held, else it is kept.
 */
export function changedContact(held: ({ name?: string } & ContactPoint) | undefined, given: ContactPoint & { name?: string }): { name: string } & ContactPoint {
  const email = given.email ?? held?.email;
  // A phone given replaces the numbers held, both (the other one may be the old one).
  const { phone, otherPhone } = given.phone ? given : held ?? {};
  return { name: given.name?.trim() || held?.name || '', ...(email ? { email } : {}), ...(phone ? { phone } : {}), ...(otherPhone ? { otherPhone } : {}) };
}
