import { mongo } from 'mongoose';
import { BOOTSTRAP_ADMIN, createUserToken, ensureAdmin } from '../../src/admin/auth';
import { DossierRepository } from '../../src/store/dossiers';
import { checkinAnswerText } from '../../src/domain/checkinAnswers';
import { translator } from '../../src/i18n';
import { addToList, DOSSIER_CHECKINS } from '../../src/store/lookups';
import { useAssistant } from '../helpers/app';
import { asRead } from '../helpers/asRead';
import { checkinOpened, OpenCheckin } from '../helpers/checkin';
import { Persona } from '../helpers/conversation';

describe('follow-up check-in conversation (sent proactively)', () => {
  const fx = useAssistant('checkin', { OPERATOR_NAME: 'DLA de la Gironde' });
  const persona = (userId: string) => new Persona(() => fx.app, fx.connector, 'fr-FR', userId);
  const checkins = () => fx.db.connection.db!.collection<{ _id: string; dossierId: string; status: string; answers?: Record<string, unknown> }>('checkins');

  const lastTexts = (p: Persona, n: number) => p.last(n).map((a) => a.text ?? '').join('\n');

  /** A structure without an e-mail nor a phone that answered every question with a new need: its contact is asked. */
  async function atNeedsContact(): Promise<OpenCheckin> {
    const opened = await checkinOpened(fx, { reachable: false });
    for (const text of ['1', 'stable', 'oui', 'non', 'oui', '4']) await opened.p.say(text);
    expect(await opened.p.say('un appui sur la communication')).toContain('il me faut un moyen de vous recontacter');
    return opened;
  }

  it('reaches the structure in its conversation and asks the four effects, recommendations, satisfaction and new needs', async () => {
    const { p, dossierId, checkinId } = await checkinOpened(fx);
    const opening = lastTexts(p, 2);
    expect(opening).toContain('Cela fait quelque temps que votre structure a été accompagnée');
    expect(opening).toContain('des emplois ont-ils été créés, maintenus ou améliorés');
    expect(await p.say('2 créés, 4 maintenus')).toContain('santé économique');
    expect(await p.say('zzz')).toContain('« meilleure », « stable » ou « moins bonne »');
    // Asked again with its quick replies (a phone user taps rather than types).
    expect(p.last(1)[0].suggestedActions?.actions.map((a) => a.title)).toEqual(['Meilleure', 'Stable', 'Moins bonne']);
    // « pas mieux » is not « mieux »: the same, with the structure's words kept.
    expect(await p.say('pas mieux qu’avant, honnêtement')).toContain('vision stratégique');
    expect(await p.say('plutôt oui')).toContain('partenariats');
    expect(await p.say('Avec la mairie et une épicerie voisine')).toContain('préconisations');
    expect(await p.say('on a fait la fiche de poste mais pas encore le plan de financement')).toContain('de 1 (pas satisfait·e) à 5');
    expect(await p.say('quatre')).toContain('nouveaux besoins');
    expect(await p.say('oui')).toContain('Lesquels ?'); // « oui » says there are some, not which
    const end = await p.say('Non merci, mais on aimerait un appui sur le numérique');
    expect(end).toContain('Merci pour ces réponses');
    expect(end).toContain('J’ai transmis vos nouveaux besoins');

    const checkin = await checkins().findOne({ _id: checkinId });
    expect(checkin).toMatchObject({ status: 'answered', answers: {
      economics: { value: 'same', text: 'pas mieux qu’avant, honnêtement' }, strategy: { value: 'yes' }, recommendations: { value: 'partly' },
      satisfaction: 4, newNeeds: { any: true, text: 'Non merci, mais on aimerait un appui sur le numérique' },
    } });
    const handoffs = await fx.db.connection.db!.collection('handoffs').find({ dossierId }).toArray();
    expect(handoffs.map((h) => h.reason)).toEqual(['followup_new_needs']);
    expect((await new DossierRepository(fx.db.connection).get(dossierId))?.followup?.answeredAt).toBeInstanceOf(Date);
  });

  it('a structure that does not know some answers, mashes the keyboard once and gives its mark with the scale: each answer read as meant', async () => {
    const { p, dossierId, checkinId } = await checkinOpened(fx);
    expect(await p.say('je sais pas')).toContain('santé économique');
    expect(await p.say('c’est le trésorier qui suit ça, je sais pas')).toContain('vision stratégique');
    expect(await p.say('aucune idée')).toContain('partenariats');
    expect(await p.say('asdfgh')).toContain('Je n’ai pas compris votre réponse');
    expect(await p.say('avec le CCAS')).toContain('préconisations');
    expect(await p.say('je ne sais pas')).toContain('de 1 (pas satisfait·e) à 5');
    expect(await p.say('sur 5 je mettrais 4')).toContain('nouveaux besoins');
    const end = await p.say('je ne sais pas');
    expect(end).toContain('Merci pour ces réponses');
    expect(end).not.toContain('J’ai transmis vos nouveaux besoins'); // « je ne sais pas » is no need to hand off

    expect((await checkins().findOne({ _id: checkinId }))?.answers).toEqual({
      jobs: 'je sais pas',
      economics: { unknown: true, text: 'c’est le trésorier qui suit ça, je sais pas' },
      strategy: { unknown: true, text: 'aucune idée' },
      partnerships: 'avec le CCAS',
      recommendations: { unknown: true, text: 'je ne sais pas' },
      satisfaction: 4,
      newNeeds: { any: false, unknown: true, text: 'je ne sais pas' },
    });
    expect(await fx.db.connection.db!.collection('handoffs').countDocuments({ dossierId })).toBe(0);
  });

  it('satisfaction in words: « plutôt satisfait » is 4, not a request for a number', async () => {
    const { p, checkinId } = await checkinOpened(fx);
    for (const answer of ['1 emploi maintenu', 'stable', 'oui', 'non', 'en partie']) await p.say(answer);
    const next = await p.say('plutôt satisfait');
    expect(next).not.toContain('Répondez par un chiffre');
    expect(next).toContain('nouveaux besoins');
    expect((await checkins().findOne({ _id: checkinId }))?.answers?.satisfaction).toBe(4);
  });

  it('satisfaction said with a comment (« moyennement, c’était un peu court »): the back-office shows the mark with the words, the CSV the mark alone', async () => {
    // The check-ins as the scheduler holds them (checkinOpened inserts only what sending one reads).
    const scheduled = () => checkins().updateMany({ milestone: { $exists: false } }, { $set: { milestone: 'after_mise_en_oeuvre_6m', dueAt: new Date() } });
    const { p, dossierId } = await checkinOpened(fx);
    for (const answer of ['1 emploi maintenu', 'stable', 'oui', 'non', 'en partie']) await p.say(answer);
    expect(await p.say('moyennement, c’était un peu court')).toContain('nouveaux besoins');
    await p.say('non');
    await scheduled();
    await ensureAdmin(fx.db.connection, { info: () => undefined, warn: () => undefined });
    const token = await createUserToken(fx.db.connection, BOOTSTRAP_ADMIN);
    const api = async (path: string) => fetch(`${fx.app.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const view = await (await api(`/admin/api/dossiers/${encodeURIComponent(dossierId)}`)).json() as { followup: { checkins: { answers: { key: string; value: string }[] }[] } };
    const shown = view.followup.checkins.flatMap((c) => c.answers).find((a) => a.key === 'satisfaction' && a.value !== 'pas de réponse');
    expect(asRead(shown?.value ?? '')).toBe('3 / 5 (« moyennement, c’était un peu court »)');
    const lines = (await (await api('/admin/api/export.csv')).text()).slice(1).split('\r\n');
    const column = lines[0].split(';').map(asRead).indexOf('"Suivi : Satisfaction"');
    expect(column).toBeGreaterThan(0);
    expect(lines.find((l) => l.startsWith(`"${dossierId}"`))!.split(';')[column]).toBe('"3"');
    // A bare mark is shown as the mark alone.
    const other = await checkinOpened(fx);
    for (const answer of ['1 emploi maintenu', 'stable', 'oui', 'non', 'en partie', '4', 'non']) await other.p.say(answer);
    await scheduled();
    const otherView = await (await api(`/admin/api/dossiers/${encodeURIComponent(other.dossierId)}`)).json() as typeof view;
    expect(otherView.followup.checkins.flatMap((c) => c.answers).find((a) => a.key === 'satisfaction' && a.value !== 'pas de réponse')?.value).toBe('4 / 5');
  });

  it('an answer no reading places is asked again twice, then kept as typed: the next answers do not land on the same question', async () => {
    const { p, checkinId } = await checkinOpened(fx);
    await p.say('1 emploi maintenu');
    expect(await p.say('ça dépend des mois')).toContain('« meilleure », « stable » ou « moins bonne »');
    expect(await p.say('voir avec la trésorière')).toContain('« meilleure », « stable » ou « moins bonne »');
    // The third answer is kept (the structure cannot say it differently): the check-in goes on.
    expect(await p.say('demandez à la trésorière')).toContain('vision stratégique');
    await p.say('oui');
    await p.say('avec le centre social');
    await p.say('oui');
    expect(await p.say('euh')).toContain('Répondez par un chiffre de 1 à 5');
    expect(await p.say('hmm')).toContain('Répondez par un chiffre de 1 à 5');
    expect(await p.say('ça dépend des jours')).toContain('nouveaux besoins');
    expect((await p.say('non'))).toContain('Merci pour ces réponses');
    expect((await checkins().findOne({ _id: checkinId }))?.answers).toMatchObject({
      economics: { text: 'demandez à la trésorière', unread: true },
      strategy: { value: 'yes' },
      satisfaction: { text: 'ça dépend des jours', unread: true },
      newNeeds: { any: false },
    });
  });

  it.each([
    ['fr-FR', 'pas de nouveaux besoins pour l’instant'], ['fr-FR', 'pas pour le moment'], ['fr-FR', 'tout va bien merci'], ['fr-FR', 'RAS'],
    ['fr-FR', 'pas spécialement'], ['fr-FR', 'nan'], ['fr-FR', 'on verra'], ['en-US', 'nope'], ['en-US', 'not right now'], ['en-US', 'all good thanks'],
  ])('(%s) « %s » at the new-needs question is no need: nothing is handed off to a chargé·e', async (locale, answer) => {
    const { p, dossierId, checkinId } = await checkinOpened(fx, { locale });
    for (const text of ['1', 'stable', 'oui', 'non', 'oui', '4']) await p.say(text);
    const end = await p.say(answer);
    expect(end).not.toMatch(/transmis vos nouveaux besoins|passed your new needs on/);
    expect((await checkins().findOne({ _id: checkinId }))?.answers?.newNeeds).toEqual({ any: false, text: answer });
    expect(await fx.db.connection.db!.collection('handoffs').countDocuments({ dossierId })).toBe(0);
  });

  it.each([
    ['fr-FR', ['1 cdi', 'ça va mieux niveau tréso', 'ouais', 'nan', 'ouais globalement', 'top', 'non merci'],
      { economics: { value: 'better' }, strategy: { value: 'yes' }, partnerships: 'nan', recommendations: { value: 'yes' }, satisfaction: 5, newNeeds: { any: false } }],
    ['fr-FR', ['👍 2 postes', 'la tréso reste tendue', '👍', 'non', 'en cours', '⭐⭐⭐⭐', '🙏 non'],
      { economics: { value: 'same' }, strategy: { value: 'yes' }, recommendations: { value: 'partly' }, satisfaction: 4, newNeeds: { any: false } }],
    ['fr-FR', ['on a créé 1 emploi', 'tres bien', 'beaucoup plus claire', 'non', 'presque toutes', 'super', 'non'],
      { economics: { value: 'better' }, strategy: { value: 'yes' }, recommendations: { value: 'partly' }, satisfaction: 5 }],
    ['fr-FR', ['aucun', 'meileure', 'mouais', 'pas encore', 'pas eu le temps', 'pas terrible', 'RAS'],
      { economics: { value: 'better' }, strategy: { value: 'partly' }, recommendations: { value: 'no' }, satisfaction: 2, newNeeds: { any: false } }],
    ['en-US', ['yeah we kept everyone', 'improving', 'yeah', 'nah', 'in progress', 'great', 'not right now'],
      { economics: { value: 'better' }, strategy: { value: 'yes' }, recommendations: { value: 'partly' }, satisfaction: 5, newNeeds: { any: false } }],
    ['en-US', ['none', 'not great', 'nope', 'no', 'none of them', 'not good', 'nope'],
      { economics: { value: 'worse' }, strategy: { value: 'no' }, recommendations: { value: 'no' }, satisfaction: 2, newNeeds: { any: false } }],
  ] as [string, string[], Record<string, unknown>][])('(%s) everyday answers %j are each read at once: no question asked twice', async (locale, answers, expected) => {
    const { p, checkinId } = await checkinOpened(fx, { locale });
    const said: string[] = [];
    for (const answer of answers) said.push(await p.say(answer));
    expect(said.slice(0, -1).join('\n')).not.toMatch(/Répondez|Reply|Je n’ai pas compris|I did not understand/);
    expect(said[said.length - 1]).toMatch(/Merci pour ces réponses|Thank you for these answers/);
    expect(await checkins().findOne({ _id: checkinId })).toMatchObject({ status: 'answered', answers: expected });
  });

  it('« bonjour » or « oui, allez-y » after the opening is no answer on jobs: the question is said again, with how to answer', async () => {
    const { p, checkinId } = await checkinOpened(fx);
    const hello = asRead(await p.say('Bonjour !'));
    expect(hello).toContain('Bonjour ! Première question');
    expect(hello).toContain('« aucun »');
    expect(asRead(await p.say('oui allez-y'))).toContain('Combien d’emplois ont été créés, maintenus ou améliorés');
    expect(await p.say('on a embauché 2 personnes et on a gardé les 3 autres')).toContain('santé économique');
    for (const text of ['stable', 'oui']) await p.say(text);
    // « oui » at the partnerships question: with whom?
    expect(asRead(await p.say('oui'))).toContain('Avec qui ?');
    expect(await p.say('avec la mairie et le centre social')).toContain('préconisations');
    expect((await checkins().findOne({ _id: checkinId }))?.answers).toMatchObject({
      jobs: 'on a embauché 2 personnes et on a gardé les 3 autres', partnerships: 'avec la mairie et le centre social',
    });
  });

  it.each(['non', 'personne', 'aucun', 'je sais pas'])('« oui », then « %s » at « Avec qui ? »: partnerships born, nobody named — never a partner called so', async (said) => {
    const { p, checkinId } = await checkinOpened(fx);
    for (const text of ['2 embauches', 'stable', 'oui']) await p.say(text);
    expect(asRead(await p.say('oui'))).toContain('Avec qui ?');
    expect(await p.say(said)).toContain('préconisations');
    const answers = (await checkins().findOne({ _id: checkinId }))!.answers!;
    expect(answers.partnerships).not.toBe(said);
    // What the chargé·e reads on the dossier (and the structure in « mes données »).
    expect(asRead(checkinAnswerText(translator('fr'), 'partnerships', answers))).toBe(`oui, sans nommer de partenaire (« ${said} »)`);
  });

  it('(en-US) "hi" after the opening is no answer on jobs', async () => {
    const { p } = await checkinOpened(fx, { locale: 'en-US' });
    expect(await p.say('hi')).toContain('Hello! First question');
    expect(await p.say('2 created')).toContain('economic and financial health');
  });

  it('« non en fait 3 embauches » at the next question corrects the answer before, says so, and asks the question again', async () => {
    const { p, checkinId } = await checkinOpened(fx);
    await p.say('2 embauches');
    const fixed = asRead(await p.say('non en fait 3 embauches'));
    expect(fixed).toContain('C’est corrigé pour les emplois : « 3 embauches ».');
    expect(fixed).toContain('santé économique'); // asked again, not answered by the correction
    expect(fixed).not.toContain('Répondez');
    await p.say('mieux');
    // At the strategy question, a correction of the economic health.
    expect(asRead(await p.say('pardon, plutôt stable niveau tréso'))).toContain('C’est corrigé pour la santé économique et financière');
    // « finalement oui » answers the question asked.
    expect(await p.say('finalement oui')).toContain('partenariats');
    await p.say('avec la CAF');
    // At the recommendations question, « non en fait… » without a partnership is its own answer.
    expect(await p.say('non en fait pas eu le temps')).toContain('satisfaction');
    await p.say('4');
    expect(asRead(await p.say('en fait je mettrais 3/5'))).toContain('C’est corrigé pour la satisfaction : « je mettrais 3/5 ».');
    await p.say('non');
    expect((await checkins().findOne({ _id: checkinId }))).toMatchObject({ status: 'answered', answers: {
      jobs: '3 embauches', economics: { value: 'same', text: 'plutôt stable niveau tréso' }, strategy: { value: 'yes' }, partnerships: 'avec la CAF',
      recommendations: { value: 'no' }, satisfaction: 3, newNeeds: { any: false },
    } });
  });

  it.each([['fr-FR', 'C’est corrigé pour'], ['en-US', 'Corrected for']])('(%s) the correction examples the check-in gives (« Pour le corriger, écrivez par exemple … ») each correct their own topic at the next question', async (locale, corrected) => {
    const { p } = await checkinOpened(fx, { locale });
    const t = translator(locale === 'fr-FR' ? 'fr' : 'en');
    const answers = locale === 'fr-FR'
      ? { jobs: '2 emplois maintenus', economics: 'mieux', strategy: 'oui', partnerships: 'non', recommendations: 'oui', satisfaction: '5' }
      : { jobs: '2 jobs kept', economics: 'better', strategy: 'yes', partnerships: 'no', recommendations: 'yes', satisfaction: '5' };
    for (const [topic, answer] of Object.entries(answers)) {
      await p.say(answer);
      const reply = asRead(await p.say(t(`checkin.correctionExample.${topic}`)));
      expect([topic, reply]).toEqual([topic, expect.stringContaining(`${corrected} ${t(`checkin.topics.${topic}`)}`)]);
    }
  });

  it('(en-US) "actually 3 hires" corrects the jobs answer', async () => {
    const { p, checkinId } = await checkinOpened(fx, { locale: 'en-US' });
    await p.say('2 hires');
    expect(await p.say('actually 3 hires')).toContain('Corrected for jobs: “3 hires”.');
    expect((await checkins().findOne({ _id: checkinId }))?.answers).toEqual({ jobs: '3 hires' });
  });

  it('a need said at another question is noted (the question asked again when the message answers nothing else), asked about at the end, and handed off', async () => {
    const { p, dossierId, checkinId } = await checkinOpened(fx);
    await p.say('non');
    // Only a need: noted, and the economic health asked again (the need is no answer to it).
    const noted = asRead(await p.say('on aurait besoin d’aide sur la com maintenant'));
    expect(noted).toContain('C’est noté : je transmettrai ce besoin à un·e chargé·e');
    expect(noted).toContain('santé économique');
    expect(noted).not.toContain('Répondez');
    // A need with the answer: both kept, the next question follows.
    expect(await p.say('stable, mais on a besoin d’un appui pour recruter')).toContain('vision stratégique');
    for (const text of ['oui', 'non', 'oui', '4']) await p.say(text);
    const last = p.last(1)[0].text ?? '';
    expect(asRead(last)).toContain('Vous m’avez parlé de : « on aurait besoin d’aide sur la com maintenant » et « stable, mais on a besoin d’un appui pour recruter ».');
    expect(asRead(last)).toContain('d’autres nouveaux besoins');
    const end = await p.say('non');
    expect(end).toContain('J’ai transmis vos nouveaux besoins');
    expect((await checkins().findOne({ _id: checkinId }))?.answers).toMatchObject({
      economics: { value: 'same' }, newNeeds: { any: false },
      needsSaid: ['on aurait besoin d’aide sur la com maintenant', 'stable, mais on a besoin d’un appui pour recruter'],
    });
    const handoffs = await fx.db.connection.db!.collection('handoffs').find({ dossierId }).toArray();
    expect(handoffs.map((h) => [h.reason, h.message])).toEqual([['followup_new_needs', 'on aurait besoin d’aide sur la com maintenant\nstable, mais on a besoin d’un appui pour recruter']]);
  });

  it('(en-US) the needs said along the way are read back as an English list, and « my data » joins a check-in’s answers the English way', async () => {
    const { p } = await checkinOpened(fx, { locale: 'en-US' });
    await p.say('no');
    await p.say('we would need help with our communication now');
    await p.say('the same, but we need support to recruit');
    for (const text of ['yes', 'no', 'yes', '4']) await p.say(text);
    const asked = asRead(p.last(1)[0].text ?? '');
    expect(asked).toContain('You told me about: “we would need help with our communication now” and “the same, but we need support to recruit”. I will pass this on to an advisor.');
    await p.say('no');
    await p.say('my data');
    await p.say('Get my data');
    const file = p.last(4).flatMap((a) => a.attachments ?? []).find((x) => x.name?.endsWith('.json'));
    const readable = (JSON.parse(Buffer.from(String(file?.contentUrl).split(',')[1], 'base64').toString('utf8')) as { readable: string[] }).readable.map(asRead).join('\n');
    expect(readable).toContain('“we would need help with our communication now” (said during the check-in); “the same, but we need support to recruit” (said during the check-in)');
    expect(readable).not.toContain(' ; ');
  });

  it('« pas besoin d’aide » is no need said along the way', async () => {
    const { p, dossierId, checkinId } = await checkinOpened(fx);
    await p.say('1 poste maintenu');
    expect(await p.say('stable, pas besoin d’aide de ce côté')).toContain('vision stratégique');
    const stored = await checkins().findOne({ _id: checkinId });
    expect(stored?.answers?.needsSaid).toBeUndefined();
    expect(stored?.answers?.economics).toMatchObject({ value: 'same' });
    expect(await fx.db.connection.db!.collection('handoffs').countDocuments({ dossierId })).toBe(0);
  });

  it('« aide » in a check-in says how to answer it and how to stop, then asks the question again', async () => {
    const { p, checkinId } = await checkinOpened(fx);
    await p.say('1 poste');
    const help = asRead(await p.say('aide'));
    expect(help).toContain('sept questions courtes sur ce que l’accompagnement du DLA a changé');
    expect(help).toContain('« je ne sais pas » est aussi une réponse');
    expect(help).toContain('« ne plus me relancer »');
    expect(help).not.toContain('Je peux vous présenter le DLA'); // the menu's help
    expect(help).toContain('santé économique'); // the question again
    expect((await checkins().findOne({ _id: checkinId }))?.answers).toEqual({ jobs: '1 poste' });
  });

  it('« merci », « bonne journée », « au revoir » after the check-in are answered politely: no « je n’ai pas compris », no handoff', async () => {
    const { p, dossierId } = await checkinOpened(fx);
    for (const text of ['2 créés', 'mieux', 'oui', 'non', 'oui', '4']) await p.say(text);
    expect(await p.say('non')).toContain('Que souhaitez-vous faire ?');
    for (const text of ['merci !', 'merci, bonne journée', 'au revoir', '🙏']) {
      const said = asRead(await p.say(text));
      expect(said).toContain('Merci à vous, et à bientôt');
      expect(said).not.toContain('Je n’ai pas compris');
    }
    expect(await fx.db.connection.db!.collection('handoffs').countDocuments({ dossierId })).toBe(0);
    // The menu still answers.
    expect(await p.say('Découvrir le DLA')).toContain('cinq étapes');
  });

  it('an answer that gives several facts at once answers their questions too: they are not asked again, and the bot says what it noted', async () => {
    const { p, checkinId } = await checkinOpened(fx);
    const next = asRead(await p.say('on a créé 1 poste, la tréso va mieux et on a un partenariat avec la mairie'));
    expect(next).toContain('C’est noté aussi :\n- pour la santé économique et financière : « la tréso va mieux »\n- pour les partenariats : « on a un partenariat avec la mairie »');
    expect(next).toContain('vision stratégique'); // the next question not answered yet
    expect(await p.say('oui')).toContain('préconisations'); // partnerships: not asked
    for (const text of ['oui', '4']) await p.say(text);
    expect(await p.say('non')).toContain('Merci pour ces réponses');
    expect((await checkins().findOne({ _id: checkinId }))?.answers).toMatchObject({
      jobs: 'on a créé 1 poste, la tréso va mieux et on a un partenariat avec la mairie',
      economics: { value: 'better', text: 'la tréso va mieux' }, partnerships: 'on a un partenariat avec la mairie',
    });
  });

  it('a leader who answers every question in one long message, typed without accents: each answer taken, only the jobs read said back, then thanks', async () => {
    const { p, checkinId } = await checkinOpened(fx);
    const said = 'alors on a embauche 2 personnes en cdi et garde les 5 autres, la treso reste tendue mais ca va mieux, on y voit plus clair sur le projet, '
      + 'on a un nouveau partenariat avec la mairie de merignac, on a applique la plupart des preconisations, je mettrais 4/5 et pour l\'instant pas d\'autres besoins 👍';
    const next = asRead(await p.say(said));
    for (const line of ['- pour la santé économique et financière : « la treso reste tendue mais ca va mieux »', '- pour la vision stratégique : « on y voit plus clair sur le projet »',
      '- pour les préconisations : « on a applique la plupart des preconisations »', '- pour la satisfaction : « je mettrais 4/5 »',
      '- pour les nouveaux besoins : « pour l\'instant pas d\'autres besoins 👍 »', 'J’ai noté : 2 emplois créés, 5 maintenus. C’est bien ça ?']) expect(next).toContain(line);
    const end = await p.say('oui');
    expect(end).toContain('Merci pour ces réponses');
    expect(end).not.toContain('vision stratégique');
    expect((await checkins().findOne({ _id: checkinId }))).toMatchObject({ status: 'answered', answers: {
      economics: { value: 'better' }, strategy: { value: 'yes' }, recommendations: { value: 'partly' }, satisfaction: 4, newNeeds: { any: false },
    } });
    expect(await fx.db.connection.db!.collection('handoffs').countDocuments({ reason: 'followup_new_needs', dossierId: (await checkins().findOne({ _id: checkinId }))!.dossierId })).toBe(0);
  });

  it('(en-US) "we hired 2 people and our finances are much better" answers the economic health too', async () => {
    const { p } = await checkinOpened(fx, { locale: 'en-US' });
    const next = await p.say('we hired 2 people and our finances are much better');
    expect(next).toContain('Also noted for economic and financial health: “our finances are much better”.');
    expect(next).toContain('strategic vision');
  });

  it('new needs of a structure left without an e-mail or a phone: its name and e-mail or phone are asked first, as for any request for a chargé·e, then the needs passed on with the call back promised', async () => {
    const { p, dossierId, checkinId } = await checkinOpened(fx, { reachable: false });
    for (const text of ['1', 'stable', 'oui', 'non', 'oui', '4']) await p.say(text);
    const asked = asRead(await p.say('un appui sur la communication'));
    expect(asked).toContain('Merci pour ces réponses');
    expect(asked).toContain('Pour transmettre vos nouveaux besoins à un·e chargé·e d’accompagnement, il me faut un moyen de vous recontacter');
    const handoffs = () => fx.db.connection.db!.collection('handoffs').find({ dossierId }).toArray();
    expect(await handoffs()).toHaveLength(0); // not before the contact
    // The answers are kept meanwhile, the check-in still open.
    expect(await checkins().findOne({ _id: checkinId })).toMatchObject({ status: 'sent', answers: { satisfaction: 4, newNeeds: { any: true, text: 'un appui sur la communication' } } });
    const end = asRead(await p.say('Camille Martin, 06 12 34 56 78'));
    expect(end).toContain('J’ai transmis vos nouveaux besoins');
    expect(end).toContain('vous recontacte sous');
    expect(end).not.toContain('sans e-mail ni téléphone');
    expect((await handoffs()).map((h) => [h.reason, h.message])).toEqual([['followup_new_needs', 'un appui sur la communication']]);
    expect((await new DossierRepository(fx.db.connection).get(dossierId))?.answers?.contact).toMatchObject({ phone: expect.any(String) });
    expect((await checkins().findOne({ _id: checkinId }))?.status).toBe('answered');
  });

  it('at the contact asked for new needs: « annuler » passes nothing on; « pause » keeps the check-in open and « reprendre » asks the contact again; no e-mail nor phone after the retries passes the needs on without a call back promised', async () => {
    const handoffs = (dossierId: string) => fx.db.connection.db!.collection('handoffs').countDocuments({ dossierId, reason: 'followup_new_needs' });
    const cancelled = await atNeedsContact();
    expect(await cancelled.p.say('annuler')).toContain('je ne transmets rien pour l’instant');
    expect(await handoffs(cancelled.dossierId)).toBe(0);
    expect((await checkins().findOne({ _id: cancelled.checkinId }))?.status).toBe('answered');

    const paused = await atNeedsContact();
    expect(await paused.p.say('pause')).toContain('écrivez « reprendre »');
    expect((await checkins().findOne({ _id: paused.checkinId }))?.status).toBe('sent');
    expect(await paused.p.say('reprendre')).toContain('il me faut un moyen de vous recontacter');
    expect(asRead(await paused.p.say('camille@example.org'))).toContain('J’ai transmis vos nouveaux besoins');
    expect(await handoffs(paused.dossierId)).toBe(1);

    const unreachable = await atNeedsContact();
    for (const text of ['appelez le standard', 'le standard de la mairie']) expect(await unreachable.p.say(text)).toContain('ni e-mail ni numéro de téléphone');
    const end = asRead(await unreachable.p.say('demandez à la mairie'));
    expect(end).toContain('sans e-mail ni téléphone personne ne pourra vous rappeler');
    expect(end).not.toContain('vous recontacte sous');
    expect(await handoffs(unreachable.dossierId)).toBe(1);
  });

  it('at the contact asked for new needs: « pause » says one thing (the answers kept, the needs not passed on yet), « reprendre » asks the contact without thanking again; « ne plus me relancer » stops the check-ins but still passes the needs on, with the operator’s contact', async () => {
    const needsHandedOff = (dossierId: string) => fx.db.connection.db!.collection('handoffs').find({ dossierId, reason: 'followup_new_needs' }).toArray();
    const paused = await atNeedsContact();
    const pause = asRead(await paused.p.say('pause'));
    expect(pause).toContain('vos nouveaux besoins ne sont pas encore transmis');
    expect(pause).toContain('écrivez « reprendre »');
    expect(pause).not.toContain('Votre demande de chargé·e n’est pas transmise');
    expect(pause).not.toContain('pour reprendre le point de suivi là où vous en êtes');
    const resumed = asRead(await paused.p.say('reprendre'));
    expect(resumed).toContain('il me faut un moyen de vous recontacter');
    expect(resumed).not.toContain('Merci pour ces réponses');
    expect(asRead(await paused.p.say('camille@example.org'))).toContain('J’ai transmis vos nouveaux besoins');
    expect(await needsHandedOff(paused.dossierId)).toHaveLength(1);

    const stopped = await atNeedsContact();
    const stop = asRead(await stopped.p.say('ne plus me relancer'));
    expect(stop).toContain('vous ne recevrez plus de relances de suivi');
    expect(stop).toContain('sans e-mail ni téléphone personne ne pourra vous rappeler');
    expect(stop).toContain('contactez aussi directement le DLA de la Gironde');
    expect(stop).toContain('Que souhaitez-vous faire ?');
    expect(stop).not.toContain('vous recontacte sous');
    expect((await needsHandedOff(stopped.dossierId)).map((h) => h.message)).toEqual(['un appui sur la communication']);
    expect((await checkins().findOne({ _id: stopped.checkinId }))?.status).toBe('answered');
    expect(await fx.app.app.scheduler.checkins.isOptedOut(stopped.dossierId)).toBe(true);
  });

  it('« stop » at the contact a check-in asks is its pause, never a contact; « stop les relances », « stop, ne plus me relancer » there stop the check-ins', async () => {
    const needsHandedOff = (dossierId: string) => fx.db.connection.db!.collection('handoffs').find({ dossierId, reason: 'followup_new_needs' }).toArray();
    const contactOf = async (dossierId: string) => (await fx.db.connection.db!.collection('dossiers').findOne({ _id: dossierId as never }))?.answers?.contact;
    const paused = await atNeedsContact();
    const pause = asRead(await paused.p.say('stop'));
    expect(pause).toContain('vos nouveaux besoins ne sont pas encore transmis');
    expect(pause).toContain('Pour ne plus recevoir de points de suivi, écrivez « ne plus me relancer »');
    expect(pause).not.toContain('ni e-mail ni numéro de téléphone');
    expect(await contactOf(paused.dossierId)).toBeUndefined();
    expect(await needsHandedOff(paused.dossierId)).toHaveLength(0);
    expect(await fx.app.app.scheduler.checkins.isOptedOut(paused.dossierId)).toBe(false);

    for (const text of ['stop les relances', 'stop, ne plus me relancer svp']) {
      const stopped = await atNeedsContact();
      const stop = asRead(await stopped.p.say(text));
      expect(stop).toContain('vous ne recevrez plus de relances de suivi');
      expect(stop).not.toContain('ni e-mail ni numéro de téléphone');
      expect(await contactOf(stopped.dossierId)).toBeUndefined();
      expect((await needsHandedOff(stopped.dossierId)).map((h) => h.message)).toEqual(['un appui sur la communication']);
      expect(await fx.app.app.scheduler.checkins.isOptedOut(stopped.dossierId)).toBe(true);
    }

    // A request for a chargé·e made in the middle of a check-in: « stop » at its contact pauses too.
    const asked = await checkinOpened(fx, { reachable: false });
    await asked.p.say('1');
    await asked.p.say('parler à un·e chargé·e');
    const stop = asRead(await asked.p.say('stop'));
    expect(stop).toContain('Votre demande de chargé·e n’est pas transmise');
    expect(stop).toContain('on fait une pause');
    expect(await contactOf(asked.dossierId)).toBeUndefined();
  });

  it('« ne plus me relancer » after a pause at the contact asked for new needs, or after « parler à un·e chargé·e » in the middle of a check-in: the needs already given are still passed on, with the operator’s contact', async () => {
    const needsHandedOff = (dossierId: string) => fx.db.connection.db!.collection('handoffs').find({ dossierId, reason: 'followup_new_needs' }).toArray();
    const paused = await atNeedsContact();
    expect(asRead(await paused.p.say('pause'))).toContain('vos nouveaux besoins ne sont pas encore transmis');
    const stop = asRead(await paused.p.say('ne plus me relancer'));
    expect(stop).toContain('vous ne recevrez plus de relances de suivi');
    expect(stop).toContain('sans e-mail ni téléphone personne ne pourra vous rappeler');
    expect(stop).toContain('contactez aussi directement le DLA de la Gironde');
    expect(stop).toContain('Que souhaitez-vous faire ?');
    expect((await needsHandedOff(paused.dossierId)).map((h) => h.message)).toEqual(['un appui sur la communication']);
    expect((await checkins().findOne({ _id: paused.checkinId }))?.status).toBe('answered');
    expect(await fx.app.app.scheduler.checkins.isOptedOut(paused.dossierId)).toBe(true);

    const asked = await checkinOpened(fx, { reachable: false });
    await asked.p.say('1');
    expect(asRead(await asked.p.say('on aurait besoin d’aide sur la com maintenant'))).toContain('je transmettrai ce besoin');
    expect(await asked.p.say('parler à un·e chargé·e')).toContain('votre nom, et votre e-mail ou votre téléphone');
    const stopped = asRead(await asked.p.say('ne plus me relancer'));
    expect(stopped).toContain('vous ne recevrez plus de relances de suivi');
    expect(stopped).toContain('sans e-mail ni téléphone personne ne pourra vous rappeler');
    expect(stopped).toContain('Que souhaitez-vous faire ?');
    expect((await needsHandedOff(asked.dossierId)).map((h) => h.message)).toEqual(['on aurait besoin d’aide sur la com maintenant']);
    // Its request for a chargé·e goes too, said once with the needs (one « sans e-mail ni téléphone »).
    expect((await fx.db.connection.db!.collection('handoffs').find({ dossierId: asked.dossierId }).toArray()).map((h) => h.reason).sort()).toEqual(['followup_new_needs', 'user_request']);
    expect(stopped.match(/sans e-mail ni téléphone/g)).toHaveLength(1);
    expect(await fx.app.app.scheduler.checkins.isOptedOut(asked.dossierId)).toBe(true);
    // Its answers stay as given; the check-in, stopped half-way, is not counted as answered.
    expect((await checkins().findOne({ _id: asked.checkinId }))?.answers).toMatchObject({ needsSaid: ['on aurait besoin d’aide sur la com maintenant'] });
    expect((await checkins().findOne({ _id: asked.checkinId }))?.status).not.toBe('answered');
  });

  it('« parler à un·e chargé·e » in the middle of a check-in, then « ne plus me relancer » at its contact question: the check-ins stop, and the request is still passed on, with no call back promised but the operator’s contact; « pause » there says it is not passed on', async () => {
    const handoffs = (dossierId: string) => fx.db.connection.db!.collection('handoffs').find({ dossierId }).toArray();
    const { p, dossierId, checkinId } = await checkinOpened(fx, { reachable: false });
    await p.say('1');
    expect(await p.say('parler à un·e chargé·e')).toContain('Pour transmettre votre demande à un·e chargé·e d’accompagnement, il me faut un moyen de vous recontacter');
    const stop = asRead(await p.say('ne plus me relancer'));
    expect(stop).toContain('Je transmets votre demande à un·e chargé·e d’accompagnement du DLA de la Gironde, mais sans e-mail ni téléphone personne ne pourra vous rappeler');
    expect(stop).toContain('contactez aussi directement le DLA de la Gironde');
    expect(stop).not.toContain('vous recontacte sous');
    expect(stop).toContain('C’est noté : vous ne recevrez plus de relances de suivi.');
    expect(stop).not.toContain('santé économique'); // the check-in stops: its question is not asked again
    expect(stop).toContain('Que souhaitez-vous faire ?');
    expect((await handoffs(dossierId)).map((h) => h.reason)).toEqual(['user_request']);
    expect(await fx.app.app.scheduler.checkins.isOptedOut(dossierId)).toBe(true);
    expect(await checkins().findOne({ _id: checkinId })).toMatchObject({ status: 'opted_out', answers: { jobs: '1' } });

    // « pause » at the same point: the structure is told its request is not passed on, and how to ask again.
    const paused = await checkinOpened(fx, { reachable: false });
    await paused.p.say('1');
    await paused.p.say('parler à un·e chargé·e');
    const pause = asRead(await paused.p.say('pause'));
    expect(pause).toContain('Votre demande de chargé·e n’est pas transmise');
    expect(pause).toContain('Écrivez « parler à un·e chargé·e » quand vous le souhaitez');
    expect(pause).toContain('on fait une pause');
    expect(await handoffs(paused.dossierId)).toHaveLength(0);
    expect(await fx.app.app.scheduler.checkins.isOptedOut(paused.dossierId)).toBe(false);
  });

  it('« parler à un conseiller » in the middle of a check-in: the handoff says it was asked during the check-in, with what was answered there — not the accueil request of months ago', async () => {
    const { p, dossierId, checkinId } = await checkinOpened(fx);
    const dossiers = new DossierRepository(fx.db.connection);
    const dossier = (await dossiers.get(dossierId))!;
    dossier.answers = { ...dossier.answers, request: 'on a perdu une subvention de la region' };
    await dossiers.save(dossier);
    await checkins().updateOne({ _id: checkinId }, { $set: { sends: [{ at: new Date('2026-03-12T10:00:00Z'), instance: 'test', outcome: 'sent' }] } as never });
    await p.say('1 emploi maintenu');
    expect(await p.say('parler à un conseiller')).toContain('je transmets votre demande');
    const [handoff] = await fx.db.connection.db!.collection('handoffs').find({ dossierId }).toArray();
    expect(handoff.reason).toBe('user_request');
    expect(handoff.message).toContain('Demandé pendant le point de suivi du 12/03/2026');
    expect(handoff.message).toMatch(/les emplois\s: 1 emploi maintenu/);
    expect(handoff.message).not.toContain('subvention');

    // Nothing answered yet: only when it was asked.
    const other = await checkinOpened(fx);
    await other.p.say('parler à un conseiller');
    const [asked] = await fx.db.connection.db!.collection('handoffs').find({ dossierId: other.dossierId }).toArray();
    expect(asked.message).toMatch(/^Demandé pendant le point de suivi du \d{2}\/\d{2}\/\d{4}\.$/);
  });

  it('a new conversation of the structure is told at the welcome that a check-in waits, begun, with the questions left; « oui » answers it; the menu stays', async () => {
    const { p } = await checkinOpened(fx);
    await p.say('1 emploi maintenu');
    const later = persona(p.userId); // a new tab: same user, new conversation
    const welcome = asRead(await later.join());
    // A returning, accompanied structure: welcomed back, not presented the DLA again.
    expect(welcome).toContain('Bon retour !');
    expect(welcome).not.toContain('Bonjour et bienvenue');
    expect(welcome).not.toContain('Le DLA aide gratuitement');
    // Begun: not « quelques questions courtes », as if none were answered.
    expect(welcome).toContain('Le point de suivi que vous aviez commencé vous attend : il reste 6 questions sur 7.');
    expect(welcome).not.toContain('quelques questions courtes');
    // What an accompanied structure may do, as once its request is passed on: the check-in first, not the eligibility questions.
    expect(later.last(1)[0].suggestedActions?.actions.map((a) => asRead(a.title))).toEqual([
      'Répondre au point de suivi', 'Où en est ma demande ?', 'Parler à un·e chargé·e', 'Mes données', 'Découvrir le DLA', 'Qui peut être accompagné ?',
      'Vérifier si ma structure peut être accompagnée', 'Aide',
    ]);
    // « bonjour » is greeted back, the offer asked again: no « Je n’ai pas compris », nothing answered.
    const greeted = asRead(await later.say('bonjour'));
    expect(greeted).toContain('Bonjour !');
    expect(greeted).not.toContain('pas compris');
    expect(later.last(1)[0].suggestedActions?.actions.map((a) => asRead(a.title))[0]).toBe('Répondre au point de suivi');
    const resumed = await later.say('oui');
    expect(resumed).toContain('Reprenons le point de suivi');
    expect(resumed).toContain('santé économique'); // where it stopped
    expect(await later.say('stable')).toContain('vision stratégique');

    // Another new conversation: « reprendre » works as well; and the menu's other choices still do.
    const third = persona(p.userId);
    expect(asRead(await third.join())).toContain('il reste 5 questions sur 7');
    expect(await third.say('reprendre')).toContain('vision stratégique');
    const fourth = persona(p.userId);
    await fourth.join();
    expect(await fourth.say('Découvrir le DLA')).toContain('Un accompagnement DLA se déroule en cinq étapes');
  });

  it('back at the menu of the same conversation with the check-in waiting (after « pause » then « aide », after « recommencer »): the check-in is offered first, as at a new conversation — not the eligibility questions', async () => {
    const { p } = await checkinOpened(fx);
    const menu = () => p.last(1)[0].suggestedActions?.actions.map((a) => asRead(a.title)).slice(0, 3);
    await p.say('1 emploi maintenu');
    await p.say('pause');
    expect(asRead(await p.say('aide'))).toContain('Que souhaitez-vous faire ?');
    expect(menu()).toEqual(['Répondre au point de suivi', 'Où en est ma demande ?', 'Parler à un·e chargé·e']);
    // « oui » takes it, where it stopped.
    const resumed = await p.say('oui');
    expect(resumed).toContain('Reprenons le point de suivi');
    expect(resumed).toContain('santé économique');
    expect(asRead(await p.say('recommencer'))).toContain('Que souhaitez-vous faire ?');
    expect(menu()).toEqual(['Répondre au point de suivi', 'Où en est ma demande ?', 'Parler à un·e chargé·e']);
    expect(await p.say('Répondre au point de suivi')).toContain('santé économique');
  });

  it('at a welcome that offers the check-in, its next question answered at once (« on a embauché 2 personnes ») is a « oui » with that answer: noted, said, and the next question asked', async () => {
    const { p, checkinId } = await checkinOpened(fx);
    const later = persona(p.userId); // a new conversation, days later
    expect(asRead(await later.join())).toContain('Un point de suivi du DLA de la Gironde vous attend');
    const reply = asRead(await later.say('on a embauché 2 personnes'));
    expect(reply).toContain('je le note pour le point de suivi (les emplois) : « on a embauché 2 personnes »');
    expect(reply).toContain('Pour le corriger, écrivez par exemple « non en fait 3 embauches »');
    expect(reply).toContain('santé économique');
    expect(reply).not.toContain('écrivez « oui »');
    expect(reply).not.toContain('des emplois ont-ils été créés'); // not asked again
    expect(await checkins().findOne({ _id: checkinId })).toMatchObject({ answers: { jobs: 'on a embauché 2 personnes' }, jobCounts: { created: 2 } });
    expect(await later.say('stable')).toContain('vision stratégique');

    // Further on, the question waiting is answered the same way, with what else the message says.
    const again = persona(p.userId);
    await again.join();
    const more = asRead(await again.say('la vision stratégique est claire et on a un partenariat avec la mairie'));
    expect(more).toContain('je le note pour le point de suivi (la vision stratégique)');
    // Its correction shown with an example of its own topic, not the jobs'.
    expect(more).toContain('Pour le corriger, écrivez par exemple « non en fait notre vision n’est pas encore claire »');
    expect(more).toContain('C’est noté aussi pour les partenariats');
    expect(more).toContain('préconisations');
    expect((await checkins().findOne({ _id: checkinId }))?.answers).toMatchObject({
      economics: { value: 'same' }, strategy: { text: 'la vision stratégique est claire et on a un partenariat avec la mairie' }, partnerships: 'on a un partenariat avec la mairie',
    });
  });

  it('at a welcome that offers the check-in, a jobs answer read unsure is said back as at the question (« C’est bien ça ? »)', async () => {
    const { p } = await checkinOpened(fx);
    const later = persona(p.userId);
    await later.join();
    const asked = asRead(await later.say('on a embauché 2 personnes et on prévoit un autre recrutement'));
    expect(asked).toContain('je le note pour le point de suivi (les emplois)');
    expect(asked).toContain('J’ai noté : 2 emplois créés. C’est bien ça ?');
    expect(await later.say('oui')).toContain('santé économique');
  });

  it.each([
    ['bonjour', 'Bonjour !'],
    ['on a embauché ? je ne sais plus', 'Pour répondre au point de suivi, écrivez « oui »'],
    ['je voudrais parler de nos emplois', 'Pour répondre au point de suivi, écrivez « oui »'],
    ['Vérifier si ma structure peut être accompagnée', 'Reprenons là où nous nous étions arrêtés'], // a menu choice stays one
  ])('at a welcome that offers the check-in, « %s » is no answer to its question', async (said, expected) => {
    const { p, checkinId } = await checkinOpened(fx);
    const later = persona(p.userId);
    await later.join();
    const reply = asRead(await later.say(said));
    expect(reply).toContain(expected);
    expect((await checkins().findOne({ _id: checkinId }))?.answers?.jobs).toBeUndefined();
  });

  it('keeps partial answers, and resumes later with « reprendre »', async () => {
    const { p, checkinId } = await checkinOpened(fx);
    await p.say('1 emploi maintenu');
    expect(await p.say('pause')).toContain('écrivez « reprendre »');
    const resumed = await p.say('reprendre');
    expect(resumed).toContain('Reprenons le point de suivi');
    expect(resumed).toContain('santé économique');
    expect((await checkins().findOne({ _id: checkinId }))?.answers).toEqual({ jobs: '1 emploi maintenu' });
  });

  it('« mes données » exports the check-ins with their answers, and erases them', async () => {
    const { p, dossierId, checkinId } = await checkinOpened(fx);
    await p.say('Trois emplois consolidés chez Atelier Dubreuil');
    await p.say('pause');
    await p.say('mes données');
    expect(await p.say('Recevoir mes données')).toContain('points de suivi : 1'); // the message counts them too
    const file = p.last(4).flatMap((a) => a.attachments ?? []).find((x) => x.name === 'mes-donnees-dla.json');
    const exported = JSON.parse(Buffer.from(String(file?.contentUrl).split(',')[1], 'base64').toString('utf8')) as { checkins: { _id: string; answers?: Record<string, unknown> }[] };
    expect(exported.checkins).toEqual([expect.objectContaining({ _id: checkinId, answers: { jobs: 'Trois emplois consolidés chez Atelier Dubreuil' } })]);
    await p.say('mes données');
    await p.say('Effacer mes données');
    await p.say('Oui, tout effacer');
    expect(await checkins().countDocuments({ dossierId })).toBe(0);
  });

  it('(en-US) « my data » gives the check-in answers in English: « New needs: none », an English file name', async () => {
    const { p } = await checkinOpened(fx, { locale: 'en-US' });
    for (const text of ['2 created, 3 kept', 'better', 'partly', 'no', 'yes', '4']) await p.say(text);
    expect(await p.say('no')).toContain('Thank you for these answers!');
    await p.say('my data');
    await p.say('Get my data');
    const file = p.last(4).flatMap((a) => a.attachments ?? []).find((x) => x.name === 'my-dla-data.json');
    const exported = JSON.parse(Buffer.from(String(file?.contentUrl).split(',')[1], 'base64').toString('utf8')) as { readable: string[] };
    const readable = exported.readable.map(asRead);
    expect(readable).toEqual(expect.arrayContaining(['- Economic and financial health: Better', '- Clearer strategic vision: Partly', '- Satisfaction: 4 / 5', '- New needs: none']));
  });

  it('« ne plus me relancer » stops the follow-up and is recorded', async () => {
    const { p, dossierId } = await checkinOpened(fx);
    await addToList(fx.db.connection, DOSSIER_CHECKINS, dossierId, `${dossierId}|after_diagnostic_15m`);
    await checkins().insertOne({ _id: `${dossierId}|after_diagnostic_15m`, dossierId, status: 'planned' });
    const stopped = await p.say('ne plus me relancer');
    expect(stopped).toContain('vous ne recevrez plus de relances');
    expect(stopped).not.toContain('Depuis l’accompagnement'); // the open check-in stops: no question again
    expect(stopped).toContain('Que souhaitez-vous faire ?');
    // The menu no longer offers the check-in it stopped.
    expect(p.last(1)[0].suggestedActions?.actions.map((a) => asRead(a.title))).not.toContain('Répondre au point de suivi');
    expect((await checkins().find({ dossierId }).toArray()).map((c) => c.status)).toEqual(['opted_out', 'opted_out']);
    // The scheduler checks the opt-out again right before each send.
    expect(await fx.app.app.scheduler.checkins.isOptedOut(dossierId)).toBe(true);
    // The structure finds it in « mes données ».
    await p.say('mes données');
    expect(await p.say('Recevoir mes données')).toContain('points de suivi : 2'); // both stopped check-ins
    const file = p.last(4).flatMap((a) => a.attachments ?? []).find((x) => x.name === 'mes-donnees-dla.json');
    const exported = JSON.parse(Buffer.from(String(file?.contentUrl).split(',')[1], 'base64').toString('utf8')) as { followupOptOut: { at: string } | null };
    expect(new Date(String(exported.followupOptOut?.at)).getTime()).not.toBeNaN();
  });

  it('« pas maintenant », « stop » pause the check-in (nothing is stored as an answer), and the pause says how to stop check-ins', async () => {
    const { p, checkinId } = await checkinOpened(fx);
    const later = asRead(await p.say('désolé pas le temps là'));
    expect(later).toContain('on fait une pause');
    expect(later).toContain('écrivez « ne plus me relancer »');
    expect(later).not.toContain('santé économique');
    expect((await checkins().findOne({ _id: checkinId }))?.answers).toBeUndefined();
    expect(await p.say('reprendre')).toContain('des emplois ont-ils été créés');
    await p.say('2 maintenus');
    expect(asRead(await p.say('stop'))).toContain('on fait une pause');
    expect(await p.say('reprendre')).toContain('santé économique');
    for (const text of ['stable', 'oui', 'non', 'oui', '4']) await p.say(text);
    // At the new-needs question, « pas maintenant » answers it: no need for now.
    expect(await p.say('pas maintenant')).toContain('Merci pour ces réponses');
    expect((await checkins().findOne({ _id: checkinId }))).toMatchObject({ status: 'answered', answers: { jobs: '2 maintenus', newNeeds: { any: false, text: 'pas maintenant' } } });
  });

  it.each([
    ['fr-FR', 'merci de ne plus me relancer', 'vous ne recevrez plus de relances'], ['fr-FR', 'je ne souhaite plus recevoir ces messages', 'vous ne recevrez plus de relances'],
    ['fr-FR', 'me désabonner', 'vous ne recevrez plus de relances'], ['en-US', 'stop contacting me', 'you will not receive follow-up reminders any more'],
  ])('(%s) « %s » in the middle of a check-in stops the check-ins; it is no answer', async (locale, text, said) => {
    const { p, dossierId, checkinId } = await checkinOpened(fx, { locale });
    await p.say('1');
    expect(asRead(await p.say(text))).toContain(said);
    expect(await fx.app.app.scheduler.checkins.isOptedOut(dossierId)).toBe(true);
    expect((await checkins().findOne({ _id: checkinId }))?.answers).toEqual({ jobs: '1' });
  });

  it('(en-US) « not now » pauses the check-in', async () => {
    const { p, checkinId } = await checkinOpened(fx, { locale: 'en-US' });
    expect(await p.say('sorry, not now')).toContain('type “stop reminders”');
    expect((await checkins().findOne({ _id: checkinId }))?.answers).toBeUndefined();
  });

  it('« ne plus me relancer » a second time says it was already noted, not that it is noted now', async () => {
    const { p } = await checkinOpened(fx);
    expect(asRead(await p.say('ne plus me relancer'))).toContain('C’est noté : vous ne recevrez plus de relances de suivi.');
    const again = asRead(await p.say('ne plus me relancer'));
    expect(again).toContain('C’est déjà noté : vous ne recevrez plus de relance de suivi.');
    expect(again).not.toContain('C’est noté :');
    expect(again).toContain('Que souhaitez-vous faire ?'); // the menu goes on
  });

  it('each turn reads the check-in and the dossier once, again only after writing them; a turn later, what was answered in another conversation meanwhile is seen', async () => {
    const { p, dossierId, checkinId } = await checkinOpened(fx);
    // The database calls of each turn on this check-in and this dossier, in order: « read checkin », « wrote dossier »…
    const methods = { findOne: 'read', updateOne: 'wrote', updateMany: 'wrote', replaceOne: 'wrote', findOneAndUpdate: 'wrote' } as const;
    const spies = (Object.keys(methods) as (keyof typeof methods)[]).map((m) => [methods[m], jest.spyOn(mongo.Collection.prototype, m)] as const);
    const calls = () => spies.flatMap(([kind, spy]) => spy.mock.calls.map((args, i) => {
      const collection = (spy.mock.contexts[i] as mongo.Collection).collectionName;
      const filter = (args[0] ?? {}) as { _id?: unknown; dossierId?: unknown };
      const doc = collection === 'checkins' && (filter._id === checkinId || filter.dossierId === dossierId) ? 'checkin'
        : collection === 'dossiers' && filter._id === dossierId ? 'dossier' : undefined;
      return { order: spy.mock.invocationCallOrder[i], said: doc && `${kind} ${doc}` };
    })).sort((a, b) => a.order - b.order).flatMap((c) => (c.said ? [c.said] : []));
    const turn = async (text: string) => {
      spies.forEach(([, spy]) => spy.mockClear());
      const said = await p.say(text);
      const seen = calls();
      // No document read twice in a turn unless written in between.
      seen.forEach((call, i) => {
        if (!call.startsWith('read ')) return;
        const before = seen.slice(0, i).reverse();
        const lastWrite = before.indexOf(`wrote ${call.slice(5)}`);
        expect(before.slice(0, lastWrite < 0 ? undefined : lastWrite)).not.toContain(call);
      });
      return { said, seen };
    };
    try {
      expect((await turn('on a embauché 2 personnes et on prévoit d’en recruter une autre')).said).toContain('C’est bien ça ?');
      expect((await turn('oui')).said).toContain('santé économique');
      // Meanwhile, the strategy answered in another conversation of the structure: not asked here.
      await checkins().updateOne({ _id: checkinId }, { $set: { 'answers.strategy': { value: 'yes', text: 'oui' } } });
      expect((await turn('stable, et on a un partenariat avec la mairie')).said).toContain('préconisations');
      expect((await turn('en partie')).said).toContain('satisfaction');
      expect((await turn('4')).said).toContain('nouveaux besoins');
      const end = await turn('un appui sur la communication');
      expect(end.said).toContain('J’ai transmis vos nouveaux besoins');
      expect(end.seen.filter((c) => c === 'read dossier')).toHaveLength(1); // the thanks and the check-in completed: one read
    } finally {
      spies.forEach(([, spy]) => spy.mockRestore());
    }
    expect(await checkins().findOne({ _id: checkinId })).toMatchObject({ status: 'answered', answers: { economics: { value: 'same' }, strategy: { value: 'yes' }, partnerships: 'on a un partenariat avec la mairie', satisfaction: 4 } });
    expect((await new DossierRepository(fx.db.connection).get(dossierId))?.followup?.answeredAt).toBeInstanceOf(Date);
  });

  it('says "gone" when nobody of the dossier can be reached', async () => {
    const dossiers = new DossierRepository(fx.db.connection);
    const dossier = await dossiers.create('directline:dl_never_talked', 36);
    expect(await fx.app.app.checkinSender.send({ _id: 'x', dossierId: dossier._id, milestone: 'manual_now' })).toBe('gone');
  });
});
