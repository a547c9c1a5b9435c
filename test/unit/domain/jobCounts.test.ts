import { anyJobCount, JobCounts, jobCountsOf, jobCountsText, jobCountsToConfirm, readJobCounts, readJobCountsConfirmation } from '../../../src/domain/jobCounts';
import { translator } from '../../../src/i18n';

type Counts = Omit<JobCounts, 'unsure'>;
/** [answer, counts read (a kind absent: unknown), unsure] */
type Row = [string, Counts, boolean];
const readsAs = (text: string, counts: Counts, unsure: boolean) => expect(readJobCounts(text)).toEqual({ ...counts, unsure });

describe('readJobCounts: jobs created, kept, improved, lost, from the structure’s words', () => {
  test.each<Row>([
    // The examples of the check-in and of the brief
    ['on a embauché 2 personnes et on a gardé les 3 autres', { created: 2, kept: 3 }, false],
    ['2 créations de poste, 1 CDD transformé en CDI', { created: 2, improved: 1 }, false],
    ['deux embauches', { created: 2 }, false],
    ['on a maintenu les 4 emplois', { kept: 4 }, false],
    ['un poste pérennisé grâce au DLA', { kept: 1 }, false],
    ['aucun emploi créé mais les 5 salariés sont toujours là', { created: 0, kept: 5 }, false],
    ['on a perdu un poste', { lost: 1 }, false],
    ['1,5 ETP créé', { created: 1.5 }, false],
    ['hired 2 people, kept 3', { created: 2, kept: 3 }, false],
    ['rien de changé', { created: 0, improved: 0, lost: 0 }, false],
    ['2 créés, 5 maintenus', { created: 2, kept: 5 }, false], // the question's own example
    // Digits and words, French
    ['2 emplois créés', { created: 2 }, false],
    ['1 emploi maintenu', { kept: 1 }, false],
    ['Trois emplois consolidés chez Atelier Dubreuil', { kept: 3 }, false],
    ['on a créé 1 poste, la tréso va mieux', { created: 1 }, false],
    ['3 embauches', { created: 3 }, false],
    ['on a recruté une coordinatrice', { created: 1 }, false],
    ['une embauche en CDI et une autre en CDD', { created: 2 }, false],
    ['on a embauché 2 personnes en CDI et 1 en CDD', { created: 3 }, false],
    ['2 postes créés et 1 perdu', { created: 2, lost: 1 }, false],
    ['un départ non remplacé', { lost: 1 }, false],
    ['deux licenciements économiques', { lost: 2 }, false],
    ['pas de licenciement, 2 salariés sont passés à temps plein', { lost: 0, improved: 2 }, false],
    ['une salariée a été formée', { improved: 1 }, false],
    ['augmentation du temps de travail pour 2 salariés', { improved: 2 }, false],
    ['0,5 ETP supplémentaire', { created: 0.5 }, false],
    ['un salarié de plus', { created: 1 }, false],
    ['2 nouveaux postes', { created: 2 }, false],
    ['deux salariés et demi embauchés', { created: 2.5 }, false],
    ['3 embauches dont 2 en CDI', { created: 3 }, false],
    ['on n’a perdu personne et on a sauvé 2 emplois', { lost: 0, kept: 2 }, false],
    ['Embauches : 2 ; maintenus : 3', { created: 2, kept: 3 }, false],
    // Contract kinds counted after a hiring verb, or signed: jobs created
    ['on a embauché deux CDI et un CDD', { created: 3 }, false],
    ['recrutement de 2 CDI', { created: 2 }, false],
    ['3 CDD signés', { created: 3 }, false],
    ['on a signé 2 CDI', { created: 2 }, false],
    ['2 CDI ont été signés', { created: 2 }, false],
    ['2 CDD renouvelés et 1 CDI signé', { kept: 2, created: 1 }, false],
    ['aucun CDI signé', { created: 0 }, false],
    // English
    ['we hired two people and kept three', { created: 2, kept: 3 }, false],
    ['one job lost', { lost: 1 }, false],
    ['we lost a position', { lost: 1 }, false],
    ['2 contracts made permanent', { improved: 2 }, false],
    ['no layoffs, 4 jobs saved', { lost: 0, kept: 4 }, false],
    ['two people now work more hours', { improved: 2 }, false],
    ['nothing changed', { created: 0, improved: 0, lost: 0 }, false],
    ['none', { created: 0, improved: 0 }, false],
    // « non », « aucun », « 0 »: nothing created nor improved (kept and lost not said)
    ['non', { created: 0, improved: 0 }, false],
    ['aucun', { created: 0, improved: 0 }, false],
    ['0', { created: 0, improved: 0 }, false],
    ['pas encore', { created: 0, improved: 0 }, false],
    // Not known, and never guessed
    ['je ne sais pas', { dontKnow: true }, false],
    ['no idea', { dontKnow: true }, false],
    ['2', {}, true], // 2 what?
    ['on est 5 salariés', {}, true],
    ['1 poste', {}, true],
    ['on a embauché', {}, true], // how many?
    ['plusieurs embauches', {}, true],
    ['on a gardé tout le monde', {}, true],
    ['2 ou 3 embauches', {}, true],
    ['on va embaucher 2 personnes', {}, true], // a plan, not a job yet
    ['we will hire two people next year', {}, true],
    ['on a embauché 2 personnes et on prévoit d’en recruter une autre', { created: 2 }, true],
    ['environ 3 emplois créés', { created: 3 }, true], // as said, to check
    ['sans le DLA on aurait perdu 2 postes', {}, true], // what would have been
    ['on n’a pas perdu les 3 postes', { lost: 0 }, true],
    // Numbers that count no job
    ['on est passé de 24h à 35h pour la coordinatrice', {}, true], // more hours (improved), for how many: not said
    ['un CDI depuis 2024 avec 20 bénévoles', {}, true],
    ['on a embauché 2 personnes il y a 6 mois', { created: 2 }, false],
    // A stock of contracts is no creation; nor is any contract signed
    ['on a deux CDI et un CDD', {}, true],
    ['on a embauché deux CDI et on a un CDD', { created: 2 }, true], // the CDD had: not one more hire
    ['2 contrats signés', {}, true],
    ['on a signé une convention avec la mairie', {}, false],
    ['on va signer 2 CDI', {}, true],
    ['une subvention de 5 000 € et 2 postes maintenus', { kept: 2 }, false],
    ['2 nouveaux bénévoles', {}, false],
  ])('%s', readsAs);

  it('reads the answers of every test of the check-in dialog, never a count that is not there', () => {
    expect(readJobCounts('je sais pas')).toEqual({ dontKnow: true, unsure: false });
    expect(readJobCounts('3 hires')).toEqual({ created: 3, unsure: false });
    expect(readJobCounts('2 maintenus')).toEqual({ kept: 2, unsure: false });
    expect(readJobCounts('on a créé 1 poste, la tréso va mieux et on a un partenariat avec la mairie')).toEqual({ created: 1, unsure: false });
  });
});

describe('readJobCounts: a job changed, said of one job or of the people named', () => {
  test.each<Row>([
    // One job, said with « le », « sa », « son »…
    ['le poste est passé en CDI', { improved: 1 }, false],
    ['sa mission est passée à temps plein', { improved: 1 }, false],
    ['on a pu pérenniser le poste de coordinatrice', { kept: 1 }, false],
    ['le poste de la coordinatrice a été pérennisé', { kept: 1 }, false], // one job, not two
    ['le CDD de Julie a été renouvelé', { kept: 1 }, false],
    ['son contrat est passé à temps plein et on a embauché 2 personnes', { improved: 1, created: 2 }, false],
    ['the position was made permanent', { improved: 1 }, false],
    ['we kept the coordinator', { kept: 1 }, false],
    ['le poste n’a pas été pérennisé', { kept: 0 }, false],
    // Contracts changed, counted
    ['deux CDD transformés en CDI', { improved: 2 }, false],
    ['on a transformé deux CDD en CDI', { improved: 2 }, false],
    // People named: one each
    ['on a titularisé Julie', { improved: 1 }, false],
    // Named people plus « N autres »: they add up; « et 3 salariés » alone stays untied (the staff?).
    ['on a embauché Julie et 2 autres personnes', { created: 3 }, false],
    ['on a recruté Karim et deux autres salariés', { created: 3 }, false],
    ['on a embauché 1 personne et 2 autres salariés', { created: 3 }, false],
    ['on a embauché Julie et 3 salariés', { created: 1 }, true],
    ['Julie a été titularisée', { improved: 1 }, false],
    ['Léa est passée en CDI', { improved: 1 }, false],
    ['Julie, Karim et Léa ont été titularisés', { improved: 3 }, false],
    ['on a embauché Karim et Léa', { created: 2 }, false],
    ['on a titularisé Mme Dubreuil', { improved: 1 }, false],
    ['2 embauches, et Julie est passée en CDI', { created: 2, improved: 1 }, false],
    ['we hired Sam', { created: 1 }, false],
    // Never read as counts
    ['on a titularisé', {}, true], // whom?
    ['les postes ont été pérennisés', {}, true], // how many?
    ['Tout a été maintenu', {}, true], // « Tout » is no one's name
    ['Tout est passé en CDI', {}, true],
    ['Elle a été titularisée', {}, true], // who « elle » is, not guessed
    ['Atelier Dubreuil a embauché', {}, true], // a structure named, that hired: how many?
    ['Grâce au DLA, Emmaüs a recruté 2 personnes', { created: 2 }, false], // Emmaüs is not one more
    ['on aimerait titulariser Julie', {}, true], // a hope
    ['on pourrait pérenniser le poste', {}, true],
    ['on va passer le poste en CDI', {}, true],
    ['la mairie a pérennisé sa subvention', {}, true], // a grant is no job
    ['on travaille avec Julie depuis 2 ans', {}, false],
  ])('%s', readsAs);
});

describe('the counts of a check-in, and in words', () => {
  const fr = translator('fr');
  const en = translator('en');

  it('uses the counts stored with the answer, or reads those of an answer stored as text only (before they were stored)', () => {
    expect(jobCountsOf({ jobCounts: { kept: 4, unsure: false }, answers: { jobs: '2 embauches' } })).toEqual({ kept: 4, unsure: false });
    expect(jobCountsOf({ answers: { jobs: '2 embauches' } })).toEqual({ created: 2, unsure: false });
    expect(jobCountsOf({ answers: { jobs: { text: '1 poste supprimé' } } })).toEqual({ lost: 1, unsure: false });
    expect(jobCountsOf({ answers: { economics: { value: 'same' } } })).toBeUndefined();
    expect(anyJobCount(readJobCounts('2'))).toBe(false);
    expect(anyJobCount(readJobCounts('rien de changé'))).toBe(true);
  });

  it('says them with the first noun, the others short, in French (decimal comma) and English', () => {
    expect(jobCountsText(readJobCounts('on a embauché 2 personnes et on a gardé les 3 autres'), fr)).toBe('2 emplois créés, 3 maintenus');
    expect(jobCountsText({ created: 1.5, improved: 1, lost: 1, unsure: false }, fr)?.replace(/\u00a0|\u202f/g, ' ')).toBe('1,5 emploi créé, 1 amélioré, 1 perdu');
    expect(jobCountsText({ kept: 1, unsure: false }, fr)).toBe('1 emploi maintenu');
    expect(jobCountsText({ created: 2, kept: 3, unsure: false }, en)).toBe('2 jobs created, 3 kept');
    expect(jobCountsText({ created: 1.5, unsure: false }, en)).toBe('1.5 jobs created');
    expect(jobCountsText({ unsure: true }, fr)).toBeUndefined();
  });
});

describe('confirming an unsure reading, once', () => {
  it('asks only about a reading with numbers and words left unread, not yet answered', () => {
    expect(jobCountsToConfirm(readJobCounts('on a embauché 2 personnes et on prévoit d’en recruter une autre'))).toBe(true);
    expect(jobCountsToConfirm(readJobCounts('on a embauché 2 personnes'))).toBe(false); // sure
    expect(jobCountsToConfirm(readJobCounts('on a embauché'))).toBe(false); // no number to say back
    expect(jobCountsToConfirm(readJobCounts('je ne sais pas'))).toBe(false);
    expect(jobCountsToConfirm({ created: 2, unsure: true, confirmed: true })).toBe(false);
    expect(jobCountsToConfirm({ unsure: true, rejected: true })).toBe(false);
    expect(jobCountsToConfirm(undefined)).toBe(false);
  });

  test.each<[string, unknown]>([
    ['oui', { right: true }],
    ['Oui c’est ça', { right: true }],
    ['exactement', { right: true }],
    ['yes', { right: true }],
    ['non', { right: false }],
    ['Non.', { right: false }],
    ['pas tout à fait', { right: false }],
    ['non, c’est plus compliqué', { right: false, words: 'c’est plus compliqué' }],
    ['non, 3 embauches', { answer: '3 embauches' }],
    ['en fait 3 embauches et 1 maintenu', { answer: 'en fait 3 embauches et 1 maintenu' }],
    ['no, we hired three', { answer: 'we hired three' }],
    ['je ne sais pas', { skipped: true }],
  ])('« %s »', (text, value) => {
    expect(readJobCountsConfirmation(text)).toEqual({ ok: true, value });
  });

  it('asks again about words that say neither, then goes on (the reading stays to check)', () => {
    expect(readJobCountsConfirmation('le trésorier', 1)).toMatchObject({ ok: false, errorKey: 'checkin.jobCounts.confirmInvalid' });
    expect(readJobCountsConfirmation('le trésorier', 2)).toMatchObject({ ok: false });
    expect(readJobCountsConfirmation('le trésorier', 3)).toEqual({ ok: true, value: { skipped: true } });
  });
});
