import { diagnosticFacts } from '../../../src/domain/diagnosticFacts';
import { asRead } from '../../helpers/asRead';
import { translator } from '../../../src/i18n';
import { errorVarsText } from '../../../src/domain/form';
import { answerAtDiagnosticOffer, DIAGNOSTIC_SLOTS, firstAnswerAtStart, governanceSaidWith, laterAnswersAt, hasWords, parseAreaSubmit, situationWithUrgency, staffCorrected, staffKnowingEtp, toldOfActivityAndBudget } from '../../../src/domain/diagnosticForm';

const parse = (key: string, text: string, attempt = 1) => DIAGNOSTIC_SLOTS.find((s) => s.key === key)!.parse(text, attempt);

describe('diagnostic answers that cannot be read', () => {
  test.each(['activity', 'governance', 'organisation_situation', 'support', 'availability', 'needs'])('a keyboard mash is asked again at « %s », never kept (the third in a row hands over to a chargé·e)', (key) => {
    for (const attempt of [1, 3, 5]) expect(parse(key, 'asdfgh qwerty', attempt)).toMatchObject({ ok: false, notUnderstood: true });
    expect(parse(key, 'Atelier de réparation de vélos, deux salariées, bureau de cinq personnes, les mardis', 1).ok).toBe(true);
  });

  test.each(['???', '🙂🙂🙂', '...', ' !? '])('"%s" has no words: never an answer, whatever the attempt', (text) => {
    expect(hasWords(text)).toBe(false);
    for (const key of ['activity', 'budget', 'funding', 'staff', 'governance', 'organisation_situation', 'support', 'availability', 'needs']) {
      expect([key, parse(key, text, 5).ok]).toEqual([key, false]);
    }
  });

  test('activity: an example in the re-prompt', () => {
    expect(parse('activity', '???')).toEqual({ ok: false, errorKey: 'diagnostic.activity.invalid', notUnderstood: true });
    expect(parse('activity', 'Épicerie solidaire')).toEqual({ ok: true, value: 'Épicerie solidaire' });
  });

  test('budget: a bare number under 1 000 € is asked back once (« 180 € par an, ou 180 000 € ? »); the same number again, or with its unit, is kept', () => {
    const budget = DIAGNOSTIC_SLOTS.find((s) => s.key === 'budget')!;
    const first = budget.parse('180', 1);
    expect(first).toEqual({ ok: false, errorKey: 'diagnostic.budget.small', vars: { amount: '180', thousands: '180000' }, carry: '180' });
    expect(asRead(translator('fr')('diagnostic.budget.small', (first as { vars: Record<string, string> }).vars))).toMatch(/^180 € par an, ou 180 000 € \?/);
    expect(budget.parse('180', 2, '180')).toMatchObject({ ok: true, value: { euros: 180 } });
    expect(budget.parse('180 €', 2, '180')).toMatchObject({ ok: true, value: { euros: 180 } });
    expect(budget.parse('180 000', 2, '180')).toMatchObject({ ok: true, value: { euros: 180000 } });
    expect(budget.parse('180k', 2, '180')).toMatchObject({ ok: true, value: { euros: 180000 } });
    // No amount in the answer: the same question again, then kept as written
    expect(budget.parse('euh', 2, '180')).toMatchObject({ ok: false, errorKey: 'diagnostic.budget.small', carry: '180' });
    expect(budget.parse('euh', 3, '180')).toEqual({ ok: true, value: { text: 'euh', unread: true } });
    // Said with a unit, or large enough, it is never asked back
    for (const [text, euros] of [['180 €', 180], ['800 euros', 800], ['180k', 180000], ['180 000', 180000], ['environ 5000', 5000]] as const) {
      expect(budget.parse(text, 1)).toMatchObject({ ok: true, value: { euros } });
    }
    expect(budget.parse('environ 500 par an', 1)).toMatchObject({ ok: false, errorKey: 'diagnostic.budget.small', carry: '500' });
  });

  test('budget: asked again after the first and second answers, kept as written (flagged) at the third', () => {
    expect(parse('budget', 'bof', 1)).toEqual({ ok: false, errorKey: 'diagnostic.budget.invalid' });
    expect(parse('budget', 'bof', 2)).toEqual({ ok: false, errorKey: 'diagnostic.budget.invalid' });
    expect(parse('budget', 'bof', 3)).toEqual({ ok: true, value: { text: 'bof', unread: true } });
    expect(parse('budget', 'je ne sais pas', 1)).toEqual({ ok: true, value: { text: 'je ne sais pas' } });
  });

  test('funding: an amount, a source without a share, shares over 100 % are each said, and never stored as « other »', () => {
    expect(parse('funding', 'deux cent mille euros')).toEqual({ ok: false, errorKey: 'diagnostic.funding.amount' });
    expect(parse('funding', 'subventions 60 %, ventes')).toEqual({ ok: false, errorKey: 'diagnostic.funding.missingShare', vars: { sources: ['ventes'] }, carry: 'subventions 60 %, ventes' });
    expect(parse('funding', 'subventions 80 %, ventes 50 %')).toEqual({ ok: false, errorKey: 'diagnostic.funding.inconsistent', vars: { total: '130' } });
    expect(parse('funding', 'menu')).toEqual({ ok: false, errorKey: 'diagnostic.funding.invalid' });
    expect(parse('funding', 'deux cent mille euros', 3)).toEqual({ ok: true, value: { sources: [], text: 'deux cent mille euros', unread: true } });
    expect(parse('funding', 'subventions 60 % ventes 40 %')).toMatchObject({ ok: true, value: { sources: [{ share: 60 }, { share: 40 }], totalShare: 100 } });
  });

  test('funding in English: « the rest » takes what is left, « ticket sales and workshop fees » with one share is one source', () => {
    const sources = (text: string) => { const r = parse('funding', text); return r.ok ? (r.value as { sources: { source: string; label: string; share: number }[] }).sources.map((s) => [s.source, s.label, s.share]) : r; };
    expect(sources('about sixty percent public grants, thirty percent ticket sales and workshop fees, and the rest from private donations')).toEqual([
      ['public_grants', 'public grants', 60], ['sales', 'ticket sales, fees', 30], ['donations', 'private donations', 10],
    ]);
    expect(sources('grants 50%, membership fees 20%, the rest sales')).toEqual([['public_grants', 'grants', 50], ['membership_fees', 'membership fees', 20], ['sales', 'sales', 30]]);
    // The French the same way: an adjective (« privés ») is no source of its own beside its noun.
    expect(sources('soixante pour cent de subventions, trente pour cent de ventes et prestations, et le reste en dons privés')).toEqual([
      ['public_grants', 'subventions', 60], ['sales', 'ventes, prestations', 30], ['donations', 'dons privés', 10],
    ]);
    // The missing shares are the structure's words, quoted by the dialog in its language.
    expect(parse('funding', 'grants 60%, sales')).toMatchObject({ ok: false, errorKey: 'diagnostic.funding.missingShare', vars: { sources: ['sales'] } });
  });

  test('an error text quotes the structure\'s words as its language does', () => {
    const vars = { sources: ['ventes', 'dons'], total: '130' };
    expect(asRead(translator('fr')('diagnostic.funding.missingShare', errorVarsText(vars, (words) => translator('fr')('quotedWords', { words })))))
      .toMatch(/^Il manque la part de : « ventes », « dons »\./);
    expect(translator('en')('diagnostic.funding.missingShare', errorVarsText({ sources: ['sales', 'donations'] }, (words) => translator('en')('quotedWords', { words }))))
      .toMatch(/^The share is missing for: “sales”, “donations”\./);
  });

  test.each([
    ['très urgent', 4], ['pas très urgent', 2], ['pas vraiment urgent', 2], ['peu urgent', 2], ['pas urgent', 1], ['ça peut attendre', 1], ['urgent', 3], ['trois', 3], ['4', 4],
    ['moyen', 2], ['moyennement urgent', 2], ['urgence deux', 2], ['deux sur quatre', 2], ['je dirais 3', 3], ['c’est un 3', 3], ['3 - urgent mais gérable, on a encore 2 mois', 3],
    ['medium', 2], ['moderately urgent', 2], ['not that urgent', 2], ['it can wait', 1], ['very urgent', 4], ['two', 2], ['three I think', 3], ['I’d say three', 3], ['level two', 2], ['urgency 3/4', 3],
    // QA: the figure after « urgent » is the one said (not « urgent » = 3)
    ['urgent 2', 2], ['très urgent 4', 4], ['hard to recruit, urgent 3', 3],
    // A figure with a hedge around it
    ['ca va, 2', 2], ['ça va, 2', 2], ['bof, 2', 2], ['2 je dirais', 2], ['plutôt 3', 3],
  ])('urgency: « %s » is %i', (text, urgency) => {
    expect(parse('organisation_urgency', text)).toEqual({ ok: true, value: urgency });
  });

  test.each([
    // Each option's label, typed without its accents or its figure
    ['peut attendre', 1], ['a traiter', 2], ['à traiter', 2], ['urgent', 3], ['tres urgent', 4], ['2 · à traiter', 2],
    // « un » said as the figure, and as an article
    ['un', 1], ['urgence un', 1], ['un sur quatre', 1], ['c’est une urgence', 3], ['ce n’est pas une urgence', 1], ['une urgence absolue', 4],
  ])('urgency: « %s » is %i', (text, urgency) => {
    expect(parse('organisation_urgency', text)).toEqual({ ok: true, value: urgency });
  });

  test.each([
    'Mondays, the manager and two members', // the availability, typed one question late
    'le lundi, la directrice et deux administrateurs',
    'Mondays, the manager and 2 members',
    'on veut ouvrir un 2e atelier et recruter un mecano', // « un » is an article, never urgency 1
    'on a un souci avec le local',
  ])('urgency: a figure inside an answer to another question is no urgency: « %s » is asked again, then kept as written', (text) => {
    expect(parse('organisation_urgency', text)).toEqual({ ok: false, errorKey: 'diagnostic.urgency.invalid' });
    expect(parse('organisation_urgency', text, 2)).toEqual({ ok: false, errorKey: 'diagnostic.urgency.invalid' });
    // The third time, kept for the chargé·e to read: the area is unrated, the questions go on.
    expect(parse('organisation_urgency', text, 3)).toEqual({ ok: true, value: { text, unread: true } });
  });

  test.each(['zzz', '???', 'asdfgh'])('urgency: « %s » is not understood, whatever the attempt (the third in a row hands over)', (text) => {
    for (const attempt of [1, 3, 5]) expect(parse('organisation_urgency', text, attempt)).toEqual({ ok: false, errorKey: 'diagnostic.urgency.invalid', notUnderstood: true });
  });

  test.each(['je ne sais pas', 'je sais pas trop', 'aucune idée, faut voir avec le bureau', "I don't know"])('urgency: « %s » leaves the area unrated, at once', (text) => {
    expect(parse('organisation_urgency', text)).toEqual({ ok: true, value: { text } });
  });

  test('funding given as amounts: each funder keeps its label and amount, with its share of the total', () => {
    const result = parse('funding', 'metropole 120 000, region 30000, epicerie 20k et mecenat 10 000 euros');
    expect(result.ok && (result.value as { sources: { label: string; share: number }[] }).sources.map((s) => `${s.label} ${s.share}`))
      .toEqual(['metropole 67', 'region 17', 'epicerie 11', 'mecenat 5']);
    // A source said with its amount is not « missing » its share: only the one said without anything is.
    const first = parse('funding', 'subventions 100000, ventes');
    expect(first).toMatchObject({ ok: false, errorKey: 'diagnostic.funding.missingShare', vars: { sources: ['ventes'] } });
    const fundingSlot = DIAGNOSTIC_SLOTS.find((s) => s.key === 'funding')!;
    for (const answer of ['ventes 80000', 'ventes 80 000']) {
      const completed = fundingSlot.parse(answer, 2, (first as { carry: string }).carry);
      expect(completed.ok && (completed.value as { sources: { label: string; share: number; euros: number }[] }).sources.map((s) => [s.label, s.share, s.euros]))
        .toEqual([['subventions', 56, 100000], ['ventes', 44, 80000]]);
    }
  });

  test.each([
    ['subventions 100000 ventes 80000', [['subventions', 56], ['ventes', 44]]],
    ['subventions 100 000 ventes 80 000', [['subventions', 56], ['ventes', 44]]],
    ['subventions 60% ventes 40%', [['subventions', 60], ['ventes', 40]]],
    // Bare figures next to the sources that add up to 100: shares.
    ['subventions 60 ventes 40', [['subventions', 60], ['ventes', 40]]],
    ['subventions 70 cotisations 10 ventes 20', [['subventions', 70], ['cotisations', 10], ['ventes', 20]]],
    ['subventions 60% ventes 40', [['subventions', 60], ['ventes', 40]]],
    ['subventions 60 ventes 40%', [['subventions', 60], ['ventes', 40]]],
    ['grants 100000 sales 80000', [['grants', 56], ['sales', 44]]],
    // A percentage ends a source: what follows it is the next one, joined ones included.
    ['prestations 40% subventions publiques 45% cotisations + dons 15%', [['prestations', 40], ['subventions publiques', 45], ['cotisations + dons', 15]]],
    ['prestations 40 % subventions 45 % cotisations et dons 15 %', [['prestations', 40], ['subventions', 45], ['cotisations et dons', 15]]],
    ['40 % prestations 45 % subventions 15 % dons', [['prestations', 40], ['subventions', 45], ['dons', 15]]],
    // The structure's words are the label: « ventes de légumes », not « ventes ».
    ['ventes de legumes 25 subventions 75', [['ventes de legumes', 25], ['subventions', 75]]],
    ['ticket sales 25 grants 75', [['ticket sales', 25], ['grants', 75]]],
  ])('funding without commas: « %s » is read into shares', (text, expected) => {
    const result = parse('funding', text);
    expect(result.ok && (result.value as { sources: { label: string; share: number }[]; text: string }).sources.map((s) => [s.label, s.share])).toEqual(expected);
    expect(result.ok && (result.value as { text: string }).text).toBe(text); // the structure's words, as typed
  });

  test('funding: bare figures that do not add up to 100 are said so; a source without any figure still lacks its share', () => {
    expect(parse('funding', 'subventions 60 ventes 30')).toMatchObject({ ok: false, errorKey: 'diagnostic.funding.inconsistent', vars: { total: '90' } });
    expect(parse('funding', 'subventions 60, ventes')).toMatchObject({ ok: false, errorKey: 'diagnostic.funding.missingShare', vars: { sources: ['ventes'] } });
  });

  test('funding: the answer to a missing share completes the earlier one; a full answer replaces it', () => {
    const first = parse('funding', 'subventions 70 %, adhésions, ventes');
    expect(first).toMatchObject({ ok: false, errorKey: 'diagnostic.funding.missingShare', carry: 'subventions 70 %, adhésions, ventes' });
    const fundingSlot = DIAGNOSTIC_SLOTS.find((s) => s.key === 'funding')!;
    const shares = (r: ReturnType<typeof parse>) => (r.ok ? (r.value as { sources: { share: number }[] }).sources.map((s) => s.share) : r.errorKey);
    expect(shares(fundingSlot.parse('adhésions 15, ventes 15', 2, 'subventions 70 %, adhésions, ventes'))).toEqual([70, 15, 15]);
    expect(shares(fundingSlot.parse('subventions 50 %, adhésions 25 %, ventes 25 %', 2, 'subventions 70 %, adhésions, ventes'))).toEqual([50, 25, 25]);
    // Still short: said again, with everything read so far carried on.
    expect(fundingSlot.parse('adhésions 15', 2, 'subventions 70 %, adhésions, ventes')).toMatchObject({ ok: false, errorKey: 'diagnostic.funding.missingShare', vars: { sources: ['ventes'] }, carry: 'subventions 70 %, adhésions, ventes ; adhésions 15 %' });
    // Shares that no longer add up are not carried: the next answer starts afresh.
    expect(fundingSlot.parse('adhésions 40, ventes 40', 2, 'subventions 70 %, adhésions, ventes')).toEqual({ ok: false, errorKey: 'diagnostic.funding.inconsistent', vars: { total: '150' } });
  });

  test('funding: « des adhésions et des participations des familles (10 %) » is one share of 10 % for both (leftovers 3)', () => {
    const result = parse('funding', 'subventions 60 %, ventes 30 %, des adhesions et des participations des familles (10 %)');
    expect(result).toMatchObject({ ok: true, value: { totalShare: 100, sources: [{ share: 60 }, { share: 30 }, { label: 'adhesions et des participations des familles', share: 10 }] } });
    // A detail of the same kind of source is still no other source: « de la métropole » is part of the subventions.
    expect(parse('funding', 'des subventions de la région et de la métropole 60 %, ventes 40 %')).toMatchObject({ ok: true, value: { sources: [{ source: 'public_grants', share: 60 }, { source: 'sales', share: 40 }] } });
  });

  test('funding: a source named again with its share replaces the earlier share, never adds to it (« … c’est 10 % ensemble »)', () => {
    const fundingSlot = DIAGNOSTIC_SLOTS.find((s) => s.key === 'funding')!;
    const carried = 'subventions 60 %, ventes 30 %, des adhesions, des participations des familles (10 %)';
    expect(fundingSlot.parse(carried, 1)).toMatchObject({ ok: false, errorKey: 'diagnostic.funding.missingShare', vars: { sources: ['adhesions'] }, carry: carried });
    const together = fundingSlot.parse('les adhesions et participations c’est 10 % ensemble', 2, carried);
    expect(together).toMatchObject({ ok: true, value: { totalShare: 100, text: `${carried} ; les adhesions et participations c’est 10 % ensemble` } });
    // Shares short of 100 %: the source typed again with another share takes it.
    const short = 'subventions 60 %, ventes 30 %';
    expect(fundingSlot.parse('subventions 70 %', 2, short)).toMatchObject({ ok: true, value: { totalShare: 100 } });
  });

  test('funding: a count of people or time given for the missing share is no share (« 12 salariés dont 9 associés »)', () => {
    const fundingSlot = DIAGNOSTIC_SLOTS.find((s) => s.key === 'funding')!;
    const carried = 'quasiment tout en chiffre d’affaires, un peu de CICE il y a longtemps';
    expect(fundingSlot.parse(carried, 1)).toMatchObject({ ok: false, errorKey: 'diagnostic.funding.missingShare', vars: { sources: ['chiffre d’affaires'] } });
    // Read as « 12 % », it said « your shares make 12 % » to a structure that had answered the next question.
    for (const next of ['12 salariés dont 9 associés, pas de bénévoles', 'on est 12 personnes', 'depuis 3 ans', '12 volunteers']) {
      expect(fundingSlot.parse(next, 2, carried)).toMatchObject({ ok: false, errorKey: 'diagnostic.funding.missingShare', vars: { sources: ['chiffre d’affaires'] } });
    }
    // A figure alone is the share asked for.
    expect(fundingSlot.parse('98', 2, carried)).toMatchObject({ ok: true, value: { sources: [{ label: 'chiffre d’affaires', share: 98 }] } });
  });

  test('funding: shares short of 100 % are completed by the next answer (« le reste c’est des cotisations », « cotisations 10 % »), not dropped', () => {
    const fundingSlot = DIAGNOSTIC_SLOTS.find((s) => s.key === 'funding')!;
    const first = fundingSlot.parse('ventes 50%, subventions region et departement 30%, dons 10 %', 1);
    expect(first).toMatchObject({ ok: false, errorKey: 'diagnostic.funding.inconsistent', vars: { total: '90' }, carry: 'ventes 50%, subventions region et departement 30%, dons 10 %' });
    const carried = (first as { carry: string }).carry;
    const read = (r: ReturnType<typeof parse>) => (r.ok ? (r.value as { sources: { label: string; share: number }[] }).sources.map((s) => [s.label, s.share]) : r.errorKey);
    for (const next of ['le reste c’est des cotisations des societaires', 'cotisations 10%', 'cotisations 10']) {
      const result = fundingSlot.parse(next, 2, carried);
      expect(read(result)).toEqual([['ventes', 50], ['subventions region et departement', 30], ['dons', 10], [expect.stringContaining('cotisations'), 10]]);
      expect(result.ok && (result.value as { text: string }).text).toBe(`${carried} ; ${next}`);
    }
    // A full answer of its own replaces the earlier one; over 100 % nothing is carried.
    expect(read(fundingSlot.parse('ventes 60 %, subventions 40 %', 2, carried))).toEqual([['ventes', 60], ['subventions', 40]]);
    expect(fundingSlot.parse('ventes 60 %, subventions 50 %', 1)).not.toHaveProperty('carry');
  });

  test.each([
    ['20', { employees: 4.5, volunteers: 20, etpFromAccueil: true }],
    ['une vingtaine', { employees: 4.5, volunteers: 20, etpFromAccueil: true }],
    ['aucun', { employees: 4.5, volunteers: 0, etpFromAccueil: true }],
    ['12 bénévoles', { employees: 4.5, volunteers: 12, etpFromAccueil: true }],
    ['en fait 5 salariés et 12 bénévoles', { employees: 5, volunteers: 12 }],
    ['comme dit plus haut', undefined],
    // An ETP anywhere in the answer, before or after the volunteers, is the new headcount.
    ["euh... une trentaine de benevoles, et on a embauché quelqu'un le mois dernier donc 3,5 etp maintenant", { employees: 3.5, volunteers: 30 }],
    ['3,5 etp et une trentaine de bénévoles', { employees: 3.5, volunteers: 30 }],
    ['euh 15 bénévoles et 2 salariés', { employees: 2, volunteers: 15 }],
    ['euh 20 bénévoles', { employees: 4.5, volunteers: 20, etpFromAccueil: true }],
    ['une 15aine', { employees: 4.5, volunteers: 15, etpFromAccueil: true }],
    ['une 15aine de bénévoles', { employees: 4.5, volunteers: 15, etpFromAccueil: true }],
    ['une trentaine de bénévoles, on en a recruté 5 cette année', { employees: 4.5, volunteers: 30, etpFromAccueil: true }],
  ])('staff, the ETP known from the accueil (4,5): « %s »', (text, expected) => {
    expect(staffKnowingEtp(text, 4.5)).toEqual(expected && { ...expected, text });
  });

  test.each([
    ['around fifteen volunteers', { employees: 4.5, volunteers: 15, etpFromAccueil: true }],
    ['about twenty volunteers', { employees: 4.5, volunteers: 20, etpFromAccueil: true }], // the re-prompt's example, with its noun
    ['18 volunteers', { employees: 4.5, volunteers: 18, etpFromAccueil: true }],
    ['a dozen volunteers', { employees: 4.5, volunteers: 12, etpFromAccueil: true }],
    ['about twenty', { employees: 4.5, volunteers: 20, etpFromAccueil: true }],
    ['we now have 3 employees and 18 volunteers', { employees: 3, volunteers: 18 }],
    ['environ vingt bénévoles', { employees: 4.5, volunteers: 20, etpFromAccueil: true }],
    // Ranges, read as the headcount's are: the middle
    ['10 à 15 bénévoles', { employees: 4.5, volunteers: 13, etpFromAccueil: true }],
    ['entre 20 et 30 bénévoles', { employees: 4.5, volunteers: 25, etpFromAccueil: true }],
    ['10 or 20 volunteers', { employees: 4.5, volunteers: 15, etpFromAccueil: true }],
  ])('staff in English as in French, the ETP known from the accueil (4,5): « %s »', (text, expected) => {
    expect(staffKnowingEtp(text, 4.5)).toEqual({ ...expected, text });
  });

  test.each([
    ['4 employees and about twenty volunteers', { employees: 4, volunteers: 20 }], // the English re-prompt's example
    ['4 employees and 20 volunteers', { employees: 4, volunteers: 20 }],
    ['two full-time staff and 12 active volunteers', { employees: 2, volunteers: 12 }],
    ['3 employees, around fifteen volunteers', { employees: 3, volunteers: 15 }],
    ['2 employees, no volunteers', { employees: 2, volunteers: 0 }],
    ['4 salariés et 20 bénévoles', { employees: 4, volunteers: 20 }],
    ['3,5 ETP, une dizaine de bénévoles', { employees: 3.5, volunteers: 10 }],
    ['2 salariés, aucun bénévole', { employees: 2, volunteers: 0 }],
  ])('staff asked whole: « %s »', (text, expected) => {
    expect(parse('staff', text)).toEqual({ ok: true, value: { ...expected, text } });
  });

  test.each(['urgent', 'très urgent', 'pas urgent', 'plutôt 3', 'urgence 2', '3/4', '4 je dirais', '3'])('a situation that is only an urgency (« %s ») asks for the situation first', (text) => {
    expect(parse('organisation_situation', text)).toEqual({ ok: false, errorKey: 'diagnostic.area.urgencyOnly' });
  });

  test.each(['Rôles flous 3', 'plutôt bien organisé, 2', 'un poste de niveau 3 à pourvoir'])('« %s » describes the situation: kept', (text) => {
    expect(parse('organisation_situation', text)).toMatchObject({ ok: true });
  });

  test('an area card needs words in its situation', () => {
    expect(parseAreaSubmit({ area: 'people', situation: '???', urgency: '2' }, 'people')).toEqual({ ok: false, errorKey: 'diagnostic.area.invalid' });
  });

  test('an area card without a valid urgency still gives its situation (the urgency is asked next)', () => {
    expect(parseAreaSubmit({ area: 'people', situation: 'Poste vacant depuis juin' }, 'people')).toEqual({ ok: true, value: { situation: 'Poste vacant depuis juin' } });
    expect(parseAreaSubmit({ area: 'people', situation: 'Poste vacant', urgency: 'x' }, 'people')).toEqual({ ok: true, value: { situation: 'Poste vacant' } });
  });
});

describe('diagnosticFacts: the volunteers beside the accueil\'s ETP, in a proper plural', () => {
  it.each([
    [0, 'fr', '4 ETP de salarié·es (dit à l’accueil), aucun bénévole'],
    [1, 'fr', '4 ETP de salarié·es (dit à l’accueil), 1 bénévole'],
    [30, 'fr', '4 ETP de salarié·es (dit à l’accueil), 30 bénévoles'],
    [0, 'en', '4 FTE employees (given at the start), no volunteers'],
    [1, 'en', '4 FTE employees (given at the start), 1 volunteer'],
    [30, 'en', '4 FTE employees (given at the start), 30 volunteers'],
  ] as const)('%i volunteers (%s)', (volunteers, lng, expected) => {
    const staff = { employees: 4, volunteers, text: String(volunteers), etpFromAccueil: true };
    expect(asRead(diagnosticFacts({ staff }, translator(lng)).find((f) => f.key === 'staff')!.value)).toBe(expected);
  });
});

describe('the volunteers not read, the ETP known from the accueil', () => {
  it('« bof » kept as typed after the retries keeps the accueil\'s ETP, in the answer and the summary', () => {
    const slot = DIAGNOSTIC_SLOTS.find((s) => s.key === 'staff')!;
    expect(slot.parse('bof', 1, '4')).toMatchObject({ ok: false });
    const kept = slot.parse('bof', 3, '4');
    expect(kept).toEqual({ ok: true, value: { text: 'bof', unread: true, employees: 4, etpFromAccueil: true } });
    const staff = (kept as { value: Record<string, unknown> }).value;
    expect(asRead(diagnosticFacts({ staff }, translator('fr')).find((f) => f.key === 'staff')!.value)).toBe('4 ETP de salarié·es (dit à l’accueil), bénévoles : « bof » (tel qu’écrit, à vérifier)');
    expect(asRead(diagnosticFacts({ staff }, translator('en')).find((f) => f.key === 'staff')!.value)).toContain('4 FTE employees (given at the start), volunteers: ');
  });
});

describe('diagnosticFacts of answers kept as written', () => {
  it('marks them for the chargé·e to check, and leaves read answers as they are', () => {
    const facts = diagnosticFacts({ budget: { text: 'bof', unread: true }, staff: { text: '3 salariés, 10 bénévoles' } }, translator('fr'));
    expect(asRead(facts.find((f) => f.key === 'budget')!.value)).toBe('« bof » (tel qu’écrit, à vérifier)');
    expect(facts.find((f) => f.key === 'staff')?.value).toBe('3 salariés, 10 bénévoles');
  });
});

describe('a situation typed with its urgency', () => {
  it.each([
    ['Difficultés à recruter un mécanicien, urgence 3', { situation: 'Difficultés à recruter un mécanicien', urgency: 3 }],
    ['Trésorerie tendue (urgence : 4)', { situation: 'Trésorerie tendue', urgency: 4 }],
    ['No clear plan, urgency 2', { situation: 'No clear plan', urgency: 2 }],
    ['Rôles flous 2/4', { situation: 'Rôles flous', urgency: 2 }],
    ['turnover important chez les vendeurs, 3', { situation: 'turnover important chez les vendeurs', urgency: 3 }],
    ['trésorerie tendue, 2 mois d’avance 😬 — 4', { situation: 'trésorerie tendue, 2 mois d’avance 😬', urgency: 4 }],
    // A word that insists or hedges after « urgence N »; a lone 1–4 after a full stop
    ["on dependait a 30% d'un seul client, nos prix sont trop bas. urgence 4 clairement", { situation: "on dependait a 30% d'un seul client, nos prix sont trop bas", urgency: 4 }],
    ['Trésorerie tendue, urgence 3, je dirais', { situation: 'Trésorerie tendue', urgency: 3 }],
    ['Rôles flous, urgence 2 au moins !', { situation: 'Rôles flous', urgency: 2 }],
    ['Rôles flous. urgence 2 environ', { situation: 'Rôles flous', urgency: 2 }],
    ['Cash is tight, urgency 4 I’d say', { situation: 'Cash is tight', urgency: 4 }],
    ["on dependait a 30% d'un seul client, c'est fragile. 3", { situation: "on dependait a 30% d'un seul client, c'est fragile", urgency: 3 }],
    // QA: « urgent 3 », « (2) », « niveau 2 »: the figure named otherwise
    ['tout repose sur le president, urgent 3', { situation: 'tout repose sur le president', urgency: 3 }],
    ['hard to recruit stage managers, urgent 3', { situation: 'hard to recruit stage managers', urgency: 3 }],
    ['Trésorerie tendue, très urgent 4', { situation: 'Trésorerie tendue', urgency: 4 }],
    ['tout repose sur le president urgence 3', { situation: 'tout repose sur le president', urgency: 3 }],
    ['strategy is ok - 1', { situation: 'strategy is ok', urgency: 1 }],
    ['Rôles flous (2)', { situation: 'Rôles flous', urgency: 2 }],
    ['Rôles flous 3/4', { situation: 'Rôles flous', urgency: 3 }],
    ['Rôles flous, niveau 2', { situation: 'Rôles flous', urgency: 2 }],
    ['Cash is tight - level 3', { situation: 'Cash is tight', urgency: 3 }],
    // QA: a lone trailing 1–4, no mark before it, is the urgency too
    ['ça va a peu pres 2', { situation: 'ça va a peu pres', urgency: 2 }],
    ['Rôles flous 3', { situation: 'Rôles flous', urgency: 3 }],
    ['personne ne veut être trésorier 4 !', { situation: 'personne ne veut être trésorier', urgency: 4 }],
    ['no HR policy 1', { situation: 'no HR policy', urgency: 1 }],
    // Persona QA 5: after a colon, with the option's label, or dictated as a word
    ['marges faibles, le prix du bois a augmente de 30% : 3', { situation: 'marges faibles, le prix du bois a augmente de 30%', urgency: 3 }],
    ['tresorerie tendue en hiver on a un decouvert autorise, 4 tres urgent', { situation: 'tresorerie tendue en hiver on a un decouvert autorise', urgency: 4 }],
    ['Site vieillissant, 2 · à traiter', { situation: 'Site vieillissant', urgency: 2 }],
    ['No HR policy, 1 can wait', { situation: 'No HR policy', urgency: 1 }],
    ["euh c'est un peu le bazar les roles sont pas clairs je dirais trois", { situation: "euh c'est un peu le bazar les roles sont pas clairs", urgency: 3 }],
    ['on sait pas trop ou on va euh trois', { situation: 'on sait pas trop ou on va', urgency: 3 }],
    ['ca va a peu pres urgence deux', { situation: 'ca va a peu pres', urgency: 2 }],
    ['le site est vieux niveau un', { situation: 'le site est vieux', urgency: 1 }],
    ['Rôles flous, quatre', { situation: 'Rôles flous', urgency: 4 }],
  ])('« %s » answers both questions', (text, expected) => {
    expect(situationWithUrgency(text)).toEqual(expected);
  });
  it.each([
    ['Trésorerie tendue, c’est très urgent !', 4],
    ['Trésorerie tendue. C\'est vraiment urgent.', 4],
    ['Personne ne sait qui fait quoi, c’est urgent', 3],
    ['Pas de plan de formation — pas très urgent', 2],
    ['Le site web est vieux, mais ça peut attendre.', 1],
    ['Statuts à revoir, pas urgent', 1],
    ['Cash flow is tight, it’s critical', 4],
    ['No HR policy, not urgent', 1],
    ['pas d entretiens annuels. je dirais tres urgent', 4],
    ['Pas de RH, moyennement urgent', 2],
    ['Pas de site, urgence moyenne', 2],
    ['No HR policy, moderately urgent', 2],
    ['No website yet, medium urgency', 2],
    ['No HR policy, it can wait', 1],
    ['Roles unclear, that can wait.', 1],
    ['strategie floue, a traiter', 2], // option 2's label, without its accent
    ['Stratégie floue. À traiter rapidement', 3],
    ['Trésorerie tendue, c’est une urgence', 3],
    ['Pas de site, ce n’est pas une urgence', 1],
    ['Rôles flous\nc’est urgent', 3], // a line break ends the situation too
    ['Rôles flous, c’est très urgent.\n\nMerci d’avance !', 4], // a closing courtesy after it
    ['Nos rôles sont flous, c’est assez urgent je dirais', 3], // a hedge after it
    ['Roles are unclear, quite urgent I think', 3],
    // As people stress it (persona walks): « pretty urgent », « super urgent », « hyper urgent »
    ['high turnover, project officers leave after a year or so. pretty urgent', 3],
    ['tréso a sec, c est hyper urgent', 4],
    ['Cash flow is tight, extremely urgent', 4],
    ['plus de tréso en janvier, super urgent', 4],
    // Dictated, without a mark: the clause with its subject
    ['on a deux mois de tresorerie c est tres urgent', 4],
    ['Trésorerie tendue c’est urgent', 3],
    ['le site est vieux mais ca peut attendre', 1],
    ['statuts a revoir ce n est pas urgent', 1],
  ])('« %s » keeps its words as the situation, with urgency %i read from them', (text, urgency) => {
    expect(situationWithUrgency(text)).toEqual({ situation: text, urgency, fromWords: true });
  });
  it.each([
    'c’est urgent de recruter',
    'nous avons 3 salariés',
    'urgence 3',
    'Deux départs cette année, difficile de recruter',
    'Nous sommes 3',
    'Deux salariés, 12 bénévoles',
    'Rôles flous, 5',
    'Rôles flous. 5',
    'Logiciel en version 2.3',
    'Pas de comptable, urgence 3 salariés à former', // words after the figure that are no hedge
    'urgence 2 au moins', // no situation before it
    'c’est urgent',
    'Nous cherchons un remplaçant urgent',
    'Il est urgent de former les bénévoles, surtout à l’accueil',
    'on cherche un éducateur de niveau 3', // « niveau » with no mark before it: the situation's words
    'urgent 3', // no situation before it
    'Rôles flous (5)',
    // …not a count or a number the sentence needs (« on a 2 », « 2 postes vacants »)
    'on a 2', 'il nous en manque 2', 'des postes vacants, on en a 2', 'nous sommes 2', 'on cherche depuis 2', 'le chantier en est à la phase 2',
    '2 postes vacants', 'les salaires de 2', 'Rôles flous 5', 'we have 2', 'there are 3', 'Logiciel en version 2', 'Rôles flous 24',
    // …nor a count said in words, nor « urgent » without its subject
    'nous sommes trois', 'on en a trente-deux', 'on a recruté un', 'il nous en faut deux', 'ratio 1:3', 'rdv à 10:3',
  ])('« %s » is a situation only', (text) => {
    expect(situationWithUrgency(text)).toBeUndefined();
  });
  it('reads a long pasted situation at its end, over several lines', () => {
    const pasted = 'Notre association accompagne depuis 2009 les jeunes du quartier vers l’emploi, avec deux ateliers. '.repeat(30);
    expect(pasted.length).toBeGreaterThan(2900);
    expect(situationWithUrgency(`${pasted}\nBref, le conseil ne tranche pas.\nC’est urgent.\n\nMerci d’avance.`)).toMatchObject({ urgency: 3, fromWords: true });
    expect(situationWithUrgency(`${pasted}\nle conseil ne tranche pas\nurgence 4`)).toEqual({ situation: `${pasted}\nle conseil ne tranche pas`.trim(), urgency: 4 });
    // « c'est urgent » inside the text, not closing it, still rates nothing
    expect(situationWithUrgency(`C’est urgent de recruter.\n${pasted}`)).toBeUndefined();
    // « urgence 3 » said with its reason after it, in the middle of the text: that urgency, the words kept whole.
    const why = 'Les rôles ne sont pas clairs.\n\nPas d’outils partagés.\n\nJe dirais urgence 3, parce que ça use l’équipe mais ce n’est pas le plus grave.';
    expect(situationWithUrgency(why)).toEqual({ situation: why, urgency: 3, fromWords: true });
    expect(situationWithUrgency('Rôles flous, urgence 4 car la coordinatrice part en mars')).toEqual({ situation: 'Rôles flous, urgence 4 car la coordinatrice part en mars', urgency: 4, fromWords: true });
    // Not a figure that counts something, nor two urgencies, nor a hesitation.
    for (const text of ['Hébergement d’urgence 3 nuits par semaine, plein', 'Rôles flous, urgence 2 pour les rôles, urgence 4 pour le planning, voilà', 'Rôles flous, urgence 2 ou 3 je sais pas', 'Notre priorité 1, c’est de recruter un coordinateur']) {
      expect(situationWithUrgency(text)).toBeUndefined();
    }
  });
});

describe('the first question answered at « On commence ? »', () => {
  it.each([
    'on fait de l’insertion par le maraîchage bio',
    'Épicerie solidaire et ateliers cuisine, secteur social',
    'nous gérons une ressourcerie à Bordeaux',
    'We run a community bike workshop',
  ])('« %s » answers it', (text) => {
    expect(firstAnswerAtStart(text)).toEqual({ key: 'activity', value: text });
  });

  it('« 60 % subventions, 30 % billetterie, le reste du mécénat » is the funding, kept for its question — a share in an activity is not', () => {
    expect(firstAnswerAtStart('60% subventions, 30% billetterie, le reste du mécénat')).toMatchObject({
      key: 'funding', value: { sources: [{ source: 'public_grants', share: 60 }, { share: 30 }, { share: 10 }] },
    });
    const creche = 'On gère une crèche associative financée à 80 % par la CAF';
    expect(firstAnswerAtStart(creche)).toEqual({ key: 'activity', value: creche });
  });

  it.each([
    // Too short to say what the structure does, or no words
    'Recyclerie', 'bof', 'euh', '???', 'asdfgh qwerty zzzz',
    // Yes, no, hesitation, a question, time, the conversation, not knowing
    'oui mais rapidement alors', 'non pas aujourd’hui', 'euh je sais pas trop', 'ça prend combien de temps', 'c’est long ?',
    'je n’ai pas le temps là', 'je voudrais corriger le nom de la structure', 'on peut faire ça demain', 'je ne sais pas trop',
    'I would rather do it later', 'how long does it take', 'aucune idée de quoi dire',
  ])('« %s » does not', (text) => {
    expect(firstAnswerAtStart(text)).toBeUndefined();
  });
});

describe('the waiting diagnostic offered at the welcome: its next question answered at once', () => {
  const upTo = (key: string): Record<string, unknown> => Object.fromEntries(DIAGNOSTIC_SLOTS.slice(0, DIAGNOSTIC_SLOTS.findIndex((s) => s.key === key)).map((s) => [s.key, 'x']));
  test.each([
    ['budget', 'environ 200 000 €'],
    ['budget', 'notre budget tourne autour de 180 000 euros'],
    ['funding', 'subventions 60 %, ventes 40 %'],
    ['staff', '4 salariés et une vingtaine de bénévoles'],
    ['governance', 'un bureau de 3 personnes et un CA de 9'],
    ['needs', 'on a besoin d’aide sur la communication'],
    // An area's situation said with its urgency: nothing else reads so
    ['organisation_situation', 'les roles sont flous entre benevoles et salaries, urgence 3'],
    ['finance_situation', 'deux mois de trésorerie, c’est très urgent'],
  ])('at %s: « %s » is its answer', (key, text) => {
    expect(answerAtDiagnosticOffer(text, upTo(key))).toMatchObject({ key });
  });

  test.each([
    ['budget', 'bonjour'], ['budget', 'oui'], ['budget', 'je ne sais pas'], ['budget', '180'], ['budget', 'pas maintenant, 200 000 € plus tard'],
    ['budget', 'combien de questions reste-t-il ?'], ['budget', '???'], ['funding', 'des subventions surtout'], ['staff', 'on est une petite équipe'],
    ['governance', 'bonjour je reviens'], ['organisation_situation', 'ça va mieux'], ['organisation_urgency', 'urgence 3'],
    ['organisation_urgency', 'les roles sont flous, urgence 3'], ['organisation_situation', 'urgence 3'],
  ])('at %s: « %s » is no answer (asked to write « oui »)', (key, text) => {
    expect(answerAtDiagnosticOffer(text, upTo(key))).toBeUndefined();
  });

  it('the staff with the ETP said at the accueil: the volunteers answer it', () => {
    expect(answerAtDiagnosticOffer('une vingtaine de bénévoles', upTo('staff'), 4)).toMatchObject({ key: 'staff', value: { volunteers: 20 } });
  });
});

describe('toldOfActivityAndBudget: the activity and the budget said before the diagnostic', () => {
  test.each([
    ['SCIC SAS, 8 associés salariés, 14 ETP, CA 900 k€, on fait de la restauration collective bio', 'on fait de la restauration collective bio', 900000],
    ['on gère une crèche associative, budget 450 000 € par an, et on voudrait embaucher', 'on gère une crèche associative', 450000],
    ['We run a food bank in Bordeaux, budget about 200k', 'We run a food bank in Bordeaux', 200000],
    ['on fait face à des difficultés, notre CA de 1,2 M€ baisse', undefined, 1200000],
    ['ça fait 900 000 € de perte', undefined, undefined],
    ['on est une asso de 12 salariés, 33000', undefined, undefined],
  ])('%s', (text, activity, euros) => {
    const told = toldOfActivityAndBudget(text);
    expect([told.activity, told.budget?.euros]).toEqual([activity, euros]);
  });
});

describe('staffCorrected: one count corrected at the summary, the other kept', () => {
  test('the employees corrected keep the volunteers said before, and the summary says both counts', () => {
    expect(staffCorrected({ employees: 10, volunteers: 25, text: '10 salariés et 25 bénévoles' }, { employees: 12, text: '12 salariés pas 10' }))
      .toEqual({ employees: 12, volunteers: 25, text: '12 salariés pas 10', counts: true });
  });
  test('both counts given, or nothing before: as given', () => {
    expect(staffCorrected({ employees: 10, volunteers: 25 }, { employees: 12, volunteers: 30, text: '12 salariés, 30 bénévoles' })).toEqual({ employees: 12, volunteers: 30, text: '12 salariés, 30 bénévoles' });
    expect(staffCorrected(undefined, { employees: 12, text: '12 salariés' })).toEqual({ employees: 12, text: '12 salariés' });
  });
});

describe('governanceSaidWith: the governance told with an earlier answer', () => {
  it.each([
    ['staff', '12 ETP et une quinzaine de benevoles, CA de 9 membres avec 3 colleges', { boardSize: 9, text: 'CA de 9 membres avec 3 colleges' }],
    ['funding', 'subventions 60 %, ventes 40 %; le bureau décide de tout', { text: 'le bureau décide de tout' }],
    ['staff', '3 salariés, ça va', undefined],
    ['staff', '4 salariés dont la présidente', undefined], // counts staff: the staff's words
    ['organisation_situation', 'le CA ne se réunit plus', undefined], // asked after the governance
  ])('at %s, « %s »', (key, text, governance) => {
    expect(governanceSaidWith(key, text, {})).toEqual(governance);
  });
});

describe('persona round 13: asides at the funding question', () => {
  const funding = DIAGNOSTIC_SLOTS.find((s) => s.key === 'funding')!;

  it('« urgence 3 » is no amount: the funding asked again as such; « 200 000 € » and « 180k » are the budget said again', () => {
    expect(funding.parse('urgence 3', 1)).toMatchObject({ ok: false, errorKey: 'diagnostic.funding.invalid' });
    expect(funding.parse('200 000 €', 1)).toMatchObject({ ok: false, errorKey: 'diagnostic.funding.amount' });
    expect(funding.parse('180k', 1)).toMatchObject({ ok: false, errorKey: 'diagnostic.funding.amount' });
  });

  it('volunteers and governance said instead of the funding: kept for their questions (the volunteers with the accueil’s ETP)', () => {
    expect(laterAnswersAt('funding', 'on a 20 bénévoles et le CA se réunit peu', {}, 4)).toEqual({
      staff: { employees: 4, volunteers: 20, text: 'on a 20 bénévoles', etpFromAccueil: true }, governance: { text: 'le CA se réunit peu' },
    });
    // Without the ETP the staff question asks both: the volunteers alone are not its answer.
    expect(laterAnswersAt('funding', 'une vingtaine de bénévoles', {})).toEqual({});
    // Answered already, or funding named: nothing aside.
    expect(laterAnswersAt('funding', 'le bureau décide de tout', { governance: { text: 'CA de 9' } })).toEqual({});
    expect(laterAnswersAt('funding', 'subventions surtout, 15 bénévoles', {}, 4)).toEqual({});
    expect(laterAnswersAt('funding', 'je sais pas', {}, 4)).toEqual({});
  });

  it('at the budget question too: « 2 salariés, 12 bénévoles » or the board said instead of an amount are kept; an amount said is the budget', () => {
    expect(laterAnswersAt('budget', '2 salariés, 12 bénévoles', {}, 2)).toMatchObject({ staff: { employees: 2, volunteers: 12 } });
    expect(laterAnswersAt('budget', 'un CA de 7 personnes, on décide en réunion de bureau', {})).toMatchObject({ governance: { boardSize: 7 } });
    expect(laterAnswersAt('budget', '180 000 €, et 12 bénévoles', {}, 2)).toEqual({});
    // Nowhere else: the activity's words are the activity.
    expect(laterAnswersAt('activity', 'on a 20 bénévoles et le CA se réunit peu', {}, 4)).toEqual({});
  });
});
