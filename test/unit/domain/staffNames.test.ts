import { isPlaceholderName } from '../../../src/domain/staffNames';
import { staffName } from '../../../src/privacy/staffRedaction';

describe('a staff name a structure may read', () => {
  it.each(['Administrateur', 'Administrateur·rice', 'administrateur', ' ADMINISTRATOR ', 'Administratrice', 'admin'])('« %s » is a placeholder, never read', (name) => {
    expect(isPlaceholderName(name)).toBe(true);
    expect(staffName(name)).toBeUndefined();
  });

  it.each(['Sophie Martin', 'Alex Admin', 'Administrateur Dupont', 'Léa'])('« %s » is a person’s name', (name) => {
    expect(isPlaceholderName(name)).toBe(false);
    expect(staffName(name)).toBe(name);
  });

  it('an e-mail address or nothing is never read either', () => {
    expect(staffName('sophie@dla33.example')).toBeUndefined();
    expect(staffName('  ')).toBeUndefined();
    expect(staffName(undefined)).toBeUndefined();
  });
});
