import { notUnderstood, ok, ParseResult } from './form';
import { isDontKnow, looksLikeWords, normalize, normalizeWords } from './text';
import { phraseAt, tokenize } from './themes';

/**
 * What the structure's own words say about eligibility. Keyword evidence only ever says
 * "yes, it is about jobs or the economic model"; silence is not a "no" (the chargé·e judges).
 *
 * Patterns are matched on words, as in themes.ts (tokenMatches): "stem*" is a prefix, "=word"
 * is exact, a plain word also matches its plural. So "Rhône" is not "RH" and "composteur" is
 * not "poste".
 */
const JOBS_OR_MODEL = [
  'emploi', 'salarie*', 'recrut*', 'embauch*', 'poste', 'rh', 'ressources humaines', 'licenci*', 'contrat',
  'modele economique', 'economique', 'financ*', 'budget*', 'tresorerie', 'subvention*', 'fonds propres', 'deficit*',
  'strategie', 'projet associatif', 'developp*', 'gouvernance', 'organisation', 'consolid*', 'perenn*', 'diversifi*',
  'jobs', 'staff', 'hiring', 'funding', 'business model', 'finance', 'strategy', 'governance',
];

// Creating the structure itself: « on veut créer notre premier emploi » is a first hire, not a creation stage.
const CREATION_STAGE = [
  'pas encore cree*', 'en cours de creation', 'en creation', 'projet de creation', 'creer une association',
  'creer notre association', 'creer une structure', 'creer notre structure', 'creer une entreprise', 'creer notre entreprise',
  'creer une cooperative', 'creer une scop', 'creer une scic', 'pas encore declare*', 'not yet created',
  'create an association', 'create a charity', 'create a cooperative', 'set up an association', 'set up a charity',
  'start an association', 'start a charity', 'being set up', 'not yet registered',
];

// The structure's own reach, not a funder's or a network's: « le conseil régional nous finance »
// or « adhérente d'une fédération nationale » says nothing about where the structure acts.
const MULTI_DEPARTEMENT = [
  'plusieurs departements', 'deux departements', 'trois departements', 'departements voisins', 'interdepartement*',
  'plusieurs regions', 'toute la region', 'toute la france', 'partout en france',
  'echelle regionale', 'echelle nationale', 'niveau regional', 'niveau national', 'envergure regionale', 'envergure nationale',
  'rayonnement regional', 'rayonnement national', 'association regionale', 'association nationale',
  'structure regionale', 'structure nationale',
  'several departements', 'several regions', 'nationwide', 'regional level', 'national level', 'across the region',
  'regional association', 'national association', 'regional organisation', 'national organisation',
];

// A structure saying it is urgent, or that its jobs or its very existence are threatened: the
// chargé·e calls it first. Not « urgence » alone: « hébergement d'urgence » is an activity.
const URGENT = [
  'urgent', 'urgente', 'urgents', 'urgentes', 'en urgence', 'de toute urgence', 'au plus vite', 'au plus tot', 'des que possible', 'asap',
  'licenci*', 'plan social', 'cessation de paiement*', 'cessation d activite', 'redressement judiciaire', 'liquidation*',
  'depot de bilan', 'deposer le bilan', 'cle sous la porte', 'fermer la structure', 'fermer l association', 'fermeture de la structure',
  'fermeture de l association', 'plus de tresorerie',
  'urgently', 'as soon as possible', 'layoff*', 'redundanc*', 'insolven*', 'bankrupt*', 'close down', 'shut down', 'closing down',
];
/** Words that deny what follows them: « pas urgent », « rien d'urgent », « sans licencier », "not urgent". */
const DENIALS = new Set(['pas', 'rien', 'aucun', 'aucune', 'sans', 'jamais', 'not', 'no', 'nothing', 'without', 'never']);

const split = (patterns: string[]) => patterns.map((p) => p.split(' '));
const JOBS_OR_MODEL_PHRASES = split(JOBS_OR_MODEL);
const CREATION_STAGE_PHRASES = split(CREATION_STAGE);
const MULTI_DEPARTEMENT_PHRASES = split(MULTI_DEPARTEMENT);
const URGENT_PHRASES = split(URGENT);

const contains = (text: string, phrases: string[][]) => {
  const tokens = tokenize(text);
  return tokens.some((_, i) => phrases.some((p) => phraseAt(tokens, i, p)));
};

/**
 * The structure says it is urgent (« c'est urgent », « au plus vite ») or that its jobs or its
 * existence are threatened (« sinon nous devrons licencier », « cessation de paiement »), and does not
 * deny it in the three words before (« pas très urgent », « sans licencier »).
 */
export function saysUrgent(text: string | undefined): boolean {
  if (!text) return false;
  const tokens = tokenize(text);
  return tokens.some((_, i) => URGENT_PHRASES.some((p) => phraseAt(tokens, i, p))
    && !tokens.slice(Math.max(0, i - 3), i).some((t) => DENIALS.has(t.norm)));
}

export function needLinkedToJobsOrModel(request: string | undefined): true | undefined {
  return request && contains(request, JOBS_OR_MODEL_PHRASES) ? true : undefined;
}

export function mentionsCreationStage(text: string | undefined): boolean {
  return !!text && contains(text, CREATION_STAGE_PHRASES);
}

export function mentionsMultiDepartement(text: string | undefined): boolean {
  return !!text && contains(text, MULTI_DEPARTEMENT_PHRASES);
}

/** What skips the subject asked of an early request for a chargé·e. */
const SKIP_SUBJECT = /^(passer|passe|on passe|je passe|rien|non|non merci|pas maintenant|plus tard|skip|pass|no|no thanks|nothing|not now|later)$/;

/** The longest subject kept: a few words for the chargé·e, not a file. */
export const SUBJECT_MAX_CHARS = 500;

/**
 * The subject of a request for a chargé·e made before any other answer (« En quelques mots, c'est
 * à quel sujet ? »): optional — « passer » (or « je ne sais pas ») skips it (`{}`); words are kept,
 * cut at SUBJECT_MAX_CHARS; nonsense (« ??? », a keyboard mash) is asked again once, then skipped.
 */
export function parseRequestSubject(text: string, attempt: number): ParseResult<{ subject?: string }> {
  const trimmed = text.trim();
  if (SKIP_SUBJECT.test(normalize(trimmed)) || isDontKnow(trimmed)) return ok({});
  if (looksLikeWords(trimmed)) return ok({ subject: trimmed.slice(0, SUBJECT_MAX_CHARS) });
  return attempt > 1 ? ok({}) : notUnderstood('handoffUser.subject.invalid');
}

/** The kinds of structure a network's member is named by (normalized): « l'association », « nos centres sociaux ». */
const MEMBER_KIND = '(?:structures?|associations?|assos?|centres? sociaux|centre social|cooperatives?|scops?|scics?|ehpad|chrs|clubs?|creches?|ressourceries?|etablissements?|foyers?)';
const MEMBER_WORD = '(?:adherent|adherente|adherents|adherentes|membres?|affiliees?|affilies?)';

/** Where a message names a structure it speaks for, from where that structure is named (normalized words). */
const SPEAKS_FOR_MEMBER = new RegExp([
  // « un de nos centres sociaux adhérents », « une de nos associations membres »
  `\\b(?:un|une|l un|l une) (?:de|d) (?:nos|ses|leurs) ${MEMBER_KIND}(?: \\w+)? ${MEMBER_WORD}\\b`,
  // « une de nos adhérentes, l'association L'Escale »
  `\\b(?:un|une|l un|l une) (?:de|d) (?:nos|ses|leurs) ${MEMBER_WORD} (?:(?:l|la|le) )?${MEMBER_KIND}\\b`,
  // « pour une structure adhérente », « pour le compte de l'association » (« pour nos associations
  // adhérentes » is the network's own request: a collective support)
  `\\bpour (?:une|un) ${MEMBER_KIND} ${MEMBER_WORD}\\b`,
  `\\bpour le compte (?:de|d) (?:l |la |une |cette |notre |nos )?(?:${MEMBER_KIND}|${MEMBER_WORD})\\b`,
  // « c'est pour une autre structure », « au nom d'une autre association »
  `\\b(?:pour|au nom d) une autre (?:structure|association|asso)\\b`,
].join('|'));
/** « je fais la demande pour eux »: another structure spoken for, named elsewhere in the message. */
const ON_THEIR_BEHALF = /\b(?:demande|demarche|lien|dossier|contact) pour (?:eux|elle|elles|lui)\b/;

/**
 * A network speaking for one of its members, or a person for another structure (« une de nos
 * adhérentes, l'association L'Escale, traverse une crise : le DLA peut l'accompagner ? Je fais le
 * lien pour eux »): undefined when the message is about the writer's own structure. `from`: the
 * message from the clause that names the other structure (what is said of it), when one does.
 */
export function speaksForAnotherStructure(text: string | undefined): { from?: string } | undefined {
  if (!text) return undefined;
  // Clause by clause, so that what the message says of that structure is cut where it is named.
  const clauses = [...text.matchAll(/[^.;!?,:()\n]+[.;!?,:()\n]*/g)].map((m) => ({ at: m.index ?? 0, plain: normalizeWords(m[0]) }));
  // The words naming it may run over two clauses (« une de nos adhérentes, l'association … »): it is named in the first.
  const named = clauses.findIndex((c, k) => (SPEAKS_FOR_MEMBER.exec(`${c.plain} ${clauses[k + 1]?.plain ?? ''}`)?.index ?? Infinity) < c.plain.length);
  if (named >= 0) return { from: text.slice(clauses[named].at).trim() };
  return ON_THEIR_BEHALF.test(normalizeWords(text)) ? {} : undefined;
}

const HELP_VERB = String.raw`(?:(?:nous|vous|me|m|us|me)\s+)?(?:aider|accompagner|soutenir|help|support|assist)`;
/**
 * A question asking whether the DLA can help (« le DLA peut nous accompagner ? », « pouvez-vous
 * nous aider ? », « on est éligibles ? », "Can the DLA help us?"), as normalizeWords writes it:
 * what the eligibility check itself answers, never the need.
 */
const ASKS_FOR_HELP = new RegExp(String.raw`^(?:(?:et|alors|du coup|bref|donc|so|and)\s+)?(?:est ce qu e?\s*|est ce que\s+)?(?:`
  + [String.raw`(?:le dla|vous|the dla|dla|you)\s+(?:peut|pouvez|pourrait|pourriez|pourra|pourrez|can|could|would|will)\s+(?:il\s+)?${HELP_VERB}`,
    String.raw`(?:peut|pourrait|pouvez|pourriez)\s+(?:il|vous|le dla)\s+${HELP_VERB}`,
    String.raw`(?:can|could|would|will)\s+(?:the dla|you|dla)\s+${HELP_VERB}`,
    String.raw`(?:on|nous)\s+(?:peut|pourrait|pouvons|pourrions)\s+etre\s+(?:aide|accompagne)\w*`,
    String.raw`(?:sommes nous|on est|est on|nous sommes|are we)\s+eligibles?`,
    String.raw`(?:on|nous)\s+(?:peut|pourrait|pouvons|pourrions)\s+(?:avoir|beneficier|obtenir)\s+(?:d |de l |de |un |une |d un |d une )?(?:aide|accompagnement|soutien)`,
    String.raw`(?:can|could)\s+we\s+(?:get|have|receive)\s+(?:some\s+|any\s+)?(?:help|support)|do we qualify|(?:on|nous)\s+(?:y\s+)?(?:a|avons)\s+droit`,
    // « c'est possible ? », "is it possible to get support?": possible alone, or to be helped — not « possible de trouver des fonds ».
    String.raw`(?:c est|est ce|est ce que c est|ce serait|is it|is that|would it be)\s+possible(?:\s+(?:d etre|de se faire|de nous faire|to get|to be|to have)\s+(?:aide|accompagne|help|support|helped|supported|accompanied)\w*)?$`].join('|')
  + String.raw`)\b`);

/**
 * A message without the question it ends with when that question asks whether the DLA can help
 * (ASKS_FOR_HELP): « …, on cherche des financements. Can the DLA help us? » → « …, on cherche des
 * financements. ». The message as it was otherwise (and when nothing would be left).
 */
export function withoutAskingForHelp(text: string): string {
  const asked = /(?:^|[.!?:;\n]|,)\s*([^.!?:;\n,]*\?+)\s*$/u.exec(text);
  if (!asked || !ASKS_FOR_HELP.test(normalizeWords(asked[1]))) return text;
  const rest = text.slice(0, asked.index + (/^[.!?]/.test(asked[0]) ? 1 : 0)).trim();
  return looksLikeWords(rest) ? rest : text;
}
