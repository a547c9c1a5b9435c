import { esusPending, mentionsInsertionStaff, onlyLegalForm, recognizeLegalForm, seeksAJob } from '../../../src/domain/legalForm';

describe('recognizeLegalForm', () => {
  test.each([
    // Associations: accents, case, elisions, short forms
    ['asso', { form: 'association' }],
    ['on est une asso', { form: 'association' }],
    ['Association loi 1901', { form: 'association' }],
    ['Nous sommes une association loi de 1901.', { form: 'association' }],
    ["L'ASSOCIATION", { form: 'association' }],
    ['une assoc', { form: 'association' }],
    ['non-profit', { form: 'association' }],
    ['we are a nonprofit', { form: 'association' }],
    ['association membre d’une fédération', { form: 'association' }], // the federation is someone else
    ['notre EHPAD associatif', { form: 'association' }],
    ['une crèche associative', { form: 'association' }],
    // Droit local (Alsace-Moselle)
    ['association de droit local', { form: 'association', localLaw: true }],
    ['Alsace-Moselle', { form: 'association', localLaw: true }],
    ['association inscrite au tribunal de Strasbourg', { form: 'association', localLaw: true }],
    ['loi de 1908', { form: 'association', localLaw: true }],
    // Cooperatives
    ['SCOP', { form: 'cooperative', cooperativeKind: 'SCOP' }],
    ['une scop sarl', { form: 'cooperative', cooperativeKind: 'SCOP' }], // a SCOP is a SARL: the SCOP wins
    ['société coopérative et participative', { form: 'cooperative', cooperativeKind: 'SCOP' }],
    ['SCIC SAS', { form: 'cooperative', cooperativeKind: 'SCIC' }],
    ["société coopérative d'intérêt collectif", { form: 'cooperative', cooperativeKind: 'SCIC' }],
    ['CAE', { form: 'cooperative', cooperativeKind: 'CAE' }],
    ["coopérative d'activité et d'emploi", { form: 'cooperative', cooperativeKind: 'CAE' }],
    ['coopérative', { form: 'cooperative' }],
    ['a cooperative', { form: 'cooperative' }],
    // SIAE
    // English: the names the English legal-form question and its re-prompt give as examples
    ['work-integration scheme (chantier d’insertion)', { form: 'siae', siaeKind: 'ACI' }],
    ['a work integration scheme', { form: 'siae', siaeKind: 'ACI' }],
    ['work-integration organisation', { form: 'siae' }],
    ['we are a work integration company', { form: 'siae', siaeKind: 'EI' }],
    ['sheltered company', { form: 'adapted_company' }],
    ['ACI', { form: 'siae', siaeKind: 'ACI' }],
    ["on porte un chantier d'insertion", { form: 'siae', siaeKind: 'ACI' }],
    ["Atelier chantier d'insertion", { form: 'siae', siaeKind: 'ACI' }],
    ['association intermédiaire', { form: 'siae', siaeKind: 'AI' }], // not a plain association
    ['une AI', { form: 'siae', siaeKind: 'AI' }],
    ["entreprise d'insertion", { form: 'siae', siaeKind: 'EI' }],
    ['une EI conventionnée IAE', { form: 'siae', siaeKind: 'EI' }],
    ['ETTI', { form: 'siae', siaeKind: 'ETTI' }],
    ["entreprise de travail temporaire d'insertion", { form: 'siae', siaeKind: 'ETTI' }],
    ['EITI', { form: 'siae', siaeKind: 'EITI' }],
    ["entreprise d'insertion par le travail indépendant", { form: 'siae', siaeKind: 'EITI' }],
    ["structure d'insertion par l'activité économique", { form: 'siae' }],
    ['SIAE', { form: 'siae' }],
    // Disability employment
    ['entreprise adaptée', { form: 'adapted_company' }],
    ['une EA', { form: 'adapted_company' }],
    ['ESAT', { form: 'esat' }],
    ["établissement et service d'aide par le travail", { form: 'esat' }],
    // ESUS
    ['agrément ESUS', { form: 'esus_company', esus: true }],
    ['entreprise ESUS', { form: 'esus_company', esus: true }],
    ["entreprise solidaire d'utilité sociale", { form: 'esus_company', esus: true }],
    ['SAS agréée ESUS', { form: 'commercial_company', esus: true }],
    ['SAS sans agrément ESUS', { form: 'commercial_company', esus: false }],
    ["une SARL, on n'a pas l'agrément ESUS", { form: 'commercial_company', esus: false }],
    ['SAS non agréée ESUS', { form: 'commercial_company', esus: false }],
    ['SARL pas agréée ESUS', { form: 'commercial_company', esus: false }],
    ['association avec agrément ESUS', { form: 'association', esus: true }],
    // An application under way is no approval: not known yet (the ESUS question is asked).
    ['SAS, agrément ESUS en cours', { form: 'commercial_company' }],
    ['SARL, demande ESUS déposée', { form: 'commercial_company' }],
    ['a SAS, ESUS approval pending', { form: 'commercial_company' }],
    // Commercial companies
    ['SARL', { form: 'commercial_company' }],
    ['we are a small business', { form: 'commercial_company' }],
    ['a private company', { form: 'commercial_company' }],
    ['SAS', { form: 'commercial_company' }],
    ['SA', { form: 'commercial_company' }],
    ['EURL', { form: 'commercial_company' }],
    ['société commerciale', { form: 'commercial_company' }],
    ['a small business', { form: 'commercial_company' }],
    // Individuals
    ['auto-entrepreneur', { form: 'individual' }],
    ['je suis autoentrepreneuse', { form: 'individual' }],
    ['micro-entreprise', { form: 'individual' }],
    ['particulier', { form: 'individual' }],
    ['individu', { form: 'individual' }],
    ['personne physique', { form: 'individual' }],
    ['à titre individuel', { form: 'individual' }],
    ['entreprise individuelle', { form: 'individual' }],
    // Public bodies
    ['mairie', { form: 'public_body' }],
    ['la commune', { form: 'public_body' }],
    ['collectivité territoriale', { form: 'public_body' }],
    ['établissement public', { form: 'public_body' }],
    // Federations, employer groups, unusual forms
    ['fédération', { form: 'federation' }],
    ['tête de réseau', { form: 'federation' }],
    ["réseau d'associations", { form: 'federation' }],
    ["fédération d'associations", { form: 'federation' }],
    ["groupement d'employeurs", { form: 'employers_group' }],
    ["groupement d'employeurs associatif", { form: 'employers_group' }],
    ['fondation', { form: 'foundation' }],
    ['fonds de dotation', { form: 'foundation' }],
    ['mutuelle', { form: 'mutual' }],
    // Negation
    ["on n'est pas une association, on est une SCOP", { form: 'cooperative', cooperativeKind: 'SCOP' }],
    ['une association, pas une SARL', { form: 'association' }],
  ])('%j → %j', (text, expected) => {
    expect(recognizeLegalForm(text)).toEqual(expected);
  });

  test.each([
    'bonjour',
    "j'ai une question", // "ai" is not an association intermédiaire
    'sa structure est petite', // "sa" is not a société anonyme
    'en particulier pour les jeunes', // "en particulier" is not an individual
    'on est une EI', // entreprise d'insertion or entreprise individuelle? ask again
    'agrément ESUS en cours', // applied for, not approved: the legal form is still to be said
    'on travaille avec le milieu associatif', // the sector served, not the structure's own form
    'we need help with our business model', // a need, not a company
    'I run a small theatre company', // an arts « compagnie », usually an association: asked
    'on accompagne la vie associative locale',
    '',
  ])('%j → not recognised', (text) => {
    expect(recognizeLegalForm(text)).toBeUndefined();
  });
});

describe('mentionsInsertionStaff: the mark of an SIAE', () => {
  test.each([
    ['12 salariés en insertion + 3 encadrants', true],
    ['8 personnes en parcours d’insertion', true],
    ['10 CDDI', true],
    ['des postes d’insertion', true],
    ['3 salariés', false],
    ['pas de salariés en insertion', false],
    ['on aide à l’insertion professionnelle des jeunes', false], // what it does, not who it employs
    [undefined, false],
  ])('%j → %p', (text, expected) => {
    expect(mentionsInsertionStaff(text)).toBe(expected);
  });
});

describe('esusPending: an ESUS application under way', () => {
  test.each([
    ['je crois pas c est en cours', true],
    ['la demande est deposee', true],
    ['it s pending', true],
    ['non', false],
    ['non pas encore', false],
    ['non pas de demande en cours', false],
  ])('%j → %p', (plain, expected) => {
    expect(esusPending(plain)).toBe(expected);
  });
});

describe('onlyLegalForm: a piece of text that says a legal form and nothing else', () => {
  test.each([
    ['asso loi 1901', true], ['SAS', true], ['SCOP SARL', true], ['une SAS agréée ESUS', true], ['on est une asso', true], ['association loi 1908', true],
    ['association de quartier', false], ['Les Amis', false], ['Coopérative des Champs', false], ['Bordeaux', false], ['', false],
  ])('%j → %p', (text, expected) => {
    expect(onlyLegalForm(text)).toBe(expected);
  });
});

describe('seeksAJob: a person looking for a job for themselves, not a structure', () => {
  test.each([
    'je suis au chomage et je voudrais bosser dans une asso vous pouvez m aider',
    'bonjour je cherche un travail dans une association a bordeaux',
    'je suis demandeuse d emploi et je voudrais travailler dans l ess',
    'je cherche un emploi dans l ess vous avez des offres',
    'i m looking for a job in a charity',
  ])('%j', (plain) => expect(seeksAJob(plain)).toBe(true));

  test.each([
    'on cherche du travail pour notre scop',
    'on voudrait embaucher quelqu un pour travailler dans notre asso',
    'on accompagne des demandeurs d emploi vers l emploi',
    'on n arrive pas a pourvoir nos offres d emploi',
    'je cherche a financer un poste de coordinatrice',
    'we are looking for funding',
  ])('%j is a structure', (plain) => expect(seeksAJob(plain)).toBe(false));
});
