import { AccueilAnswers, accueilAnswersIn, alsoAnswered, answersInsteadOfPostalCode, CONTACT_SLOTS, correctionAfterOutcome, correctionAtQuestion, decide, eligibilityFacts, factsAlone, introducedStructure, MAX_NAME_LENGTH, nameAndIdentifiers, nextSlot, outcomeKey, outcomeVars, quotedName, recap, recapText, remainingQuestions, settledOutOfScope, SLOTS, structureName, withAnswers, answersInsteadOfLegalForm, answersInsteadOfStaff } from '../../../src/domain/accueilForm';
import { OperatorTerritory } from '../../../src/domain/eligibility';
import { MAX_FAILED_ATTEMPTS } from '../../../src/domain/form';
import { translator } from '../../../src/i18n';
import { asRead } from '../../helpers/asRead';

describe('the structure’s name', () => {
  it.each([
    ['c est le Groupement des Employeurs Solidaires du Bordelais (GESB)', 'Groupement des Employeurs Solidaires du Bordelais (GESB)'],
    ['on s\'appelle La Ressourcerie du Médoc', 'La Ressourcerie du Médoc'],
    ['C’est l’association Les Amis du Vélo', 'Les Amis du Vélo'],
    ['c\'est la structure Vélo Cité', 'Vélo Cité'],
    ['Nous sommes l’Atelier Vélo.', 'Atelier Vélo'],
    ['We are Bike Kitchen', 'Bike Kitchen'],
    // Said again, with a preamble: the name only.
    ['je vous l’ai dit, les petits debrouillards bordeaux', 'les petits debrouillards bordeaux'],
    ['comme dit : Les Petits Débrouillards', 'Les Petits Débrouillards'],
    ['je l’ai déjà dit, c’est les petits débrouillards', 'les petits débrouillards'],
    ['l’association Les Petits Débrouillards Bordeaux', 'Les Petits Débrouillards Bordeaux'],
    ['je suis directrice de l’association Les Petits Débrouillards Bordeaux', 'Les Petits Débrouillards Bordeaux'],
    ['je suis la présidente de l’asso Vélo Cité', 'Vélo Cité'],
    ['je suis le tresorier de la Recyclerie du Bassin', 'Recyclerie du Bassin'],
    ['je suis trésorière du Secours Solidaire', 'Secours Solidaire'],
    // A name is left as typed.
    ['Les Amis du Vélo', 'Les Amis du Vélo'],
    ['Le Relais', 'Le Relais'],
    ['Cest Bon Traiteur', 'Cest Bon Traiteur'],
    ['C’est la vie, association', 'C’est la vie, association'],
  ])('« %s » → « %s »', (text, expected) => {
    expect(structureName(text)).toBe(expected);
  });
});

describe('the name question', () => {
  const name = SLOTS.find((s) => s.key === 'name')!;

  it.each(['asdfgh', 'qwerty', 'zzzz', 'sdfsdf', 'c’est asdfgh', '???', '75', 'x'])('« %s » is not understood and asked again, never kept (the third in a row hands over to a chargé·e)', (text) => {
    for (const attempt of [1, 3, 5]) expect(name.parse(text, attempt)).toEqual({ ok: false, errorKey: 'accueil.name.invalid', notUnderstood: true });
  });

  it.each(['je suis le président', 'je suis la trésorière', 'je suis le tresorier.', 'président'])('a role alone, « %s », is no name: asked again', (text) => {
    expect(name.parse(text, 1)).toEqual({ ok: false, errorKey: 'accueil.name.invalid', notUnderstood: true });
  });

  it.each(['ADIE', 'FNARS', 'CCAS', 'URSCOP', 'SCIC', 'Emmaüs', 'Nyx', 'TZCLD', '3F', 'Strasbourg Solidarités', 'Atelier Schwartz'])('« %s » is a name', (text) => {
    expect(name.parse(text, 1)).toEqual({ ok: true, value: text });
  });

  it('a name too long is told so, with the limit, and kept cut after two retries', () => {
    const long = `Les Jardins ${'très partagés '.repeat(250)}`;
    expect(name.parse(long, 1)).toEqual({ ok: false, errorKey: 'accueil.name.tooLong', vars: { max: String(MAX_NAME_LENGTH) } });
    const kept = name.parse(long, 3);
    expect(kept.ok && (kept.value as string).length).toBe(MAX_NAME_LENGTH);
    const longest = 'Les Amis du Vélo '.repeat(20).slice(0, MAX_NAME_LENGTH - 1) + 's';
    expect(name.parse(longest, 1)).toEqual({ ok: true, value: longest });
  });

  it.each([
    ['Association Les Jardins Partagés de la Croix-Rousse, siret 443 061 841 00047', 'Association Les Jardins Partagés de la Croix-Rousse', { siret: '44306184100047' }],
    ['Les Jardins (SIRET : 44306184100047)', 'Les Jardins', { siret: '44306184100047' }],
    ['443 061 841 00047 - Les Jardins', 'Les Jardins', { siret: '44306184100047' }],
    ['Les Amis du Vélo, notre numéro RNA est le W691234567', 'Les Amis du Vélo', { rna: 'W691234567' }],
    ['c’est l’association Les Amis du Vélo RNA W691234567', 'Les Amis du Vélo', { rna: 'W691234567' }],
  ])('« %s »: the name without its number, and the number as the SIRET question’s answer', (text, expectedName, identifiers) => {
    expect(name.parse(text, 1)).toEqual({ ok: true, value: expectedName });
    // An RNA number is an association's: its legal form answered too.
    const rna = (identifiers as { rna?: string }).rna;
    expect(alsoAnswered('name', text, {})).toEqual({ identifiers, ...(rna ? { legalForm: { result: { form: 'association' }, text: `RNA ${rna}` } } : {}) });
  });

  it('an invalid number stays in the name as typed, and the SIRET is asked', () => {
    expect(nameAndIdentifiers('Le Relais siret 443 061 841 00048')).toEqual({ name: 'Le Relais siret 443 061 841 00048' });
    expect(alsoAnswered('name', 'Le Relais siret 443 061 841 00048', {})).toEqual({});
  });

  it.each([
    // QA: the name, its legal form and its SIRET in one answer
    ['Les Jardins du Lien, asso loi 1901, siret 592 451 959 00015', 'Les Jardins du Lien', { identifiers: { siret: '59245195900015' }, legalForm: { result: { form: 'association' }, text: 'asso loi 1901' } }],
    ['Recyclerie du Bassin (SAS)', 'Recyclerie du Bassin', { legalForm: { result: { form: 'commercial_company' }, text: 'SAS' } }],
    ['Scop des Bâtisseurs - SCOP SARL', 'Scop des Bâtisseurs', { legalForm: { result: { form: 'cooperative', cooperativeKind: 'SCOP' }, text: 'SCOP SARL' } }],
    ['Les Petits Pas, on est une asso', 'Les Petits Pas', { legalForm: { result: { form: 'association' }, text: 'on est une asso' } }],
    // A form inside the name, or with other words, is the name's: nothing taken
    ['Association Les Amis', 'Association Les Amis', {}],
    ['Les Amis, association de quartier', 'Les Amis, association de quartier', {}],
    ['Terre, Mer et Coopérative', 'Terre, Mer et Coopérative', {}],
    ['Café, Bar et Associés', 'Café, Bar et Associés', {}],
    ['Les Amis, Bordeaux', 'Les Amis, Bordeaux', {}],
  ])('« %s »: the name without a legal form typed after it, and that form as the legal form question’s answer', (text, expectedName, also) => {
    expect(name.parse(text, 1)).toEqual({ ok: true, value: expectedName });
    expect(alsoAnswered('name', text, {})).toEqual(also);
  });

  it('a legal form typed with the name does not replace one already given', () => {
    expect(alsoAnswered('name', 'Les Jardins, SAS', { legalForm: { result: { form: 'association' }, text: 'association' } })).toEqual({});
  });

  it('a number typed with the name does not replace an identifier already given', () => {
    expect(alsoAnswered('name', 'Les Jardins, siret 443 061 841 00047', { identifiers: { unknown: true } })).toEqual({});
  });
});

describe('a later answer given with this one', () => {
  it.each([
    ['employees', '4,5 etp et on est a bordeaux 33000', { location: { postalCode: '33000', departement: '33' } }],
    ['legalForm', 'asso loi 1901, siège au 24 100 Bergerac', { location: { postalCode: '24100', departement: '24' } }],
    ['employees', '12 salariés', {}],
    ['employees', '5 salariés depuis 2019', {}], // a year is no postal code
    ['employees', 'quinze salaries on est a merignac trente trois sept cents', { location: { postalCode: '33700', departement: '33' } }], // dictated
    ['employees', 'quinze salaries et douze mille euros de subventions', {}], // an amount, not a postal code
    ['identifiers', '732 829 320 00074', {}], // digits of a SIRET
    // QA: another question's answer at the SIRET question is kept for that question
    ['identifiers', '12 salariés', { employees: { etp: 12, approximate: false, hiringPlan: false, text: '12 salariés' } }],
    ['identifiers', 'association loi 1901', { legalForm: { result: { form: 'association' }, text: 'association loi 1901' } }],
    ['identifiers', '33000', { location: { postalCode: '33000', departement: '33' } }],
    ['identifiers', '732 829 320 00075, 12 salariés', {}], // a number tried: the SIRET question's answer only
    // An ESUS application said with the legal form: the ESUS question's answer too
    ['legalForm', 'SAS, demande d’agrément ESUS déposée', { esus: { pending: true, text: 'SAS, demande d’agrément ESUS déposée' } }],
    ['legalForm', 'SARL, on n’a pas l’agrément ESUS, c’est en cours ailleurs', {}], // denied
    ['legalForm', 'SAS agréée ESUS', {}], // approved: the legal form's own reading
    // The staff said with another answer (not yet given): not asked again
    ['legalForm', 'on est une asso loi 1901 avec 4 salaries', { employees: { etp: 4, approximate: false, hiringPlan: false, text: 'on est une asso loi 1901 avec 4 salaries' } }],
    ['location', '33000, on a 6 permanents', { employees: { etp: 6, approximate: false, hiringPlan: false, text: '33000, on a 6 permanents' } }],
  ])('%s: « %s »', (key, text, expected) => {
    expect(alsoAnswered(key, text, {})).toEqual(expected);
  });
  it('not the staff when it is known', () => {
    expect(alsoAnswered('legalForm', 'asso avec 4 salariés', { employees: { etp: 3, approximate: false, hiringPlan: false, text: '3' } })).toEqual({});
  });
  it('not when the postal code is known', () => {
    expect(alsoAnswered('employees', '3 salariés, 33000', { location: { postalCode: '24100', departement: '24' } })).toEqual({});
  });
});

describe('the SIRET question: numbers tried are kept, other answers are never the SIRET', () => {
  const identifiers = slot('identifiers');

  it('QA: two wrong SIRETs, then « 12 salariés »: the two numbers tried are kept as typed, unverified, not « 12 salariés »', () => {
    const first = identifiers.parse('732 829 320 00075', 1);
    expect(first).toEqual({ ok: false, errorKey: 'accueil.identifiers.invalid.checksum', vars: { kind: 'SIRET' }, carry: '732 829 320 00075' });
    const second = identifiers.parse('73282932000076', 2, first.ok ? undefined : first.carry);
    expect(second).toMatchObject({ ok: false, carry: '732 829 320 00075 ; 73282932000076' });
    expect(identifiers.parse('12 salariés', 3, second.ok ? undefined : second.carry)).toEqual({ ok: true, value: { unknown: true, text: '732 829 320 00075 ; 73282932000076' } });
  });

  it.each<[text: string, attempt: number, carried: string | undefined, expected: object]>([
    // Another question's answer: the SIRET left for later, at once (alsoAnswered keeps that answer)
    ['12 salariés', 1, undefined, { ok: true, value: { unknown: true } }],
    ['on est une association loi 1901', 2, '73282932000075', { ok: true, value: { unknown: true, text: '73282932000075' } }],
    ['33000', 1, undefined, { ok: true, value: { unknown: true } }],
    // « je ne sais pas » after a wrong number: that number kept for the chargé·e
    ['je ne sais pas', 2, '73282932000075', { ok: true, value: { unknown: true, text: '73282932000075' } }],
    ['je ne sais pas', 1, undefined, { ok: true, value: { unknown: true } }],
    // The third answer without a number read: only the numbers tried are kept (a 9+ digit run, an RNA)
    ['bof', 3, '73282932000075', { ok: true, value: { unknown: true, text: '73282932000075' } }],
    ['89', 3, undefined, { ok: true, value: { unknown: true } }],
    ['c’est 732 829 320 00077 je crois', 3, '73282932000075', { ok: true, value: { unknown: true, text: '73282932000075 ; c’est 732 829 320 00077 je crois' } }],
    ['RNA W75123', 3, undefined, { ok: true, value: { unknown: true, text: 'RNA W75123' } }],
    // The structure stands by a number found invalid (« c'est correct »): kept as tried, at once; a « oui » with nothing tried is no number.
    ['c’est correct', 2, '412 345 678 00012', { ok: true, value: { unknown: true, text: '412 345 678 00012' } }],
    ['oui je confirme', 2, '73282932000075', { ok: true, value: { unknown: true, text: '73282932000075' } }],
    ['yes, that’s right', 2, '73282932000075', { ok: true, value: { unknown: true, text: '73282932000075' } }],
    ['oui', 1, undefined, { ok: false, errorKey: 'accueil.identifiers.notFound' }],
    // Before the third answer, still asked again — the numbers tried carried, a mash too
    ['bof', 2, '73282932000075', { ok: false, errorKey: 'accueil.identifiers.notFound', carry: '73282932000075' }],
    ['???', 2, '73282932000075', { ok: false, errorKey: 'accueil.identifiers.notFound', notUnderstood: true, carry: '73282932000075' }],
    // A number too short to try a SIRET, alone: what is wrong with it is said (the last invalidRetry()).
    ['1234567', 1, undefined, { ok: false, errorKey: 'accueil.identifiers.invalid.too_short', vars: { kind: 'SIRET' } }],
    // A run of digits too long for any identifier, in a sentence: tried, no number read.
    ['c’est le 1234 5678 9012 3456 7890', 1, undefined, { ok: false, errorKey: 'accueil.identifiers.notFound', carry: 'c’est le 1234 5678 9012 3456 7890' }],
    // Unchanged: a valid number, « pas encore » (the creation stage, in its words)
    ['732 829 320 00074', 3, '73282932000075', { ok: true, value: { siret: '73282932000074' } }],
    ['pas encore, on est une association en création', 1, undefined, { ok: true, value: { none: true, text: 'pas encore, on est une association en création' } }],
  ])('« %s » (answer %i, tried before: %s)', (text, attempt, carried, expected) => {
    expect(identifiers.parse(text, attempt, carried)).toEqual(expected);
  });
});

describe('a name in quotes in a first message', () => {
  it.each([
    ["on est une asso loi 1901, 4 salariés, 'Les Jardins de Garonne', siret 732 829 320 00074", 'Les Jardins de Garonne'],
    ['on est une asso loi 1901, 4 salariés, « Les Jardins de Garonne », siret 732 829 320 00074', 'Les Jardins de Garonne'],
    ['on est une asso loi 1901, 4 salariés, "Les Jardins de Garonne"', 'Les Jardins de Garonne'],
    ['on est une SCOP de 6 salariés, “Bois & Co”', 'Bois & Co'],
    ['Les Jardins du Lien, asso loi 1901, 3 salariés', 'Les Jardins du Lien'], // unchanged: the name first
    // Quoted words that are a legal form or a number are no name: the next quoted words may be.
    ['on est une asso "loi 1901", SIRET 732 829 320 00074', undefined],
    ['on est une "entreprise d’insertion", siret 732 829 320 00074', undefined],
    ['notre asso (« loi 1901 ») a 3 salariés, "Les Jardins"', 'Les Jardins'],
    ['on est une « SCOP », siret « 732 829 320 00074 », « Bois & Co »', 'Bois & Co'],
    ['Bonjour, je suis directrice de l’association Les Petits Débrouillards Bordeaux, on a 6 salariés, siret 443 061 841 00047', 'Les Petits Débrouillards Bordeaux'],
    ['Bonjour, on est un chantier d’insertion (ACI), 12 salariés en insertion + 3 permanents, 33000', undefined], // « ACI » is its form
    ['Bonjour, on est l’association Les Jardins de Garonne, 4 salariés, 33000', 'Les Jardins de Garonne'],
    ['nous sommes l’association Vélo Cité, 2 salariés', 'Vélo Cité'],
    ['je suis directeur de la cooperative Les Paniers Solidaires, 8 salariés, 33000', 'Les Paniers Solidaires'], // typed without its accent
    ['nous sommes la SCIC Les Paniers Solidaires, 8 salariés, 33000', 'SCIC Les Paniers Solidaires'],
    ['on est une association de 4 salariés, 33000', undefined],
    ['on est l’association de parents d’élèves du collège, 2 salariés', undefined],
    // A greeting typed on a phone is no name; the form said before a name with a capital gives it.
    ['bjr je suis directeur d un ACI a villeurbanne, asso, 12 salaries en insertion + 3 permanents, c tres urgent', undefined],
    ['slt, ACI Les Ateliers du Rhone, siret 443 061 841 00047, 12 salaries en insertion + 3 permanents, 69120', 'ACI Les Ateliers du Rhone'],
    ['bonjour, association Corsica Ambiente, 4 salariés, 20000 Ajaccio, on a besoin d’aide', 'Corsica Ambiente'],
    ['bonjour, SCIC Kaz Lontan, 6 salariés, 97410 Saint-Pierre, on a besoin d’aide', 'SCIC Kaz Lontan'],
    ['Association des Paralysés de Lyon, 4 salariés, siret 443 061 841 00047', 'Association des Paralysés de Lyon'],
    // A description in brackets after the name, cut by its comma, is no part of it; a closed one stays.
    ["Bonjour, je suis la présidente de l'association Les P'tits Loups (crèche parentale, 8 salariées, Libourne 33500). Nous avons perdu une subvention", "Les P'tits Loups"],
    ['Bonjour, je suis directrice de l’association ADIE (Antenne Sud), 4 salariés, 33000', 'ADIE (Antenne Sud)'],
    // Persona QA 5: « rebonjour » is a greeting, no name
    ['rebonjour, c’est la SCIC Bois Energie Perigord, siret 443 061 841 00047, on avait commencé hier', 'SCIC Bois Energie Perigord'],
    ['Re bonjour, association Les Amis du Quai, 5 salariés, 33100', 'Les Amis du Quai'],
    ['rebonjour, siret 443 061 841 00047', undefined],
    // Persona QA 6: a legal form first is no name
    ['Bonjour, SCIC SAS, 8 associés salariés, 14 ETP, CA 900 k€, on fait de la restauration collective bio', undefined],
    // The form with a capital, as filed: part of the name, which alone introduces the structure.
    ['Association Les Jardins de Cocagne', 'Association Les Jardins de Cocagne'],
    ['Coopérative Les Paniers Solidaires, 33000', 'Coopérative Les Paniers Solidaires'],
    // A role before « de la / du / de l' / de » and the name with its capital introduces it (leftovers 1), accents or not.
    ['bonjour je suis le tresorier de la Recyclerie du Bassin, siret 732 829 320 00074', 'Recyclerie du Bassin'],
    ['Bonjour, je suis la trésorière de la Recyclerie du Bassin, siret 732 829 320 00074', 'Recyclerie du Bassin'],
    ['je suis president du Secours Solidaire, 4 salariés, 33000', 'Secours Solidaire'],
    ['je suis coordinatrice de l’Atelier Vélo Solidaire, 5 salariés', 'Atelier Vélo Solidaire'],
    ['je suis salariée de Bois & Cie, une SCOP de 6 salariés', 'Bois & Cie'],
    ['je suis bénévole de la Maison des Familles, asso loi 1901, 2 salariés', 'Maison des Familles'],
    ['je suis directeur de l association Les Amis du Quai, siret 732 829 320 00074', 'Les Amis du Quai'],
    ['je suis le co-président de l’association Vélo Cité, 2 salariés', 'Vélo Cité'],
    ["Hi, I'm the treasurer of Green Bikes, SIRET 732 829 320 00074", 'Green Bikes'],
    // A role alone, or before no name, invents none.
    ['je suis le président, siret 732 829 320 00074', undefined],
    ['je suis le président du conseil d’administration, siret 732 829 320 00074', undefined],
    ['je suis salariée de l’asso, 3 salariés, 33000', undefined],
  ])('« %s »: %s', (text, name) => {
    expect(introducedStructure(text)?.name).toBe(name);
  });
  it.each([
    ["on est l'asso du quartier, 3 salariés", undefined], // an apostrophe is no quote
    ['on a besoin d’aide pour « le modèle éco »', 'le modèle éco'],
    ['« 2024 »', undefined],
    ['on est une asso loi 1901, RNA "W332001234"', undefined],
    ['on est une asso « loi 1901 »', undefined],
  ])('quotedName(« %s ») is %s', (text, expected) => {
    expect(quotedName(text)).toBe(expected);
  });
  it('a structure saying what it is introduces itself (« on est une petite asso à Bordeaux », "we are a small charity"), not when it asks a question', () => {
    expect(introducedStructure('Hi, we are a small charity in Bordeaux')?.legalForm?.result?.form).toBe('association');
    expect(introducedStructure('nous sommes une SCOP de Pessac')?.legalForm?.result?.form).toBe('cooperative');
    expect(introducedStructure('on est une asso, c’est payant ?')).toBeUndefined();
    expect(introducedStructure('je suis auto-entrepreneur, je fais du conseil en RSE')?.legalForm?.result?.form).toBe('individual');
    expect(introducedStructure('je suis bénévole dans une asso')).toBeUndefined(); // a person in a structure, not what the structure is
    // « aide à domicile » is what it does, not a need.
    expect(introducedStructure('bjr on est une asso d’aide a domicile, 1 salarie a mi temps et 30 benevoles')?.request).toBeUndefined();
    expect(introducedStructure('on est une asso d’aide alimentaire, 3 salariés, on a besoin d’aide pour la trésorerie')?.request).toBeDefined();
    // « associatif » says the form too, the staff in brackets read with it.
    expect(introducedStructure('Bonjour, notre EHPAD associatif (120 salariés) traverse une crise de gouvernance')).toMatchObject({
      legalForm: { result: { form: 'association' } }, employees: { etp: 120 }, request: 'notre EHPAD associatif (120 salariés) traverse une crise de gouvernance',
    });
  });
  it('what a first message says of the activity and the budget is kept for the diagnostic', () => {
    expect(introducedStructure('Bonjour, SCIC SAS, 14 ETP, CA 900 k€, on fait de la restauration collective bio')?.told)
      .toMatchObject({ activity: 'on fait de la restauration collective bio', budget: { euros: 900000 } });
  });
  it('no name without a legal form or a number: a quote in a need is no name', () => {
    expect(introducedStructure('on a besoin d’aide pour « le modèle éco »')).toBeUndefined();
  });
});

describe('a postal code or the staff said alone as a first message (factsAlone)', () => {
  it.each([
    ['33000', { location: { postalCode: '33000', departement: '33' } }],
    ['on est à 33000', { location: { postalCode: '33000', departement: '33' } }],
    ['5 ETP', { employees: { etp: 5 } }],
    ['12 salariés, 33800', { employees: { etp: 12 }, location: { postalCode: '33800' } }],
    ['3 employees', { employees: { etp: 3 } }],
  ])('« %s » is a fact about the structure', (text, expected) => {
    expect(factsAlone(text)).toMatchObject(expected);
  });
  it.each(['bonjour', '33000 c’est le DLA de la Gironde ?', '5 ETP, on a besoin d’aide pour notre modèle économique', 'association, 5 ETP', 'Bordeaux', '2'])('« %s » is not one alone', (text) => {
    expect(factsAlone(text)).toBeUndefined();
  });
});

describe('the contact slot', () => {
  const contact = CONTACT_SLOTS.find((s) => s.key === 'contact');
  if (!contact) throw new Error('no contact slot');

  it.each([
    ['Marie Dupont marie.dupont@asso.fr', { name: 'Marie Dupont', email: 'marie.dupont@asso.fr' }],
    ['Marie Dupont, 06 12 34 56 78', { name: 'Marie Dupont', phone: '06 12 34 56 78' }],
    ['Marie Dupont +33 (0)6 12 34 56 78', { name: 'Marie Dupont', phone: '06 12 34 56 78' }],
    ['Marie Dupont - 06 12 34 56 78', { name: 'Marie Dupont', phone: '06 12 34 56 78' }],
    ['Marie Dupont, e-mail : marie@asso.fr, téléphone : 06 12 34 56 78', { name: 'Marie Dupont', email: 'marie@asso.fr', phone: '06 12 34 56 78' }],
    ['Marie Dupont 06.12.34.56.78', { name: 'Marie Dupont', phone: '06 12 34 56 78' }],
    // Names that begin with an article or a preposition keep it; typed in lower case, it is a lead-in.
    ['Le Goff Marie, 06 12 34 56 78', { name: 'Le Goff Marie', phone: '06 12 34 56 78' }],
    ['La Fontaine Jean jean@asso.fr', { name: 'La Fontaine Jean', email: 'jean@asso.fr' }],
    ['Au Duc Minh, au 06 12 34 56 78', { name: 'Au Duc Minh', phone: '06 12 34 56 78' }],
    ['Marie Dupont, Le 06 12 34 56 78', { name: 'Marie Dupont', phone: '06 12 34 56 78' }],
    ['Jean-Luc Martin, mail : jl@exemple.org et tél 0033 5 56 00 11 22', { name: 'Jean-Luc Martin', email: 'jl@exemple.org', phone: '05 56 00 11 22' }],
    // The words around the number are not the name, nor is a role (the contact has no role field).
    ['sophie martin, directrice. mon tel c est le 06 12 34 56 78', { name: 'Sophie Martin', phone: '06 12 34 56 78' }],
    ['Sophie Martin, sophie.martin@gesb33.fr ou 06 12 34 56 78', { name: 'Sophie Martin', email: 'sophie.martin@gesb33.fr', phone: '06 12 34 56 78' }],
    ['Je suis Hélène Durand, présidente, vous pouvez me joindre au 06 12 34 56 78 ou par mail h.durand@asso.fr', { name: 'Hélène Durand', email: 'h.durand@asso.fr', phone: '06 12 34 56 78' }],
    ['jean de la fontaine - 0612345678', { name: 'Jean de la Fontaine', phone: '06 12 34 56 78' }],
    ['J. Dupont, j.dupont@x.fr', { name: 'J. Dupont', email: 'j.dupont@x.fr' }],
    ['Paul (trésorier) 06 12 34 56 78 merci !', { name: 'Paul', phone: '06 12 34 56 78' }],
    ['My name is John Smith, john@x.org', { name: 'John Smith', email: 'john@x.org' }],
    // A greeting or a yes that opens the answer is not the name.
    ['Bonjour, Marie Dupont, marie.dupont@asso.fr', { name: 'Marie Dupont', email: 'marie.dupont@asso.fr' }],
    ['bonjour marie dupont 06 12 34 56 78', { name: 'Marie Dupont', phone: '06 12 34 56 78' }],
    ['Salut ! Marie Dupont 0612345678', { name: 'Marie Dupont', phone: '06 12 34 56 78' }],
    ['oui bien sûr : Marie Dupont, 06 12 34 56 78', { name: 'Marie Dupont', phone: '06 12 34 56 78' }],
    ['Bonsoir, c’est Marie Dupont, marie@asso.fr', { name: 'Marie Dupont', email: 'marie@asso.fr' }],
    ['Hi! Sure, John Smith john@x.org', { name: 'John Smith', email: 'john@x.org' }],
    ['A. Martin, a.martin@x.fr', { name: 'A. Martin', email: 'a.martin@x.fr' }],
    ['appelez-moi au 06 12 34 56 78', { name: '', phone: '06 12 34 56 78' }],
    // A role before or after the name, with or without a comma, inclusive spellings, English: not the name.
    ['Mireille Dubois presidente mireille@asso.fr', { name: 'Mireille Dubois', email: 'mireille@asso.fr' }],
    ['mireille dubois présidente de l’association, 06 12 34 56 78', { name: 'Mireille Dubois', phone: '06 12 34 56 78' }],
    ['la trésorière Anne Roy, anne.roy@asso.fr', { name: 'Anne Roy', email: 'anne.roy@asso.fr' }],
    ['Je suis le secrétaire, Marc Petit, 06 12 34 56 78', { name: 'Marc Petit', phone: '06 12 34 56 78' }],
    ['Karim Benali coordinateur·rice 06 12 34 56 78', { name: 'Karim Benali', phone: '06 12 34 56 78' }],
    ['Lucie Bernard chargée de mission lucie@asso.fr', { name: 'Lucie Bernard', email: 'lucie@asso.fr' }],
    ['Yann Le Gall, gérant, 06 12 34 56 78', { name: 'Yann Le Gall', phone: '06 12 34 56 78' }],
    // A signature block pasted: the person's name, not the structure, its address nor « Port. »
    ['Claire Martin\nDirectrice\nLes Petits Débrouillards Bordeaux\n12 rue des Faures, 33800 Bordeaux\nTél : 05 56 12 34 56 | Port. 06 12 34 56 78\nclaire.martin@debrouillards33.org',
      { name: 'Claire Martin', email: 'claire.martin@debrouillards33.org', phone: '06 12 34 56 78', otherPhone: '05 56 12 34 56' }],
    ['Cordialement,\n\nMarc Petit\nTrésorier – Recyclerie du Bassin\n06 12 34 56 78', { name: 'Marc Petit', phone: '06 12 34 56 78' }],
    // A whole e-mail pasted: its words before the closing are no name, its quoted reply no contact.
    ['Bonjour,\n\nVoici mes coordonnées pour le rappel.\n\nBien cordialement,\n--\nSophie Lambert\nCoordinatrice\nAssociation Bacalan Ensemble\n12 rue Achard, 33300 Bordeaux\n'
      + 'Tél : 05 56 12 34 56 / Port. 06 11 22 33 44\nsophie.lambert@bacalan-ensemble.org\n\nLe 27/11/2026 à 10:12, DLA Gironde <contact@dla33.fr> a écrit :\n> Bonjour Madame Lambert,\n> Cordialement, Jean Morel',
    { name: 'Sophie Lambert', email: 'sophie.lambert@bacalan-ensemble.org', phone: '06 11 22 33 44', otherPhone: '05 56 12 34 56' }],
    // Two numbers: both kept for the chargé·e who calls back, the mobile first (it reaches the person); one typed twice is one.
    ['Camille Roux\nTél. 05 56 00 00 00 / Port. 06 12 34 56 78', { name: 'Camille Roux', phone: '06 12 34 56 78', otherPhone: '05 56 00 00 00' }],
    ['Camille Roux, 05 56 00 00 00 ou 05 56 00 00 01', { name: 'Camille Roux', phone: '05 56 00 00 00', otherPhone: '05 56 00 00 01' }],
    ['Camille Roux 06 12 34 56 78 (06.12.34.56.78)', { name: 'Camille Roux', phone: '06 12 34 56 78' }],
    ['Voici mon numéro pour le rappel\nMarc Petit\n06 12 34 56 78\n\nOn Thu, Nov 27, 2026 at 10:12 AM DLA <contact@dla33.fr> wrote:\n> Hello', { name: 'Marc Petit', phone: '06 12 34 56 78' }],
    ['Zoé Martin salariée 06 12 34 56 78', { name: 'Zoé Martin', phone: '06 12 34 56 78' }],
    ['Pierre Vidal, bénévole, pierre@asso.fr', { name: 'Pierre Vidal', email: 'pierre@asso.fr' }],
    ['Nadia Haddad co-présidente 06 12 34 56 78', { name: 'Nadia Haddad', phone: '06 12 34 56 78' }],
    ['Claire Morel directeur·rice claire@asso.fr', { name: 'Claire Morel', email: 'claire@asso.fr' }],
    ['John Smith, treasurer, john@x.org', { name: 'John Smith', email: 'john@x.org' }],
    ['our director Jane Doe jane@x.org', { name: 'Jane Doe', email: 'jane@x.org' }],
    // A name that holds a role's letters is kept whole.
    ['Françoise Directo, 06 12 34 56 78', { name: 'Françoise Directo', phone: '06 12 34 56 78' }],
    ['présidente 06 12 34 56 78', { name: '', phone: '06 12 34 56 78' }],
    // Dictated: the number in words, no comma before it
    ['julie martin mon numero c est zero six douze trente quatre cinquante six soixante dix huit', { name: 'Julie Martin', phone: '06 12 34 56 78' }],
    ['Paul Martin joignable au zéro cinq cinquante-six onze vingt-deux trente-trois', { name: 'Paul Martin', phone: '05 56 11 22 33' }],
    ['c’est Paul Martin maintenant 06 11 22 33 44', { name: 'Paul Martin', phone: '06 11 22 33 44' }],
    ['Marie Au 06 11 22 33 44', { name: 'Marie Au', phone: '06 11 22 33 44' }],
  ])('"%s" → %j', (text, expected) => {
    expect(contact.parse(text, 0)).toEqual({ ok: true, value: expected });
  });

  it('fails without an e-mail or a phone', () => {
    expect(contact.parse('appelez le standard', 1)).toEqual({ ok: false, errorKey: 'accueil.contact.invalid' });
    expect(contact.parse('je ne sais pas', 1)).toEqual({ ok: false, errorKey: 'accueil.contact.invalid' });
    // The only address and number are those of the message quoted below the reply: not the structure's.
    expect(contact.parse('Merci de me rappeler.\nCordialement\nAnne Roy\n\n-----Message d’origine-----\nDe : DLA Gironde <contact@dla33.fr>\nTél : 05 57 00 00 00', 1)).toMatchObject({ ok: false });
  });

  it('keeps a name given alone (written as one) for the e-mail or phone asked next', () => {
    expect(contact.parse('Marie Dupont', 1)).toEqual({ ok: false, errorKey: 'accueil.contact.nameOnly', vars: { name: 'Marie Dupont' }, carry: 'Marie Dupont' });
    expect(contact.parse('Mme Roux, trésorière', 1)).toMatchObject({ errorKey: 'accueil.contact.nameOnly', carry: 'Mme Roux' });
    expect(contact.parse('marie@exemple.fr', 2, 'Marie Dupont')).toEqual({ ok: true, value: { name: 'Marie Dupont', email: 'marie@exemple.fr' } });
    expect(contact.parse('pas de mail', 2, 'Marie Dupont')).toMatchObject({ ok: false, errorKey: 'accueil.contact.invalid', carry: 'Marie Dupont' });
    // Kept as typed after the retries: the name with what followed it.
    expect(contact.parse('appelez le standard', 3, 'Marie Dupont')).toEqual({ ok: true, value: { name: 'Marie Dupont, appelez le standard' } });
  });

  it('says an incomplete e-mail address is one, and asks again rather than keep it as a name', () => {
    expect(contact.parse('paul.martin@gmail', 3)).toEqual({ ok: false, errorKey: 'accueil.contact.badEmail' });
    expect(contact.parse('paul.martin@gmail', 4)).toEqual({ ok: true, value: { name: 'paul.martin@gmail' } });
    expect(contact.parse('Paul, paul.martin@gmail.com', 2)).toEqual({ ok: true, value: { name: 'Paul', email: 'paul.martin@gmail.com' } });
  });
});

describe('an answer that cannot be read', () => {
  const legalForm = SLOTS.find((s) => s.key === 'legalForm');
  if (!legalForm) throw new Error('no legalForm slot');

  it('fails on the first two answers, then is kept as typed', () => {
    expect(legalForm.parse('un truc bizarre', 1)).toEqual({ ok: false, errorKey: 'accueil.legalForm.unknown' });
    expect(legalForm.parse('un truc bizarre', 2)).toEqual({ ok: false, errorKey: 'accueil.legalForm.unknown' });
    expect(legalForm.parse('un truc bizarre ', 3)).toEqual({ ok: true, value: { text: 'un truc bizarre' } });
  });

  it('is kept at once when the structure does not know', () => {
    expect(legalForm.parse('je ne sais pas', 0)).toEqual({ ok: true, value: { text: 'je ne sais pas' } });
  });
});

describe('no accueil question loops', () => {
  /** The structure's own words: what is not understood there is never kept (the third in a row hands over). */
  const FREE_TEXT = ['name', 'request'];
  const slots = [...SLOTS, ...CONTACT_SLOTS].filter((s) => !FREE_TEXT.includes(s.key));
  const unreadable = ['Paris', '75', '00000', 'abc', 'x', '1 000 000', '73282932000075', 'je préfère pas'];

  it.each(slots.map((s) => [s.key, s] as const))('%s: an unreadable answer is kept as typed after two retries', (_key, slot) => {
    // The contact is asked once more when it looks like a broken e-mail address (see above).
    for (const text of unreadable) expect([text, slot.parse(text, MAX_FAILED_ATTEMPTS + (slot.key === 'contact' ? 2 : 1)).ok]).toEqual([text, true]);
  });

  it.each(slots.map((s) => [s.key, s] as const))('%s: nonsense (no words, a keyboard mash) is never kept, whatever the attempt', (_key, slot) => {
    for (const text of ['???', '!!', '', '🙃🙃', 'asdfgh', 'qsdfqsdf', '@@@']) {
      for (const attempt of [1, MAX_FAILED_ATTEMPTS + 2, 10]) expect([text, attempt, slot.parse(text, attempt)]).toMatchObject([text, attempt, { ok: false, notUnderstood: true }]);
    }
  });

  it.each(FREE_TEXT)('%s: nonsense is never kept, whatever the attempt; words are kept at once', (key) => {
    for (const text of ['asdfgh', 'qwerty zzzz', '???', '!!', '', '🙃🙃']) {
      for (const attempt of [1, MAX_FAILED_ATTEMPTS + 1, 10]) expect([text, attempt, slot(key).parse(text, attempt)]).toMatchObject([text, attempt, { ok: false, notUnderstood: true }]);
    }
    for (const text of ['Paris', 'abc', 'Les Amis du Vélo']) expect([text, slot(key).parse(text, 1).ok]).toEqual([text, true]);
  });

  it('the request: a mash is said not understood, an answer too short is asked for more', () => {
    expect(slot('request').parse('asdfgh', 1)).toEqual({ ok: false, errorKey: 'accueil.request.unclear', notUnderstood: true });
    expect(slot('request').parse('ok', 1)).toEqual({ ok: false, errorKey: 'accueil.request.tooShort', notUnderstood: true });
  });

  it('the postal code: « je ne sais pas » at once; an unreadable one kept for a chargé·e after two retries', () => {
    const location = slot('location');
    expect(location.parse('je ne sais pas', 1)).toEqual({ ok: true, value: { unknown: true } });
    expect(location.parse('Lyon', 1)).toMatchObject({ ok: false, errorKey: 'accueil.location.invalid.not_digits' });
    expect(location.parse('Lyon', 2)).toMatchObject({ ok: false, errorKey: 'accueil.location.invalid.not_digits' });
    expect(location.parse('Lyon', 3)).toEqual({ ok: true, value: { unknown: true, text: 'Lyon' } });
    expect(recap({ location: { unknown: true, text: 'Lyon' } })).toEqual([{ key: 'accueil.recap.locationText', field: 'location', vars: { value: 'Lyon' } }]);
  });

  it.each([
    ['trente trois mille', '33000'],
    ['trois trois zero zero zero bordeaux', '33000'],
    ['vingt-quatre mille Périgueux', '24000'],
    ['trente-trois sept cents', '33700'],
  ])('the postal code dictated: « %s » → %s', (text, postalCode) => {
    expect(slot('location').parse(text, 1)).toEqual({ ok: true, value: { postalCode, departement: postalCode.slice(0, 2) } });
  });

  it.each(['je ne sais pas', 'je sais pas', 'I don’t know'])('« %s » at the name question is asked again: the name the structure is known by will do', (text) => {
    expect(slot('name').parse(text, 1)).toEqual({ ok: false, errorKey: 'accueil.name.dontKnow', notUnderstood: true });
  });

  it.each(['J’accepte', 'oui', 'ok d’accord', 'I agree', 'merci', 'Merci !', 'ok merci', 'thanks'])('« %s » at the name question is a consent or a thanks said again, not a name', (text) => {
    expect(slot('name').parse(text, 1)).toMatchObject({ ok: false, errorKey: 'accueil.name.invalid' });
    expect(slot('name').parse(text, 3)).toMatchObject({ ok: false, errorKey: 'accueil.name.invalid' });
    expect(slot('name').parse('Oui Santé', 1)).toEqual({ ok: true, value: 'Oui Santé' });
  });

  it('employees kept as written after the retries are recapped as written (« ça dépend »), also when stored with a null ETP', () => {
    const employees = slot('employees');
    const kept = employees.parse('ça dépend', 3);
    expect(kept).toEqual({ ok: true, value: { approximate: false, hiringPlan: false, text: 'ça dépend' } });
    const line = { key: 'accueil.recap.employeesText', field: 'employees', vars: { value: 'ça dépend' } };
    expect(recap({ employees: (kept as { value: AccueilAnswers['employees'] }).value })).toEqual([line]);
    // Stored before: MongoDB gave back the undefined ETP as null.
    expect(recap({ employees: { etp: null as unknown as undefined, approximate: false, hiringPlan: false, text: 'ça dépend' } })).toEqual([line]);
  });

  it('the SIRET: « pas encore » and its variants are answers; a wrong number typed twice is asked again, a third time kept for a chargé·e', () => {
    const ids = slot('identifiers');
    for (const text of ['pas encore', "on n'en a pas", 'en cours', 'aucun']) expect([text, ids.parse(text, 1)]).toEqual([text, { ok: true, value: { none: true, text } }]);
    expect(ids.parse('73282932000075', 1)).toMatchObject({ ok: false, errorKey: 'accueil.identifiers.invalid.checksum' });
    expect(ids.parse('73282932000075', 2)).toMatchObject({ ok: false, errorKey: 'accueil.identifiers.invalid.checksum' });
    expect(ids.parse('je ne sais pas', 3)).toEqual({ ok: true, value: { unknown: true } });
    expect(ids.parse('73282932000075', 3)).toEqual({ ok: true, value: { unknown: true, text: '73282932000075' } });
  });

  it('the head count: a need typed there at the third try is the request, not the staff (« nombre non connu »)', () => {
    const said = 'on veut structurer notre modèle éco';
    const kept = slot('employees').parse(said, 3);
    expect(kept).toEqual({ ok: true, value: { approximate: false, hiringPlan: false, text: '' } });
    expect(recap({ employees: (kept as { value: AccueilAnswers['employees'] }).value })).toEqual([{ key: 'accueil.recap.employeesUnknown', field: 'employees', vars: {} }]);
    expect(alsoAnswered('employees', said, {})).toEqual({ request: said });
    expect(alsoAnswered('employees', said, { request: 'trouver des financements' })).toEqual({});
    expect(alsoAnswered('employees', '4 salariés', {})).toEqual({});
  });

  it('the head count: « loi 1901 » is re-asked, not 1 901 employees', () => {
    expect(slot('employees').parse('on est une asso loi 1901', 1)).toEqual({ ok: false, errorKey: 'accueil.employees.unknown' });
  });
});

describe('an ESUS approval said absent in a first message', () => {
  it.each([
    "ReCycl'Up, SAS, 6 salariés, pas d'agrément ESUS, 33130",
    "ReCycl'Up, SAS, 6 salariés, 33130, on n'a pas l'agrément ESUS",
  ])('« %s »: the ESUS question is answered (no)', (text) => {
    const found = introducedStructure(text)!;
    expect(found.esus).toMatchObject({ approved: false });
    expect(nextSlot({ ...found, identifiers: { unknown: true } }, true)?.key).toBe('request');
  });
});

describe('an RNA number is an association’s', () => {
  it('at the SIRET question, « W332001234 » answers the legal form too (association); a SIRET does not', () => {
    expect(alsoAnswered('identifiers', 'W332001234', {})).toEqual({ legalForm: { result: { form: 'association' }, text: 'RNA W332001234' } });
    expect(alsoAnswered('identifiers', '732 829 320 00074', {})).toEqual({});
    // A legal form already answered stays as it was.
    expect(alsoAnswered('identifiers', 'W332001234', { legalForm: { result: { form: 'cooperative' }, text: 'SCOP' } })).toEqual({});
  });
  it('in a first message, the RNA gives the legal form: not asked', () => {
    const found = introducedStructure('Les Amis du Port, RNA W332001234, 3 salariés, 33000')!;
    expect(found.legalForm?.result).toEqual({ form: 'association' });
    expect(found.name).toBe('Les Amis du Port');
    expect(nextSlot(found, true)?.key).toBe('request');
  });
  it('« Les Amis du Port, siret …, 3 salariés »: the name stops at its comma, the staff after the number is no part of it', () => {
    expect(introducedStructure('Les Amis du Port, siret 732 829 320 00074, 3 salariés, 33000')?.name).toBe('Les Amis du Port');
  });
});

describe('an ESUS approval said in its own piece of a first message', () => {
  it.each([
    'Bonjour, nous sommes une SAS, agréée ESUS, 12 salariés à Bordeaux, on voudrait un DLA pour revoir notre modèle économique',
    'Coop Vélo Bordeaux, SARL, agrément ESUS, 4 salariés, 33000',
  ])('« %s »: the company is ESUS-approved, not asked again, no piece of it taken as a name', (text) => {
    const found = introducedStructure(text)!;
    expect(found.legalForm?.result).toEqual({ form: 'commercial_company', esus: true });
    expect(found.name ?? '').not.toMatch(/ESUS|SAS|SARL/);
    expect(nextSlot({ ...found, name: found.name ?? 'Coop', identifiers: { unknown: true } }, true)?.key).not.toBe('esus');
  });
  it('« Les Jardins, SAS, agréée ESUS »: the name is the first piece', () => {
    const found = introducedStructure('Les Jardins, SAS, agréée ESUS, 3 salariés')!;
    expect(found).toMatchObject({ name: 'Les Jardins', legalForm: { result: { form: 'commercial_company', esus: true } } });
    // Read back with the form, as the ESUS question's answer would be.
    expect(recap(found).map((l) => l.key)).toContain('accueil.recap.esus_yes');
  });
});

describe('a head count of employees in insertion is no ETP', () => {
  const employees = SLOTS.find((s) => s.key === 'employees')!;
  it('« 12 salariés en insertion + 3 permanents »: 15 people, ETP not said — still an employer', () => {
    const read = employees.parse('12 salariés en insertion + 3 permanents', 1);
    expect(read).toEqual({ ok: true, value: { etp: 15, headCount: true, approximate: false, hiringPlan: false, text: '12 salariés en insertion + 3 permanents' } });
    const value = (read as { value: AccueilAnswers['employees'] }).value;
    expect(recap({ employees: value })).toEqual([{ key: 'accueil.recap.employeesHeadCount', field: 'employees', vars: { count: 15 } }]);
    expect(eligibilityFacts({ employees: value }).employees).toMatchObject({ etp: 15 });
  });
  it.each(['14 salariés en insertion (CDDI 26h)', '3 ETP dont 2 en insertion', '4 salariés, 2 à mi-temps', '4 salariés'])('« %s »: the ETP is said (or no insertion): read as ETP', (text) => {
    const read = employees.parse(text, 1);
    expect(read).toMatchObject({ ok: true, value: { etp: expect.any(Number) } });
    expect((read as { value: AccueilAnswers['employees'] }).value!.headCount).toBeUndefined();
  });
});

describe('what the answers say about eligibility', () => {
  const served: OperatorTerritory = { departements: ['33'] };
  const base: AccueilAnswers = {
    identifiers: { siret: '73282932000074' }, legalForm: { result: { form: 'association' }, text: 'association' },
    employees: { etp: 3, approximate: false, hiringPlan: false, text: '3' }, location: { postalCode: '33000', departement: '33' },
  };
  const codes = (a: AccueilAnswers) => decide(a, served).reasons.filter((r) => r.outcome !== 'eligible').map((r) => r.code);

  it('« en cours de création » at the SIRET question is the creation stage, oriented to incubators and France Active', () => {
    const read = slot('identifiers').parse('en cours de création', 1);
    if (!read.ok) throw new Error('not read');
    const answers = { ...base, identifiers: read.value as AccueilAnswers['identifiers'] };
    const result = decide(answers, served);
    expect(result.outcome).toBe('out_of_scope');
    expect(codes(answers)).toContain('existence_creation_stage');
    expect(result.orientation).toEqual(expect.arrayContaining(['creation', 'funding']));
    expect(codes({ ...base, identifiers: { none: true, text: 'pas encore' } })).toEqual(['existence_to_check']); // no number is not « not created »
  });

  it('« aucun mais on veut embaucher » is a first hire (primo-employeuse), shown as such at review', () => {
    const read = slot('employees').parse('aucun mais on veut embaucher', 1);
    if (!read.ok) throw new Error('not read');
    const answers = { ...base, employees: read.value as AccueilAnswers['employees'] };
    expect(codes(answers)).toEqual(['first_hire']);
    expect(recap(answers).find((l) => l.field === 'employees')?.key).toBe('accueil.recap.hiringPlan');
  });

  it('out of the territory only: « another DLA covers you », naming the département', () => {
    const answers = { ...base, location: { postalCode: '69003', departement: '69' } };
    const result = decide(answers, served);
    expect(result.outcome).toBe('out_of_scope');
    expect(outcomeKey(result, true)).toBe('eligibility.outcomeOtherDla');
    expect(outcomeVars(answers)).toEqual({ departement: '69', departementName: 'Rhône' });
    // Out of scope for another reason too: the general wording
    const company = { ...answers, legalForm: { result: { form: 'commercial_company' as const, esus: false }, text: 'SARL' } };
    expect(outcomeKey(decide(company, served), true)).toBe('eligibility.outcome.out_of_scope');
  });

  it('without consent an outcome promises no call back', () => {
    expect(outcomeKey(decide(base, served), false)).toBe('eligibility.outcomeNoConsent.eligible');
    expect(outcomeKey(decide({ ...base, identifiers: { unknown: true } }, served), false)).toBe('eligibility.outcomeNoConsent.to_confirm');
    expect(outcomeKey(decide(base, served), true)).toBe('eligibility.outcome.eligible');
  });

  it('without consent the structure’s registration number is asked, nothing personal', () => {
    expect(SLOTS.filter((s) => !s.personal).map((s) => s.key)).toEqual(['identifiers', 'legalForm', 'esus', 'employees', 'location']);
  });
});

function slot(key: string) {
  const found = SLOTS.find((s) => s.key === key);
  if (!found) throw new Error(`no ${key} slot`);
  return found;
}

describe('the ESUS approval of a company', () => {
  const esus = slot('esus');
  it('is asked only of a commercial company whose form did not say', () => {
    const before = { name: 'Boulangerie du Marché', identifiers: { unknown: true } };
    expect(nextSlot({ ...before, legalForm: { result: { form: 'commercial_company' }, text: 'SARL' } }, true)?.key).toBe('esus');
    expect(nextSlot({ ...before, legalForm: { result: { form: 'commercial_company', esus: true }, text: 'SAS agréée ESUS' } }, true)?.key).toBe('employees');
    expect(nextSlot({ ...before, legalForm: { result: { form: 'association' }, text: 'association' } }, true)?.key).toBe('employees');
  });
  it('is asked when the approval was only applied for (« agrément ESUS en cours »)', () => {
    const before = { name: 'Boulangerie du Marché', identifiers: { unknown: true } };
    const read = slot('legalForm').parse('SAS, agrément ESUS en cours', 1);
    if (!read.ok) throw new Error('not read');
    expect(nextSlot({ ...before, legalForm: read.value as AccueilAnswers['legalForm'] }, true)?.key).toBe('esus');
  });
  it('counts among the questions left only when it will be asked', () => {
    const before = { name: 'Boulangerie du Marché', identifiers: { unknown: true } };
    expect(remainingQuestions(before)).toBe(4); // legal form, employees, postal code, request
    expect(remainingQuestions({ ...before, legalForm: { result: { form: 'commercial_company' }, text: 'SARL' } })).toBe(4); // ESUS, employees, postal code, request
    expect(remainingQuestions({ ...before, legalForm: { result: { form: 'association' }, text: 'association' } })).toBe(3);
    expect(remainingQuestions({ ...before, legalForm: { result: { form: 'association' }, text: 'association' } }, false)).toBe(2); // the request is asked only with consent
  });
  it.each([
    ['oui', true], ['Oui, depuis 2021', true], ['nous avons l’agrément', true], ['non', false], ['pas d’agrément', false], ['Non pas encore', false],
    ['je ne sais pas', undefined],
    // A question, then the answer: the answer wins
    ['c’est quoi ça ? non je crois pas', false], ['c’est quoi ? oui', true], ['euh, c’est quoi ? je sais pas', undefined],
    ['je ne crois pas', false], ['je pense que oui', true], ['oui ?', true],
    // QA: an application under way is not approved yet (to be confirmed), not a refusal
    ['je crois pas, c’est en cours', undefined], ['non, la demande est en cours', undefined], ['we applied, it’s pending', undefined],
    ['non, pas de demande en cours', false],
  ])('« %s » → %s', (text, approved) => {
    const read = esus.parse(text, 1);
    expect(read.ok && (read.value as { approved?: boolean }).approved).toBe(approved ?? undefined);
  });
  it.each([
    ['je crois pas, c’est en cours', true], ['non, la demande est en cours', true], ['we applied, it’s pending', true],
    ['je ne sais pas', undefined], ['non, pas de demande en cours', undefined], ['oui', undefined],
  ])('« %s » is an application under way: %s — recapped as such, still to be confirmed', (text, pending) => {
    const read = esus.parse(text, 1);
    const value = (read.ok ? read.value : undefined) as AccueilAnswers['esus'];
    expect(value?.pending).toBe(pending);
    if (!pending) return;
    expect(recap({ esus: value })).toEqual([{ key: 'accueil.recap.esus_pending', field: 'legalForm', vars: {} }]);
    const legalForm = { result: { form: 'commercial_company' as const }, text: 'SAS' };
    expect(eligibilityFacts({ legalForm, esus: value }).legalForm).toEqual({ form: 'commercial_company' });
  });
  it.each([
    ['c’est quoi ?', 'accueil.esus.explain'], ['c’est quoi ça', 'accueil.esus.explain'], ['ça veut dire quoi ESUS', 'accueil.esus.explain'],
    ['What is that?', 'accueil.esus.explain'], ['hein ?', 'accueil.esus.explain'],
    ['peut-être', 'accueil.esus.invalid'], ['SARL', 'accueil.esus.invalid'],
  ])('« %s » is asked again with %s', (text, errorKey) => {
    expect(esus.parse(text, 1)).toEqual({ ok: false, errorKey });
  });
  it('a question asked three times is kept as not known: no question loops', () => {
    expect(esus.parse('c’est quoi ?', 3)).toEqual({ ok: true, value: { text: 'c’est quoi ?' } });
  });
  it('decides with the form: approved is in scope, not approved is out, not known is for a chargé·e', () => {
    const base = { legalForm: { result: { form: 'commercial_company' as const }, text: 'SARL' } };
    expect(eligibilityFacts({ ...base, esus: { approved: true, text: 'oui' } }).legalForm).toEqual({ form: 'commercial_company', esus: true });
    expect(eligibilityFacts({ ...base, esus: { approved: false, text: 'non' } }).legalForm).toEqual({ form: 'commercial_company', esus: false });
    expect(eligibilityFacts({ ...base, esus: { text: 'je ne sais pas' } }).legalForm).toEqual({ form: 'commercial_company' });
  });
});

describe('a hiring plan said in the request', () => {
  it('« aucun salarié » then « embaucher notre premier salarié » is a first hire, not an association without employees', () => {
    const answers: AccueilAnswers = {
      legalForm: { result: { form: 'association' }, text: 'association' }, employees: { etp: 0, approximate: false, hiringPlan: false, text: 'aucun salarié' },
      location: { postalCode: '33000', departement: '33' }, identifiers: { siret: '73282932000074' },
    };
    const served: OperatorTerritory = { departements: ['33'] };
    expect(decide({ ...answers, request: 'On veut embaucher notre premier salarié' }, served).reasons.map((r) => r.code)).toContain('first_hire');
    expect(decide({ ...answers, request: 'Trouver des bénévoles' }, served).reasons.map((r) => r.code)).toContain('no_employee');
  });
});

describe('withAnswers: a new legal form drops the answers of the old one, not those said with it', () => {
  const sas = { result: { form: 'commercial_company' as const }, text: 'SAS' };
  const before: AccueilAnswers = { name: 'ReCycl’Up', legalForm: sas, esus: { approved: true, text: 'oui' } };
  it('drops the ESUS answer when only the legal form changes', () => {
    expect(withAnswers(before, { legalForm: { result: { form: 'association' }, text: 'asso' } }).esus).toBeUndefined();
  });
  it('keeps the ESUS answer given with the new legal form', () => {
    expect(withAnswers(before, { legalForm: sas, esus: { pending: true, text: 'demande en cours' } }).esus).toEqual({ pending: true, text: 'demande en cours' });
  });
});

describe('a first message written for another structure (a network for one of its members)', () => {
  it('reads what it says of that structure, not the network’s form, and keeps the whole message as the request', () => {
    const text = 'Bonjour, je suis chargée de mission à l’URIOPSS, tête de réseau régionale. Une de nos adhérentes, l’association L’Escale (CHRS, 40 salariés, Libourne 33500), traverse une crise de gouvernance : est-ce que le DLA peut l’accompagner ? Je fais le lien pour eux.';
    const found = introducedStructure(text)!;
    expect(found.legalForm?.result?.form).toBe('association');
    expect(found.employees).toMatchObject({ etp: 40 });
    expect(found.location).toMatchObject({ postalCode: '33500' });
    expect(found.request).toContain('URIOPSS');
    expect(found.name).toBe('L’Escale');
  });

  it('a network writing for itself is a federation', () => {
    expect(introducedStructure('on est une fédération de centres sociaux, 4 salariés, on veut revoir notre modèle économique')?.legalForm?.result?.form).toBe('federation');
  });
});

describe('accueilAnswersIn: what a message typed at « Bon retour ! » answers of the first questions still waiting', () => {
  const asked: AccueilAnswers = { name: 'Atelier Vélo', identifiers: { unknown: true }, legalForm: { result: { form: 'association' }, text: 'association' } };
  it.each<[string, AccueilAnswers, Record<string, unknown>]>([
    ['33800', asked, { location: { postalCode: '33800', departement: '33' } }],
    ['12 salariés, on est à Bordeaux 33800', asked, { employees: expect.objectContaining({ etp: 12 }), location: { postalCode: '33800', departement: '33' } }],
    ['443 061 841 00047', { name: 'Atelier Vélo' }, { identifiers: { siret: '44306184100047' } }],
    ['on a besoin de structurer notre gouvernance, le bureau est épuisé', asked, { request: 'on a besoin de structurer notre gouvernance, le bureau est épuisé' }],
    // Already answered: not taken again (a correction goes through the review).
    ['12 salariés', { ...asked, employees: { etp: 4, text: '4' } } as AccueilAnswers, {}],
    ['je ne sais pas', asked, {}],
    ['oui bien sûr', asked, {}],
  ])('%s', (text, answers, expected) => {
    expect(accueilAnswersIn(text, answers)).toEqual(expected);
  });
});

describe('settledOutOfScope: what a first message alone settles', () => {
  const served: OperatorTerritory = { departements: ['33'] };
  it.each([
    ['je veux créer une association pour aider les jeunes du quartier', ['existence_creation_stage']],
    ['la mairie de Pessac voudrait un accompagnement pour son centre social', ['legal_form_public_body']],
    ['je suis auto-entrepreneur, je fais du conseil en RSE', ['legal_form_individual']],
    ['on est une petite asso de bénévoles, aucun salarié, on voudrait de l’aide pour nos statuts', ['no_employee']],
    // Nothing settled: the structure exists (staff, a SIRET), plans a first hire, or is outside the territory only.
    ['nous sommes une association de 12 salariés en cours de création d’un second lieu', undefined],
    ['asso siret 732 829 320 00074, on veut créer une structure d’insertion', undefined],
    ['on est une asso sans salarié mais on voudrait embaucher notre premier salarié', undefined],
    ['on est une asso de 4 salariés à Paris 75011, on a besoin d’aide pour notre trésorerie', undefined],
    ['une SARL de 3 salariés', undefined], // the ESUS approval is still to be asked
  ])('« %s » → %j', (text, codes) => {
    const settled = settledOutOfScope(introducedStructure(text) ?? { request: text }, served);
    expect(settled && settled.reasons.filter((r) => r.outcome === 'out_of_scope').map((r) => r.code)).toEqual(codes);
  });
});

describe('an answer corrected at the menu once the outcome is told', () => {
  const told: AccueilAnswers = { name: 'Les Amis du Quartier', legalForm: { result: { form: 'association' }, text: 'association' }, employees: { etp: 0, approximate: false, hiringPlan: false, text: 'aucun' }, location: { postalCode: '33000', departement: '33' } };
  it.each([
    ['attendez en fait on a 2 salariés, je me suis trompé', 'employees'],
    ['0 salarié en fait, que des bénévoles', undefined], // the same as told: nothing to correct
    ['2 salariés en fait, pas 0', 'employees'],
    ['pardon, on est à 24100', 'location'],
    ['non en fait on est une SCIC', 'legalForm'],
  ])('« %s » corrects %s', (text, field) => {
    expect(correctionAfterOutcome(text, told)?.field).toBe(field);
  });
  it.each(['on a 2 salariés', 'on est à 24100', 'en fait on voudrait de l’aide', 'je me suis trompé'])('« %s » says no correction of one answer', (text) => {
    expect(correctionAfterOutcome(text, told)).toBeUndefined();
  });
});

describe('a first message of an SIAE, an entreprise adaptée, an ESAT, a CAE', () => {
  it.each([
    // The kind of structure said first, its company form after it: the kind wins (not « société commerciale »).
    ['entreprise adaptee, sas, 22 salaries, 24100 bergerac', { form: 'adapted_company' }, 22],
    ['bonjour on est une entreprise d insertion (SARL), 18 salaries, 33700', { form: 'siae', siaeKind: 'EI' }, 18],
    // Staff named by their jobs or roles: counted as the staff question counts them.
    ['association intermediaire a libourne 33500, 6 permanents', { form: 'siae', siaeKind: 'AI' }, 6],
    ['ESAT gere par une asso, 45 travailleurs et 12 encadrants, 33600 pessac', { form: 'esat' }, 12],
    ['cooperative d activite et d emploi, 40 entrepreneurs-salaries, 33130', { form: 'cooperative', cooperativeKind: 'CAE' }, 40],
  ])('« %s »', (text, form, etp) => {
    const found = introducedStructure(text);
    expect(found?.legalForm?.result).toEqual(form);
    expect(found?.employees?.etp).toBe(etp);
  });

  it('a company form after a name stays the company form (« Coop Vélo, SAS, agréée ESUS »)', () => {
    expect(introducedStructure('Coop Vélo, SAS, agréée ESUS')?.legalForm?.result).toEqual({ form: 'commercial_company', esus: true });
  });

  it('names the kinds of SIAE and the CAE by their own names', () => {
    const t = translator('fr');
    const form = (result: NonNullable<AccueilAnswers['legalForm']>['result']) => asRead(recapText(t, recap({ legalForm: { result, text: '' } })[0]));
    expect(form({ form: 'siae', siaeKind: 'EI' })).toBe('Forme juridique : entreprise d’insertion (EI)');
    expect(form({ form: 'siae', siaeKind: 'AI' })).toBe('Forme juridique : association intermédiaire (AI)');
    expect(form({ form: 'cooperative', cooperativeKind: 'CAE' })).toBe('Forme juridique : coopérative d’activité et d’emploi (CAE)');
    expect(form({ form: 'cooperative', cooperativeKind: 'SCOP' })).toBe('Forme juridique : coopérative SCOP');
    expect(form({ form: 'siae' })).toBe('Forme juridique : structure d’insertion par l’activité économique');
  });
});

describe('persona round 12: what a first message says, and answers typed at the postal code question', () => {
  it.each([
    ['bonjour on est une asso de theatre a Bordeaux, 3 salaries, on sait pas notre siret', { unknown: true }],
    ['Asso loi 1901, 4 salariés, le siret je l’ai pas sous la main', { unknown: true }],
    ['on est une association de 3 salariés, pas encore de SIRET', { none: true, text: 'pas encore de SIRET' }],
    // Not known, but not said of the numbers: no answer.
    ['on est une asso de 3 salariés, on sait pas quoi faire avec notre trésorerie', undefined],
  ])('%s: the identifiers %j', (text, identifiers) => {
    expect(introducedStructure(text)?.identifiers).toEqual(identifiers);
  });

  it.each([
    ['Hello, we are a small charity in Bordeaux with 3 employees, we struggle to find funding. Can the DLA help us?', 'we are a small charity in Bordeaux with 3 employees, we struggle to find funding.'],
    ['on est une asso de 4 salariés, on galère avec la trésorerie, vous pouvez nous aider ?', 'on est une asso de 4 salariés, on galère avec la trésorerie'],
    ['on est une asso de 4 salariés et on a besoin d’aide pour recruter : est-ce qu’on est éligibles ?', 'on est une asso de 4 salariés et on a besoin d’aide pour recruter'],
    ['bonjour on est une EURL, 2 salaries, on voudrait de l\'aide pour notre tresorerie, c\'est possible ?', 'on est une EURL, 2 salaries, on voudrait de l\'aide pour notre tresorerie'],
    ['hello we are a SCOP, 6 staff, we need to rethink our business model, is it possible to get support?', 'we are a SCOP, 6 staff, we need to rethink our business model'],
    ['on est une asso de 3 salariés, on cherche des financements. On peut bénéficier d’un accompagnement ?', 'on est une asso de 3 salariés, on cherche des financements.'],
    ['bonjour, on est une petite association culturelle à Bordeaux et on a du mal à trouver des financements', 'on est une petite association culturelle à Bordeaux et on a du mal à trouver des financements'],
    // A question that is the need itself stays.
    ['on est une asso de 4 salariés et on voudrait savoir comment diversifier nos financements ?', 'on est une asso de 4 salariés et on voudrait savoir comment diversifier nos financements ?'],
  ])('%s: the request « %s »', (text, request) => {
    expect(introducedStructure(text)?.request).toBe(request);
  });

  it('« je dirige un ESAT, 25 salariés : le DLA peut nous accompagner ? »: still introduced, no request left', () => {
    expect(introducedStructure('je dirige un ESAT, 25 salariés : le DLA peut nous accompagner ?')).toMatchObject({ legalForm: { result: { form: 'esat' } }, employees: { etp: 25 } });
    expect(introducedStructure('je dirige un ESAT, 25 salariés : le DLA peut nous accompagner ?')?.request).toBeUndefined();
  });

  it('the volunteers said with the ETP are told to the diagnostic, and follow the ETP corrected', () => {
    const found = introducedStructure('on est une asso de quartier, 3 salaries et 30 benevoles, on a besoin d’aide pour structurer')!;
    expect(found.told?.staff).toEqual({ employees: 3, volunteers: 30, text: '3 salaries et 30 benevoles', etpFromAccueil: true });
    expect(withAnswers(found, { employees: { etp: 4, approximate: false, hiringPlan: false, text: '4' } }).told?.staff).toMatchObject({ employees: 4, volunteers: 30 });
    expect(withAnswers(found, { employees: { etp: undefined, approximate: false, hiringPlan: false, text: 'je sais pas' } }).told).not.toHaveProperty('staff');
    // Without the ETP, the diagnostic asks both.
    expect(introducedStructure('on est une asso de 30 benevoles, on a besoin d’aide pour structurer')?.told?.staff).toBeUndefined();
    expect(alsoAnswered('employees', '3 salariés et une vingtaine de bénévoles', {}).told?.staff).toMatchObject({ employees: 3, volunteers: 20 });
  });

  it.each([
    ['association loi 1901', { legalForm: { result: { form: 'association' } } }],
    ['12 salariés', { employees: { etp: 12 } }],
    ['asso loi 1901, 33000', undefined],
    ['33', undefined],
    ['je sais pas', undefined],
    ['Bordeaux', undefined],
  ])('at the postal code question, %s: instead of it %j', (text, aside) => {
    const found = answersInsteadOfPostalCode(text);
    if (aside) expect(found).toMatchObject(aside);
    else expect(found).toBeUndefined();
  });

  it.each([['asso loi 1901, 33000', '33000'], ['loi du 1er juillet 1901 — 24100', '24100']])('the postal code slot reads %s as %s, not the law’s year', (text, postalCode) => {
    expect(SLOTS.find((s) => s.key === 'location')!.parse(text, 1)).toMatchObject({ ok: true, value: { postalCode } });
  });
});

describe('persona round 13: the département named at the postal code question', () => {
  const location = SLOTS.find((s) => s.key === 'location')!;
  const t = translator('fr');

  it.each([['en corse du sud', '2A', 'Siège : Corse-du-Sud (2A)'], ['dans la gironde', '33', 'Siège : Gironde (33)'], ['on est en Martinique', '972', 'Siège : Martinique (972)']])('« %s »: the département %s is taken, and read back without a postal code', (text, departement, line) => {
    const read = location.parse(text, 1);
    expect(read).toEqual({ ok: true, value: { departement, text } });
    expect(recap({ location: (read as { value: AccueilAnswers['location'] }).value }).map((l) => asRead(recapText(t, l)))).toEqual([line]);
  });

  it('it decides the territory as a postal code would: Dordogne is in a Gironde–Dordogne territory, Martinique is not', () => {
    const territory: OperatorTerritory = { departements: ['33', '24'] };
    const base: AccueilAnswers = { name: 'X', identifiers: { rna: 'W332009877' }, legalForm: { result: { form: 'association' }, text: 'association' }, employees: { etp: 3, approximate: false, hiringPlan: false, text: '3' }, request: 'consolider nos emplois' };
    const at = (text: string) => ({ ...base, location: (location.parse(text, 1) as { value: AccueilAnswers['location'] }).value });
    expect(decide(at('on est en Dordogne'), territory).outcome).toBe('eligible');
    expect(decide(at('en Martinique'), territory).reasons.map((r) => r.code)).toContain('territory_other_dla');
  });

  it('« en Corse » alone: asked again, with why the postal code (or the département) is needed', () => {
    expect(location.parse('en corse', 1)).toMatchObject({ ok: false, errorKey: 'accueil.location.invalid.corsica' });
  });
});

describe('persona round 13: a legal form typed in lower case before the name', () => {
  const name = SLOTS[0];
  it.each([
    ['asso les petits jardins', 'les petits jardins', { form: 'association' }],
    ['scop la fabrique', 'la fabrique', { form: 'cooperative', cooperativeKind: 'SCOP' }],
    ['scic kaz lontan', 'kaz lontan', { form: 'cooperative', cooperativeKind: 'SCIC' }],
    ['association Les Amis du Quai', 'Les Amis du Quai', { form: 'association' }],
    ['l association les petits jardins', 'les petits jardins', { form: 'association' }],
    // Persona walk of round 13: an ACI says what it is before its name.
    ['chantier d insertion les jardins de l estuaire', 'les jardins de l estuaire', { form: 'siae', siaeKind: 'ACI' }],
    ['entreprise adaptée les ateliers du lac', 'les ateliers du lac', { form: 'adapted_company' }],
  ])('« %s »: the name « %s », the form read as the legal form', (text, expected, form) => {
    expect(name.parse(text, 1)).toEqual({ ok: true, value: expected });
    expect(alsoAnswered('name', text, {}).legalForm?.result).toEqual(form);
  });

  it.each(['Association des Amis de la Plage', 'SCOP La Fabrique', 'association sportive de pessac', 'asso de quartier du lac', 'Chantier d’Insertion du Val'])('« %s »: a name as filed (its capital), or the form\'s own words: kept whole, no form taken', (text) => {
    expect(name.parse(text, 1)).toEqual({ ok: true, value: text });
    expect(alsoAnswered('name', text, {}).legalForm).toBeUndefined();
  });
});

describe('persona round 13: consent in the first message, corrections said at a later question', () => {
  it('« j accepte, on est une asso … »: the consent is no part of the request nor of the words kept', () => {
    const found = introducedStructure('j accepte, on est une asso de 4 salariés et on a besoin d aide pour notre modèle éco');
    expect(found).toMatchObject({ legalForm: { result: { form: 'association' } }, employees: { etp: 4 }, request: 'on est une asso de 4 salariés et on a besoin d aide pour notre modèle éco' });
    expect(JSON.stringify(found)).not.toContain('accepte');
  });

  it.each([
    ['request', 'finalement 5 salariées', { employees: { etp: 5 } }],
    ['activity', 'en fait 5 salariées', { employees: { etp: 5 } }],
    ['name', 'pardon, 6 salariés', { employees: { etp: 6 } }],
    ['legalForm', 'en fait 33100', { location: { postalCode: '33100', departement: '33' } }],
  ])('at the %s question, « %s » corrects %j', (key, text, fix) => {
    expect(correctionAtQuestion(key, text)).toMatchObject(fix);
  });

  it.each([
    ['employees', 'en fait 5 salariées'], // the question's own answer
    ['request', 'en fait on voudrait embaucher 2 salariés'], // a need: the request
    ['activity', '5 salariées'], // no correction said
    ['name', 'Les Amis du Quai'],
  ])('at the %s question, « %s » corrects nothing', (key, text) => {
    expect(correctionAtQuestion(key, text)).toBeUndefined();
  });
});

describe('persona walk of round 13: a département named in a first message', () => {
  it.each([['on est un esat en martinique, 45 travailleurs et 12 salaries encadrants', '972'], ['hi, we are a SCIC in Corse du Sud, 7 employees', '2A']])('« %s »: the head office in %s', (text, departement) => {
    expect(introducedStructure(text)?.location).toEqual({ departement });
  });
  it('a postal code said wins', () => {
    expect(introducedStructure('on est une asso en gironde, 33000, 4 salariés')?.location).toEqual({ postalCode: '33000', departement: '33' });
  });
});

describe('a town said after the name in a first message', () => {
  it.each([
    ['Bonjour, je suis la trésorière de la SCOP Atelier Bois Vivant à Périgueux, on est 9 salariés, on voudrait revoir notre modèle économique', 'SCOP Atelier Bois Vivant'],
    ['association Les Jardins du Lien à Saint-Denis-de-Pile, 3 salariés, 33910', 'Les Jardins du Lien'],
    // In quotes, or a name of one word before it: kept as said.
    ['on est une asso loi 1901, 4 salariés, « Cirque à Bordeaux »', 'Cirque à Bordeaux'],
  ])('%s: the name « %s »', (text, name) => {
    expect(introducedStructure(text)?.name).toBe(name);
  });
});

describe('answers typed at the legal form or the staff question instead of its own', () => {
  it.each<[string, object | undefined]>([
    ['une quinzaine de salariés en insertion et 4 permanents', { employees: { etp: 19 } }],
    ['33100', { location: { postalCode: '33100', departement: '33' } }],
    ['on voudrait développer une ressourcerie mais on sait pas si c’est viable', { request: 'on voudrait développer une ressourcerie mais on sait pas si c’est viable' }],
    // The form itself, not known, or nothing read: no aside.
    ['association loi 1901', undefined], ['je ne sais pas', undefined], ['Bordeaux', undefined], ['groupement d’employeurs', undefined],
  ])('at the legal form: « %s » → %j', (text, expected) => {
    const found = answersInsteadOfLegalForm(text);
    if (expected === undefined) expect(found).toBeUndefined();
    else expect(found).toMatchObject(expected);
  });

  it('at the staff question, a need alone is the request; a count or a hiring plan is the staff', () => {
    expect(answersInsteadOfStaff('on voudrait développer une ressourcerie mais on sait pas si c’est viable')).toEqual({ request: 'on voudrait développer une ressourcerie mais on sait pas si c’est viable' });
    expect(answersInsteadOfStaff('15')).toBeUndefined();
    expect(answersInsteadOfStaff('aucun mais on voudrait embaucher')).toBeUndefined();
  });
});

describe('round 14: a form word after the name, a public body named', () => {
  const name = SLOTS[0];
  it.each([
    ['Kaz Lontan cooperative', 'Kaz Lontan', { form: 'cooperative' }],
    ['Green Hands charity', 'Green Hands', { form: 'association' }],
    ['la fabrique scop', 'la fabrique', { form: 'cooperative', cooperativeKind: 'SCOP' }],
    ['Kaz Lontan cooperative, SAS', 'Kaz Lontan', { form: 'cooperative' }],
  ])('« %s »: the name « %s », the form word read as the legal form', (text, expected, form) => {
    expect(name.parse(text, 1)).toEqual({ ok: true, value: expected });
    expect(alsoAnswered('name', text, {}).legalForm?.result).toEqual(form);
  });

  it.each(['Les Amis de la cooperative', 'Friends of the association', 'Épicerie coopérative', 'epicerie cooperative', 'Kaz Lontan Cooperative'])('« %s »: kept whole, no form taken', (text) => {
    expect(name.parse(text, 1)).toEqual({ ok: true, value: text });
    expect(alsoAnswered('name', text, {}).legalForm).toBeUndefined();
  });

  it.each(['CCAS de Libourne', 'Mairie de Cenon', 'Communauté de communes du Réolais', 'le centre communal d’action sociale de Talence', 'Conseil départemental de la Gironde'])('« %s »: the name kept whole, its form (public body) noted', (text) => {
    expect(name.parse(text, 1)).toEqual({ ok: true, value: text });
    expect(alsoAnswered('name', text, {}).legalForm).toEqual({ result: { form: 'public_body' }, text });
  });

  it.each(['Les Amis de la Mairie', 'Ville en Transition', 'Commune Libre du Quai'])('« %s »: no public body', (text) => {
    expect(alsoAnswered('name', text, {}).legalForm).toBeUndefined();
  });
});
