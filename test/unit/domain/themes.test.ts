import fs from 'node:fs';
import path from 'node:path';
import { THEMES, Theme, findThemeMatches, isTheme, mapNeedsToThemes, tokenize } from '../../../src/domain/themes';

const themesOf = (text: string) => mapNeedsToThemes(text).map((t) => t.theme);
const matchedFor = (text: string, theme: Theme) => mapNeedsToThemes(text).find((t) => t.theme === theme)?.matched;

// [sentence, first theme, other themes that must be found, themes that must not be found]
type Row = [string, Theme, Theme[], Theme[]];

describe('mapNeedsToThemes: realistic needs', () => {
  test.each<Row>([
    // Money: cash, deficit, funding
    ['Notre trésorerie est très tendue depuis la fin du contrat avec la mairie', 'restructuration_eco_fin', [], ['rh_emploi']],
    ['tresorerie tendue, on a un deficit de 20 000 euros cette annee', 'restructuration_eco_fin', [], ['diversification_financements']],
    ['Nous sommes trop dépendants des subventions, il faut diversifier nos financements', 'diversification_financements', [], ['restructuration_eco_fin']],
    ['On cherche du mécénat et des fondations pour compléter nos recettes', 'diversification_financements', [], []],
    ['Le CA a baissé de 30 000 € en un an', 'restructuration_eco_fin', [], ['gouvernance']], // chiffre d'affaires
    // Jobs and volunteers: accents, plurals, inclusive writing, elisions
    ["Les bénévoles s'épuisent et on n'arrive pas à recruter", 'rh_emploi', [], []],
    ['les benevoles s epuisent, on n arrive pas a recruter', 'rh_emploi', [], []],
    ['Nos salarié·es sont épuisé·es, beaucoup de turn-over', 'rh_emploi', [], []],
    ["Consolider nos 3 postes et créer d’emplois pérennes, l'équipe est fragile", 'rh_emploi', ['projet_strategie'], []],
    ['ON DOIT EMBAUCHER UN COORDINATEUR', 'rh_emploi', [], []],
    // Governance: CA, bureau, président·e; "trésorier" is a role, not cash
    ["Le conseil d'administration ne se renouvelle plus et le bureau est épuisé", 'gouvernance', ['rh_emploi'], []],
    ['Le CA ne se réunit plus, la présidente veut partir', 'gouvernance', [], ['restructuration_eco_fin']],
    ['Notre trésorier démissionne en juin', 'gouvernance', [], ['restructuration_eco_fin']],
    // « la com » as people say it; not inside « la commune »
    ['des financements et peut etre de la com', 'diversification_financements', ['communication'], []],
    ['La commune nous aide pour les locaux', 'organisation_interne', [], ['communication']],
    ['la gouvernance partagée entre salariés et administrateurs', 'gouvernance', ['rh_emploi'], []],
    // Strategy and organisation
    ['Nous voulons redéfinir notre projet associatif et notre stratégie à 5 ans', 'projet_strategie', [], []],
    ['On veut changer d’échelle et essaimer sur d’autres territoires', 'projet_strategie', [], []],
    ['Personne ne sait qui fait quoi, il faut revoir la répartition des rôles et nos outils de suivi', 'organisation_interne', [], []],
    ['La communication interne est difficile depuis le déménagement dans nos nouveaux locaux', 'organisation_interne', [], ['communication']],
    // Partnerships, communication, digital, ecology
    ['Mutualiser des fonctions avec d’autres associations du réseau, voire une fusion', 'partenariats', [], ['communication']],
    ['On manque de visibilité : pas de site web, rien sur les réseaux sociaux', 'communication', ['numerique'], ['partenariats']],
    ['Informatiser la gestion des adhérents, passer à un logiciel et respecter le RGPD', 'numerique', [], []],
    ['On aimerait faire un bilan carbone et réduire nos déchets', 'transformation_ecologique', [], ['restructuration_eco_fin']],
    ['Intégrer le développement durable dans nos activités', 'transformation_ecologique', [], ['projet_strategie']],
    // English
    ['We need funding and more volunteers', 'diversification_financements', ['rh_emploi'], []],
    ['Our board is tired and our website is outdated', 'gouvernance', ['communication'], []],
    ['find new funders and write a 3-year plan', 'projet_strategie', ['diversification_financements'], []], // a tie: THEMES order
    ['Our team is exhausted and we need training', 'rh_emploi', [], []],
    ['We are running at a loss and have an overdraft', 'restructuration_eco_fin', [], []],
    // Negations: the negated theme must not come out, the rest must
    ['Pas de problème de trésorerie, mais les bénévoles partent', 'rh_emploi', [], ['restructuration_eco_fin']],
    ["Nous n'avons aucun souci avec le CA, plutôt un besoin de financements", 'diversification_financements', [], ['gouvernance']],
    ["pas d'inquiétude côté trésorerie, on voudrait se faire connaître", 'communication', [], ['restructuration_eco_fin']],
    ['Aucune difficulté financière ; on veut développer des partenariats', 'partenariats', [], ['restructuration_eco_fin']],
    ['Pas de problème de trésorerie, de gouvernance ni de communication : on veut recruter', 'rh_emploi', [], ['restructuration_eco_fin', 'gouvernance', 'communication']],
    ['La trésorerie va bien, par contre le bureau est à bout', 'gouvernance', [], ['restructuration_eco_fin']],
    ["Ce n'est pas la trésorerie qui pose problème mais la gouvernance", 'gouvernance', [], ['restructuration_eco_fin']],
    ['No issue with cash flow, but we need volunteers', 'rh_emploi', [], ['restructuration_eco_fin']],
    // Not negations: a missing thing is a need
    ["On n'a plus de trésorerie", 'restructuration_eco_fin', [], []],
    ["Nous n'avons pas de site internet", 'communication', [], []],
    ['pas assez de bénévoles', 'rh_emploi', [], []],
    // Gaps the personas of round 13 found: the performing arts' « diffusion », a loan, a leader leaving, a change of statutes.
    ['diffusion', 'communication', [], ['autre']],
    ['diffuser nos spectacles et trouver des dates de tournée', 'communication', [], ['autre']],
    ['vendre nos spectacles aux programmateurs, attirer de nouveaux publics', 'communication', [], []],
    ['on manque de visibilité', 'communication', [], []],
    ['We need help with the distribution of our shows', 'communication', [], ['autre']],
    ['rembourser un emprunt bancaire', 'restructuration_eco_fin', [], ['autre']],
    ['nous sommes prêts à tout changer', 'autre', [], ['restructuration_eco_fin']],
    ['répondre aux appels d’offres et aux marchés publics', 'diversification_financements', [], []],
    ['préparer le départ de la directrice', 'gouvernance', [], ['autre']],
    ['passer en SCIC', 'gouvernance', [], ['autre']],
    ['former nos encadrants techniques', 'rh_emploi', [], ['autre']],
    ['évaluer notre impact', 'projet_strategie', [], ['autre']],
  ])('%s', (text, first, others, absent) => {
    const themes = themesOf(text);
    expect(themes[0]).toBe(first);
    for (const t of others) expect(themes).toContain(t);
    for (const t of absent) expect(themes).not.toContain(t);
  });
});

describe('mapNeedsToThemes: a funding lost is both a financial restructuring and a diversification', () => {
  test.each<[string, Theme[], Theme[]]>([
    ['on a perdu une grosse subvention', ['restructuration_eco_fin', 'diversification_financements'], []],
    ['baisse des subventions', ['restructuration_eco_fin', 'diversification_financements'], []],
    ['la mairie a baissé sa subvention de 30 %', ['restructuration_eco_fin', 'diversification_financements'], []],
    ['la subvention de la region n a pas ete renouvelee', ['restructuration_eco_fin', 'diversification_financements'], []],
    ['on a perdu notre plus gros client', ['restructuration_eco_fin', 'diversification_financements'], []],
    ['perte d un financeur important', ['restructuration_eco_fin', 'diversification_financements'], []],
    ['we lost a big grant', ['restructuration_eco_fin', 'diversification_financements'], []],
    // Jobs that go for want of money: the staff and the economics.
    ['fin d un contrat aide', ['restructuration_eco_fin', 'rh_emploi'], []],
    ['nos contrats aidés s’arrêtent en juin', ['restructuration_eco_fin', 'rh_emploi'], []],
    ['on doit licencier', ['restructuration_eco_fin', 'rh_emploi'], []],
    ['on va devoir licencier deux personnes', ['restructuration_eco_fin', 'rh_emploi'], []],
    // …while a funding sought, kept or dated is no loss.
    ['on voudrait plus de subventions', ['diversification_financements'], ['restructuration_eco_fin']],
    ['en fin d annee on cherche des subventions', ['diversification_financements'], ['restructuration_eco_fin']],
    ['la subvention est renouvelée', ['diversification_financements'], ['restructuration_eco_fin']],
    ['on veut embaucher en contrat aidé', ['rh_emploi'], ['restructuration_eco_fin']],
  ])('%s', (text, present, absent) => {
    const themes = themesOf(text);
    for (const t of present) expect(themes).toContain(t);
    for (const t of absent) expect(themes).not.toContain(t);
  });

  it('says which words gave the financial restructuring', () => {
    expect(matchedFor('on a perdu une grosse subvention', 'restructuration_eco_fin')).toEqual(['perdu une grosse subvention']);
  });
});

describe('mapNeedsToThemes: the English lexicon, as French is read', () => {
  // [sentence, themes that must be found, themes that must not be found]
  test.each<[string, Theme[], Theme[]]>([
    // QA: « management » of orders is no HR; digital and customers are read
    ['digitise our order management, train our staff and find new customers among local authorities', ['numerique', 'organisation_interne', 'rh_emploi', 'diversification_financements'], []],
    ['our IT tools are outdated', ['numerique'], []],
    ['we want to digitize our accounts and move to new software', ['numerique'], []],
    ['we need a database and a new computer', ['numerique'], []],
    ['online shop and e-commerce', ['numerique'], []],
    // Customers, clients, sales, the commercial side: as French « clients », « commercial », « ventes »
    ['find new clients and develop our sales', ['diversification_financements'], []],
    ['trouver de nouveaux clients', ['diversification_financements'], []],
    ['développer notre activité commerciale', ['diversification_financements'], []],
    ['gestion des commandes et numériser nos factures', ['organisation_interne', 'numerique'], ['rh_emploi']],
    // Management of people is still HR
    ['our management team is exhausted', ['rh_emploi'], []],
    ['staff management and salaries', ['rh_emploi'], ['organisation_interne']],
    ['project management is chaotic', ['organisation_interne'], ['rh_emploi']],
    // Each theme's everyday words
    ['we want to expand and develop new services', ['projet_strategie'], []],
    ['our board of directors and the treasurer need to change the bylaws', ['gouvernance'], []],
    ['work together with other organisations, pool resources', ['partenariats'], []],
    ['we need to communicate better: branding, press, posters', ['communication'], []],
    ['reduce waste and our energy bills, protect the environment', ['transformation_ecologique'], []],
    ['our costs are too high and we are not profitable', ['restructuration_eco_fin'], []],
  ])('« %s »', (text, present, absent) => {
    const themes = themesOf(text);
    for (const t of present) expect([text, themes]).toEqual([text, expect.arrayContaining([t])]);
    for (const t of absent) expect(themes).not.toContain(t);
  });

  // Words that look like a theme's and are not: no false positives
  test.each<[string, Theme[]]>([
    ['make it systematic', ['numerique']], // « it » is the pronoun
    ['it is hard to say', ['numerique']],
    ['we need more volunteers to do it', ['numerique']],
    ['it was a waste of time', ['transformation_ecologique']],
    ['the volunteers have no energy left', ['transformation_ecologique']],
    ['we review our internal processes', ['rh_emploi']], // « internal » is no « intern »
    ['our mission is to help families', ['projet_strategie']],
    ['we organise marketing workshops', ['diversification_financements']], // « marketing » is not « market »
  ])('« %s » is not read as %j', (text, absent) => {
    const themes = themesOf(text);
    for (const t of absent) expect(themes).not.toContain(t);
  });
});

describe('mapNeedsToThemes: transparency and fallbacks', () => {
  test('the matched words are returned as typed', () => {
    expect(matchedFor("Trésorerie tendue et l'équipe s'épuise", 'restructuration_eco_fin')).toEqual(['Trésorerie']);
    expect(matchedFor("Trésorerie tendue et l'équipe s'épuise", 'rh_emploi')).toEqual(['équipe', 'épuise']);
    expect(matchedFor("Le Conseil d'Administration ne suit plus", 'gouvernance')).toEqual(["Conseil d'Administration"]);
    expect(matchedFor('site-web et réseaux sociaux', 'communication')).toEqual(['site-web', 'réseaux sociaux']);
  });

  test('a word repeated counts once; different words add up', () => {
    const once = mapNeedsToThemes('trésorerie, trésorerie, toujours la trésorerie');
    expect(once).toEqual([{ theme: 'restructuration_eco_fin', score: 1, matched: ['trésorerie'] }]);
    const twice = mapNeedsToThemes('trésorerie et fonds propres');
    expect(twice[0]).toEqual({ theme: 'restructuration_eco_fin', score: 2, matched: ['trésorerie', 'fonds propres'] });
  });

  test('results are sorted by score, ties in THEMES order', () => {
    const result = mapNeedsToThemes('communication, gouvernance, bénévoles et salariés');
    expect(result.map((r) => [r.theme, r.score])).toEqual([
      ['rh_emploi', 2],
      ['gouvernance', 1],
      ['communication', 1],
    ]);
  });

  test.each(['', 'Bonjour', 'ça va', 'rien de particulier', 'pas de problème de trésorerie'])('"%s" gives autre', (text) => {
    expect(mapNeedsToThemes(text)).toEqual([{ theme: 'autre', score: 0, matched: [] }]);
  });

  test('lower-case "ça" is never the conseil d’administration', () => {
    expect(themesOf('ça ne va pas fort')).toEqual(['autre']);
    expect(themesOf('notre ca ne se réunit plus')).toEqual(['gouvernance']);
  });

  test('the longest phrase wins across themes', () => {
    expect(themesOf('les réseaux sociaux')).toEqual(['communication']);
    expect(themesOf('le réseau')).toEqual(['partenariats']);
    expect(themesOf('développement des compétences')).toEqual(['rh_emploi']);
  });

  test('findThemeMatches keeps negated matches, flagged', () => {
    const matches = findThemeMatches('aucun problème de trésorerie mais des bénévoles fatigués');
    expect(matches.map((m) => [m.theme, m.text, m.negated])).toEqual([
      ['restructuration_eco_fin', 'trésorerie', true],
      ['rh_emploi', 'bénévoles', false],
    ]);
  });

  test('tokenize splits elisions, keeps inclusive words whole', () => {
    expect(tokenize("d’emplois, l'équipe des adhérent.e.s").map((t) => t.norm)).toEqual(['d', 'emplois', 'l', 'equipe', 'des', 'adherentes']);
  });
});

describe('theme labels', () => {
  test.each(['fr', 'en'])('locales/%s/themes.json has a label for every theme, and only those', (lng) => {
    const file = path.join(__dirname, '../../../locales', lng, 'themes.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { label: Record<string, string> };
    expect(Object.keys(json.label).sort()).toEqual([...THEMES].sort());
    for (const label of Object.values(json.label)) expect(label.trim()).not.toBe('');
  });

  test('isTheme', () => {
    expect(isTheme('gouvernance')).toBe(true);
    expect(isTheme('governance')).toBe(false);
    expect(isTheme(undefined)).toBe(false);
  });
});
