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
    ['pause', 'pause'],
    ['Je reviens plus tard', 'pause'],
    ['reprendre', 'resume'],
    ['Parler à un·e chargé·e', 'human'],
    ['un humain', 'human'],
    ['Conseiller', 'human'],
    ['Talk to an advisor', 'human'],
    ['advisor', 'human'],
    ['Où en est ma demande ?', 'status'],
    ['mes données', 'my_data'],
    ['On reprend !', 'resume'],
  ])('"%s" is the %s command', (text, command) => {
    expect(matchGlobalCommand(text)).toBe(command);
  });

  it.each([
    'nous avons besoin d’aide pour recruter',
    'reprendre notre activité après la crise',
    'une pause dans nos projets',
    'on voudrait recommencer notre projet associatif',
    'Association Les Amis du Français',
    '',
    '3',
  ])('"%s" is an answer, not a command', (text) => {
    expect(matchGlobalCommand(text)).toBeUndefined();
  });
});
