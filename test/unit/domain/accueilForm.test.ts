import { CONTACT_SLOTS, SLOTS } from '../../../src/domain/accueilForm';

describe('the contact slot', () => {
  const contact = CONTACT_SLOTS.find((s) => s.key === 'contact');
  if (!contact) throw new Error('no contact slot');

  it.each([
    ['Marie Dupont marie.dupont@asso.fr', { name: 'Marie Dupont', email: 'marie.dupont@asso.fr' }],
    ['Marie Dupont, 06 12 34 56 78', { name: 'Marie Dupont', phone: '06 12 34 56 78' }],
    ['Marie Dupont +33 (0)6 12 34 56 78', { name: 'Marie Dupont', phone: '06 12 34 56 78' }],
    ['Marie Dupont - 06 12 34 56 78', { name: 'Marie Dupont', phone: '06 12 34 56 78' }],
    ['Marie Dupont, e-mail : marie@asso.fr, téléphone : 06 12 34 56 78', { name: 'Marie Dupont', email: 'marie@asso.fr', phone: '06 12 34 56 78' }],
    ['Marie Dupont 06.12.34.56.78', { name: 'Marie Dupont', phone: '06 12 34 56 78' }],
    ['Jean-Luc Martin, mail : jl@exemple.org et tél 0033 5 56 00 11 22', { name: 'Jean-Luc Martin', email: 'jl@exemple.org', phone: '05 56 00 11 22' }],
  ])('"%s" → %j', (text, expected) => {
    expect(contact.parse(text, 0)).toEqual({ ok: true, value: expected });
  });

  it('fails without an e-mail or a phone', () => {
    expect(contact.parse('Marie Dupont', 0)).toEqual({ ok: false, errorKey: 'accueil.contact.invalid' });
  });
});

describe('an answer that cannot be read', () => {
  const legalForm = SLOTS.find((s) => s.key === 'legalForm');
  if (!legalForm) throw new Error('no legalForm slot');

  it('fails on the first two attempts, then is kept as typed', () => {
    expect(legalForm.parse('un truc bizarre', 0)).toEqual({ ok: false, errorKey: 'accueil.legalForm.unknown' });
    expect(legalForm.parse('un truc bizarre', 1)).toEqual({ ok: false, errorKey: 'accueil.legalForm.unknown' });
    expect(legalForm.parse('un truc bizarre ', 2)).toEqual({ ok: true, value: { text: 'un truc bizarre' } });
  });

  it('is kept at once when the structure does not know', () => {
    expect(legalForm.parse('je ne sais pas', 0)).toEqual({ ok: true, value: { text: 'je ne sais pas' } });
  });
});
