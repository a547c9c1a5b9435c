import { parseContactPoint } from '../../../src/domain/contact';
import { mentionsCreationStage, mentionsMultiDepartement, needLinkedToJobsOrModel, saysUrgent, speaksForAnotherStructure } from '../../../src/domain/request';

describe('the request in the structure’s own words', () => {
  it.each([
    ['Nous devons consolider nos emplois après la fin d’une subvention', true],
    ['on voudrait revoir notre modèle économique', true],
    ['Recruter un·e coordinateur·rice', true],
    ['We need help with our funding', true],
    ['bonjour', undefined],
    ['organiser une fête de quartier', undefined], // an event is not about jobs or the economic model
    // Words, not substrings: « Rhône » is not « RH », « composteur » is not « poste ».
    ['une fête dans le Rhône', undefined],
    ['acheter un composteur', undefined],
    ['Nous cherchons un appui RH', true],
    ['créer deux postes', true],
    ['nos budgets sont serrés', true],
    ['Nous voulons embaucher une salariée', true],
    ['', undefined],
  ])('"%s" → linked to jobs or the economic model: %s', (text, expected) => {
    expect(needLinkedToJobsOrModel(text)).toBe(expected);
  });

  it.each([
    ['Notre association n’est pas encore créée', true],
    ['nous voulons créer une association de parents', true],
    ['On veut créer notre premier emploi de maraîcher', false], // a first hire, not a structure being created
    ['nous voulons créer un poste de coordinatrice', false],
    ['Nous existons depuis 2009', false],
    ['Nous ne sommes pas encore déclarés', true],
    ['des gens recréent du lien', false],
    ['We would like to set up a charity for young people', true],
    ['our association is not yet registered', true],
    ['we want to create a new job', false],
  ])('"%s" → creation stage: %s', (text, expected) => {
    expect(mentionsCreationStage(text)).toBe(expected);
  });

  it.each([
    ['Nous agissons sur plusieurs départements', true],
    ['à l’échelle régionale', true],
    ['dans notre quartier', false],
    ['au niveau national', true],
    ['une action internationale', false],
    ['nous sommes une association nationale', true],
    ['Nous intervenons partout en France', true],
    ['une structure interdépartementale', true],
    ['Le conseil régional nous finance depuis 2018', false],
    ['adhérente d’une fédération nationale', false],
    ['subvention de l’Agence régionale de santé', false],
    ['a nationwide network of repair cafés', true],
    ['funded by the regional council', false],
  ])('"%s" → several départements: %s', (text, expected) => {
    expect(mentionsMultiDepartement(text)).toBe(expected);
  });
});

describe('contact point', () => {
  it.each([
    ['camille.martin@asso-quartier.fr', { email: 'camille.martin@asso-quartier.fr' }],
    ['Mon mail : Camille@Exemple.org, tel 06 12 34 56 78', { email: 'camille@exemple.org', phone: '06 12 34 56 78' }],
    ['+33 6 12 34 56 78', { phone: '06 12 34 56 78' }],
    ['05.56.00.11.22', { phone: '05 56 00 11 22' }],
    ['0262 12 34 56', { phone: '02 62 12 34 56' }],
  ])('"%s" → %j', (text, expected) => {
    expect(parseContactPoint(text)).toEqual(expected);
  });

  it.each(['je préfère pas', '06 12 34', 'camille@', '12345'])('"%s" is not a contact point', (text) => {
    expect(parseContactPoint(text)).toBeUndefined();
  });
});

describe('saysUrgent: what puts a structure first in the chargé·es’ calls', () => {
  it.each([
    'Nous avons perdu une subvention de la CAF et nous devons revoir notre modèle économique rapidement sinon nous devrons licencier.',
    'c’est urgent, on risque la cessation de paiement',
    'On est en redressement judiciaire depuis mars',
    'Il faudrait nous rappeler au plus vite',
    'on risque de mettre la clé sous la porte',
    'We may have to make layoffs next month',
    'please call us as soon as possible',
  ])('« %s »: urgent', (text) => {
    expect(saysUrgent(text)).toBe(true);
  });
  it.each([
    'Nous gérons un centre d’hébergement d’urgence et voulons structurer notre équipe', // an activity, not a state
    'ce n’est pas urgent, on veut réfléchir à notre projet associatif',
    'rien d’urgent, on voudrait se développer',
    'comment se développer sans licencier personne',
    'not urgent at all, we would like advice on our strategy',
    'on voudrait rapidement structurer notre offre', // soon is not urgent
    undefined,
  ])('« %s »: not urgent', (text) => {
    expect(saysUrgent(text)).toBe(false);
  });
});

describe('speaksForAnotherStructure: a network, or a person, writing for another structure', () => {
  it.each([
    ['Bonjour, je suis chargée de mission à l’URIOPSS, tête de réseau régionale. Une de nos adhérentes, l’association L’Escale (CHRS, 40 salariés, Libourne 33500), traverse une crise de gouvernance. Je fais le lien pour eux.',
      'Une de nos adhérentes, l’association L’Escale (CHRS, 40 salariés, Libourne 33500), traverse une crise de gouvernance. Je fais le lien pour eux.'],
    ['merci. autre chose : un de nos centres sociaux adherents, le centre social du grand parc a bordeaux (asso, 25 salaries) a de gros soucis de tresorerie',
      'un de nos centres sociaux adherents, le centre social du grand parc a bordeaux (asso, 25 salaries) a de gros soucis de tresorerie'],
    ['non c pas ca, c’est pour une autre structure, le centre social du grand parc', 'c’est pour une autre structure, le centre social du grand parc'],
    ['on voudrait faire une demande pour une de nos associations membres', 'on voudrait faire une demande pour une de nos associations membres'],
  ])('« %s » speaks for another, named from « %s »', (text, from) => {
    expect(speaksForAnotherStructure(text)).toEqual({ from });
  });

  it('« je fais la demande pour eux »: for another structure, named elsewhere', () => {
    expect(speaksForAnotherStructure('le centre social du Grand Parc a des soucis de trésorerie, je fais la demande pour eux')).toEqual({});
  });

  it.each([
    'on est une fédération de centres sociaux, 4 salariés, on veut revoir notre modèle économique',
    'nous sommes une association adhérente de l’UNIOPSS, 12 salariés',
    'un de nos adhérents s’est plaint de nos horaires', // a member of the association: a person
    'un de nos membres du CA veut partir',
    'on travaille avec une autre association du quartier',
    'C’est possible de faire un DLA pour nos associations adhérentes ?', // the network's own, collective request
    'nos salariés ont besoin de formation, c’est pour eux que je demande', // its own staff
  ])('« %s » is about the writer’s own structure', (text) => {
    expect(speaksForAnotherStructure(text)).toBeUndefined();
  });
});
