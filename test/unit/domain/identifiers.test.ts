import { formatIdentifier, luhnSum, parseIdentifiers, validateRna, validateSiren, validateSiret } from '../../../src/domain/identifiers';

describe('luhnSum', () => {
  test.each([
    ['0', 0],
    ['17', 9], // 1 doubled = 2, + 7
    ['67', 10], // 6 doubled = 12 → 3, + 7
    ['732829320', 40],
    ['73282932000074', 50],
  ])('luhnSum(%s) = %d', (digits, sum) => {
    expect(luhnSum(digits)).toBe(sum);
  });
});

describe('validateSiren', () => {
  test.each([
    ['732829320', '732829320'],
    ['732 829 320', '732829320'],
    ['732.829.320', '732829320'],
    [' 552\u00a0081\u00a0317 ', '552081317'], // non-breaking spaces, as French software prints them
    ['356000000', '356000000'], // La Poste's SIREN itself follows Luhn
    ['000000083', '000000083'],
  ])('%j is valid → %s', (input, value) => {
    expect(validateSiren(input)).toEqual({ valid: true, kind: 'siren', value });
  });

  test.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['73282932', 'too_short'],
    ['7328293201', 'too_long'],
    ['73282932O', 'not_digits'], // letter O for a zero
    ['732829321', 'checksum'],
    ['123456789', 'checksum'],
  ])('%j is invalid: %s', (input, reason) => {
    expect(validateSiren(input)).toMatchObject({ valid: false, kind: 'siren', reason });
  });
});

describe('validateSiret', () => {
  test.each([
    ['73282932000074', '73282932000074'],
    ['732 829 320 00074', '73282932000074'],
    ['732.829.320.00074', '73282932000074'],
    ['77984790400033', '77984790400033'],
    ['55208131766522', '55208131766522'],
    // La Poste: its siège passes the general rule (digit sum 26, not a multiple of 5)…
    ['35600000000048', '35600000000048'],
    // …its other establishments pass on a digit sum multiple of 5 although their Luhn sum is not.
    ['35600000027250', '35600000027250'],
    ['356 000 000 49837', '35600000049837'],
  ])('%j is valid → %s', (input, value) => {
    expect(validateSiret(input)).toEqual({ valid: true, kind: 'siret', value });
  });

  test.each([
    ['', 'empty'],
    ['7328293200007', 'too_short'],
    ['732829320000744', 'too_long'],
    ['7328293200007A', 'not_digits'],
    ['73282932000075', 'checksum'],
    ['73282932000047', 'checksum'], // last two digits swapped
    ['37282932000074', 'siren_checksum'], // first two digits swapped: the SIREN part fails too
    ['73282932100007', 'siren_checksum'], // own Luhn sum is 0 mod 10, but 732829321 is no SIREN
    ['35600000000049', 'checksum'], // La Poste, neither rule
    ['73282932000077', 'checksum'], // digit sum 50: the multiple-of-5 rule is La Poste's only
  ])('%j is invalid: %s', (input, reason) => {
    expect(validateSiret(input)).toMatchObject({ valid: false, kind: 'siret', reason });
  });

  // Luhn catches every single-digit typo: change each position of a real SIRET in turn.
  const real = '73282932000074';
  test.each([...real].map((d, i) => [i, real.slice(0, i) + ((Number(d) + 1) % 10) + real.slice(i + 1)]))(
    'one digit changed at position %d (%s) is invalid',
    (_i, changed) => {
      expect(validateSiret(changed as string).valid).toBe(false);
    },
  );
});

describe('validateRna', () => {
  test.each([
    ['W751234567', 'W751234567'],
    ['w751234567', 'W751234567'],
    ['W 751 234 567', 'W751234567'],
    ['W9M1000123', 'W9M1000123'], // some prefectures use letters
    ['w2a1002345', 'W2A1002345'],
  ])('%j is valid → %s', (input, value) => {
    expect(validateRna(input)).toEqual({ valid: true, kind: 'rna', value });
  });

  test.each([
    ['', 'empty'],
    ['751234567', 'bad_prefix'],
    ['X751234567', 'bad_prefix'],
    ['W75123456', 'too_short'],
    ['W7512345678', 'too_long'],
    ['W75123456_', 'bad_characters'],
    ['W75123456é', 'bad_characters'],
  ])('%j is invalid: %s', (input, reason) => {
    expect(validateRna(input)).toMatchObject({ valid: false, kind: 'rna', reason });
  });
});

describe('formatIdentifier', () => {
  test.each([
    ['73282932000074', '732 829 320 00074'],
    ['732829320', '732 829 320'],
    ['W751234567', 'W751234567'],
  ])('%s → %s', (value, formatted) => {
    expect(formatIdentifier(value)).toBe(formatted);
  });
});

describe('parseIdentifiers', () => {
  const siret = { valid: true, kind: 'siret', value: '73282932000074' };
  const siren = { valid: true, kind: 'siren', value: '732829320' };
  const rna = { valid: true, kind: 'rna', value: 'W751234567' };

  test.each([
    ["notre siret c'est 732 829 320 00074 et RNA W751234567", { siret, siren, rna, unknown: false, none: false }],
    ['73282932000074', { siret, siren, unknown: false, none: false }],
    ['SIRET : 732.829.320.00074', { siret, siren, unknown: false, none: false }],
    ['siren 732829320', { siren, unknown: false, none: false }],
    ['RNA w751234567', { rna, unknown: false, none: false }],
    ["c'est l'association W751234567, on a 3 salariés", { rna, unknown: false, none: false }],
    // A phone number or a postal code inside a sentence is not an identifier.
    ['appelez-nous au 01 23 45 67 89, siège au 75011', { unknown: false, none: false }],
    ['Washington 12345', { unknown: false, none: false }],
  ])('%j', (text, expected) => {
    expect(parseIdentifiers(text)).toEqual(expected);
  });

  test.each([
    ['siret 7328293200007', 'siret', 'too_short'],
    ['mon siret est 732829320000745', 'siret', 'too_long'],
    ['notre siret : 732 829 320 00075', 'siret', 'checksum'],
    ['7328293200', 'siret', 'too_short'], // a message of digits only answers "votre SIRET ?"
    ['c’est 443 061 841 0004 je crois', 'siret', 'too_short'], // as long as one, in a sentence
    ['siren 73282932', 'siren', 'too_short'],
    ['RNA W75123', 'rna', 'too_short'],
    ['le RNA 751234567', 'rna', 'bad_prefix'],
  ])('%j → %s invalid: %s', (text, kind, reason) => {
    expect(parseIdentifiers(text)[kind as 'siret' | 'siren' | 'rna']).toMatchObject({ valid: false, reason });
  });

  test('a valid RNA and an invalid SIRET are both reported', () => {
    const r = parseIdentifiers('RNA W751234567, SIRET 732 829 320 00075');
    expect(r.rna).toEqual(rna);
    expect(r.siret).toMatchObject({ valid: false, reason: 'checksum' });
    expect(r.siren).toBeUndefined(); // no SIREN is derived from an invalid SIRET
  });

  test.each(['je ne sais pas', 'Aucune idée', 'je sais pas', "J'sais pas", 'je ne le connais pas', "je ne l'ai pas sous la main", "I don't know",
    // Not at hand, someone else has it: the number exists, it is not known now.
    "je l'ai pas", "je l'ai pas la, c'est le comptable qui l'a", "je ne l'ai pas sur moi", "c'est la trésorière qui l'a", "j'ai pas le numéro",
    "we don't have it handy", "I don't have it on me", "our accountant has it"])(
    '%j → unknown',
    (text) => {
      expect(parseIdentifiers(text)).toEqual({ unknown: true, none: false });
    },
  );

  test.each([
    'pas encore de SIRET', "on n'en a pas", 'aucun numéro', 'association en cours de création',
    // What the bot itself suggests, and the short answers people give to « quel est son SIRET ? »
    'pas encore', 'Pas encore.', "on n'en a pas encore", 'on en a pas', 'en cours', "c'est en cours", 'aucun', "aucun pour l'instant",
    'non', 'non, pas encore', 'not yet', 'none',
  ])('%j → none', (text) => {
    expect(parseIdentifiers(text)).toEqual({ unknown: false, none: true });
  });

  test('an identifier found outweighs a "none" phrase about another one', () => {
    expect(parseIdentifiers("pas de SIRET, mais notre RNA c'est W751234567")).toEqual({ rna, unknown: false, none: false });
  });

  test.each(['bonjour', 'oui', 'nous sommes une association', 'nous avons 3 salariés'])('%j → nothing', (text) => {
    expect(parseIdentifiers(text)).toEqual({ unknown: false, none: false });
  });
});
