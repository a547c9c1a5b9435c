import { GLOBAL_COMMANDS, isAcknowledgement, isCourtesy, isGoodbye, isGreeting, matchGlobalCommand, readDataRequest } from '../../src/domain/commands';
import { frenchSpacing } from '../../src/domain/text';
import { translator } from '../../src/i18n';

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
    ['stop, ne plus me relancer svp', 'opt_out'],
    ['stop les relances', 'opt_out'],
    ['Stop ! Arrêtez de me relancer', 'opt_out'],
    ['Je reviens plus tard', 'pause'],
    ['je reviens demain', 'pause'],
    ['ok je reviendrai demain merci', 'pause'],
    ['I’ll come back tomorrow', 'pause'],
    ['reprendre', 'resume'],
    ['Parler à un·e chargé·e', 'human'],
    ['un humain', 'human'],
    ['Conseiller', 'human'],
    ['Talk to an advisor', 'human'],
    ['advisor', 'human'],
    ['Où en est ma demande ?', 'status'],
    ['Where is my request?', 'status'],
    ['mes données', 'my_data'],
    ['On reprend !', 'resume'],
    ['Je veux parler à un humain', 'human'],
    ['Bonjour, je voudrais parler à un conseiller s’il vous plaît', 'human'],
    ['Coucou, je voudrais parler à un humain, merci, je dois filer', 'human'],
    ['ok quand même un humain svp', 'human'],
    ['bon ben parler à un conseiller finalement', 'human'],
    ['Salut, je veux savoir où en est ma demande svp merci', 'status'],
    ['Est-ce que je peux parler à quelqu’un ?', 'human'],
    ['I would like to talk to an advisor, please', 'human'],
    ['Je voudrais savoir où en est ma demande', 'status'],
    ['je veux mes données svp', 'my_data'],
    ['Puis-je parler à une conseillère ?', 'human'],
    ['parler à un conseiller', 'human'],
    ['est-ce que je peux avoir un humain au téléphone', 'human'],
    ['j’aimerais être rappelée', 'human'],
    ['en fait je préférerais parler à quelqu’un directement', 'human'],
    ['What’s the status of my request?', 'status'],
    ['Où en est notre dossier ?', 'status'],
    ['je préfère parler à une vraie personne', 'human'],
    // QA: the way people ask for these at the menu
    ['je veux effacer mes donnees', 'my_data'],
    ['effacer mes données', 'my_data'],
    ['supprimer mes donnees svp', 'my_data'],
    ['Delete my data', 'my_data'],
    ['bonjour, je reviens, ou en est ma demande ?', 'status'],
    ['je reviens, ou en est ma demande', 'status'],
    ['pause, je dois y aller', 'pause'],
    ['pause, je dois voir avec la tresoriere', 'pause'],
    ['on fait une pause, j’ai une réunion', 'pause'],
    ['Pause. Il faut que je retrouve nos comptes', 'pause'],
    ['Bonjour, je reviens plus tard', 'pause'],
    ['hello, do you speak english?', 'language_en'],
    ['do you speak English', 'language_en'],
    ['can we speak english', 'language_en'],
    // An English conversation asked for French as the English one is asked for English.
    ['on peut parler français ?', 'language_fr'],
    ['je prefere en francais', 'language_fr'],
    ['vous parlez français ?', 'language_fr'],
    ['can we speak French please', 'language_fr'],
    ['do you speak french?', 'language_fr'],
    ['en français svp', 'language_fr'],
    ['je ne parle pas anglais', 'language_fr'],
    ['Bonjour, aide', 'help'],
    // QA in English: the forms of « parler à un·e chargé·e » and « où en est ma demande »
    ['can I speak to a human?', 'human'],
    ['speak to a human', 'human'],
    ['I want to speak to a person', 'human'],
    ['is it possible to talk to someone', 'human'],
    ['speak to someone from the DLA', 'human'],
    ['Could I talk with an adviser, please?', 'human'],
    ['a human', 'human'],
    ['what’s the status of my application', 'status'],
    ['status of my application', 'status'],
    ['where is my application?', 'status'],
    ['any news on my request?', 'status'],
    ['Hello, any news about our application?', 'status'],
    ['I would like an update on my request', 'status'],
    ['can you tell me the status of my request', 'status'],
    // QA: greetings and politeness as typed, a call back asked for, the status question in other orders
    ['bjr je veux parler a un conseiller svp', 'human'],
    ['slt je voudrais parler a un conseiller', 'human'],
    ['cc, un humain stp', 'human'],
    ['bsr, je souhaiterais parler à quelqu’un merci d’avance', 'human'],
    ['svp je veux parler à un humain', 'human'],
    ['pouvez vous me rappeler', 'human'],
    ['vous pouvez me rappeler ?', 'human'],
    ['Pouvez-vous me rappeler s’il vous plaît ?', 'human'],
    ['j’aimerais qu’on me rappelle', 'human'],
    ['je voudrais être rappelé·e', 'human'],
    ['merci de me rappeler', 'human'],
    ['est-ce que quelqu’un peut me rappeler ?', 'human'],
    ['Rappelez-moi svp', 'human'],
    ['can you call me back please', 'human'],
    ['bjr, ou en est ma demande svp', 'status'],
    ['et ma demande elle en est ou', 'status'],
    ['ma demande, elle en est où ?', 'status'],
    ['elle en est où ma demande ?', 'status'],
    ['où en est-elle, ma demande ?', 'status'],
    ['on en est où de notre dossier ?', 'status'],
    ['qu’en est-il de ma demande ?', 'status'],
    ['slt, mon dossier il en est où', 'status'],
    ['bjr aide', 'help'],
    // QA: English everyday wording (pls/plz/thx, someone/somebody, whats, « where is … at »)
    ['hi can i speak to someone pls', 'human'],
    ['hi i want to talk to an advisor pls', 'human'],
    ['can you call me back pls', 'human'],
    ['can u call me back plz', 'human'],
    ['could you call us back please?', 'human'],
    ['hey can i talk to somebody thx', 'human'],
    ['i want to speak to a person plz', 'human'],
    ['can i speak to someone from the dla please', 'human'],
    ['whats the status of my application', 'status'],
    ['what’s the status of our request?', 'status'],
    ['where is my request at?', 'status'],
    ['where s my application at', 'status'],
    ['any news on my application pls', 'status'],
    ['hi, any news on our file?', 'status'],
    ['whats happening with my request', 'status'],
    ['hey whats the status of my request thx', 'status'],
  ])('"%s" is the %s command', (text, command) => {
    expect(matchGlobalCommand(text)).toBe(command);
  });

  it.each([
    'nous avons besoin d’aide pour recruter',
    'reprendre notre activité après la crise',
    'une pause dans nos projets',
    'pause déjeuner le mardi, sinon disponibles', // availability
    'pause dans nos projets, on doit tout revoir',
    'on voudrait recommencer notre projet associatif',
    'Association Les Amis du Français',
    '',
    '3',
    'une personne', // how many employees? one
    'je voudrais une personne de plus', // a need, not a command
    'j’aimerais reprendre', // may answer « qu’est-ce qui vous amène ? »
    'je veux recommencer notre projet',
    'bonjour',
    'je reviens',
    'bonjour, merci',
    'bonjour, on voudrait reprendre', // a greeting does not make a request verb a command
    'je dois y aller, on a un souci de trésorerie',
    'nous voulons effacer nos dettes',
    'supprimer des postes',
    'on parle anglais avec nos bénévoles',
    'a person', // how many employees? one
    'someone',
    'yes, a person',
    'we want to talk to our members about the project',
    'our application to the region was refused',
    'we need someone to manage the website',
    'I want to speak english with volunteers',
    // Not a call back, nor a status question: names and needs that share the words
    'Rappel Solidaire',
    'on voudrait parler de notre projet à nos adhérents',
    'pouvez-vous me rappeler le nom du dispositif ?',
    'nous devons rappeler nos adhérents',
    'un rappel de cotisation',
    'ma demande de subvention a été refusée',
    'et ma demande de subvention, elle en est où ?',
    'notre demande en est où auprès de la région',
    'pouvez-vous nous aider ?',
    'pouvez-vous recommencer ?',
    'bjr',
    'slt',
    'cc',
    'svp',
    'merci',
    'et',
    'bjr, on voudrait reprendre',
    // English answers that share the words
    'we want to talk to our members about the project pls',
    'hi we need to speak to our funders',
    'where is my request at the region',
    'any news on my application to the region would help',
    'whats the status of my application for the grant',
    'pls',
    'thx',
    'hi',
    'we need somebody to call our members back',
    'stop', // in a check-in, a pause (checkinCommand); elsewhere an answer
    'stop les licenciements',
    'arrêtez le projet',
  ])('"%s" is an answer, not a command', (text) => {
    expect(matchGlobalCommand(text)).toBeUndefined();
  });

  it.each(['fr', 'en'] as const)('« aide » in %s names every command, each as a phrase that works', (lang) => {
    // Quoted phrases of the help text, « … » or “…”, as the user would type them.
    const quoted = [...translator(lang)('help').matchAll(/«\s*([^»]+?)\s*»|“([^”]+)”/g)].map((m) => m[1] ?? m[2]);
    const understood = new Set(quoted.map((q) => matchGlobalCommand(q)));
    const expected = GLOBAL_COMMANDS.filter((c) => c !== 'language_toggle');
    expect(expected.filter((c) => !understood.has(c))).toEqual([]);
    expect(quoted.filter((q) => matchGlobalCommand(q) === undefined)).toEqual([]);
  });
});

describe('readDataRequest: the structure\'s data asked for in words (« mes données » opened on it)', () => {
  it.each([
    ['je veux voir mes donnees', 'export'],
    ['je voudrais savoir ce que vous avez sur moi', 'export'],
    ['quelles données avez-vous sur moi ?', 'export'],
    ['what data do you have on me?', 'export'],
    ['supprimez tout ce que vous avez sur moi', 'erase'],
    ['supprimez mes donnees svp', 'erase'],
    ['je veux que vous effaciez mes données', 'erase'],
    ['effacez tout', 'erase'],
    ['oubliez-moi', 'erase'],
    ['Delete everything you have on me', 'erase'],
    ['je retire mon consentement', 'withdraw_consent'],
    ['I withdraw my consent', 'withdraw_consent'],
  ])('« %s » → %s (and the « mes données » command)', (text, request) => {
    expect(readDataRequest(text)).toBe(request);
    expect(matchGlobalCommand(text)).toBe('my_data');
  });

  it.each([
    'on veut supprimer nos données papier et passer au numérique',
    'supprimer les doublons',
    'voir les infos',
    'effacer tout le reste du texte',
    'je veux voir',
  ])('« %s » is no such request', (text) => {
    expect(readDataRequest(text)).toBeUndefined();
    expect(matchGlobalCommand(text)).toBeUndefined();
  });
});

describe('inertMarkdown (what a structure typed, repeated in a Markdown message)', () => {
  const { inertMarkdown } = jest.requireActual('../../src/domain/text') as typeof import('../../src/domain/text');
  it.each([
    ['**Asso**', /(^|[^\\])\*/],
    ['[clic](http://evil.example)', /(^|[^\\])\]\(/],
    ['c’est _vraiment_ urgent', /(^|\s)_v/],
  ])('%s loses its Markdown syntax', (text, syntax) => {
    expect(inertMarkdown(text)).not.toMatch(syntax);
    expect(inertMarkdown(text).replace(/\\(.)/g, '$1')).toBe(text); // and reads the same once rendered
  });
  it('leaves an e-mail address usable', () => {
    expect(inertMarkdown('camille_martin@asso.fr')).toBe('camille_martin@asso.fr');
  });
});

describe('frenchSpacing (French typography of the locale texts)', () => {
  it.each([
    ['écrivez « aide » ou « English ».', 'écrivez «\u00a0aide\u00a0» ou «\u00a0English\u00a0».'],
    ['Que souhaitez-vous faire ?', 'Que souhaitez-vous faire\u202f?'],
    ['Merci ! Voici : la suite ; enfin', 'Merci\u202f! Voici\u00a0: la suite\u202f; enfin'],
    ['https://www.info-dla.fr et 14:30', 'https://www.info-dla.fr et 14:30'], // no space before: untouched
  ])('« %s »', (text, expected) => {
    expect(frenchSpacing(text)).toBe(expected);
  });
});

describe('thanks and goodbyes', () => {
  it.each(['merci !', 'merci, bonne journée', 'au revoir', 'super, merci', 'c’est tout, merci', 'Merci à vous aussi', 'thanks!', 'bye', '🙏', '👍🏽', '❤️', '😊😊'])('« %s » only thanks or says goodbye', (text) => {
    expect(isCourtesy(text)).toBe(true);
  });
  it.each(['ok', 'salut', 'bonjour', 'merci mais j’ai une question', 'merci de me rappeler', 'super', '🤔', '😡😡', '😢', '❓'])('« %s » says something else', (text) => {
    expect(isCourtesy(text)).toBe(false);
  });
});

describe('greetings', () => {
  it.each(['bonjour', 'Bonjour !', 'salut', 'rebonjour', '👋', '👋🏽', ' 👋 '])('« %s » only greets', (text) => {
    expect(isGreeting(text)).toBe(true);
  });
  it.each(['bonjour, on est une asso', '🙏', '👍', '👋 on a une question', ''])('« %s » is not a greeting alone', (text) => {
    expect(isGreeting(text)).toBe(false);
  });
});

describe('an acknowledgement alone', () => {
  it.each(['ok', 'OK', 'Ok.', 'okay', 'd’accord', 'ok d’accord', 'très bien', 'compris', 'ça marche', 'got it'])('« %s » acknowledges', (text) => {
    expect(isAcknowledgement(text)).toBe(true);
  });
  it.each(['ok merci', 'ok pour moi je veux parler à quelqu’un', 'oui', 'non', 'ok 33000', ''])('« %s » says something else', (text) => {
    expect(isAcknowledgement(text)).toBe(false);
  });
});

describe('isGoodbye: a courtesy that takes leave, not thanks alone', () => {
  it.each([
    ['merci, au revoir', true], ['bonne journée !', true], ['super merci, à bientôt', true], ['ok bye', true],
    ['merci', false], ['merci beaucoup', false], ['au revoir les dettes', false], ['bonjour', false],
  ])('« %s » → %s', (text, expected) => {
    expect(isGoodbye(text)).toBe(expected);
  });
});

describe('round 14: a check-in leader’s ways of pausing, resuming and opting out', () => {
  it.each([
    ['on peut faire une pause ?', 'pause'], ['je dois y aller, on reprend plus tard', 'pause'], ['je dois y aller', 'pause'], ['on reprend plus tard', 'pause'],
    ['reprenons', 'resume'], ['on peut reprendre le questionnaire ?', 'resume'], ['Reprenons !', 'resume'],
    ['merci mais je préférerais que vous ne me relanciez plus s’il vous plaît', 'opt_out'], ['non, merci beaucoup, pourriez-vous ne plus me relancer ?', 'opt_out'],
    ['je ne souhaite plus recevoir ces questionnaires', 'opt_out'], ['Bonjour, nous ne souhaitons plus être sollicités, merci', 'opt_out'],
    ['pouvez-vous arrêter de nous envoyer ces messages', 'opt_out'], ['please don’t contact us again', 'opt_out'],
  ])('« %s »: %s', (text, command) => {
    expect(matchGlobalCommand(text)).toBe(command);
  });

  it.each([
    'je ne veux pas que vous arrêtiez de me relancer',
    'on a eu du mal avec nos financeurs, ils nous ont dit de ne plus les relancer et on cherche maintenant d’autres pistes de financement pour notre projet de tiers-lieu',
    'on a dû arrêter de relancer nos adhérents', 'un CDD transformé en CDI, on reprend nos activités',
  ])('« %s »: no command', (text) => {
    expect(matchGlobalCommand(text)).toBeUndefined();
  });
});
