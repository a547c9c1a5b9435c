import { useAssistant } from '../helpers/app';
import { asRead } from '../helpers/asRead';
import { checkinOpened } from '../helpers/checkin';

/** The check-in's jobs answer: its counts stored with the words; an unsure reading said back once. */
describe('follow-up check-in: the jobs answer read as numbers', () => {
  const fx = useAssistant('checkin_jobs', { OPERATOR_NAME: 'DLA de la Gironde' });
  const checkins = () => fx.db.connection.db!.collection<{ _id: string; dossierId: string; status: string; answers?: Record<string, unknown>; jobCounts?: Record<string, unknown> }>('checkins');
  const stored = async (id: string) => (await checkins().findOne({ _id: id }))!;
  const UNSURE = 'on a embauché 2 personnes et on prévoit d’en recruter une autre';

  it('a sure reading is stored with the words and not asked about: the next question comes', async () => {
    const { p, checkinId } = await checkinOpened(fx);
    const next = await p.say('on a embauché 2 personnes et on a gardé les 3 autres');
    expect(next).toContain('santé économique');
    expect(next).not.toContain('J’ai noté');
    expect(await stored(checkinId)).toMatchObject({ answers: { jobs: 'on a embauché 2 personnes et on a gardé les 3 autres' }, jobCounts: { created: 2, kept: 3, unsure: false } });
  });

  it.each([
    ['on a embauché deux CDI et un CDD', { created: 3, unsure: false }],
    ['3 CDD signés', { created: 3, unsure: false }],
    // A stock of contracts is no creation: unknown, nothing to say back.
    ['on a deux CDI et un CDD', { unsure: true }],
  ])('contract kinds hired or signed are jobs created, a stock is not: « %s »', async (said, counts) => {
    const { p, checkinId } = await checkinOpened(fx);
    const next = asRead(await p.say(said));
    expect(next).toContain('santé économique');
    expect(next).not.toContain('J’ai noté');
    expect((await stored(checkinId)).jobCounts).toEqual(counts);
  });

  it('an unsure reading is said back once; « oui » confirms it and the check-in goes on', async () => {
    const { p, checkinId } = await checkinOpened(fx);
    const asked = asRead(await p.say(UNSURE));
    expect(asked).toContain('J’ai noté : 2 emplois créés. C’est bien ça ?');
    expect(asked).not.toContain('santé économique');
    expect(p.last(1)[0].suggestedActions?.actions.map((a) => a.title)).toEqual(['Oui', 'Non']);
    expect(await p.say('oui c’est ça')).toContain('santé économique');
    expect(await stored(checkinId)).toMatchObject({ answers: { jobs: UNSURE }, jobCounts: { created: 2, unsure: true, confirmed: true } });
  });

  it('« non »: the numbers are dropped, the words kept for the chargé·e, and the check-in goes on', async () => {
    const { p, checkinId } = await checkinOpened(fx);
    await p.say(UNSURE);
    const said = asRead(await p.say('non'));
    expect(said).toContain('je garde votre réponse telle que vous l’avez écrite');
    expect(said).toContain('santé économique');
    const c = await stored(checkinId);
    expect(c.answers).toEqual({ jobs: UNSURE });
    expect(c.jobCounts).toEqual({ unsure: true, rejected: true });
  });

  it('« non, c’est … » with words: they are added to the answer; « non, 3 embauches » replaces it, read again and not asked twice', async () => {
    let { p, checkinId } = await checkinOpened(fx);
    await p.say(UNSURE);
    await p.say('non, la personne prévue est déjà arrivée');
    expect((await stored(checkinId)).answers?.jobs).toBe(`${UNSURE} — la personne prévue est déjà arrivée`);
    expect((await stored(checkinId)).jobCounts).toEqual({ unsure: true, rejected: true });

    ({ p, checkinId } = await checkinOpened(fx));
    await p.say(UNSURE);
    const fixed = asRead(await p.say('non, 3 embauches et on va en faire une autre'));
    expect(fixed).toContain('C’est corrigé pour les emplois : « 3 embauches et on va en faire une autre ».');
    expect(fixed).toContain('santé économique'); // unsure again, but asked once only
    expect(await stored(checkinId)).toMatchObject({ answers: { jobs: '3 embauches et on va en faire une autre' }, jobCounts: { created: 3, unsure: true } });
  });

  it('words that answer neither are asked about again, then the check-in goes on with the reading to check; « pause » pauses', async () => {
    let { p, checkinId } = await checkinOpened(fx);
    await p.say(UNSURE);
    expect(asRead(await p.say('le trésorier'))).toContain('Répondez « oui » si c’est bien ça');
    await p.say('le trésorier');
    expect(await p.say('le trésorier')).toContain('santé économique');
    expect(await stored(checkinId)).toMatchObject({ answers: { jobs: UNSURE }, jobCounts: { created: 2, unsure: true } });
    expect((await stored(checkinId)).jobCounts).not.toHaveProperty('confirmed');

    ({ p, checkinId } = await checkinOpened(fx));
    await p.say(UNSURE);
    expect(asRead(await p.say('pas maintenant'))).toContain('on fait une pause');
    // Taken up again: the jobs question is answered, the next one is asked.
    expect(await p.say('reprendre')).toContain('santé économique');
    expect(await stored(checkinId)).toMatchObject({ answers: { jobs: UNSURE }, jobCounts: { created: 2, unsure: true } });
    expect((await stored(checkinId)).jobCounts).not.toHaveProperty('confirmed');
  });

  it('(en-US) "I noted: 2 jobs created. Is that right?"', async () => {
    const { p, checkinId } = await checkinOpened(fx, { locale: 'en-US' });
    expect(await p.say('we hired 2 people and we plan to hire another one')).toContain('I noted: 2 jobs created. Is that right?');
    expect(await p.say('yes')).toContain('economic');
    expect(await stored(checkinId)).toMatchObject({ jobCounts: { created: 2, confirmed: true } });
  });
});
