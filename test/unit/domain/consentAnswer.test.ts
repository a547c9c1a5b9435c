import { consentQuestions, saysConsent, withoutConsent } from '../../../src/domain/consentAnswer';

describe('consent given in a person’s own words (after declining)', () => {
  it.each([
    'j’accepte', 'ok j’accepte', 'jaccepte', 'c’est bon j’accepte', 'ok pour la conservation', 'D’accord pour que vous gardiez mes réponses',
    'en fait on a un projet d’embauche … et c’est bon j’accepte que vous gardiez mes infos', 'vous pouvez garder mes données', 'je donne mon accord',
    'I accept', 'I agree', 'ok, I agree to keeping my data', 'ok to keep my data',
  ])('« %s » gives consent', (text) => {
    expect(saysConsent(text)).toBe(true);
  });

  it.each([
    'je n’accepte pas', 'j’accepte pas', 'je refuse', 'ne gardez pas mes infos', 'I don’t agree', 'I do not accept', 'nous acceptons tous les publics',
    'on accepte des bénévoles', 'association', 'ok', 'oui', 'd’accord', '', 'Rappel Solidaire',
  ])('« %s » does not', (text) => {
    expect(saysConsent(text)).toBe(false);
  });
});

describe('a question about the consent notice, asked at the consent question', () => {
  it.each([
    ['combien de temps ?', ['how_long']],
    ['vous gardez ça combien de temps', ['how_long']],
    ['Vous les conservez combien de temps ?', ['how_long']],
    ['c’est gardé jusqu’à quand ?', ['how_long']],
    ['how long do you keep it', ['how_long']],
    ['qui voit mes données ?', ['who']],
    ['oui mais je veux savoir qui voit mes réponses', ['who']],
    ['et qui y a accès ?', ['who']],
    ['who sees my data?', ['who']],
    ['combien de temps et qui voit mes données ?', ['how_long', 'who']],
    ['j’accepte', []],
    ['c’est quoi exactement que vous gardez', []],
    ['Les Jardins du Lien', []],
  ])('« %s » → %j', (text, questions) => {
    expect(consentQuestions(text)).toEqual(questions);
  });
});

describe('consent said with something else: the rest without its words', () => {
  it.each([
    ['j accepte, on est une asso de 4 salariés', 'on est une asso de 4 salariés'],
    ['J’accepte. On est une SCIC', 'On est une SCIC'],
    ['on est une asso de 4 salariés, j’accepte', 'on est une asso de 4 salariés'],
    ['ok j’accepte les conditions, on a besoin d’aide', 'on a besoin d’aide'],
    ['I agree - we are a SCIC with 5 staff', 'we are a SCIC with 5 staff'],
    // No consent: as typed.
    ['j’accepte pas, on est une asso', 'j’accepte pas, on est une asso'],
    ['on accepte tout le monde dans notre asso', 'on accepte tout le monde dans notre asso'],
  ])('« %s » → « %s »', (text, rest) => {
    expect(withoutConsent(text)).toBe(rest);
  });
});
