import { consentQuestions, saysConsent } from '../../../src/domain/consentAnswer';

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
