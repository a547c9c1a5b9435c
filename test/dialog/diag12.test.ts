import { DossierRepository } from '../../src/store/dossiers';
import { useAssistant } from '../helpers/app';
import { asRead } from '../helpers/asRead';
import { checkinOpened } from '../helpers/checkin';
import { Persona } from '../helpers/conversation';
import { useWebhookSink } from '../helpers/webhookSink';

/** Round 12 of the diagnostic, its recaps and ranking, and what follows a request passed on. */
describe('diagnostic round 12', () => {
  const env: Record<string, string> = { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24', OPERATOR_CONTACT: 'dla@gironde.example' };
  const hook = useWebhookSink('diag12-webhook-secret', env);
  const fx = useAssistant('diag12', env);
  const persona = (locale = 'fr-FR', userId?: string) => new Persona(() => fx.app, fx.connector, locale, userId);
  const dossierOf = (p: Persona) => new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId));
  const handoffsOf = (dossierId: string) => fx.db.connection.db!.collection('handoffs').find({ dossierId }).toArray();
  const rna = () => `W33${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

  /** An association at the accueil's recap (« Est-ce correct ? »). */
  async function atRecap(name: string): Promise<Persona> {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', name, rna(), 'association loi 1901', '4', '33000']) await p.say(text);
    expect(await p.say('Consolider nos emplois')).toContain('Est-ce correct ?');
    return p;
  }

  /** An eligible association, at the diagnostic's first question. */
  async function atDiagnostic(name: string): Promise<Persona> {
    const p = await atRecap(name);
    await p.say('C’est correct');
    expect(await p.say('Dominique, dominique@example.org')).toContain('On commence ?');
    expect(await p.say('Commencer')).toContain('activité principale');
    return p;
  }

  it('the budget said with the funding shares (« 900k, 60% ventes 40% subventions »): both kept, the funding said back and not asked', async () => {
    const p = await atDiagnostic('Jardins de Lormont');
    await p.say('jardin d’insertion, maraîchage bio');
    const reply = asRead(await p.say('900k, 60% ventes 40% subventions'));
    expect(reply).not.toContain('D’où viennent vos ressources');
    expect(reply).toContain('Je note aussi vos financements : ventes 60 %, subventions 40 %');
    expect(reply).toContain('bénévoles');
    const answers = (await dossierOf(p))!.diagnostic!.answers;
    expect(answers.budget).toMatchObject({ euros: 900000 });
    expect((answers.funding as { sources: { source: string; share: number }[] }).sources.map((s) => [s.source, s.share])).toEqual([['sales', 60], ['public_grants', 40]]);
  });

  it('a need typed at the accueil recap without naming the request (« on voudrait pérenniser le poste de coordinatrice ») corrects the request', async () => {
    const p = await atRecap('Maison du Vélo');
    const reply = asRead(await p.say('on voudrait pérenniser le poste de coordinatrice'));
    expect(reply).not.toContain('Répondez « C’est correct »');
    expect(reply).toContain('on voudrait pérenniser le poste de coordinatrice');
    expect(reply).toContain('Est-ce correct ?');
    expect((await dossierOf(p))!.answers.request).toBe('on voudrait pérenniser le poste de coordinatrice');
  });

  it('at the ranking, corrections of other answers (« actually we have 9 employees and the budget is 650k ») are taken, then the ranking asked again', async () => {
    const p = persona('en-US');
    await p.join();
    for (const text of ['Check whether my organisation can get support', 'I agree', 'Harbour Bikes', rna(), 'association', '3', '33000',
      'Consolidate our jobs', 'That’s correct', 'Dominique, dominique@example.org', 'Start', 'Bike repair workshop', '300k', 'grants 70%, sales 30%',
      '10 volunteers', 'A board of 6 members']) await p.say(text);
    for (const situation of ['Roles are unclear', 'Hard to recruit mechanics', 'No strategy written', 'Too dependent on grants', 'Cash is tight']) {
      await p.say(situation);
      await p.say('3');
    }
    await p.say('no');
    await p.say('Mondays');
    await p.say('diversify our funding and recruit');
    expect(await p.say('yes')).toContain('order');
    const reply = asRead(await p.say('actually we have 9 employees and the budget is 650k'));
    expect(reply).not.toContain('There are');
    expect(reply).toContain('650,000');
    expect(reply).toContain('order');
    const answers = (await dossierOf(p))!.diagnostic!.answers;
    expect(answers.budget).toMatchObject({ euros: 650000 });
    expect(answers.staff).toMatchObject({ employees: 9, volunteers: 10 });
    expect((await dossierOf(p))!.diagnostic!.ranking ?? []).toEqual([]); // not ranked yet
    expect(await p.say('yes')).toContain('summary');
  });

  /** A leader whose request for a chargé·e was passed on. */
  async function passedOn(): Promise<Persona> {
    const p = persona();
    await p.join();
    for (const text of ['parler à un·e chargé·e', 'J’accepte', 'Trésorerie tendue', 'Marc Dupuis, marc@jardins.example']) await p.say(text);
    await fx.app.app.outbox.drain();
    return p;
  }

  it('« c’est payant ? » at « Je joins ce message… ? » is answered, then the question asked again', async () => {
    const p = await passedOn();
    expect(asRead(await p.say('nos 3 contrats aidés finissent en juin'))).toContain('Je joins ce message');
    const reply = asRead(await p.say('c’est payant ?'));
    expect(reply).toContain('L’accompagnement du DLA est gratuit');
    expect(reply).toContain('Je joins ce message');
    await p.say('oui');
    const [handoff] = await handoffsOf((await dossierOf(p))!._id);
    expect(handoff.messages.map((m: { text: string }) => m.text)).toEqual(['nos 3 contrats aidés finissent en juin']);
  });

  it('« je voudrais annuler ma demande »: confirmed first, the request closed as withdrawn by the structure, the chargé·es told, the structure told it can come back', async () => {
    const p = await passedOn();
    const asked = asRead(await p.say('je voudrais annuler ma demande'));
    expect(asked).not.toContain('Je joins ce message');
    expect(asked).toContain('retirer votre demande');
    const dossierId = (await dossierOf(p))!._id;
    expect((await handoffsOf(dossierId))[0].status).toBe('open'); // not before it is confirmed
    const done = asRead(await p.say('oui'));
    expect(done).toContain('Votre demande est retirée');
    expect(done).toContain('« parler à un·e chargé·e »');
    const [handoff] = await handoffsOf(dossierId);
    expect(handoff).toMatchObject({ status: 'closed', closedBy: 'structure' });
    await fx.app.app.outbox.drain();
    // Told by the notifiers with the structure's words, as withdrawn.
    const events = hook.accepted.map((r) => JSON.parse(r.body) as { event: string; status: string; handoff: { _id: string; messages?: { text: string }[] } }).filter((e) => e.handoff._id === String(handoff._id));
    expect(events.map((e) => [e.event, e.status])).toEqual([['handoff.created', 'open'], ['handoff.messageAdded', 'withdrawn']]);
    expect(events[1].handoff.messages?.map((m) => m.text)).toEqual(['je voudrais annuler ma demande']);
    expect(asRead(await p.say('où en est ma demande ?'))).toContain('Vous avez retiré votre demande');

    // « non » keeps it.
    const other = await passedOn();
    await other.say('on n’a plus besoin, vous pouvez annuler notre demande');
    expect(asRead(await other.say('non'))).toContain('votre demande reste transmise');
    expect((await handoffsOf((await dossierOf(other))!._id))[0].status).toBe('open');
  });

  it.each([
    ['fr-FR', 'je vous reponds la semaine prochaine', 'on fait une pause'],
    ['en-US', 'i\'ll answer next week', 'let’s pause'],
  ])('at a welcome that offers a waiting check-in (%s), « %s » pauses it: the check-in kept, not misunderstood nor started', async (locale, said, paused) => {
    const { p, checkinId } = await checkinOpened(fx, { locale });
    const later = persona(locale, p.userId);
    await later.join();
    const reply = asRead(await later.say(said));
    expect(reply).toContain(paused);
    expect(reply).not.toMatch(/pas compris|did not understand/);
    expect(reply).not.toMatch(/des emplois ont-ils été créés|have jobs been created/);
    const checkin = await fx.db.connection.db!.collection<{ _id: string }>('checkins').findOne({ _id: checkinId });
    expect(checkin).toMatchObject({ status: 'sent' });
    expect((checkin as { answers?: unknown }).answers ?? {}).toEqual({});
  });
});
