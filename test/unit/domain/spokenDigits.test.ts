import { SPOKEN_PHONE, spokenPostalCode, spokenRuns, withSpokenDigits } from '../../../src/domain/spokenDigits';

describe('spokenRuns: numbers dictated in words, written in figures', () => {
  it.each([
    ['zéro six douze trente-quatre cinquante-six soixante-dix-huit', '0612345678', 6],
    ['zero six douze trente quatre cinquante six soixante dix huit', '0612345678', 6],
    ['zéro cinq cinquante-six quatre-vingt-onze zéro zéro soixante et onze', '0556910071', 7],
    ['trois trois zéro zéro zéro', '33000', 5],
    ['trente trois sept cents', '33700', 2],
    ['trente-trois mille', '33000', 1],
    ['vingt-quatre mille', '24000', 1],
    ['quatre-vingt-dix-neuf', '99', 1],
    ['deux cent douze', '212', 1],
    ['mille deux cents', '1200', 1],
    ['quatre vingts', '80', 1],
  ])('« %s » → %s (%i numbers)', (text, digits, numbers) => {
    expect(spokenRuns(text)).toEqual([expect.objectContaining({ digits, numbers })]);
  });

  it('finds each run among other words, where it is', () => {
    const text = 'on est a bordeaux trois trois zero zero zero et on a quinze salaries';
    expect(spokenRuns(text).map((r) => [r.digits, text.slice(r.start, r.end)])).toEqual([['33000', 'trois trois zero zero zero'], ['15', 'quinze']]);
  });
});

describe('withSpokenDigits: only the runs a reader wants', () => {
  it.each([
    ['julie martin zéro six douze trente-quatre cinquante-six soixante-dix-huit', 'julie martin 0612345678'],
    ['on a quinze salariés et un budget de douze mille euros', 'on a quinze salariés et un budget de douze mille euros'],
  ])('a phone: « %s » → « %s »', (text, expected) => {
    expect(withSpokenDigits(text, SPOKEN_PHONE)).toBe(expected);
  });

  it.each([
    ['on est a bordeaux trois trois zero zero zero', false, 'on est a bordeaux 33000'],
    ['merignac trente trois sept cents', false, 'merignac 33700'],
    // One number of five figures is a postal code only where one is asked: elsewhere an amount
    ['un budget de douze mille euros', false, 'un budget de douze mille euros'],
    ['trente trois mille', true, '33000'],
    ['on a quinze salariés', true, 'on a quinze salariés'],
  ])('a postal code: « %s » (asked: %s) → « %s »', (text, asked, expected) => {
    expect(withSpokenDigits(text, spokenPostalCode(asked))).toBe(expected);
  });
});
