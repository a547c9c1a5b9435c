/**
 * The first-contact form as data (Rasa-style): each slot says how to read an answer and what
 * to say when it cannot. Texts are locale keys (locales/<lng>/accueil.json). No I/O here.
 */
import { isCourtesy, isGreeting } from './commands';
import { withoutConsent } from './consentAnswer';
import { ContactPoint, contactName, parseContactPoint, writtenAsName } from './contact';
import { decidingReasons, EligibilityFacts, EligibilityResult, evaluateEligibility, OperatorTerritory, Outcome } from './eligibility';
import { countsStaff, EmployeesResult, parseEmployees, parseVolunteers } from './employees';
import { formatIdentifier, identifiersShown, parseIdentifiers } from './identifiers';
import { esusApplicationSaid, esusDenied, esusPending, LegalFormResult, mentionsInsertionStaff, onlyLegalForm, publicBodyNamed, recognizeLegalForm, seeksAJob } from './legalForm';
import { tellsADifficulty, tellsANeed } from './newNeed';
import { toldOfActivityAndBudget } from './diagnosticForm';
import { mentionsCreationStage, mentionsMultiDepartement, needLinkedToJobsOrModel, speaksForAnotherStructure, withoutAskingForHelp } from './request';
import { spokenPostalCode, withSpokenDigits } from './spokenDigits';
import { departementFromPostalCode, departementIn, departementNamed, territoryName } from './territory';
import type { Translate } from '../i18n';
import { inertMarkdown, isConfirmation, isDontKnow, looksLikeWords, normalize, saysDontKnow } from './text';
import { acceptUnreadAfterAttempts, ErrorVars, freeText, keptAfterRetries, keptAfterRetriesIfWords, MAX_FAILED_ATTEMPTS, notUnderstood, ok, ParseResult, valueAfterField } from './form';
import { ACCUEIL_FIELD_WORDS } from './fieldWords';

export interface AccueilAnswers {
  name?: string;
  /**
   * `text`: the answer as typed when no valid number was read: « en cours de création » (none),
   * or what the structure typed three times without a readable number (unknown, for a chargé·e to check).
   */
  identifiers?: { siret?: string; rna?: string; siren?: string; unknown?: boolean; none?: boolean; text?: string };
  /** Undefined form: the structure described it in words we did not recognise (kept in `text`). */
  legalForm?: { result?: LegalFormResult; text: string };
  /**
   * A company's ESUS approval (« agrément entreprise solidaire d'utilité sociale »), asked when its
   * form did not say. `pending`: applied for, not approved yet (« c'est en cours ») — still to be confirmed.
   */
  esus?: { approved?: boolean; pending?: boolean; text: string };
  /**
   * `headCount`: `etp` counts people, not ETP — employees in insertion counted without their working
   * time (« 12 salariés en insertion + 3 permanents »): an employer, its ETP for a chargé·e to ask.
   */
  employees?: EmployeesResult & { text: string; headCount?: true };
  /** `text`: what the structure typed when no postal code could be read after two retries. */
  location?: { postalCode?: string; departement?: string; unknown?: boolean; text?: string };
  request?: string;
  contact?: { name: string } & ContactPoint;
  /**
   * What a first message (or another answer) said of the activity and the budget
   * (toldOfActivityAndBudget), and the volunteers said with the staff: kept for the diagnostic, not asked blind there.
   */
  told?: Told;
}

/**
 * The diagnostic's answers told at the accueil: its activity, its budget, and its staff when the
 * volunteers were said with the ETP (« 3 salariés et 30 bénévoles ») — as the diagnostic's staff
 * question keeps it knowing the accueil's ETP (`etpFromAccueil`).
 */
export type Told = ReturnType<typeof toldOfActivityAndBudget> & { staff?: { employees: number; volunteers: number; text: string; etpFromAccueil: true } };

/** What `text` tells the diagnostic (Told), the accueil's ETP being `etp` (the volunteers kept only with it). */
export function toldEarly(text: string, etp: number | undefined): Told {
  // The words that say them (« 3 salariés et 30 bénévoles »), not the whole message.
  const said = etp === undefined ? undefined : text.split(/[;\n!?]|,(?!\d)|\.(?!\d)/).find((piece) => parseVolunteers(piece) !== undefined);
  const staff = said && { employees: etp!, volunteers: parseVolunteers(said)!, text: typed(said), etpFromAccueil: true as const };
  return { ...toldOfActivityAndBudget(text), ...(staff ? { staff } : {}) };
}

export type SlotKey = keyof AccueilAnswers;


export interface Slot<K extends SlotKey = SlotKey> {
  key: K;
  /** Asked only with consent (personal data or free text that may hold some). */
  personal: boolean;
  /**
   * `attempt` counts the answers to this question (1 for the first). No question loops: after
   * MAX_FAILED_ATTEMPTS failed answers, one that cannot be read is kept as typed for a chargé·e to
   * check — but an answer not understood (« ??? », a keyboard mash: freeText,
   * keptAfterRetriesIfWords) is never kept: the third misunderstanding in a row hands over to a chargé·e.
   * `carried`: what an earlier answer to this question left to complete (ParseResult.carry).
   */
  parse(text: string, attempt: number, carried?: string): ParseResult<NonNullable<AccueilAnswers[K]>>;
  /** Asked only when the answers so far call for it (the ESUS approval of a company). */
  askedWhen?: (answers: AccueilAnswers) => boolean;
  /** Locale keys of quick replies shown with the question. */
  suggestions?: string[];
}

/** Kinds read by their own name (« entreprise d'insertion (EI) »), not as their family's (« structure d'insertion… EI »). */
const NAMED_KINDS = new Set(['ACI', 'AI', 'EI', 'ETTI', 'EITI', 'CAE']);

/** A form's label with its kind, in the language's order (« coopérative SCOP », "SCOP cooperative", « association intermédiaire (AI) »). */
const withKind = (t: Translate, formKey: string, kind: string | undefined) =>
  (kind && NAMED_KINDS.has(kind) ? t(`accueil.forms.kinds.${kind}`) : kind ? t('accueil.forms.withKind', { form: t(formKey), kind }) : t(formKey));

/** A legal form in words: « association », « coopérative SCOP ». */
export function formLabel(t: Translate, form: LegalFormResult): string {
  return withKind(t, `accueil.forms.${form.form}`, form.siaeKind ?? form.cooperativeKind);
}

/** What is kept of an unreadable answer: trimmed, one line of spaces, bounded. */
const typed = (text: string, max = 200) => text.trim().replace(/\s+/g, ' ').slice(0, max);

/** The largest associations employ a few thousand people; the DLA's typical structure, under 50. */
const MAX_ETP = 5000;


/** « je vous l'ai dit, », « comme dit : »: what comes before a name said again. */
const SAID_AGAIN = /(?:je )?(?:vous )?l['’]\s?ai (?:deja |déjà )?dit|comme (?:je l['’]\s?ai |je vous l['’]\s?ai |déjà |deja )?dit/iu;
/** « l'association », « notre structure », « la SCIC »: the kind of structure, before its name. */
const STRUCTURE_WORD = /(?:l['’]\s?|l\s|la\s|le\s|notre\s)?(?:association|asso|structure|coop[ée]rative|entreprise|scic|scop|cae)\s+/iu;
/** A person's role in a structure, typed with or without its accents: « trésorière », « president », « co-présidente ». */
const ROLE_WORD = /(?:co-?|vice-?)?(?:tr[ée]sori(?:er|[èe]re)|pr[ée]sidente?|direct(?:eur|rice)|coord[io]n{1,2}at(?:eur|rice)|salari[ée]e?|b[ée]n[ée]vole|secr[ée]taire|responsable|g[ée]rante?|fondat(?:eur|rice)|administrat(?:eur|rice)|d[ée]l[ée]gu[ée]e?|charg[ée]e?|animat(?:eur|rice)|comptable|membre)/iu;
/** « je suis le président », « trésorière. »: a role without the structure's name. */
const ROLE_ALONE = new RegExp(String.raw`^(?:je suis\s)?(?:(?:la|le|l['’]|une?)\s?)?${ROLE_WORD.source}[\s.!]*$`, 'iu');
/**
 * « je suis directrice de », « je travaille à »: a person's role in the structure, said before
 * « l'association X »; or a role of ROLE_WORD before « de la / du / de l' / de » and the name
 * itself (« je suis le trésorier de la Recyclerie du Bassin », « je suis trésorier d'Emmaüs Gironde »: introducesName wants its capital).
 */
const ROLE = new RegExp(String.raw`(?:je suis (?:(?:la|le|l['’]|une?)\s?)?[\p{L}·-]+(?:\s[\p{L}·-]+){0,2}?\s(?:de|du|à|au|dans)|je (?:dirige|préside|coordonne|travaille (?:à|a|dans)))(?=\s+${STRUCTURE_WORD.source})|je suis (?:(?:la|le|l['’]|une?)\s?)?${ROLE_WORD.source}(?:\s[\p{L}·-]+){0,2}?\s(?:(?:de|du|des)(?=\s+\S)|d['’](?!\s?une?\b)(?=\s?\p{L}))|(?:i am|i['’]m) (?:the |a |an )?(?:treasurer|chair(?:man|woman|person)?|president|director|coordinator|manager|secretary|founder|volunteer|employee|ceo)\s(?:of|at)(?=\s+\S)`, 'iu');
/** « c'est le », « on s'appelle », « nous sommes l'association »: the words before a structure's name. */
const NAME_LEAD_IN = new RegExp(String.raw`^(?:(?:${SAID_AGAIN.source})[\s,:.!]+)?(?:(?:(?:alors|bonjour|euh|oui)[\s,]+)*(?:${ROLE.source}|c['’]\s?est|c est|nous sommes|on est|je suis|je représente|je travaille pour|we are|it['’]?s|this is|our (?:organisation|organization|association) is(?: called)?|(?:la structure |l['’]association |notre (?:structure|association) )?s['’]appelle|on s['’]appelle|nous nous appelons|elle s['’]appelle|le nom (?:de la structure )?(?:est|c['’]est)|(?:notre )?nom\s*:)(?:\s+|(?<=\sd['’])))?`, 'iu');

/**
 * The structure's name as it should be filed: « c'est le Groupement X » → « Groupement X »,
 * « je vous l'ai dit, les jardins » → « les jardins » (a leading article is kept when it is part of a name).
 */
export function structureName(text: string): string {
  const name = withoutOpenBracket(text.trim().replace(/\s+/g, ' '));
  const m = NAME_LEAD_IN.exec(name);
  // « l'association Les Amis » typed as a description (lower case): the name follows; « L'Association des Paralysés » is one.
  const lead = m?.[0] || /^(?:l['’]\s?|notre\s)(?:association|asso|structure)\s+/u.exec(name)?.[0];
  // Capitals only in the lead-in (« C'est la vie, association »): the words are the name.
  if (!lead || (/\p{Lu}/u.test(name) && !/\p{Lu}/u.test(name.slice(lead.length)))) return name;
  // « c'est le Groupement des Employeurs » → « Groupement des Employeurs »; « on s'appelle La Ressourcerie » keeps its capital article.
  const rest = name.slice(lead.length).replace(new RegExp(String.raw`^(?:${STRUCTURE_WORD.source}|(?:le|la|les|l['’]|une?|the)\s*(?=\p{Lu}))`, 'u'), '');
  return rest.length >= 2 ? rest.replace(/[.!]+$/u, '') : name;
}

/**
 * A bracket left open is a description the sentence cut (« Les P'tits Loups (crèche parentale, 8
 * salariées) » split at its comma): the name is what comes before it.
 */
function withoutOpenBracket(name: string): string {
  const cut = name.replace(/\s*\([^()]*$/u, '');
  return cut.length >= 2 ? cut : name;
}

/** The ETP of an employees answer, when one was said (answers stored before may hold null); a head count (headCount) too. */
export function etpOf(employees: { etp?: number | null }): number | undefined {
  return typeof employees.etp === 'number' ? employees.etp : undefined;
}

/** The ETP said at the accueil, not a head count: what the diagnostic does not ask again. */
export function etpSaid(employees: { etp?: number | null; headCount?: true } | undefined): number | undefined {
  return employees && !employees.headCount ? etpOf(employees) : undefined;
}

/** A working time said with a count: « 3 ETP », « à mi-temps », « CDDI 26h ». */
const SAYS_WORKING_TIME = /\b(?:etp|equivalents? temps plein|temps (?:plein|partiel)|mi temps|fte|full time|part time|half time|\d+ ?h(?:eures?)?)\b/;

/** A consent (or a yes), or a thanks (« merci » typed after the previous answer), said at the name question is no name. */
const NO_NAME_WORDS = new Set([
  'j accepte', 'accepte', 'je refuse', 'oui', 'ok', 'd accord', 'daccord', 'oui d accord', 'ok d accord', 'i agree', 'agree', 'yes',
  'merci', 'merci beaucoup', 'ok merci', 'super merci', 'super', 'parfait', 'thanks', 'thank you', 'ok thanks',
]);

/** The longest structure name kept: longer, it is a description pasted, or the whole message. */
export const MAX_NAME_LENGTH = 200;

/** The words that introduce a number typed after a name: « , siret : », « (RNA n° », « - notre numéro SIRET est ». */
const IDENTIFIER_LABEL = /(?:^|[\s,;:(–-]+)(?:(?:et|and|avec|with)\s+)?(?:(?:notre|son|mon|le|la|our|its|the)\s+)?(?:(?:num[ée]ro|n°|number)\s*)?(?:siret|siren|rna)?\s*(?:(?:n°|num[ée]ro|number)\s*)?(?:(?:c['’]\s?est|est|is|:|=)\s*)?(?:(?:le|the)\s+)?$/iu;

/** Where `value` (a SIRET's 14 digits, or an RNA) is typed in `text`, separators and all. */
function typedAt(text: string, value: string): RegExpExecArray | undefined {
  const runs = /^\d+$/.test(value) ? /\d(?:[\s.\u00a0\u202f-]?\d)*/g : /\b[Ww](?:[\s.]?[0-9A-Za-z]){9}(?![0-9A-Za-z])/g;
  return [...text.matchAll(runs)].find((m) => m[0].replace(/[\s.\u00a0\u202f-]/g, '').toUpperCase() === value);
}

/**
 * A name typed with its registration number (« Les Jardins Partagés, siret 443 061 841 00047 »):
 * the name without the number and its label, and the number when it is a valid SIRET or RNA
 * (an invalid one is left in the name, as typed: it is no answer to the SIRET question).
 */
export function nameAndIdentifiers(text: string): { name: string; identifiers?: { siret?: string; rna?: string } } {
  const found = parseIdentifiers(text);
  const identifiers = {
    ...(found.siret?.valid ? { siret: found.siret.value } : {}),
    ...(found.rna?.valid ? { rna: found.rna.value } : {}),
  };
  let name = text;
  for (const value of Object.values(identifiers)) {
    const at = typedAt(name, value);
    if (!at) continue;
    const typedBefore = name.slice(0, at.index);
    const before = typedBefore.replace(IDENTIFIER_LABEL, '');
    const after = name.slice(at.index + at[0].length).replace(/^[\s).,;:–-]+/u, '');
    // « Les Amis, siret …, 3 salariés »: the pieces around the number stay apart (the staff is no part of the name).
    const apart = /[,;]/.test(typedBefore.slice(before.length)) && /^[\s)]*[,;]/u.test(name.slice(at.index + at[0].length));
    name = [before, after].filter((part) => part.trim()).join(apart ? ', ' : ' ');
  }
  if (name === text) return { name };
  name = name.replace(/[\s,;:(–-]+$/u, '').trim();
  return { name, ...(Object.keys(identifiers).length ? { identifiers } : {}) };
}

/**
 * A name typed with its legal form after it (« Les Jardins du Lien, asso loi 1901 », « Recyclerie
 * du Bassin (SAS) »): the name without that piece, and the legal form it says. Only a piece that
 * says nothing but a form (onlyLegalForm), never the name's first: « Association Les Amis » stays whole.
 */
export function nameAndLegalForm(text: string): { name: string; legalForm?: NonNullable<AccueilAnswers['legalForm']> } {
  // « asso les petits jardins », « scop la fabrique »: a form typed in lower case before the name is its form, not its name's first word.
  const lead = FORM_IN_LOWER_CASE.exec(text);
  const leadWord = lead?.[1] ?? lead?.[2];
  const leadForm = leadWord ? recognizeLegalForm(leadWord) : undefined;
  if (lead && leadWord && leadForm && text.length - lead[0].length >= 2) return withFormWord(leadWord, leadForm, text.slice(lead[0].length));
  // "Kaz Lontan cooperative", « la fabrique scop »: the same, typed after a name of two words or more (English word order).
  const trail = FORM_AFTER_IN_LOWER_CASE.exec(text);
  const trailForm = trail && !LITTLE_WORD_LAST.test(trail[1]) ? recognizeLegalForm(trail[2]) : undefined;
  if (trail && trailForm) return withFormWord(trail[2], trailForm, text.slice(0, trail[1].length) + text.slice(trail[0].length));
  const pieces = text.split(/\s*(?:[,;()]|\s[–—-]\s)\s*/u).filter((piece) => piece.trim());
  // « Coop Vélo, SAS, agréée ESUS »: the form may take several pieces, read together.
  const forms = pieces.slice(1).filter(onlyLegalForm);
  // « entreprise adaptée, SAS », « on est une entreprise d'insertion (SARL) »: a first piece that is a
  // form too says what the company is — read with it (the more specific form wins), kept as the name was.
  const read = forms.length && onlyLegalForm(pieces[0]) ? [pieces[0], ...forms] : forms;
  const form = read.join(', ');
  const result = forms.length ? recognizeLegalForm(form) : undefined;
  if (!result) return { name: text };
  return { name: pieces.filter((piece) => !forms.includes(piece)).join(', '), legalForm: { result, text: form.trim() } };
}

/** The name typed with a form word (FORM_IN_LOWER_CASE, FORM_AFTER_IN_LOWER_CASE) read as `rest` is, the form word said with its form. */
function withFormWord(word: string, form: LegalFormResult, rest: string): ReturnType<typeof nameAndLegalForm> {
  const read = nameAndLegalForm(rest);
  const said = read.legalForm ? `${word}, ${read.legalForm.text}` : word;
  return { name: read.name, legalForm: { result: (read.legalForm && recognizeLegalForm(said)) || form, text: said } };
}

/**
 * A form word typed in lower case after a name of two words or more, at its end or before a comma: "Kaz Lontan cooperative",
 * "Green Hands charity", « la fabrique scop ». Not the accented « coopérative » (a French adjective: « Épicerie coopérative »).
 */
const FORM_AFTER_IN_LOWER_CASE = /^(\s*[^\s,;()]+(?:\s+[^\s,;()]+)+?)\s+(cooperative|co-?op|charity|association|scop|scic|cae)(?=\s*(?:$|[,;()]|\s[–—-]\s))/u;
/** A name's last word that ties it to the form word after it: « Les Amis de la cooperative », "Friends of the association". */
const LITTLE_WORD_LAST = /(?:^|\s)(?:de|du|des|d['’]|l['’]|la|le|les|une?|notre|en|et|the|of|a|an|our|and|&)$/iu;

/**
 * A legal form typed in lower case before a name (« asso les petits jardins », « scop la fabrique », « chantier d'insertion les jardins »,
 * « l'association Les Amis »): a description of the structure, its form (`1`) — followed by an article
 * or a capital, so that « association sportive de Pessac » or « asso de quartier » stay as typed. With
 * its capital the form is part of the name as filed (« Association des Amis de la Plage », « SCOP La Fabrique »). An acronym
 * in lower case is no word of a name: « scic kaz lontan ».
 */
const FORM_IN_LOWER_CASE = /^(?:(?:une?|la|le|l['’]|l\s|notre)\s?)?(?:(asso|association|coop[ée]rative|(?:atelier )?chantier d['’\s]\s?insertion|entreprise d['’\s]\s?insertion|entreprise adapt[ée]e)\s+(?=(?:les?|la|l['’]\s?)\s?\p{L}|\p{Lu})|(scop|scic|cae|esat|aci|geiq|etti|eiti)\s+(?=\p{L}))/u;

/** « c'est quoi ? », « ça veut dire quoi », « what is that »: a question about the question. */
const ASKS_WHAT = /\b(c est quoi|c quoi|qu est ce que|ca veut dire|ca signifie|kesako|quesaco|what is|what s|what does|meaning)\b/;

export const SLOTS: Slot[] = [
  {
    key: 'name',
    personal: true,
    parse: (text, attempt) => {
      // « Les Jardins, siret 443 061 841 00047 »: the number is the next question's answer (alsoAnswered).
      // « Les Jardins, asso loi 1901 »: the form is the legal form question's answer (alsoAnswered).
      const name = structureName(nameAndLegalForm(nameAndIdentifiers(text).name).name);
      if (name.length > MAX_NAME_LENGTH) return keptAfterRetries(attempt, typed(name, MAX_NAME_LENGTH), 'accueil.name.tooLong', { max: String(MAX_NAME_LENGTH) });
      // « asdfgh », « zzzz », « 75 »: not understood, asked again (never kept: the third in a row
      // hands over to a chargé·e); so is a consent said again (« J'accepte » typed after the button was clicked) or a « merci ».
      // A role alone (« je suis le président ») names a person, not the structure.
      if (!/\p{L}/u.test(name) || NO_NAME_WORDS.has(normalize(name)) || ROLE_ALONE.test(text.trim())) return notUnderstood('accueil.name.invalid');
      // « je ne sais pas » is no name either: the name it is known by will do.
      if (isDontKnow(name)) return notUnderstood('accueil.name.dontKnow');
      return freeText('accueil.name.invalid')(name);
    },
  },
  {
    // The structure's public registration numbers, not a person's data: asked without consent too.
    key: 'identifiers',
    personal: false,
    parse: (text, attempt, carried) => {
      const found = parseIdentifiers(text);
      const value: NonNullable<AccueilAnswers['identifiers']> = {};
      if (found.siret?.valid) value.siret = found.siret.value;
      if (found.rna?.valid) value.rna = found.rna.value;
      if (found.siren?.valid && !value.siret) value.siren = found.siren.value;
      if (value.siret || value.rna || value.siren) return ok(value);
      // The numbers tried so far, as typed (`carried` from one answer to the next): what is kept,
      // unverified, for a chargé·e — never an answer that tries no number (« 12 salariés », « bof »).
      const tries = triesAnIdentifier(text, found);
      const tried = [...new Set([...(carried ? carried.split(TRIES_SEPARATOR) : []), ...(tries ? [typed(text)] : [])])].join(TRIES_SEPARATOR).slice(0, 400);
      const notRead = { unknown: true, ...(tried ? { text: tried } : {}) };
      const retry = (errorKey: string, vars?: ErrorVars) => {
        // Three times without a readable number: what was tried is kept, for a chargé·e to check.
        const result = keptAfterRetriesIfWords(text, attempt, notRead, errorKey, vars);
        return !result.ok && tried ? { ...result, carry: tried } : result;
      };
      const invalid = [found.siret, found.rna, found.siren].find((c) => c && !c.valid);
      const invalidRetry = () => invalid && !invalid.valid ? retry(`accueil.identifiers.invalid.${invalid.reason}`, { kind: invalid.kind.toUpperCase() }) : undefined;
      // « c'est correct », « oui je confirme » after a number found invalid: the structure stands by it — kept, unverified, for a chargé·e.
      if (carried && isConfirmation(text)) return ok(notRead);
      if (tries) return invalidRetry() ?? retry('accueil.identifiers.notFound');
      if (found.unknown || isDontKnow(text)) return ok(notRead);
      // Kept as typed: « en cours de création » is the creation stage (eligibilityFacts).
      if (found.none) return ok({ none: true, text: typed(text) });
      // « 12 salariés », « association », « 33000 », a need: another question's answer (kept there: alsoAnswered); the number is left for later.
      if (Object.keys(answersInsteadOfIdentifiers(text)).length > 0) return ok(notRead);
      return invalidRetry() ?? retry('accueil.identifiers.notFound');
    },
  },
  {
    key: 'legalForm',
    personal: false,
    parse: (text, attempt) => {
      const result = recognizeLegalForm(text);
      if (result) return ok({ result, text: text.trim() });
      return acceptUnreadAfterAttempts(text, attempt, { text: text.trim() }, 'accueil.legalForm.unknown');
    },
  },
  {
    // « une SARL »: in the DLA's scope only with the ESUS approval (DOMAIN.md § Eligibility 1).
    key: 'esus',
    personal: false,
    askedWhen: (a) => a.legalForm?.result?.form === 'commercial_company' && a.legalForm.result.esus === undefined,
    suggestions: ['accueil.esus.yes', 'accueil.esus.no', 'accueil.esus.dontKnow'],
    parse: (text, attempt) => {
      // « c'est quoi ça ? non je crois pas »: a question, then the answer — the answer wins.
      const afterQuestion = text.slice(text.lastIndexOf('?') + 1);
      const said = /\p{L}/u.test(afterQuestion) ? afterQuestion : text;
      const plain = normalize(said);
      // « je crois pas, c'est en cours »: an application under way, not approved yet (to be confirmed, as « je ne sais pas »).
      if (esusPending(plain)) return ok({ pending: true, text: text.trim() });
      if (saysDontKnow(said)) return ok({ text: text.trim() });
      // « on n'est pas ESUS, par contre on a besoin d'aide pour recruter »: a no (the need is the request: alsoAnswered).
      if (/^(non|no|nope|pas d agrement|pas agree|pas agreee|aucun agrement|not approved|je (ne )?(crois|pense) pas|je (crois|pense) que non|i don t think so)\b/.test(plain) || /\b(pas|sans|aucun) (d )?(l )?agrement\b/.test(plain) || esusDenied(plain)) return ok({ approved: false, text: text.trim() });
      if (/^(oui|yes|ouais|bien sur|tout a fait|absolument|agree|agreee|approved|je (crois|pense) que oui|i think so)\b/.test(plain) || /\b(nous avons|on a|avec) (l )?agrement\b/.test(plain)) return ok({ approved: true, text: text.trim() });
      // « c'est quoi ? »: what the approval is, then the question again (kept as not known after the retries).
      const errorKey = ASKS_WHAT.test(plain) || text.includes('?') ? 'accueil.esus.explain' : 'accueil.esus.invalid';
      return keptAfterRetriesIfWords(text, attempt, { text: typed(text) }, errorKey);
    },
  },
  {
    key: 'employees',
    personal: false,
    parse: (text, attempt) => {
      // No `etp` key without a number: stored, an undefined value would come back as null.
      const { etp, ...parsed } = parseEmployees(text);
      // Above MAX_ETP it is more likely a postal code or a budget than a head count.
      if (etp !== undefined && etp > MAX_ETP) {
        return keptAfterRetriesIfWords(text, attempt, { ...parsed, text: text.trim() }, 'accueil.employees.tooMany', { value: String(etp) });
      }
      // « 12 salariés en insertion + 3 permanents »: people, not ETP (insertion contracts are often part-time).
      const headCount = etp !== undefined && etp > 0 && mentionsInsertionStaff(text) && !SAYS_WORKING_TIME.test(normalize(text));
      if (etp !== undefined || parsed.hiringPlan) return ok({ ...(etp !== undefined ? { etp } : {}), ...(headCount ? { headCount: true as const } : {}), ...parsed, text: text.trim() });
      // A need typed here (« on veut structurer notre modèle éco »): the request (alsoAnswered), never the staff's words.
      return acceptUnreadAfterAttempts(text, attempt, { ...parsed, text: needInsteadOfStaff(text) ? '' : text.trim() }, 'accueil.employees.unknown');
    },
  },
  {
    key: 'location',
    personal: false,
    parse: (text, attempt) => {
      // Not known: the département stays unknown and a chargé·e checks it (eligibility: territory_unknown).
      if (isDontKnow(text)) return ok({ unknown: true });
      // « trente-trois mille », « trois trois zéro zéro zéro »: dictated, in figures; « asso loi 1901, 33000 »: the law's year is no code.
      const spoken = withSpokenDigits(text.replace(LAW_YEAR, ' '), spokenPostalCode(true));
      const code = /\b\d[\d ]{3,6}\b|\b\d{2}\s?\d{3}\b/.exec(spoken)?.[0].replace(/\s/g, '') ?? text.trim();
      const found = departementFromPostalCode(code);
      if (found.ok) return ok({ postalCode: found.postalCode, departement: found.departement });
      // « en corse du sud », « dans la gironde »: the département named decides the territory as its postal code would.
      const named = found.reason === 'not_digits' ? departementNamed(text) : undefined;
      if (named && 'departement' in named) return ok({ departement: named.departement, text: typed(text) });
      if (named) return keptAfterRetriesIfWords(text, attempt, { unknown: true, text: typed(text) }, 'accueil.location.invalid.corsica');
      return keptAfterRetriesIfWords(text, attempt, { unknown: true, text: typed(text) }, `accueil.location.invalid.${found.reason}`, { input: text.trim().slice(0, 20), territory: found.territory ?? '' });
    },
  },
  {
    key: 'request',
    personal: true,
    parse: freeText('accueil.request.tooShort', { min: 3, unclearKey: 'accueil.request.unclear' }),
  },
];

/** The contact slot is asked at the end, only when a chargé·e will get back to the structure. */
export const CONTACT_SLOTS: Slot[] = [
  {
    key: 'contact',
    personal: true,
    parse: (text, attempt, carried) => {
      const point = parseContactPoint(text);
      // A name alone (« Karim Benali »), then the e-mail or phone alone: the name is kept with it.
      const said = carried ? `${carried}, ${text}` : text;
      // An address that is not one (« paul.martin@gmail »): said so, and asked again once more
      // than other answers — a chargé·e could not write to it.
      if (!point && text.includes('@')) {
        return withCarried(keptAfterRetriesIfWords(text, attempt - 1, { name: typed(said, 300) }, 'accueil.contact.badEmail'), carried);
      }
      // No e-mail or French phone read three times (a foreign number, « appelez le standard »…): kept
      // as typed; « ??? » or a keyboard mash is never kept as a name (not understood).
      if (!point) {
        // « merci », « ok merci », « bonjour » (thanks for the outcome, a greeting): never a name, however often.
        if (isCourtesy(text) || isGreeting(text)) return withCarried(notUnderstood('accueil.contact.invalid'), carried);
        const name = carried ? undefined : nameAlone(text);
        if (name && attempt <= MAX_FAILED_ATTEMPTS) return { ok: false, errorKey: 'accueil.contact.nameOnly', vars: { name: inertMarkdown(name) }, carry: name };
        return withCarried(keptAfterRetriesIfWords(text, attempt, { name: typed(said, 300) }, 'accueil.contact.invalid'), carried);
      }
      return ok({ name: contactName(text) || (carried ?? ''), ...point });
    },
  },
];

/** Words no name has: « je ne sais pas », « pas d'e-mail », « non merci », "no phone". */
const NO_PERSON_NAME = /\b(pas|non|aucun|aucune|rien|sais|sait|prefere|merci|no|not|none|nothing|know|thanks)\b/;

/**
 * A contact answer that is only a person's name, written as one (« Karim Benali », « Mme Roux,
 * trésorière »): that name. Not a sentence (« appelez le standard »), nor anything in lower case.
 */
function nameAlone(text: string): string | undefined {
  if (/[\d@]/.test(text) || !looksLikeWords(text) || text.trim().split(/\s+/).length > 6 || NO_PERSON_NAME.test(normalize(text))) return undefined;
  const name = contactName(text);
  return name && text.includes(name) && writtenAsName(name) ? name : undefined;
}

/** A name given before (ParseResult.carry) stays carried while the e-mail or phone is asked again. */
function withCarried<T>(result: ParseResult<T>, carried: string | undefined): ParseResult<T> {
  return !result.ok && carried ? { ...result, carry: carried } : result;
}

/** Between the numbers tried at the SIRET question, as kept for a chargé·e. */
const TRIES_SEPARATOR = ' ; ';

/** What a SIRET, SIREN or RNA typed looks like: a run of 9 digits or more (separators allowed), or an RNA. */
function triesAnIdentifier(text: string, found: ReturnType<typeof parseIdentifiers>): boolean {
  return Boolean(found.rna) || [...text.matchAll(/\d(?:[\s.\u00a0\u202f-]?\d)*/g)].some((m) => m[0].replace(/\D/g, '').length >= 9);
}

/** The year of a law, never a postal code: « loi 1901 », « loi du 1er juillet 1901 », « loi de 1908 » (Alsace-Moselle). */
const LAW_YEAR = /\bloi\s+(?:de\s+|du\s+1(?:er)?\s+juillet\s+)?(?:1901|1908)\b/giu;

/**
 * At the postal code question, the answers to other questions typed instead of it, no postal code
 * tried (« association loi 1901 », « 12 salariés »): those answers; undefined otherwise.
 */
export function answersInsteadOfPostalCode(text: string): Partial<AccueilAnswers> | undefined {
  const { location, ...others } = otherAnswers(text);
  const triesACode = /\d(?:\s?\d){3}/.test(withSpokenDigits(text.replace(LAW_YEAR, ' '), spokenPostalCode(true)));
  return location || triesACode || isDontKnow(text) || !Object.keys(others).length ? undefined : others;
}

/**
 * At the staff question, the answers to other questions typed instead of it, no count nor hiring
 * plan said (« aci porté par une asso », « on est à 33000 »): those answers; undefined otherwise.
 */
export function answersInsteadOfStaff(text: string): Partial<AccueilAnswers> | undefined {
  const { etp, hiringPlan } = parseEmployees(text);
  if (etp !== undefined || hiringPlan || isDontKnow(text)) return undefined;
  const { employees, ...others } = otherAnswers(text);
  if (employees) return undefined;
  if (Object.keys(others).length) return others;
  // « on voudrait développer une ressourcerie mais on sait pas si c'est viable »: the request (kept when none is given yet).
  return needInsteadOfStaff(text) ? { request: text.trim().slice(0, 4000) } : undefined;
}

/**
 * At the legal form question, other answers typed instead (« une quinzaine de salariés en insertion
 * et 4 permanents », « 33100 », a need): those answers, kept, and the form asked again.
 */
export function answersInsteadOfLegalForm(text: string): Partial<AccueilAnswers> | undefined {
  if (recognizeLegalForm(text) || isDontKnow(text)) return undefined;
  const { legalForm, ...others } = answersWithNeed(text);
  return legalForm || !Object.keys(others).length ? undefined : others;
}

/** A postal code in a sentence: a lone 5-digit number (« 33000 », « 33 000 »), not part of a longer one. */
const POSTAL_CODE = /(?<!\d[ .]?)(\d{5})(?![ .]?\d)|(?<!\d[ .]?)(\d{2} \d{3})(?![ .]?\d)/;

/** The postal code said in `text`, when it is one. */
function postalCodeIn(text: string): AccueilAnswers['location'] {
  // « on est à Bordeaux trois trois zéro zéro zéro », dictated: in figures.
  const code = POSTAL_CODE.exec(withSpokenDigits(text, spokenPostalCode(false)));
  const found = code ? departementFromPostalCode((code[1] ?? code[2]).replace(' ', '')) : undefined;
  return found?.ok ? { postalCode: found.postalCode, departement: found.departement } : undefined;
}

/**
 * An answer at the SIRET question that answers another one instead — the staff (« 12 salariés »),
 * the legal form (« association loi 1901 »), the postal code (« 33000 »), the name said with its
 * word (« le nom c'est Les Ateliers du Rhône », as at the review): those answers.
 */
export function otherAnswers(text: string): Partial<AccueilAnswers> {
  const also: Partial<AccueilAnswers> = {};
  const named = valueAfterField(text, ACCUEIL_FIELD_WORDS.name ?? []);
  const name = named === undefined ? undefined : SLOTS[0].parse(named, 1);
  if (name?.ok) also.name = name.value as string;
  const legalForm = legalFormIn(text);
  if (legalForm) also.legalForm = legalForm;
  const employees = staffIn(text);
  if (employees) also.employees = employees;
  const location = postalCodeIn(text);
  if (location) also.location = location;
  return also;
}

/**
 * What a message typed at the « Bon retour ! » of a structure whose first questions wait answers of
 * them (« 33800 », « 12 salariés », a valid SIRET, a need said as one): those answers not given yet.
 */
export function accueilAnswersIn(text: string, answers: AccueilAnswers): Partial<AccueilAnswers> {
  const request = requestIn(text);
  const all: Partial<AccueilAnswers> = { ...answersTyped(text), ...(request ? { request } : {}) };
  return Object.fromEntries(Object.entries(all).filter(([key]) => answers[key as SlotKey] === undefined));
}

/** The answers a message gives by their value (otherAnswers), and a valid SIRET or RNA in it. */
function answersTyped(text: string): Partial<AccueilAnswers> {
  const found = parseIdentifiers(text);
  const identifiers = found.siret?.valid ? { siret: found.siret.value } : found.rna?.valid ? { rna: found.rna.value } : undefined;
  return { ...otherAnswers(text), ...(identifiers ? { identifiers } : {}) };
}

/**
 * A need said as one (« on a besoin de structurer l'encadrement technique ») or a difficulty told
 * (« on a des soucis de trésorerie »), in the structure's words; not « je sais pas, c'est le
 * président qui l'a », which names a theme too.
 */
function requestIn(text: string): string | undefined {
  return !isDontKnow(text) && ((SAYS_NEED.test(normalize(text)) && tellsANeed(text)) || tellsADifficulty(text)) ? text.trim().slice(0, 4000) : undefined;
}

/** The legal form said anywhere in `text` (« on est une association loi 1901 »), with the words typed. */
function legalFormIn(text: string): AccueilAnswers['legalForm'] {
  const result = recognizeLegalForm(text);
  return result ? { result, text: typed(text) } : undefined;
}

/** The staff said with its count in `text` (« 4 salariés », « 2 ETP »), read as the staff question reads it. */
function staffIn(text: string): AccueilAnswers['employees'] {
  const staff = SAYS_STAFF.test(normalize(text)) || countsStaff(text) ? SLOTS.find((s) => s.key === 'employees')!.parse(text, 1) : undefined;
  return staff?.ok && (staff.value as EmployeesResult).etp !== undefined ? staff.value as NonNullable<AccueilAnswers['employees']> : undefined;
}

/** At the SIRET question, the answers to other questions it gives instead of a number (« 12 salariés », « association », « 33000 », a need). */
export function answersInsteadOfIdentifiers(text: string): Partial<AccueilAnswers> {
  return triesAnIdentifier(text, parseIdentifiers(text)) ? {} : answersWithNeed(text);
}

/**
 * The answers a message gives to the first questions (otherAnswers) and a need said as one (« on a
 * des soucis de trésorerie et on voudrait structurer notre gouvernance »): at the SIRET question
 * instead of a number, at the consent question instead of « J’accepte ».
 */
export function answersWithNeed(text: string): Partial<AccueilAnswers> {
  const request = requestIn(text);
  return { ...otherAnswers(text), ...(request ? { request } : {}) };
}

/**
 * A first message that says a postal code or the staff and nothing else (« 33000 », « 5 ETP », « on
 * est à 33000 », « 12 salariés, 33800 »): facts about the structure, its check started with them.
 * Undefined for a question, a longer message, or anything more (a need, a form: introducedStructure).
 */
export function factsAlone(text: string): AccueilAnswers | undefined {
  if (text.includes('?') || text.trim().split(/\s+/).length > 6) return undefined;
  const { location, employees, ...more } = answersWithNeed(text);
  if (Object.keys(more).length || (!location && !employees)) return undefined;
  return { ...(location ? { location } : {}), ...(employees ? { employees } : {}) };
}

/**
 * At the review, a new value typed without its answer's name (« en fait on est une SCIC », « non
 * pardon 24100 », « 3 salariés en fait », a valid SIRET, a need said as one: « on voudrait
 * pérenniser le poste de coordinatrice »): the one answer it reads as (answersWithNeed), when it
 * differs from the one given. Undefined when it reads as none, or as several.
 */
export function correctionWithoutName(text: string, answers: AccueilAnswers): { field: SlotKey; value: unknown } | undefined {
  return changedAnswer({ ...answersWithNeed(text), ...answersTyped(text) }, answers);
}

/** The one answer of `typed` that differs from the one given; undefined for none or several. */
function changedAnswer(typed: Partial<AccueilAnswers>, answers: AccueilAnswers): { field: SlotKey; value: unknown } | undefined {
  const changed = Object.entries(typed)
    .filter(([key, value]) => !sameAnswer(key as SlotKey, answers[key as SlotKey], value as AccueilAnswers[SlotKey]));
  return changed.length === 1 ? { field: changed[0][0] as SlotKey, value: changed[0][1] } : undefined;
}

/** What says an answer given is corrected: « attendez », « en fait », « pardon », « je me suis trompé·e », "actually", "I meant". */
const SAYS_CORRECTION = /^(?:non|attendez|attends|euh|ah|oups|pardon|desole|desolee|correction|erreur|sorry|oops|wait|i meant|my mistake)\b|\b(?:en fait|finalement|actually|je me suis trompee?|je me suis trompe e|je voulais dire|i made a mistake|i was wrong)\b/;

/**
 * After the outcome, at the menu: a message that says it corrects an answer (« attendez en fait on a
 * 2 salariés, je me suis trompé ») and reads as one answer that differs (correctionWithoutName).
 */
export function correctionAfterOutcome(text: string, answers: AccueilAnswers): { field: SlotKey; value: unknown } | undefined {
  // A need said there is a new need, not the request corrected (newNeed.ts).
  return SAYS_CORRECTION.test(normalize(text)) ? changedAnswer(answersTyped(text), answers) : undefined;
}

/**
 * At a question (`key`, the accueil's or the diagnostic's), a correction of an earlier answer said
 * instead of its answer (« en fait 5 salariées », « finalement on est 6 salariés », « pardon, 33100 »):
 * that answer (correctionAfterOutcome), never the question's own, nor at the request a need said with a figure.
 */
export function correctionAtQuestion(key: string, text: string): Partial<AccueilAnswers> | undefined {
  const fix = correctionAfterOutcome(text, {});
  if (!fix || fix.field === key || (key === 'request' && answersWithNeed(text).request)) return undefined;
  return { [fix.field]: fix.value };
}

/** Whether two answers to `key` read the same in the recap (« 4 salariés » and « 4 ETP »). */
export function sameAnswer<K extends SlotKey>(key: K, a: AccueilAnswers[K], b: AccueilAnswers[K]): boolean {
  return a !== undefined && b !== undefined && JSON.stringify(recap({ [key]: a })) === JSON.stringify(recap({ [key]: b }));
}

/**
 * What an answer says of a later question too: « 4,5 ETP et on est à Bordeaux 33000 » gives the
 * postal code, not asked again. Only a lone 5-digit code that is one (not inside a SIRET). The
 * name typed with a valid SIRET or RNA (« Les Jardins, siret 443 061 841 00047 ») gives the number;
 * with its legal form (« Les Jardins, asso loi 1901 »), the legal form.
 */
export function alsoAnswered(key: string, text: string, answers: AccueilAnswers): Partial<AccueilAnswers> {
  const also: Partial<AccueilAnswers> = {};
  const identifiers = key === 'name' && !answers.identifiers ? nameAndIdentifiers(text).identifiers : undefined;
  if (identifiers) also.identifiers = identifiers;
  const named = key === 'name' && !answers.legalForm ? nameAndLegalForm(nameAndIdentifiers(text).name) : undefined;
  // « CCAS de Libourne », « Mairie de Cenon »: a public body's name says its form.
  const publicBody = named && publicBodyNamed(named.name);
  const legalForm = named ? named.legalForm ?? rnaSaysAssociation(identifiers) ?? (publicBody && { result: publicBody, text: named.name.trim() }) : undefined;
  if (legalForm) also.legalForm = legalForm;
  // « SAS, on a fait la demande d'agrément ESUS »: the ESUS question is answered too (an application under way);
  // « Recyclerie, SAS, pas d'agrément ESUS »: answered no (the form read from its own piece does not say it).
  if ((key === 'name' || key === 'legalForm') && !answers.esus && esusApplicationSaid(normalize(text))) also.esus = { pending: true, text: text.trim() };
  else if (key === 'name' && !answers.esus && esusDenied(normalize(text))) also.esus = { approved: false, text: text.trim() };
  if (key === 'identifiers') {
    // « 12 salariés » at the SIRET question: kept for the staff question — replacing an answer
    // already given only when it differs (« 4 salariés » before: now 12; said: accueil.fix.replaced).
    // A need said there while the request is already given (in the first message): the request stays as it was.
    const instead: Partial<AccueilAnswers> = Object.fromEntries(Object.entries(answersInsteadOfIdentifiers(text))
      .filter(([k, value]) => !(k === 'request' && answers.request) && !sameAnswer(k as SlotKey, answers[k as SlotKey], value as AccueilAnswers[SlotKey])));
    const rna = parseIdentifiers(text).rna;
    const association = !answers.legalForm && !instead.legalForm && rna?.valid ? rnaSaysAssociation({ rna: rna.value }) : undefined;
    return association ? { ...instead, legalForm: association } : instead;
  }
  // « 3 salariés, et on cherche à diversifier nos financements », « on n'est pas ESUS, par contre on a besoin
  // d'aide pour recruter »: the need said with the answer is the request (a need alone at the staff question too).
  const request = answers.request ? undefined : key === 'employees' ? (needInsteadOfStaff(text) || needBesideStaff(text) ? text.trim().slice(0, 4000) : undefined) : requestIn(text);
  // Not with the name (« Aide et Solidarité » is one), the request itself, nor the contact.
  const ownWords = key === 'name' || key === 'request' || key === 'contact';
  if (request && !ownWords) also.request = request;
  // « 3 salariés, budget 450 000 € »: the activity and the budget said with an answer are kept for the diagnostic, not asked blind there.
  // « on est une asso loi 1901 avec 4 salariés » at the legal form question: the staff is not asked again.
  const employees = key !== 'employees' && !answers.employees ? staffIn(text) : undefined;
  if (employees) also.employees = employees;
  // « 3 salariés et 30 bénévoles »: the volunteers with the ETP they were said with (at the staff question, this answer's).
  const told = ownWords ? {} : toldEarly(text, etpSaid(key === 'employees' ? staffIn(text) : employees ?? answers.employees));
  const toldNew = Object.fromEntries(Object.entries(told).filter(([k]) => !answers.told?.[k as keyof typeof told]));
  if (Object.keys(toldNew).length) also.told = { ...answers.told, ...toldNew };
  if (answers.location || key === 'location') return also;
  const location = postalCodeIn(text);
  if (location) also.location = location;
  return also;
}

/** « W332001234 »: an RNA number is an association's (Répertoire national des associations) — its legal form answered. */
function rnaSaysAssociation(identifiers: { rna?: string } | undefined): AccueilAnswers['legalForm'] {
  return identifiers?.rna ? { result: { form: 'association' }, text: `RNA ${identifiers.rna}` } : undefined;
}

/** The registration numbers named: « siret », « notre numéro RNA », "SIREN number". */
const NAMES_IDENTIFIERS = /\b(?:siret|siren|rna)\b/;

/**
 * A message that says, in the words naming them, that the structure does not know its numbers
 * (« on sait pas notre siret », « le siret je l'ai pas sous la main ») or has none yet (« pas
 * encore de SIRET »): what the SIRET question keeps for that answer; undefined otherwise.
 */
export function identifiersNotKnown(text: string): AccueilAnswers['identifiers'] {
  const piece = text.split(/[,;.!?\n]|\s(?:et|mais|par contre|and|but)\s/u).find((p) => NAMES_IDENTIFIERS.test(normalize(p)));
  const found = piece === undefined ? undefined : parseIdentifiers(piece);
  if (!found || found.siret || found.siren || found.rna) return undefined;
  if (found.unknown) return { unknown: true };
  return found.none ? { none: true, text: typed(piece!) } : undefined;
}

/** A need said in a first message: « on a besoin d'aide pour… », "we need help with…" — not an activity named by « aide » (« aide à domicile », « aide alimentaire »). */
const SAYS_NEED = /\b(?:besoin|besoins|aide(?! a domicile| alimentaire| aux devoirs| a la personne| aux personnes| humanitaire| menagere)|aider|accompagne\w*|accompagnement|cherch\w+ (?:de l )?(?:aide|un appui)|need|needs|help)\b|\b(?:on|nous) (?:veut|voudrait|voulons|voudrions|souhait\w*|aimerai\w*|aimerions|doit|devons|cherch\w*) |\bwe (?:want|would like|d like|are looking|must|have to) /;
/** Staff named with its count: « 4 salariés », "3 employees", « 2 ETP ». */
const SAYS_STAFF = /\b(?:salarie\w*|etp|employe\w*|employees?|temps plein|full time|staff|fte)\b/;
/** At the staff question, a need said without any staff (« on veut structurer notre modèle éco »). */
function needInsteadOfStaff(text: string): boolean {
  const plain = normalize(text);
  const { etp, hiringPlan } = parseEmployees(text);
  return SAYS_NEED.test(plain) && !SAYS_STAFF.test(plain) && etp === undefined && !hiringPlan;
}
/**
 * At the staff question, a need said in a piece of its own beside the staff (« 3 salariés, et on
 * cherche à diversifier nos financements »); not the staff's own words — a first hire (« aucun,
 * mais on veut embaucher un animateur »), « un contrat aidé à mi-temps ».
 */
function needBesideStaff(text: string): boolean {
  return text.split(/[,;.!?]|\s(?:et|mais|par contre|and|but)\s/u).some((piece) => {
    const { etp, hiringPlan } = parseEmployees(piece);
    return etp === undefined && !hiringPlan && requestIn(piece) !== undefined;
  });
}
/** What opens a sentence rather than a structure's name. */
const NOT_A_NAME = /^(?:voici|voila|rebonjour|re bonjour|bonjour|bonsoir|salut|bjr|bsr|slt|coucou|hello|hi|hey|here|on|nous|je|j|we|i)\b/;
/** A role in a structure said before its name: « je suis directrice de l'association … ». */
const SAYS_ROLE = new RegExp(`^(?:${ROLE.source})`, 'iu');
/** « on est l'association », « nous sommes la structure »: before a name (« Les Jardins »: a capital). */
const WE_ARE = new RegExp(`^(?:on est|nous sommes|c['’]\\s?est)\\s+${STRUCTURE_WORD.source}`, 'iu');

/**
 * A legal form said before a name with a capital (« association Corsica Ambiente », « SCIC Kaz
 * Lontan », « ACI Les Ateliers du Rhône »): the form in lower case is a description, left out of the
 * name (`1`); an acronym stays in it, as « la SCIC Les Paniers Solidaires » does, and so does the form
 * with a capital, as filed (« Association Les Jardins de Cocagne »). Case-sensitive: « Association des
 * Paralysés » is a name of its own.
 */
const FORM_BEFORE_NAME = /^(?:(?:une?|la|le|l['’]|notre)\s?)?(?:(association|asso|coop[ée]rative|structure)\s+|(?:SCIC|SCOP|CAE|ACI|AI|EI|ETTI|EITI|EA|ESAT|GEIQ|Association|Coop[ée]rative)\s+)(?=\p{Lu})/u;

/** The words introduce the structure by its name: a role (« je suis directrice de l'association … »), « on est l'association Les … », or its form (FORM_BEFORE_NAME). */
function introducesName(piece: string): boolean {
  const we = WE_ARE.exec(piece);
  const role = SAYS_ROLE.exec(piece);
  return (!!role && namedAfter(piece.slice(role[0].length))) || (!!we && /^\p{Lu}/u.test(piece.slice(we[0].length))) || FORM_BEFORE_NAME.test(piece);
}

/** After a role, the structure: its kind (« l'association … ») or a name with its capital (« la Recyclerie du Bassin »), not « du conseil d'administration ». */
const namedAfter = (words: string) => STRUCTURE_NEXT.test(words) || /^\s*(?:(?:la|les|l['’]|the)\s?)?\p{Lu}/u.test(words);
const STRUCTURE_NEXT = new RegExp(`^\\s+${STRUCTURE_WORD.source}`, 'iu');
/** A greeting before the message itself, as typed on a phone too (« bjr », « slt »): not part of the request, nor the name. */
const GREETING = /^(?:(?:re[\s-]?bonjour|bonjour|bonsoir|salut|bjr|bsr|slt|coucou|hello|hi|hey)\b[\s,!.]*)+/iu;

/**
 * A first message that introduces a structure (« Les Jardins du Lien, asso loi 1901, siret 592
 * 451 959 00015 », « on est une asso de 4 salariés et on a besoin d'aide pour notre modèle
 * éco »): the answers it gives, when it holds a valid SIRET or RNA, a legal form with another
 * fact (a name set apart from it, the staff, a postal code, a need), or the staff with a need. A city is no postal code.
 * Undefined for anything else (« bonjour », « je voudrais des infos sur le DLA »).
 */
export function introducedStructure(typedText: string): AccueilAnswers | undefined {
  // « j'accepte, on est une asso … »: the consent said with it is no part of what it says of the structure.
  const text = withoutConsent(typedText);
  const other = speaksForAnotherStructure(text);
  if (!other) return readIntroduction(text);
  // A network writing for one of its members (« une de nos adhérentes, l'association L'Escale
  // (CHRS, 40 salariés, 33500) … je fais le lien pour eux »): what it says of that structure — never
  // its own form (« tête de réseau ») — and the whole message as the request.
  const found = readIntroduction((other.from ?? text).replace(MEMBER_LEAD_IN, ''));
  if (found?.legalForm?.result?.form === 'federation') delete found.legalForm;
  if (found?.request) found.request = text.trim().replace(GREETING, '').slice(0, 4000);
  return found && Object.keys(found).length ? found : undefined;
}

/** « Une de nos adhérentes, » before the member's own words (« l'association L'Escale … »: its name). */
const MEMBER_LEAD_IN = /^(?:l['’]\s?)?une?\s+d(?:e\s+|['’]\s?)(?:nos|ses|leurs)\s+(?:adh[ée]rent|membre|affili[ée])\p{L}*[\s,:–-]*/iu;

/** « … à Périgueux », « … à Saint-Denis-de-Pile »: a town named after a structure's name, at its end. */
const TOWN_AFTER_NAME = /(?<=\p{L}[\p{L}'’-]*\s+\p{L}[\p{L}'’-]*)\s+à\s+\p{Lu}[\p{L}'’]*(?:-\p{L}[\p{L}'’]*)*$/u;

function readIntroduction(text: string): AccueilAnswers | undefined {
  const trimmed = text.trim();
  const plain = normalize(trimmed);
  // « je suis au chômage et je voudrais bosser dans une asso »: a person, not a structure.
  if (seeksAJob(plain)) return undefined;
  const { identifiers, legalForm: formPiece, location, esus } = alsoAnswered('name', trimmed.replace(GREETING, ''), {});
  // Without the greeting: « Bonjour, on est un chantier d'insertion (ACI), … » has no name (« ACI » is its form).
  const rest = nameAndLegalForm(nameAndIdentifiers(trimmed.replace(GREETING, '')).name).name;
  const legalForm = formPiece ?? legalFormIn(trimmed);
  const found: AccueilAnswers = {};
  // « Les Jardins du Lien, asso loi 1901, 3 salariés, 33000, on veut… »: the name is what comes
  // first, before the other facts — not the staff, the postal code nor the need said after it.
  // A name in quotes is the name wherever it is said (« on est une asso loi 1901, 4 salariés, "Les Jardins" »).
  const quoted = identifiers || legalForm ? quotedName(trimmed) : undefined;
  // « je suis directrice de l'association Les Petits Débrouillards, … »: the name after the role.
  const namePiece = quoted ?? rest.split(/\s*[,;\n]\s*/)[0] ?? '';
  const introduced = introducesName(namePiece);
  const plainName = normalize(namePiece);
  // Without the role: « je suis salariée de Bois & Cie » says no staff.
  const plainNamed = normalize(namePiece.replace(SAYS_ROLE, ''));
  // « SCIC SAS, 14 ETP, … »: a legal form first is no name (onlyLegalForm).
  if ((quoted || identifiers || formPiece || introduced) && !onlyLegalForm(namePiece) && !SAYS_NEED.test(plainNamed) && !SAYS_STAFF.test(plainNamed) && !/\d{5}/.test(namePiece) && (!NOT_A_NAME.test(plainName) || introduced)) {
    const form = FORM_BEFORE_NAME.exec(namePiece);
    const named = form?.[1] ? namePiece.slice(form[0].length) : namePiece;
    // « la SCOP Atelier Bois Vivant à Périgueux, … »: the town said after the name is no part of it (in quotes, it is).
    const name = SLOTS[0].parse(quoted ? named : named.replace(TOWN_AFTER_NAME, ''), 1);
    if (name.ok) found.name = name.value as string;
  }
  // « on sait pas notre siret »: answered as « je ne sais pas » at its question would answer it (not asked then).
  const notKnown = identifiers ? undefined : identifiersNotKnown(trimmed);
  if (identifiers ?? notKnown) found.identifiers = identifiers ?? notKnown;
  if (legalForm) found.legalForm = legalForm;
  if (legalForm && esus) found.esus = esus;
  const employees = staffIn(rest);
  if (employees) found.employees = employees;
  // « on est un esat en martinique, … », "a SCIC in Corse du Sud": the département named, without its postal code.
  const departement = location ? undefined : departementIn(trimmed);
  if (location ?? departement) found.location = location ?? { departement };
  // « … Can the DLA help us? »: the check answers that question — the request is what comes before it.
  const request = withoutAskingForHelp(trimmed.replace(GREETING, ''));
  if (SAYS_NEED.test(normalize(request)) || tellsADifficulty(request)) found.request = request.slice(0, 4000);
  const told = toldEarly(trimmed, etpSaid(employees));
  if (Object.keys(told).length) found.told = told;
  const others = [found.name, found.employees, found.location, found.request].filter(Boolean).length;
  // « on est que des bénévoles mais on voudrait embaucher notre premier salarié, le DLA peut nous aider ? »:
  // the staff (or a first hire) with a need introduces an employer-to-be as well as its form would.
  // « je suis président du Secours Solidaire, 4 salariés, 33000 »: a role naming its structure, with another fact, introduces it too.
  const namedByRole = !!found.name && SAYS_ROLE.test(namePiece) && others > 1;
  return identifiers || (legalForm && (others > 0 || saysWhatItIs(trimmed, legalForm.result?.form))) || (found.employees && found.request) || namedByRole ? found : undefined;
}

/** « on est une petite asso à Bordeaux », "we are a small charity": the structure says what it is (a question is not that). */
const SAYS_WHAT_WE_ARE = /^(?:on est|nous sommes|we are|we re|i run|je dirige|je represente|i represent)\b/;
/** « je suis auto-entrepreneur »: a person says what they are, as a structure would. */
const SAYS_WHAT_I_AM = /^(?:je suis|i am|i m)\b/;
const saysWhatItIs = (text: string, form?: string) => {
  const plain = normalize(text.replace(GREETING, ''));
  return !text.includes('?') && (SAYS_WHAT_WE_ARE.test(plain) || (form === 'individual' && SAYS_WHAT_I_AM.test(plain)));
};

/** Words set in quotes: « … », "…", “…”, or '…' with a capital after it (the single quote is also an apostrophe: « l'asso »). */
const QUOTED = /«\s*([^«»]+?)\s*»|"\s*([^"]+?)\s*"|“\s*([^“”]+?)\s*”|(?<![\p{L}\p{N}])['‘’]\s*(\p{Lu}[^'‘’]*?)\s*['’](?![\p{L}\p{N}])/gu;

/**
 * Words set in quotes — « Les Jardins », "Les Jardins", “Les Jardins”, 'Les Jardins' — the first
 * such that can be a name, trimmed: not a number (« 2024 », an RNA « W332001234 ») nor a legal form
 * (« on est une asso "loi 1901" », « "SCOP" »).
 */
export function quotedName(text: string): string | undefined {
  return [...text.matchAll(QUOTED)].map((m) => m.slice(1).find((g) => g !== undefined)!)
    .find((words) => /\p{L}/u.test(words.replace(/\b[Ww](?=[\s.]?\d)/g, '')) && !onlyLegalForm(words));
}

/** Identifiers as said back to the structure: « SIRET 443 061 841 00047 », « RNA W691234567 ». */
export function identifiersText(ids: { siret?: string; rna?: string }): string {
  return [ids.siret && `SIRET ${formatIdentifier(ids.siret)}`, ids.rna && `RNA ${ids.rna}`].filter(Boolean).join(', ');
}

/** The answers that go with a field's (a company's ESUS approval, with its legal form): it changed, they are dropped — asked again when the new answer calls for them. */
export function dependentAnswers(field: SlotKey): SlotKey[] {
  return field === 'legalForm' ? ['esus'] : [];
}

/**
 * `answers` with `changes` made: a legal form given anew (« en fait on est une association » at
 * the SIRET question) drops the answers that belonged to the old one — not those given with it
 * (« SAS, on a fait la demande d'agrément ESUS »).
 */
export function withAnswers(answers: AccueilAnswers, changes: Partial<AccueilAnswers>): AccueilAnswers {
  const merged: AccueilAnswers = { ...answers, ...changes };
  for (const field of Object.keys(changes) as SlotKey[]) {
    for (const dependent of dependentAnswers(field)) if (!(dependent in changes)) delete merged[dependent];
  }
  // The volunteers told with the ETP (Told.staff) follow the ETP corrected: the diagnostic reads the one in force.
  const staff = merged.told?.staff;
  if (staff && 'employees' in changes) {
    const etp = etpSaid(merged.employees);
    merged.told = { ...merged.told };
    if (etp === undefined) delete merged.told.staff;
    else merged.told.staff = { ...staff, employees: etp };
  }
  return merged;
}

/** A slot still to be asked: without an answer, allowed by the consent, called for by the answers so far. */
const toAsk = (answers: AccueilAnswers, consent: boolean) => (s: Slot): boolean =>
  (consent || !s.personal) && answers[s.key] === undefined && (!s.askedWhen || s.askedWhen(answers));

/** The first slot without an answer, among those the consent allows. */
export function nextSlot(answers: AccueilAnswers, consent: boolean, slots: Slot[] = SLOTS): Slot | undefined {
  return slots.find(toAsk(answers, consent));
}

/**
 * Whether any question of the accueil was answered: a dossier made by an early « parler à un·e
 * chargé·e » holds only the contact, and its accueil has not started.
 */
export function accueilStarted(answers: AccueilAnswers, slots: Slot[] = SLOTS): boolean {
  return slots.some((slot) => answers[slot.key] !== undefined);
}

/** How many questions are left before the review (the welcome of a returning structure says so). */
export function remainingQuestions(answers: AccueilAnswers, consent = true, slots: Slot[] = SLOTS): number {
  return slots.filter(toAsk(answers, consent)).length;
}

export function eligibilityFacts(a: AccueilAnswers): EligibilityFacts {
  const ids = a.identifiers;
  return {
    // The approval said at its own question (« une SARL », then « oui ») counts as if said with the form.
    legalForm: a.legalForm?.result && a.legalForm.result.esus === undefined && a.esus?.approved !== undefined
      ? { ...a.legalForm.result, esus: a.esus.approved }
      : a.legalForm?.result,
    // « 12 salariés en insertion »: wherever it was said, a company may then be an entreprise d'insertion.
    insertionStaff: [a.employees?.text, a.legalForm?.text, a.request].some(mentionsInsertionStaff) || undefined,
    hasIdentifier: ids ? Boolean(ids.siret || ids.rna || ids.siren) : undefined,
    // The structure's own words, wherever it said so: « en cours de création » at the SIRET question too.
    creationStage: [a.request, a.legalForm?.text, a.identifiers?.text].some(mentionsCreationStage) || undefined,
    // « aucun salarié », then the request « embaucher notre premier salarié »: a hiring plan too.
    employees: a.employees
      ? { etp: etpOf(a.employees), hiringPlan: a.employees.hiringPlan || (a.employees.etp === 0 && !!a.request && parseEmployees(a.request).hiringPlan) }
      : undefined,
    needLinkedToJobsOrModel: needLinkedToJobsOrModel(a.request),
    departement: a.location?.departement,
    multiDepartement: mentionsMultiDepartement(a.request) || undefined,
  };
}

/** Eligibility of what was answered; an operator serving every département accepts them all. */
export function decide(answers: AccueilAnswers, territory: OperatorTerritory): EligibilityResult {
  const facts = eligibilityFacts(answers);
  const served = territory.departements.length === 0 && facts.departement ? { ...territory, departements: [facts.departement] } : territory;
  return evaluateEligibility(facts, served);
}

/** Out-of-scope reasons a first message's own words settle, whatever the other answers: its form, or its having no staff. */
const SETTLED_BY_WORDS = new Set(['existence_creation_stage', 'legal_form_public_body', 'legal_form_individual', 'no_employee']);

/**
 * What a first message alone settles as out of scope: a structure still to be created (nothing
 * saying it exists — no SIRET or RNA, no salaried staff), a public body, a person, an association
 * without staff nor hiring plan; undefined otherwise.
 */
export function settledOutOfScope(introduced: AccueilAnswers, territory: OperatorTerritory): EligibilityResult | undefined {
  const result = decide(introduced, territory);
  if (result.outcome !== 'out_of_scope') return undefined;
  const deciding = decidingReasons('out_of_scope', result.reasons);
  const facts = eligibilityFacts(introduced);
  const exists = facts.hasIdentifier || (facts.employees?.etp ?? 0) > 0;
  return deciding.every((r) => SETTLED_BY_WORDS.has(r.code) && !(exists && r.code === 'existence_creation_stage')) ? result : undefined;
}

/** Out of scope only because the head office is outside the operator's territory: its own DLA is the one to see. */
export function onlyOtherDla(result: { outcome: Outcome; reasons?: readonly { code: string; outcome: Outcome }[] }): boolean {
  const deciding = (result.reasons ?? []).filter((r) => r.outcome === result.outcome);
  return result.outcome === 'out_of_scope' && deciding.length > 0 && deciding.every((r) => r.code === 'territory_other_dla');
}

/**
 * The sentence that opens the outcome (a locale key of eligibility.json). Out of scope only
 * because the head office is elsewhere: another DLA covers the structure, not "not what the DLA
 * does". Without consent nothing is passed on, so eligible / to confirm promise no call back.
 */
export function outcomeKey(result: { outcome: Outcome; reasons?: readonly { code: string; outcome: Outcome }[] }, consent: boolean): string {
  if (onlyOtherDla(result)) return 'eligibility.outcomeOtherDla';
  if (!consent && result.outcome !== 'out_of_scope') return `eligibility.outcomeNoConsent.${result.outcome}`;
  return `eligibility.outcome.${result.outcome}`;
}

/** What the outcome sentence may name: the head office's département (code and name). */
export function outcomeVars(a: AccueilAnswers): { departement: string; departementName: string } {
  const departement = a.location?.departement ?? '';
  return { departement, departementName: departement ? territoryName(departement) ?? departement : '' };
}

export type RecapLine = ReturnType<typeof recap>[number];

/** A recap line in words; `own` wraps the structure's own words (made inert in a Markdown message). */
export function recapText(t: Translate, l: RecapLine, own: (words: string) => string = (w) => w): string {
  const vars = Object.fromEntries(Object.entries(l.vars).map(([k, v]) => [k, typeof v === 'string' ? own(v) : v]));
  return t(l.key, { ...vars, form: l.vars.formKey ? withKind(t, String(l.vars.formKey), l.vars.kind ? String(l.vars.kind) : undefined) : '' });
}

/** What the structure said of its ESUS approval (the recap, the back-office and its CSV say it alike). */
export function esusSaid(esus: NonNullable<AccueilAnswers['esus']>): 'yes' | 'no' | 'pending' | 'unknown' {
  if (esus.approved !== undefined) return esus.approved ? 'yes' : 'no';
  return esus.pending ? 'pending' : 'unknown';
}

/** Recap lines (locale key + values) for the structure to check its answers. */
export function recap(a: AccueilAnswers): { key: string; field: SlotKey; vars: Record<string, string | number> }[] {
  const lines: { key: string; field: SlotKey; vars: Record<string, string | number> }[] = [];
  if (a.name) lines.push({ key: 'accueil.recap.name', field: 'name', vars: { value: a.name } });
  if (a.identifiers) {
    const ids = a.identifiers;
    const value = ids.siret ?? ids.siren ?? ids.rna;
    lines.push(value
      ? { key: 'accueil.recap.identifiers', field: 'identifiers', vars: { value: identifiersShown(ids).join(' / ') } }
      : ids.text
        ? { key: ids.none ? 'accueil.recap.identifiersNone' : 'accueil.recap.identifiersText', field: 'identifiers', vars: { value: ids.text } }
        : { key: 'accueil.recap.identifiersUnknown', field: 'identifiers', vars: {} });
  }
  if (a.legalForm) {
    lines.push(a.legalForm.result
      ? { key: 'accueil.recap.legalForm', field: 'legalForm', vars: { formKey: `accueil.forms.${a.legalForm.result.form}`, kind: a.legalForm.result.siaeKind ?? a.legalForm.result.cooperativeKind ?? '' } }
      : { key: 'accueil.recap.legalFormText', field: 'legalForm', vars: { value: a.legalForm.text } });
  }
  // « une SAS agréée ESUS »: the approval said with the form is read back as the question's answer would be.
  const form = a.legalForm?.result;
  const esus = a.esus ? esusSaid(a.esus) : form?.form === 'commercial_company' && form.esus !== undefined ? (form.esus ? 'yes' : 'no') : undefined;
  if (esus) lines.push({ key: `accueil.recap.esus_${esus}`, field: 'legalForm', vars: {} });
  if (a.employees) {
    const e = a.employees;
    const etp = etpOf(e);
    // « Aucun pour l'instant, projet d'embauche » only when none was said (etp 0): the first_hire rule reads the same.
    lines.push(e.etp === 0 && e.hiringPlan
      ? { key: 'accueil.recap.hiringPlan', field: 'employees', vars: {} }
      : etp !== undefined && e.headCount
        ? { key: 'accueil.recap.employeesHeadCount', field: 'employees', vars: { count: etp } }
      : etp !== undefined
        ? { key: e.hiringPlan ? 'accueil.recap.employeesWithPlan' : 'accueil.recap.employees', field: 'employees', vars: { etp } }
        : e.text
          ? { key: 'accueil.recap.employeesText', field: 'employees', vars: { value: e.text } }
          : { key: 'accueil.recap.employeesUnknown', field: 'employees', vars: {} });
  }
  if (a.location) {
    lines.push(a.location.departement && !a.location.postalCode
      ? { key: 'accueil.recap.locationDepartement', field: 'location', vars: { departement: a.location.departement, name: territoryName(a.location.departement) ?? '' } }
      : a.location.departement
      ? { key: 'accueil.recap.location', field: 'location', vars: { postalCode: a.location.postalCode ?? '', departement: a.location.departement, name: territoryName(a.location.departement) ?? '' } }
      : a.location.text
        ? { key: 'accueil.recap.locationText', field: 'location', vars: { value: a.location.text } }
        : { key: 'accueil.recap.locationUnknown', field: 'location', vars: {} });
  }
  if (a.request) lines.push({ key: 'accueil.recap.request', field: 'request', vars: { value: a.request } });
  return lines;
}
