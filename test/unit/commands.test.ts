import { matchGlobalCommand } from '../../src/domain/commands';

describe('global commands', () => {
  it.each([
    ['aide', 'help'],
    ['Aide !', 'help'],
    ['?', 'help'],
    ['help', 'help'],
    ['Recommencer', 'restart'],
    ['on recommence', 'restart'],
    ['start over', 'restart'],
    ['English', 'language_en'],
    ['en anglais', 'language_en'],
    ['Français', 'language_fr'],
    ['francais', 'language_fr'],
    ['changer de langue', 'language_toggle'],
  ])('"%s" is the %s command', (text, command) => {
    expect(matchGlobalCommand(text)).toBe(command);
  });

  it.each([
    'nous avons besoin d’aide pour recruter',
    'on voudrait recommencer notre projet associatif',
    'Association Les Amis du Français',
    '',
    '3',
  ])('"%s" is an answer, not a command', (text) => {
    expect(matchGlobalCommand(text)).toBeUndefined();
  });
});
