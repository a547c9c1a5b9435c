import { parseEmployees } from '../../../src/domain/employees';

type Row = [string, number | undefined, boolean, boolean];

describe('parseEmployees: ETP', () => {
  test.each<Row>([
    // [text, etp, approximate, hiringPlan]
    // Digits, decimals with a comma or a point
    ['3', 3, false, false],
    ['3,5', 3.5, false, false],
    ['3.5', 3.5, false, false],
    ['0,5', 0.5, false, false],
    ['1,5 ETP', 1.5, false, false],
    ['2,5etp', 2.5, false, false],
    ['2,5 équivalents temps plein', 2.5, false, false],
    ['nous avons 12 salariés', 12, false, false],
    ['1 200 salariés', 1200, false, false], // French thousands separator
    // Weekly hours: 35 h is one ETP (« 1 contrat aidé 20h » is 20/35, not one more full-time job)
    ['2 salariés + 1 contrat aidé 20h', 2.57, false, false],
    ['2 salariés à temps plein et un à 24h', 2.69, false, false],
    ['2 salariés à temps plein et 1 à 24 heures par semaine', 2.69, false, false],
    ['1 CDI à 28h', 0.8, false, false],
    ['3 salariés dont 1 à 20h', 2.57, false, false],
    ['un salarié 20h/semaine', 0.57, false, false],
    ['un contrat d’insertion 26h hebdo', 0.74, false, false],
    ['1 salarié à 39h', 1, false, false], // more than 35 h: one full-time job
    ['ouvert 24h/24 avec 3 salariés', 3, false, false], // no working week
    // English (the assistant speaks it too; its prompt gives these examples)
    ['two and a half employees', 2.5, false, false],
    ['two full-time and one half-time', 2.5, false, false],
    ['3 FTE', 3, false, false],
    ['2.5 full time equivalents', 2.5, false, false],
    ['twenty-one employees', 21, false, false],
    ['one part-time employee', 0.5, true, false],
    ['about ten employees', 10, true, false],
    ['2 or 3 employees', 2.5, true, false],
    ['between 4 and 6 staff', 5, true, false],
    ['4 employees and 10 volunteers', 4, false, false],
    ['none, but we want to hire', 0, false, true],
    ['no employees yet, we plan to hire our first employee', 0, false, true],
    ['only volunteers', 0, false, false],
    ['we hired two workers last year', 2, false, false],
    // French words
    ['deux', 2, false, false],
    ['une salariée', 1, false, false],
    ['vingt et un salariés', 21, false, false],
    ['soixante-douze salariés', 72, false, false],
    ['quatre-vingt-dix salariés', 90, false, false],
    ['deux cents salariés', 200, false, false],
    ['septante-deux salariés', 72, false, false], // Belgian and Swiss tens (numberWords.ts)
    ['nonante salariés', 90, false, false],
    ['a dozen employees', 12, true, false],
    // Halves and part-time
    ['deux et demi', 2.5, false, false],
    ['deux salariés et demi', 2.5, false, false],
    ['un mi-temps', 0.5, false, false],
    ['deux mi-temps', 1, false, false],
    ['un demi-poste', 0.5, false, false],
    ['un salarié à mi-temps', 0.5, false, false],
    ['deux temps plein et un mi-temps', 2.5, false, false],
    ['3 salariés dont 1 à mi-temps', 2.5, false, false],
    // English breakdowns, as after « dont »
    ['12 employees, 3 of them part time', 10.5, true, false],
    ['12 employees, of whom 3 are part time', 10.5, true, false],
    ['12 employees including 3 half time', 10.5, false, false],
    ['trois salariés à temps partiel', 1.5, true, false], // temps partiel: counted as halves, to confirm
    ['pas de salarié à temps plein mais un mi-temps', 0.5, false, false],
    ['3 CDI et 2 CDD', 5, false, false],
    ['12 salariés, soit 9,5 ETP', 9.5, false, false], // a stated ETP wins over a head count
    // QA: a head count then how those people work: counted once, by their working time
    ['3 salariés : 2 à temps plein et 1 à mi-temps', 2.5, false, false],
    ['2 salariés, un temps plein et un mi-temps', 1.5, false, false],
    ['3 salariés (2 temps plein, 1 mi-temps)', 2.5, false, false],
    ['on est 3 salariés 2 a temps plein 1 a mi temps', 2.5, false, false],
    ['on est 3 salariés, 2 en cdi a temps plein et 1 en cdd a mi temps', 2.5, false, false],
    ['5 salariés, 3 en CDI et 2 en CDD', 5, false, false],
    ['2 salariees, une a temps plein et une a mi temps + un contrat aidé a mi temps', 2, false, false],
    ['1 salarié, 1 contrat aidé 20h', 1.57, false, false], // another job, not a detail of the first
    ['2 salariés et 2 contrats aidés', 4, false, false],
    // QA: fewer people detailed than counted — the others work full time, as after « dont »
    ['4 salariés, 2 à mi-temps', 3, false, false],
    ['4 salariés (2 à mi-temps)', 3, false, false],
    ['10 salariés, 2 en CDD', 10, false, false],
    ['4 salariés, 2 à mi-temps, 1 à 20h', 2.57, false, false],
    ['4 salariés + 2 à mi-temps', 5, false, false], // « + »: more people, not a detail
    // QA: weekly hours in parentheses after the jobs count as « à 26h » does (35 h = 1 ETP)
    ['14 salariés en insertion (CDDI 26h) et 3 permanents', 13.4, false, false],
    ['14 salariés (26h/semaine)', 10.4, false, false],
    ['3 salariés à 24h/semaine', 2.06, false, false],
    ['3 salariés (dont 1 à 24h)', 2.69, false, false],
    ['2 salariés (20h par semaine), 1 coordinatrice', 2.14, false, false],
    // Zero
    ['0', 0, false, false],
    ['zéro', 0, false, false],
    ['0 salarié', 0, false, false],
    ['aucun salarié', 0, false, false],
    ['aucun, nous sommes tous bénévoles', 0, false, false],
    ['nous sommes toutes bénévoles', 0, false, false],
    ['pas de salarié', 0, false, false],
    ["pas encore d'employé", 0, false, false],
    ['aucun', 0, false, false],
    ['que des bénévoles', 0, false, false],
    ['uniquement des bénévoles, 30 environ', 0, false, false],
    // Approximate
    ['une dizaine', 10, true, false],
    ['une dizaine de salariés', 10, true, false],
    ['une quinzaine de salariés', 15, true, false],
    ['environ 4 salariés', 4, true, false],
    ['à peu près 6 salariés', 6, true, false],
    ['plus de 50 salariés', 50, true, false],
    ['2 ou 3 salariés', 2.5, true, false],
    ['entre 2 et 3 salariés', 2.5, true, false],
    ['2-3 salariés', 2.5, true, false],
    ['plusieurs salariés', 2, true, false], // at least two
    // Other people are not employees
    ['nous avons 3 salariés et 20 bénévoles', 3, false, false],
    ['on est une association de 30 bénévoles', undefined, false, false],
    ['30 adhérents', undefined, false, false],
    // A number right after « bénévoles » counts volunteers too
    ['que des bénévoles (une vingtaine)', 0, false, false],
    ['que des bénévoles, une vingtaine', 0, false, false],
    ['bénévoles : 20', undefined, false, false],
    ['bénévoles : 20, salariés : 3', 3, false, false],
    ['bénévoles, 2 salariés', 2, false, false],
    ['zéro salarié, on a 20 bénévoles mais aucun salarié', 0, false, false], // no plan said: none kept
    // Numbers that are not a head count: the law, a year, a postal code (re-asked, never « 1 901 ETP »)
    ['on est une asso loi 1901', undefined, false, false],
    ['association loi de 1908', undefined, false, false],
    ['asso loi 1901 avec 3 salariés', 3, false, false],
    ['nous existons depuis 2009', undefined, false, false],
    ['créée en 1998, 4 salariés', 4, false, false],
    ['33000', undefined, false, false],
    // QA: staff named by their jobs count with the employees; volunteers' roles never do
    ['12 salariés en insertion + 3 encadrants', 15, false, false],
    ['une directrice et deux animateurs', 3, false, false],
    ['2 animatrices à mi-temps', 1, false, false],
    ['3 salariés dont 2 animateurs', 3, false, false], // « dont »: part of the 3
    ['20 bénévoles dont 3 animateurs', undefined, false, false],
    ['4 animateurs bénévoles', undefined, false, false],
    ['2 salariés et 5 animateurs bénévoles', 2, false, false],
    ['3 salariés, 10 bénévoles et 2 animateurs', 3, false, false],
    // A time adverb after a lone number: still the answer
    ['2 pour le moment', 2, false, false],
    ['3 actuellement', 3, false, false],
    ['bonjour', undefined, false, false],
    ['', undefined, false, false],
  ])('%j → etp %p, approximate %p, hiring %p', (text, etp, approximate, hiringPlan) => {
    expect(parseEmployees(text)).toEqual({ etp, approximate, hiringPlan });
  });
});

describe('parseEmployees: hiring plan', () => {
  test.each<Row>([
    ['on veut embaucher', undefined, false, true],
    ['on recrute', undefined, false, true],
    ['aucun salarié mais on veut embaucher', 0, false, true],
    ['aucun mais on veut embaucher', 0, false, true], // « aucun » answers the question: a first hire
    ['aucun, mais nous voulons recruter', 0, false, true],
    ['pas encore mais on veut embaucher', 0, false, true],
    // QA: volunteers are never staff; « aucun » with a time adverb still answers
    ["aucun pour le moment, que des benevoles (une vingtaine), mais on veut embaucher un entraineur l'année prochaine si on a les sous", 0, false, true],
    ["pour l'instant aucun, on est 15 benevoles mais on voudrait embaucher un coach en 2026", 0, false, true],
    ['aucun pour le moment, 20 bénévoles', 0, false, false],
    ['actuellement aucun', 0, false, false],
    ['pour le moment aucun salarié mais on veut recruter', 0, false, true],
    ['zéro salarié mais on veut embaucher', 0, false, true],
    ['pas de salarié, on voudrait embaucher notre premier salarié', 0, false, true],
    ['pour le moment', undefined, false, false],
    // QA: « 0 pour l'instant » answers as « aucun » does; the job to hire is no current one
    ["0 pour l'instant mais on veut embaucher 1 animateur en janvier", 0, false, true],
    ['0 pour le moment, on veut recruter', 0, false, true],
    // Said again, impatiently: the number is the answer
    ['4 je l’ai deja dit', 4, false, false],
    ['4, je vous l’ai déjà dit', 4, false, false],
    ['aucun je l’ai déjà dit', 0, false, false],
    ['on veut recruter un coordinateur', undefined, false, true],
    ['personne et on veut recruter', 0, false, true],
    ['pas de salarié, projet de recrutement en 2026', 0, false, true],
    ['pas de salarié et un projet de recrutement', 0, false, true], // the "pas" is about salariés
    ['aucun salarié et une embauche prévue', 0, false, true], // the "aucun" is about salariés
    ['première embauche prévue en septembre', undefined, false, true],
    ['nous préparons notre premier salarié', undefined, false, true],
    ['nous souhaitons créer un emploi', undefined, false, true],
    ['un poste à créer', undefined, false, true],
    // Future jobs are not current jobs
    ['on veut recruter deux salariés', undefined, false, true],
    ['on a 2 salariés et on veut en recruter 2', 2, false, true],
    // Negated or past hiring is no plan
    ["on n'a pas de projet d'embauche", undefined, false, false],
    ['aucun salarié et pas de projet de recrutement', 0, false, false],
    ['on ne compte pas recruter', undefined, false, false],
    ["aucune embauche prévue", undefined, false, false],
    ["on a embauché 2 salariés l'an dernier", 2, false, false],
    ['on a déjà recruté 3 salariés', 3, false, false],
  ])('%j → etp %p, approximate %p, hiring %p', (text, etp, approximate, hiringPlan) => {
    expect(parseEmployees(text)).toEqual({ etp, approximate, hiringPlan });
  });
});
