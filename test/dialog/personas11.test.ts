import { DossierRepository } from '../../src/store/dossiers';
import { useAssistant } from '../helpers/app';
import { asRead } from '../helpers/asRead';
import { checkinOpened } from '../helpers/checkin';
import { Persona } from '../helpers/conversation';
import { useWebhookSink } from '../helpers/webhookSink';

/** Persona QA round 11: after the handoff — status, messages, contact changes, check-ins. */
describe('personas 11', () => {
  const env: Record<string, string> = { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24', OPERATOR_CONTACT: 'dla@gironde.example' };
  const hook = useWebhookSink('personas11-webhook-secret', env);
  let clock = Date.now();
  const fx = useAssistant('personas11', env, { now: () => clock });
  const persona = (userId?: string, locale = 'fr-FR') => new Persona(() => fx.app, fx.connector, locale, userId);
  const dossierOf = (p: Persona) => new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId));
  const handoffsOf = (dossierId: string) => fx.db.connection.db!.collection('handoffs').find({ dossierId }).toArray();
  type Event = { event: string; handoff: { _id: string; contact?: { name?: string; email?: string; phone?: string } } };
  const eventsOf = (handoffId: string) => hook.accepted.map((r) => JSON.parse(r.body) as Event).filter((e) => e.handoff._id === handoffId);

  /** A leader whose request for a chargé·e was passed on, with `contact` to reach them. */
  async function passedOn(contact: string, locale = 'fr-FR'): Promise<Persona> {
    const p = persona(undefined, locale);
    await p.join();
    const fr = locale.startsWith('fr');
    for (const text of fr ? ['parler à un·e chargé·e', 'J’accepte', 'Trésorerie tendue'] : ['talk to an advisor', 'I agree', 'cash flow is tight']) await p.say(text);
    await p.say(contact);
    await fx.app.app.outbox.drain();
    return p;
  }

  describe('a contact point removed (« retirez mon numéro de téléphone »)', () => {
    it('the phone removed after a confirmation: the e-mail left is said, the dossier and the request hold it alone, the chargé·es are told', async () => {
      const p = await passedOn('Marc Dupuis, marc@jardins.example, 06 12 34 56 78');
      const asked = asRead(await p.say('retirez mon numero de telephone'));
      expect(asked).not.toContain('Je joins ce message');
      expect(asked).toContain('Je retire votre téléphone (06 12 34 56 78) ? Il vous restera Marc Dupuis, marc@jardins.example');
      expect(asRead(await p.say('oui'))).toContain('C’est corrigé : vos coordonnées sont maintenant Marc Dupuis, marc@jardins.example.');
      const dossier = (await dossierOf(p))!;
      expect(dossier.answers.contact).toEqual({ name: 'Marc Dupuis', email: 'marc@jardins.example' });
      const [handoff] = await handoffsOf(dossier._id);
      expect(handoff.contact).toEqual({ name: 'Marc Dupuis', email: 'marc@jardins.example' });
      expect(handoff.messages ?? []).toEqual([]);
      await fx.app.app.outbox.drain();
      expect(eventsOf(String(handoff._id)).map((e) => [e.event, e.handoff.contact?.phone])).toEqual([['handoff.created', '06 12 34 56 78'], ['handoff.contactUpdated', undefined]]);
    });

    it('« non » keeps it; the only way left to reach the structure: said that nobody could call back then, another typed instead replaces it', async () => {
      const p = await passedOn('Marc Dupuis, marc@jardins.example');
      expect(asRead(await p.say('supprimez mon numero'))).toContain('Je n’ai pas votre téléphone : je ne change rien, vos coordonnées restent Marc Dupuis, marc@jardins.example.');
      const asked = asRead(await p.say('supprimez mon mail svp'));
      expect(asked).toContain('Sans votre e-mail (marc@jardins.example), je n’aurai plus ni e-mail ni téléphone pour vous joindre : votre chargé·e ne pourra pas vous recontacter. Je retire quand même votre e-mail ?');
      expect(asRead(await p.say('non'))).toContain('Je ne change rien : vos coordonnées restent Marc Dupuis, marc@jardins.example.');
      await p.say('supprimez mon mail');
      expect(asRead(await p.say('appelez moi plutot au 07 88 99 00 11'))).toContain('C’est corrigé : vos coordonnées sont maintenant Marc Dupuis, 07 88 99 00 11.');
      expect((await dossierOf(p))!.answers.contact).toEqual({ name: 'Marc Dupuis', phone: '07 88 99 00 11' });
    });

    it('removed all the same: nobody can call back, said with how to give another; « où en est ma demande ? » gives the operator’s contact', async () => {
      const p = await passedOn('Marc Dupuis 06 12 34 56 78');
      await p.say('enlevez mon numero de telephone');
      const removed = asRead(await p.say('oui retirer'));
      expect(removed).toContain('je n’ai plus ni e-mail ni téléphone pour vous joindre, personne ne pourra donc vous rappeler');
      expect(removed).toContain('« changer mes coordonnées »');
      const dossier = (await dossierOf(p))!;
      expect(dossier.answers.contact).toEqual({ name: 'Marc Dupuis' });
      expect((await handoffsOf(dossier._id))[0].contact).toEqual({ name: 'Marc Dupuis' });
      expect(asRead(await p.say('ou en est ma demande'))).toContain('sans e-mail ni téléphone personne ne peut vous rappeler : contactez directement le DLA de la Gironde');
    });

    it('« supprimez mes coordonnées »: both the e-mail and the phone, after saying nobody could call back then', async () => {
      const p = await passedOn('Marc Dupuis, marc@jardins.example, 06 12 34 56 78');
      expect(asRead(await p.say('supprimez mes coordonnees'))).toContain('Sans vos coordonnées (marc@jardins.example, 06 12 34 56 78), je n’aurai plus ni e-mail ni téléphone');
      expect(asRead(await p.say('oui'))).toContain('personne ne pourra donc vous rappeler');
      expect((await dossierOf(p))!.answers.contact).toEqual({ name: 'Marc Dupuis' });
    });

    it('(en-US) "who will call me back?" is where the request stands, not who the DLA serves; "remove my phone number": asked and done in English', async () => {
      const p = await passedOn('Sam Lee, sam@lee.example, 06 12 34 56 78', 'en-US');
      for (const asked of ['who will call me back?', 'who is going to call me?', 'this is taking forever...']) {
        const said = asRead(await p.say(asked));
        expect(said).toContain('Your request was passed on to the DLA de la Gironde');
        expect(said).not.toContain('The DLA serves');
      }
      expect(asRead(await p.say('please remove my phone number'))).toContain('Shall I remove your phone (06 12 34 56 78)? You will still have Sam Lee, sam@lee.example');
      expect(asRead(await p.say('yes'))).toContain('Corrected: your contact details are now Sam Lee, sam@lee.example.');
    });
  });

  describe('a leader whose request is open, then taken up', () => {
    it('asks where it stands in words, before and after a chargé·e takes it up; a message with a new phone in it is passed on, and that phone offered as the contact', async () => {
      const p = await passedOn('Marc Dupuis 06 12 34 56 78');
      // « c'est long... » is a sigh about the wait: where the request stands, not how long an accompaniment lasts.
      for (const asked of ['vous avez bien recu ma demande ?', 'ou en est mon dossier ?', 'qui va me rappeler ?', 'c\'est long...']) {
        const said = asRead(await p.say(asked));
        expect(said).toContain('Votre demande a été transmise le');
        expect(said).not.toContain('de 2 mois à 2 ans');
      }
      const dossier = (await dossierOf(p))!;
      const [handoff] = await handoffsOf(dossier._id);
      await fx.app.app.outbox.setStatus(String(handoff._id), 'claimed', 'claire@dla.test', 'Claire Martin');
      expect(asRead(await p.say('ou en est mon dossier ?'))).toContain('prise en charge le');
      expect(asRead(p.last(2).map((a) => a.text ?? '').join('\n'))).toContain('par Claire Martin');
      const message = 'pouvez vous dire a madame Martin que je suis joignable plutot le matin au 07 88 99 00 11';
      expect(asRead(await p.say(message))).toContain('Je joins ce message à votre demande');
      const kept = asRead(await p.say('oui'));
      expect(kept).toContain('Claire Martin, qui la suit, le lira');
      expect(kept).toContain('je remplace celles que j’ai (Marc Dupuis, 06 12 34 56 78) ? Elles deviendraient Marc Dupuis, 07 88 99 00 11.');
      expect(asRead(await p.say('oui'))).toContain('C’est corrigé : vos coordonnées sont maintenant Marc Dupuis, 07 88 99 00 11.');
      const [after] = await handoffsOf(dossier._id);
      expect(after.contact).toEqual({ name: 'Marc Dupuis', phone: '07 88 99 00 11' });
      expect(after.messages.map((m: { text: string }) => m.text)).toEqual([message]);
      // A message with the same number as the contact asks nothing more.
      await p.say('rappel : le matin au 07 88 99 00 11');
      expect(asRead(await p.say('oui'))).not.toContain('je remplace');
    });
  });

  describe('at the accueil’s own contact question', () => {
    it('« merci » (thanks for the outcome) is never kept as the contact’s name, however often it is said', async () => {
      const p = persona();
      await p.join();
      for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins du Lien', '443 061 841 00047', 'association', '3 salariés', '33000',
        'on a besoin d’aide sur notre modèle économique']) await p.say(text);
      expect(asRead(await p.say('C’est correct'))).toContain('votre nom, et votre e-mail ou votre téléphone ?');
      for (const text of ['merci', 'ok merci', 'merci beaucoup']) expect(asRead(await p.say(text))).not.toContain('Pour vous joindre : merci');
      expect((await dossierOf(p))!.answers.contact?.name ?? '').not.toMatch(/merci/i);
    });
  });

  describe('a structure at its 6-month check-in', () => {
    const checkinOf = (id: string) => fx.db.connection.db!.collection<{ _id: string; status: string; answers?: Record<string, unknown> }>('checkins').findOne({ _id: id });

    it('answers partly, says « je vous reponds la semaine prochaine »: paused, nothing kept for that question; back days later it finishes, each answer at its own question', async () => {
      const { p, checkinId } = await checkinOpened(fx);
      await p.say('on a embauche 2 personnes en cdi et la treso est un peu mieux');
      const paused = asRead(await p.say('je vous reponds la semaine prochaine'));
      expect(paused).toContain('écrivez « reprendre »');
      expect(paused).not.toContain('partenariats');
      expect((await checkinOf(checkinId))?.answers).not.toHaveProperty('strategy');
      clock += 6 * 24 * 3600 * 1000;
      const later = persona(p.userId);
      await later.join();
      expect(asRead(later.last(4).map((a) => a.text ?? '').join('\n'))).toContain('il reste 5 questions sur 7');
      expect(asRead(await later.say('oui'))).toContain('vision stratégique');
      expect(asRead(await later.say('ouais on a une vision plus claire'))).toContain('partenariats');
      await later.say('on bosse avec la mairie maintenant');
      expect(asRead(await later.say('en partie'))).toContain('de 1 (pas satisfait·e) à 5');
      await later.say('4');
      expect(asRead(await later.say('non'))).toContain('Merci pour ces réponses');
      const { answers } = (await checkinOf(checkinId))!;
      expect(answers).toMatchObject({ strategy: { value: 'yes' }, recommendations: { value: 'partly' }, satisfaction: 4 });
    });

    it('« on voudrait maintenant travailler notre modele economique » is a need, noted; « arretez de m’envoyer ces messages » then stops the check-ins and still passes it on', async () => {
      const { p, dossierId } = await checkinOpened(fx);
      const noted = asRead(await p.say('on voudrait maintenant travailler notre modele economique'));
      expect(noted).toContain('je transmettrai ce besoin à un·e chargé·e d’accompagnement');
      const stopped = asRead(await p.say('arretez de m\'envoyer ces messages'));
      expect(stopped).toContain('vous ne recevrez plus de relances');
      const [handoff] = await handoffsOf(dossierId);
      expect(handoff).toMatchObject({ reason: 'followup_new_needs' });
      expect(JSON.stringify(handoff)).toContain('travailler notre modele economique');
    });

    it('(en-US) "I\'ll answer next week" pauses, in English; a need said as something to work on is passed on; "stop sending me these messages" stops the check-ins', async () => {
      const { p, dossierId } = await checkinOpened(fx, { locale: 'en-US' });
      await p.say('we hired 2 people, finances are a bit better');
      const paused = asRead(await p.say("i'll answer next week"));
      expect(paused).toContain('“resume”');
      expect(paused).not.toContain('Reply “yes”');
      await p.say('resume');
      for (const text of ['yes', 'no', 'partly', '5']) await p.say(text);
      expect(asRead(await p.say('we would now like to work on our business model'))).toContain('I passed your new needs on to an advisor');
      expect((await handoffsOf(dossierId)).map((h) => h.reason)).toEqual(['followup_new_needs']);
      const stopped = asRead(await p.say('stop sending me these messages'));
      expect(stopped).toContain('you will not receive follow-up reminders any more');
      expect(stopped).not.toContain('Shall I pass this message on');
    });
  });
});
