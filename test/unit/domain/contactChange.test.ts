import { changedContact, contactAlone, readContactChange, withoutContactPoint } from '../../../src/domain/contactChange';
import { matchGlobalCommand } from '../../../src/domain/commands';

describe('readContactChange: a message that corrects or gives new contact details', () => {
  it.each([
    ['oups je me suis trompée de numero c’est 06 11 22 33 55', { phone: '06 11 22 33 55' }],
    ['je me suis trompé de numéro : 0611223355', { phone: '06 11 22 33 55' }],
    ['mon numéro c’est 06 11 22 33 55', { phone: '06 11 22 33 55' }],
    ['le bon numéro est le 06 11 22 33 55', { phone: '06 11 22 33 55' }],
    ['nouvel e-mail : anne@roy.fr', { email: 'anne@roy.fr' }],
    ['my email is anne@roy.fr', { email: 'anne@roy.fr' }],
    ['update my phone number: 06 99 88 77 66', { phone: '06 99 88 77 66' }],
    // The name said with them is the person's; the words of the change are not.
    ['Anne Roy, mon numéro c’est le 06 11 22 33 55', { name: 'Anne Roy', phone: '06 11 22 33 55' }],
    ['nouveau numéro : 06 11 22 33 55, c’est Jean de La Fontaine', { name: 'Jean de La Fontaine', phone: '06 11 22 33 55' }],
    ['Nouvel e-mail : anne@roy.fr', { email: 'anne@roy.fr' }],
    ['Oups, je me suis trompée de numéro : 06 11 22 33 55', { phone: '06 11 22 33 55' }],
    ['Bonjour, mon numéro a changé : 06 11 22 33 55', { phone: '06 11 22 33 55' }],
    ['Nouveau Numéro : 06 11 22 33 55', { phone: '06 11 22 33 55' }],
    // Persona QA 5: another person to call, « maintenant » no part of the name
    ['je voudrais changer de contact, c’est Paul Martin maintenant 06 11 22 33 44', { name: 'Paul Martin', phone: '06 11 22 33 44' }],
    ['notre nouvelle interlocutrice : Marie Roy, marie@roy.fr', { name: 'Marie Roy', email: 'marie@roy.fr' }],
    ['changement de référent, désormais Karim Benali 06 11 22 33 44', { name: 'Karim Benali', phone: '06 11 22 33 44' }],
  ])('« %s » gives the new details', (text, point) => {
    expect(readContactChange(text)).toEqual({ point });
    expect(matchGlobalCommand(text)).toBe('contact');
  });

  it.each(['changer mes coordonnées', 'corriger mon téléphone', 'update my phone number', 'le numéro que je vous ai donné est faux', 'je voudrais modifier mon adresse mail',
    'je vous ai donné le mauvais numéro', 'il y a une erreur dans mon mail', 'I gave you the wrong number', 'je voudrais changer de contact', 'changer d’interlocuteur'])(
    '« %s » asks for them', (text) => {
      expect(readContactChange(text)).toEqual({});
      expect(matchGlobalCommand(text)).toBe('contact');
    },
  );

  it.each(['Anne Roy 06 11 22 33 44', 'je me suis trompée', 'je me suis trompé de numéro SIRET', 'on voudrait changer nos coordonnées bancaires', 'changer de langue',
    'c’est le bon numéro ?', 'nous avons besoin d’aide pour recruter', 'nouvelle adresse : 12 rue des Lilas', 'changer les détails du projet',
    'une mauvaise gestion, un tel déficit nous inquiète', 'un tel projet a changé notre façon de travailler', 'on s’est trompés de stratégie, un tel échec',
    'on a un nouveau contact avec la mairie', 'nouvelle interlocutrice à la CAF, ça avance'])('« %s » is not one', (text) => {
    expect(readContactChange(text)).toBeUndefined();
  });

  it('the e-mail or the phone given replaces the one held, the other and the name are kept; a name given replaces it', () => {
    const held = { name: 'Anne Roy', email: 'anne@roy.fr', phone: '06 11 22 33 44' };
    expect(changedContact(held, { phone: '06 11 22 33 55' })).toEqual({ name: 'Anne Roy', email: 'anne@roy.fr', phone: '06 11 22 33 55' });
    expect(changedContact(held, { name: 'Anne Roy-Martin', email: 'a@b.fr' })).toEqual({ name: 'Anne Roy-Martin', email: 'a@b.fr', phone: '06 11 22 33 44' });
    expect(changedContact(undefined, { email: 'a@b.fr' })).toEqual({ name: '', email: 'a@b.fr' });
  });

  it('two phones held: kept together when only the e-mail changes, both replaced by a phone given', () => {
    const held = { name: 'Anne Roy', phone: '06 11 22 33 44', otherPhone: '05 56 00 00 00' };
    expect(changedContact(held, { email: 'a@b.fr' })).toEqual({ ...held, email: 'a@b.fr' });
    expect(changedContact(held, { phone: '07 11 22 33 55' })).toEqual({ name: 'Anne Roy', phone: '07 11 22 33 55' });
    expect(changedContact(held, { phone: '07 11 22 33 55', otherPhone: '05 56 11 11 11' })).toEqual({ name: 'Anne Roy', phone: '07 11 22 33 55', otherPhone: '05 56 11 11 11' });
  });
});

describe('readContactChange: a way to reach the structure to forget (persona QA 11)', () => {
  it.each([
    ['retirez mon numero de telephone', 'phone'], ['supprimez mon mail', 'email'], ['pouvez vous effacer mon ancien numéro svp', 'phone'],
    ['Bonjour, merci de supprimer mon adresse e-mail', 'email'], ['enlevez mon portable', 'phone'], ['remove my phone number', 'phone'],
    ['please delete my email address', 'email'], ['supprimez mes coordonnées', 'all'], ['remove my contact details', 'all'],
  ])('« %s » asks to remove the %s', (text, remove) => {
    expect(readContactChange(text)).toEqual({ remove });
    expect(matchGlobalCommand(text)).toBe('contact');
  });

  it.each(['supprimez mes données', 'supprimez mon numéro de SIRET', 'on a supprimé un poste', 'on a retiré le projet du site'])('« %s » is no removal', (text) => {
    expect(readContactChange(text)?.remove).toBeUndefined();
  });

  it('the new details said with it replace rather than remove', () => {
    expect(readContactChange('supprimez mon ancien numéro, le nouveau c’est 06 11 22 33 55')).toEqual({ point: { phone: '06 11 22 33 55' } });
  });

  it('the contact without its e-mail, or without both its phones', () => {
    const held = { name: 'Anne Roy', email: 'anne@roy.fr', phone: '06 11 22 33 44', otherPhone: '05 56 00 00 00' };
    expect(withoutContactPoint(held, 'phone')).toEqual({ name: 'Anne Roy', email: 'anne@roy.fr' });
    expect(withoutContactPoint(held, 'email')).toEqual({ name: 'Anne Roy', phone: '06 11 22 33 44', otherPhone: '05 56 00 00 00' });
    expect(withoutContactPoint(held, 'all')).toEqual({ name: 'Anne Roy' });
  });
});

describe('contactAlone: a message that is only contact details, said without what for', () => {
  it.each([
    ['marie@asso.fr', { email: 'marie@asso.fr' }],
    ['06 12 34 56 78', { phone: '06 12 34 56 78' }],
    ['Marie Roy, marie@asso.fr', { email: 'marie@asso.fr', name: 'Marie Roy' }],
    ['marie roy 06.12.34.56.78', { phone: '06 12 34 56 78', name: 'Marie Roy' }],
    ['mon mail : marie@asso.fr', { email: 'marie@asso.fr' }],
    ['Camille Martin\nDirectrice\nLa Recyclerie\n12 rue X 33000 Bordeaux\nTél. 05 56 00 00 00\ncamille@recyclerie.fr', { email: 'camille@recyclerie.fr', phone: '05 56 00 00 00', name: 'Camille Martin' }],
  ])('« %s »', (text, expected) => {
    expect(contactAlone(text)).toEqual(expected);
  });

  it.each(['marie@asso.fr pour le rendez-vous de mardi', 'on a un souci avec notre local, appelez le 06 12 34 56 78 svp', 'notre siret 443 061 841 00047', 'bonjour', '',
    'on déménage\nau 12 rue X 33000 Bordeaux\nmarie@asso.fr'])('not « %s »', (text) => {
    expect(contactAlone(text)).toBeUndefined();
  });
});
