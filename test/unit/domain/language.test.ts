import { writesEnglish } from '../../../src/domain/language';

describe('writesEnglish: a message in English to a French conversation', () => {
  it.each([
    ['I’d like to check if we can get support', true],
    ['we are a cooperative SCIC and we need help', true],
    ['How does it work?', true],
    ['what is the DLA about', true],
    ['Les Jardins du Lien', false],
    ['Green Gardens', false],
    ['2.5 employees', false],
    ['on est une SCIC, on a besoin d’aide pour le modèle éco', false],
    ['je ne sais pas', false],
    ['ok', false],
    ['hello', false],
    ['bonjour, we are a SCIC', false],
    // « association » is English too
    ['Hi, we are Green Hands, an association with 3 employees, we need help with our funding', true],
    ['association Les Amis du Vélo, 3 salariés', false],
    ['', false],
  ])('« %s » → %s', (text, english) => {
    expect(writesEnglish(text)).toBe(english);
  });
});
