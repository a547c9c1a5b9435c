import { BOOTSTRAP_ADMIN, createUserToken, ensureAdmin } from '../../src/admin/auth';
import { diagnosticFacts } from '../../src/domain/diagnosticFacts';
import { remainingQuestions } from '../../src/domain/diagnosticForm';
import { translator } from '../../src/i18n';
import { DossierRepository } from '../../src/store/dossiers';
import { asRead } from '../helpers/asRead';
import { post, useAssistant } from '../helpers/app';
import { Persona } from '../helpers/conversation';

const fr = translator('fr');
const DAY = 24 * 3600 * 1000;

describe('diagnostic inputs: prepare the diagnostic partagé and rank the axes of change', () => {
  let clock = new Date('2026-03-02T09:00:00Z').getTime();
  const fx = useAssistant('diagnostic', { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33' }, { now: () => clock });
  const persona = (userId?: string) => new Persona(() => fx.app, fx.connector, 'fr-FR', userId);
  const dossierOf = (p: Persona) => new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId));

  /** An eligible association, up to the first diagnostic question. */
  async function eligible(name: string, start = 'Commencer'): Promise<{ p: Persona; first: string }> {
    const p = persona();
    await p.join();
    const rna = `W33${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', name, rna, 'association loi 1901', '4', '33000',
      'Consolider nos emplois', 'C’est correct']) await p.say(text);
    expect(await p.say('Dominique, dominique@example.org')).toContain('On commence ?');
    return { p, first: await p.say(start) };
  }

  it.each(['vas y', 'allez, on commence', 'ok go'])('« %s » at « On commence ? » starts the diagnostic', async (start) => {
    const { first } = await eligible('Atelier Partagé', start);
    expect(first).toContain('activité principale');
  });

  it('the first question answered at « On commence ? » (« on fait de l’insertion par le maraîchage bio ») is a yes with that answer: kept, said, and the next question asked', async () => {
    const { p, first } = await eligible('Jardins du Lac', 'on fait de l’insertion par le maraîchage bio');
    expect(first).toContain('Je note votre activité : « on fait de l’insertion par le maraîchage bio »');
    expect(first).toContain('budget annuel');
    expect(first).not.toContain('activité principale');
    expect(first).not.toContain('Répondez « Commencer » ou « Plus tard »');
    const dossier = (await dossierOf(p))!;
    expect(dossier.phase).toBe('diagnostic');
    expect(dossier.diagnostic?.answers).toEqual({ activity: 'on fait de l’insertion par le maraîchage bio' });
    expect(await p.say('150 000 €')).toContain('D’où viennent vos ressources');
  });

  it('the annual budget said with the activity (« …, budget 450 000 € par an ») is said back and not asked again; an amount that names no budget is no budget', async () => {
    const { p, first } = await eligible('Crèche des Lilas', 'On gère une crèche associative, budget 450 000 € par an');
    const noted = asRead(first);
    expect(noted).toContain('Je note votre activité : « On gère une crèche associative, budget 450 000 € par an »');
    expect(noted).toContain('Je note aussi votre budget annuel : 450 000 € (vous pourrez le corriger au moment du résumé).');
    expect(noted).not.toContain('budget annuel, à peu près');
    expect(noted).toContain('D’où viennent vos ressources');
    expect((await dossierOf(p))!.diagnostic?.answers.budget).toMatchObject({ euros: 450000 });

    // At the activity question too.
    const atQuestion = await eligible('Crèche des Tilleuls');
    const next = asRead(await atQuestion.p.say('Crèche parentale, 30 berceaux, budget annuel de 380k€'));
    expect(next).toContain('Je note aussi votre budget annuel : 380 000 €');
    expect(next).toContain('D’où viennent vos ressources');

    // « des paniers à 15 € » is no budget: the budget question is asked.
    const other = await eligible('Panier Solidaire');
    expect(asRead(await other.p.say('On vend des paniers de légumes à 15 €'))).toContain('Quel est votre budget annuel, à peu près ?');
  });

  it('at « On commence ? », what is no answer to the first question is asked again; yes, later and pause still work', async () => {
    const { p, first } = await eligible('Atelier Vélo du Port', 'je n’ai pas le temps là');
    expect(first).toContain('Répondez « Commencer » ou « Plus tard »');
    expect(await p.say('ça prend combien de temps')).toContain('Répondez « Commencer » ou « Plus tard »');
    expect(await p.say('oui')).toContain('activité principale');
    expect((await dossierOf(p))!.diagnostic?.answers ?? {}).toEqual({});

    const later = await eligible('Atelier Vélo du Quai', 'je voudrais corriger le nom de la structure');
    expect(later.first).toContain('Répondez « Commencer » ou « Plus tard »');
    expect(await later.p.say('plus tard')).toContain('écrivez « reprendre »');
    const paused = await eligible('Atelier Vélo du Pont', 'pause');
    expect(paused.first).toContain('reprendre');
    expect(await paused.p.say('reprendre')).toContain('activité principale');
  });

  /** An eligible association that answered every question up to its needs: the themes understood are shown. */
  async function atThemes(name: string, needs: string): Promise<Persona> {
    const { p } = await eligible(name);
    for (const text of ['Recyclerie', '150 000 €', 'ventes 60 %, subventions 40 %', '3 salariés, 12 bénévoles', 'Bureau de 5 personnes']) await p.say(text);
    for (let i = 0; i < 5; i++) {
      await p.say('Ça va');
      await p.say('1');
    }
    await p.say('non');
    await p.say('les mardis');
    await p.say(needs);
    return p;
  }

  it('needs pasted in three paragraphs: each theme named with full words is shown (« la gouvernance », « notre communication »), not only the first four — its weaker hints left out', async () => {
    const p = await atThemes('Bacalan Ensemble', 'En premier lieu, un plan de trésorerie sur 18 mois et un vrai travail sur notre modèle économique : on dépend trop des subventions, '
      + 'il faudrait développer des prestations et chercher du mécénat.\n\nEnsuite la gouvernance : trouver une nouvelle présidence, former le trésorier aux comptes. '
      + 'On aimerait que le CA porte vraiment le projet.\n\nEnfin l’organisation interne et les RH : des fiches de poste, un outil de planning partagé, garder nos 6 salariés. '
      + 'Et si possible un coup de main pour refaire notre site internet et notre communication.');
    const shown = asRead(p.last(2).map((a) => a.text ?? '').join('\n'));
    expect(shown).toContain('- Gouvernance (dirigeant·es, instances) — car vous avez écrit');
    expect(shown).toContain('- Communication — car vous avez écrit');
    expect(shown).not.toContain('- Numérique'); // « site internet » alone is half a hint of it
    await p.say('Oui');
    expect((await dossierOf(p))?.diagnostic?.themes).toEqual(expect.arrayContaining(['gouvernance', 'communication']));
  });

  /** An eligible association whose diagnostic is confirmed (and so passed on to a chargé·e). */
  async function confirmed(name: string): Promise<Persona> {
    const { p } = await eligible(name);
    for (const text of ['Épicerie solidaire, secteur social', '200 000 €', 'subventions 60 %, ventes 40 %', '4 salariés et 20 bénévoles',
      'un conseil d’administration de 9 membres', ...AREAS_TEXT.flat(), 'Non, jamais', 'La présidente, les mardis',
      'Diversifier nos financements', 'Oui', 'Oui']) await p.say(text);
    expect(await p.say('Je confirme')).toContain('version 1');
    return p;
  }

  /** The file « mes données » just attached in Web Chat. */
  function exportOf(p: Persona): { readable: string[]; conversations: { messages: { from: string; text?: string; answer?: unknown; submitted?: unknown; cards?: string[] }[] }[] } {
    const file = p.last(4).flatMap((a) => a.attachments ?? []).find((x) => x.name === 'mes-donnees-dla.json');
    return JSON.parse(Buffer.from(String(file?.contentUrl).split(',')[1], 'base64').toString('utf8'));
  }

  const AREAS_TEXT: [string, string][] = [
    ['Les rôles ne sont pas clairs entre bénévoles et salarié·es', '2'],
    ['Deux départs cette année, difficile de recruter', '4'],
    ['Le projet associatif date de 2012', 'urgent'],
    ['Trop dépendants des subventions de la ville', 'très urgent'],
    ['Trésorerie tendue en fin d’année', '3'],
  ];

  it('complete in one go: amounts in words, shares, five areas, themes, ranking, summary, stored as version 1', async () => {
    const { p, first } = await eligible('Épicerie Solidaire du Port');
    expect(first).toContain('activité principale');
    expect(await p.say('Épicerie solidaire et ateliers cuisine, secteur social')).toContain('budget annuel');
    expect(await p.say('deux cent mille euros')).toContain('D’où viennent vos ressources');
    expect(await p.say('subventions 60 %, ventes 30 %, dons 10 %')).toContain('salarié·es');
    expect(await p.say('4 salariés et une vingtaine de bénévoles')).toContain('gouvernance');
    const areasIntro = await p.say('9 membres au conseil d’administration, le bureau décide chaque mois');
    expect(areasIntro).toContain('Passons en revue cinq domaines');
    expect(areasIntro).toContain('Organisation interne');
    for (const [situation, urgency] of AREAS_TEXT) {
      expect(await p.say(situation)).toContain('quelle urgence');
      await p.say(urgency);
    }
    expect(await p.say('Non, jamais')).toContain('disponibilités');
    expect(await p.say('La présidente et la trésorière, les mardis')).toContain('de quoi auriez-vous besoin');
    const themes = await p.say('Diversifier nos financements et recruter un coordinateur');
    expect(themes).toContain('Diversification des financements');
    expect(themes).toContain('Diversification des financements — car vous avez écrit « Diversifier », « financements »');
    const ranking = await p.say('Oui');
    expect(ranking).toContain('je vous propose cet ordre');
    // The area is not named again when it is the axis itself.
    expect(asRead(ranking)).toMatch(/^5\. Organisation interne — urgence 2\/4$/m);
    expect(p.last(1)[0].suggestedActions?.actions.map((a) => a.title)).toEqual(['Oui']);
    const summary = await p.say('Oui');
    expect(summary).toContain('Voici le résumé');
    expect(summary.replace(/[\u202f\u00a0]/g, ' ')).toContain('200 000 €'); // French thousands: narrow no-break space
    expect(summary).toContain('Trop dépendants des subventions de la ville (urgence 4/4)');
    const done = await p.say('Je confirme');
    expect(done).toContain('version 1');

    const dossier = await dossierOf(p);
    expect(dossier).toMatchObject({ phase: 'diagnostic', readyForChargeAt: expect.any(Date) });
    const d = dossier!.diagnostic!;
    expect(d.version).toBe(1);
    expect(d.year).toBe(2026);
    expect(d.answers).toMatchObject({ budget: { euros: 200000 }, economics_urgency: 4, people_urgency: 4, strategy_urgency: 3, organisation_urgency: 2 });
    expect((d.answers.funding as { sources: unknown[] }).sources).toHaveLength(3);
    expect(d.ranking!.length).toBeGreaterThanOrEqual(3);
    expect(d.primaryTheme).toBe(d.ranking![0]);
    expect(d.themes).toContain('diversification_financements');
    // The chargé·es' packet reads the answers as the structure's summary does.
    const handoff = await fx.db.connection.db!.collection('handoffs').findOne({ dossierId: dossier!._id, reason: 'diagnostic_confirmed' });
    expect(handoff?.urgency).toBe('high'); // two areas rated 4/4: to call soon
    const facts = (handoff?.diagnostic?.facts ?? []) as { label: string; value: string }[];
    expect(facts.map((f) => `${f.label} : ${f.value}`.replace(/[\u202f\u00a0]/g, ' '))).toEqual(expect.arrayContaining([
      'Budget annuel : 200 000 €',
      'Financements : subventions 60 %, ventes 30 %, dons 10 %',
      'Modèle économique : Trop dépendants des subventions de la ville (urgence 4/4)',
    ]));

    // « mes données »: the summary at the top of the file reads the themes and the ranked axes too,
    // and says what the messages counted are.
    await p.say('mes données');
    expect(asRead(await p.say('Recevoir mes données'))).toMatch(/points de suivi : 1 ; \d+ messages échangés avec l’assistant \(questions et réponses\)\.$/m);
    const readable = exportOf(p).readable.map(asRead);
    expect(readable).toEqual(expect.arrayContaining([
      'Diagnostic préparatoire :',
      '- Besoins : Diversifier nos financements et recruter un coordinateur',
      '- Thèmes retenus : Diversification des financements ; Emploi et ressources humaines (salarié·es, bénévoles)',
      '- Axes de changement : 1. Diversification des financements ; 2. Emploi et ressources humaines (salarié·es, bénévoles) ; 3. Projet et stratégie ; 4. Restructuration économique et financière ; 5. Organisation interne',
      expect.stringMatching(/^\d+ messages échangés avec l’assistant \(questions et réponses\) : le détail est plus bas\.$/),
      // The structure's own words for its check-in (« point de suivi » is masculine; not the back-office's « Prévue »).
      expect.stringMatching(/^Point de suivi du \d\d\/\d\d\/\d{4} : Prévu \(0 réponse\)$/),
    ]));
  });

  it('interrupted with « pause » and resumed two days later in another conversation, at the same question', async () => {
    const { p } = await eligible('Atelier Couture Solidaire');
    await p.say('Retouches et formation à la couture');
    expect(await p.say('250 000 €')).toContain('D’où viennent vos ressources');
    expect(await p.say('pause')).toContain('écrivez « reprendre »');
    expect(p.last(1)[0].suggestedActions?.actions.map((a) => a.title)).toEqual(['Reprendre']); // a button too
    clock += 2 * DAY;
    const later = persona(p.userId);
    expect(await later.join()).toContain('Bon retour !');
    const resumed = await later.say('reprendre');
    expect(resumed).not.toContain('Bon retour'); // greeted once, at the welcome
    expect(resumed).toContain('Reprenons la préparation du diagnostic');
    expect(resumed).toContain('D’où viennent vos ressources');
    expect(resumed).not.toContain('budget annuel');
    expect(await later.say('quarante pour cent de subventions, soixante pour cent de ventes')).toContain('salarié·es');
    const d = (await dossierOf(p))!;
    expect(d.diagnostic!.answers).toMatchObject({ budget: { euros: 250000 }, activity: 'Retouches et formation à la couture' });
    // Not confirmed yet, but in the diagnostic phase: the back-office's phase filter finds it.
    expect(d.phase).toBe('diagnostic');
    expect(d.diagnostic!.confirmedAt).toBeUndefined();
    expect(d.updatedAt.getTime() - d.createdAt.getTime()).toBeGreaterThanOrEqual(2 * DAY);
  });

  it('left mid-way, the diagnostic is announced at the « Bon retour ! » of a new conversation (no presentation of the DLA again), with the questions left; « oui » resumes it', async () => {
    const { p } = await eligible('Jardins du Lac');
    await p.say('Maraîchage en insertion');
    expect(await p.say('180 000 €')).toContain('D’où viennent vos ressources');
    const left = remainingQuestions((await dossierOf(p))!.diagnostic!.answers);
    expect(left).toBeGreaterThan(1);
    clock += DAY;
    const later = persona(p.userId); // no « pause »: the page was closed
    const welcome = asRead(await later.join());
    expect(welcome).toContain('Bon retour !');
    expect(welcome).not.toContain('Bonjour et bienvenue');
    expect(welcome).not.toContain('Le DLA aide gratuitement');
    expect(welcome).toContain(`La préparation de votre diagnostic vous attend : il reste ${left} questions.`);
    expect(welcome).toContain('répondez « oui » ou « reprendre »');
    expect(later.last(1)[0].suggestedActions?.actions.map((a) => asRead(a.title))).toEqual([
      'Reprendre mon diagnostic', 'Où en est ma demande ?', 'Parler à un·e chargé·e', 'Mes données', 'Découvrir le DLA', 'Qui peut être accompagné ?',
      'Vérifier si ma structure peut être accompagnée', 'Aide',
    ]);
    const resumed = await later.say('oui');
    expect(resumed).not.toContain('Bon retour'); // said once, at the welcome
    expect(resumed).toContain('D’où viennent vos ressources');
    expect(resumed).not.toContain('budget annuel');
  });

  it('back at the menu with its diagnostic waiting (« Plus tard »), an eligible structure is offered it first, where its request stands, a chargé·e and its data — checking its eligibility again last', async () => {
    const { p, first } = await eligible('Jardins du Canal', 'Plus tard');
    expect(first).toContain('écrivez « reprendre »');
    const menu = asRead(await p.say('aide'));
    expect(menu).toContain('Que souhaitez-vous faire ?');
    expect(p.last(1)[0].suggestedActions?.actions.map((a) => asRead(a.title))).toEqual([
      'Reprendre mon diagnostic', 'Où en est ma demande ?', 'Parler à un·e chargé·e', 'Mes données', 'Découvrir le DLA', 'Qui peut être accompagné ?',
      'Vérifier si ma structure peut être accompagnée', 'Aide',
    ]);
    // Chosen by its number: where its request stands (the diagnostic to finish), then the menu again.
    const status = asRead(await p.say('2'));
    expect(status).toContain('diagnostic');
    expect(status).not.toContain('Je n’ai pas compris');
    expect(p.last(1)[0].suggestedActions?.actions[0].title).toBe('Reprendre mon diagnostic');
    expect(await p.say('1')).toContain('activité principale');
  });

  it('its diagnostic waiting, a phone typed alone at the menu (« 06 12 34 56 78 ») is offered as its new contact, confirmed, then the menu again', async () => {
    const { p } = await eligible('Jardins de la Dune', 'Plus tard');
    expect(await p.say('aide')).toContain('Que souhaitez-vous faire ?');
    const asked = asRead(await p.say('06 12 34 56 78'));
    expect(asked).not.toContain('Je n’ai pas compris');
    expect(asked).toContain('je remplace celles que j’ai (Dominique, dominique@example.org) ? Elles deviendraient Dominique, dominique@example.org, 06 12 34 56 78.');
    const done = asRead(await p.say('Oui, les mettre à jour'));
    expect(done).toContain('C’est corrigé : vos coordonnées sont maintenant Dominique, dominique@example.org, 06 12 34 56 78.');
    expect(p.last(1)[0].suggestedActions?.actions[0].title).toBe('Reprendre mon diagnostic');
    expect((await dossierOf(p))!.answers.contact).toEqual({ name: 'Dominique', email: 'dominique@example.org', phone: '06 12 34 56 78' });
  });

  it('right after « Plus tard » or « pause », the next message is read, not only answered by the menu (a phone, a question, a menu choice in words)', async () => {
    const { p } = await eligible('Jardins de l’Estuaire', 'Plus tard');
    const asked = asRead(await p.say('06 12 34 56 78'));
    expect(asked).toContain('je remplace celles que j’ai');
    expect(asked).toContain('06 12 34 56 78');
    await p.say('Oui, les mettre à jour');
    expect((await dossierOf(p))!.answers.contact?.phone).toBe('06 12 34 56 78');
    await p.say('reprendre');
    await p.say('pause');
    const faq = asRead(await p.say('c’est payant ?'));
    expect(faq).toContain('gratuit pour votre structure');
    await p.say('pause');
    expect(asRead(await p.say('où en est ma demande ?'))).toContain('diagnostic');
    await p.say('pause');
    // A choice of the menu typed in words after the pause is taken as one.
    expect(asRead(await p.say('découvrir le DLA'))).toContain('Étape 1 · Accueil');
  });

  it('at a welcome that offers the waiting diagnostic, its next question answered at once (« environ 200 000 € ») is a « oui » with that answer: noted, said, and the question after it asked', async () => {
    const { p } = await eligible('Jardins de la Plage');
    await p.say('Maraîchage en insertion');
    await p.say('pause');
    const later = persona(p.userId); // a new conversation, days later
    clock += DAY;
    expect(asRead(await later.join())).toContain('La préparation de votre diagnostic vous attend');
    const answered = asRead(await later.say('environ 200 000 €'));
    expect(answered).toContain('Budget annuel : « environ 200 000 € »');
    expect(answered).toContain('D’où viennent vos ressources');
    expect(answered).not.toContain('écrivez « oui »');
    expect(answered).not.toContain('budget annuel, à peu près');
    expect((await dossierOf(p))!.diagnostic!.answers.budget).toMatchObject({ euros: 200000 });
    // The next welcome: the funding waits; sources with their shares answer it, the staff asked next (the ETP known).
    const again = persona(p.userId);
    await again.join();
    const funding = asRead(await again.say('subventions 70 %, ventes 30 %'));
    expect(funding).toContain('Financements : « subventions 70 %, ventes 30 % »');
    expect(funding).toContain('Combien de bénévoles');
    // And the staff at the next one, in words naming it.
    const third = persona(p.userId);
    await third.join();
    expect(asRead(await third.say('une vingtaine de bénévoles'))).toContain('Équipe : « une vingtaine de bénévoles »');
    expect((await dossierOf(p))!.diagnostic!.answers.staff).toMatchObject({ volunteers: 20 });
  });

  it('at a welcome that offers the waiting diagnostic, what says something to the offer, or answers nothing, is no answer: asked to write « oui », nothing stored', async () => {
    const { p } = await eligible('Jardins de la Dune');
    await p.say('Maraîchage en insertion');
    await p.say('pause');
    for (const text of ['je ne sais pas', 'oui mais combien de questions ?', 'pas maintenant, 200 000 € plus tard', 'on a 3 salariés']) {
      const later = persona(p.userId);
      await later.join();
      expect([text, asRead(await later.say(text))]).toEqual([text, expect.stringContaining('Pour reprendre la préparation de votre diagnostic, écrivez « oui »')]);
    }
    // « bonjour »: greeted back, the offer asked again — not « Je n’ai pas compris », nor a misunderstanding counted.
    const later = persona(p.userId);
    await later.join();
    for (let i = 0; i < 3; i++) {
      const greeted = asRead(await later.say('bonjour'));
      expect(greeted).toContain('Bonjour !');
      expect(greeted).not.toContain('pas compris');
      expect(greeted).not.toContain('chargé·e');
    }
    expect((await dossierOf(p))!.diagnostic!.answers).toEqual({ activity: 'Maraîchage en insertion' });
  });

  it('right after a confirmed diagnostic, and at the « what next » offer of a later visit, a detail in the structure’s words is read back and reaches the request', async () => {
    const p = await confirmed('Épicerie des Chartrons');
    const readBack = asRead(await p.say('Trésorerie tendue'));
    expect(readBack).toContain('Je joins ce message à votre demande, pour votre chargé·e d’accompagnement : « Trésorerie tendue » ?');
    expect(asRead(await p.say('oui'))).toContain('C’est transmis : votre message est joint à votre demande.');
    const later = persona(p.userId);
    await later.join();
    expect(asRead(await later.say('on a aussi un souci avec notre local'))).toContain('« on a aussi un souci avec notre local » ?');
    await later.say('Oui, le transmettre');
    const handoff = await fx.db.connection.db!.collection('handoffs').findOne({ dossierId: (await dossierOf(p))!._id, reason: 'diagnostic_confirmed' });
    expect(handoff?.messages.map((m: { text: string }) => m.text)).toEqual(['Trésorerie tendue', 'on a aussi un souci avec notre local']);
  });

  it('a structure whose diagnostic was passed on is welcomed back with where its request stands, then offered what may come next (not that question again)', async () => {
    const p = await confirmed('Épicerie du Vieux Port');
    clock += 3 * DAY;
    const later = persona(p.userId);
    const welcome = asRead(await later.join());
    expect(welcome).toContain('Bon retour');
    expect(welcome).not.toContain('Bonjour et bienvenue');
    expect(welcome).toMatch(/Votre demande a été transmise le \d{2}\/\d{2}\/\d{4} au DLA de la Gironde/);
    expect(later.last(1)[0].suggestedActions?.actions.map((a) => asRead(a.title))).toEqual([
      'J’ai un nouveau besoin', 'Parler à un·e chargé·e', 'Mes données', 'Découvrir le DLA', 'Qui peut être accompagné ?', 'Vérifier si ma structure peut être accompagnée', 'Aide',
    ]);
    const status = asRead(await later.say('Où en est ma demande ?'));
    expect(status).toContain('Votre demande a été transmise le');
    // Confirmed on 2 March 2026: the check-in 15 months later is said, last.
    expect(status).toMatch(/Un point de suivi est prévu le \d{2}\/06\/2027 : je vous écrirai pour savoir où vous en êtes\.\n/);
    // Checking its eligibility again tells the same, the next check-in included.
    const again = asRead(await later.say('Vérifier si ma structure peut être accompagnée'));
    expect(again).toContain('peut être accompagnée par le DLA');
    expect(again).toContain(status.split('\n')[0]);
    expect(again).toContain('Voulez-vous corriger vos réponses ?');
    await later.say('Non merci');
    // Found out of scope after the call: no accompaniment, no follow-up announced.
    await fx.db.connection.db!.collection('dossiers').updateOne({ _id: (await dossierOf(p))!._id as never }, { $set: {
      chargeDecision: { outcome: 'out_of_scope', by: 'Sophie Bernard', byEmail: 'sophie@dla33.example', at: new Date(clock) },
    } });
    const refused = asRead(await later.say('Où en est ma demande ?'));
    expect(refused).toContain('Sophie Bernard a conclu que votre demande ne relève pas du DLA');
    expect(refused).not.toContain('point de suivi');
    const refusedAgain = asRead(await later.say('Vérifier si ma structure peut être accompagnée'));
    expect(refusedAgain).toContain(refused.split('\n')[0]);
    expect(refusedAgain).not.toContain('point de suivi');
  });

  it('a diagnostic confirmed in another tab is not reopened by this one’s old question', async () => {
    const { p } = await eligible('Ressourcerie des Deux Rives');
    await p.say('Collecte et revente d’objets');
    // Meanwhile the same person confirmed the diagnostic in another tab.
    const repo = new DossierRepository(fx.db.connection);
    const other = (await dossierOf(p))!;
    other.diagnostic!.confirmedAt = new Date();
    other.diagnostic!.version = 1;
    await repo.save(other);
    const reply = await p.say('300 000 €');
    expect(reply).toContain('Ce diagnostic a déjà été confirmé');
    expect(reply).toContain('Que souhaitez-vous faire ?'); // the menu, not the next question
    expect(reply).not.toContain('D’où viennent vos ressources');
    const d = (await dossierOf(p))!;
    expect(d.diagnostic!.answers.budget).toBeUndefined();
    expect(d.diagnostic!.version).toBe(1);
  });

  it('takes an area’s answers from a card submit (situation and urgency at once)', async () => {
    const { p } = await eligible('Recyclerie des Deux Rives');
    for (const text of ['Recyclerie', '90 000 euros', 'ventes 70 %, subventions 30 %', '3 salariés, 15 bénévoles', 'Bureau de 5 personnes']) await p.say(text);
    const card = p.last(1)[0].attachments?.[0];
    expect(card?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(card?.content)).toContain('Action.Submit');
    const res = await fetch(`${fx.app.baseUrl}/api/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...p.channel.say(''), text: undefined, value: { area: 'organisation', situation: 'Pas de fiches de poste', urgency: '3' } }),
    });
    expect(res.status).toBe(200);
    expect(connectorText(p)).toContain('Ressources humaines : comment décririez-vous');
    const d = (await dossierOf(p))!.diagnostic!;
    expect(d.answers).toMatchObject({ organisation_situation: 'Pas de fiches de poste', organisation_urgency: 3 });
    // « mes données » shows the card exchange too: the card's question and what was submitted.
    await p.say('mes données');
    await p.say('Recevoir mes données');
    const messages = exportOf(p).conversations.flatMap((c) => c.messages);
    // What was answered in words, and the card's data as it was submitted.
    expect(messages).toContainEqual(expect.objectContaining({
      from: 'vous', answer: 'Pas de fiches de poste · 3', submitted: { area: 'organisation', situation: 'Pas de fiches de poste', urgency: '3' },
    }));
    expect(messages.some((m) => m.cards?.some((c) => c.includes('Organisation interne')))).toBe(true);
  });

  it('an area card submitted without its urgency keeps the situation and asks the urgency (no loop back to the situation)', async () => {
    const { p } = await eligible('Recyclerie du Mont');
    for (const text of ['Recyclerie', '90 000 euros', 'ventes 70 %, subventions 30 %', '3 salariés, 15 bénévoles', 'Bureau de 5 personnes']) await p.say(text);
    const res = await post(fx.app.baseUrl, { ...p.channel.say(''), text: undefined, value: { area: 'organisation', situation: 'Pas de fiches de poste' } });
    expect(res.status).toBe(200);
    expect(connectorText(p)).toContain('quelle urgence');
    expect(await p.say('3')).toContain('Ressources humaines : comment décririez-vous');
    expect((await dossierOf(p))!.diagnostic!.answers).toMatchObject({ organisation_situation: 'Pas de fiches de poste', organisation_urgency: 3 });
  });

  it('an area card submitted with its urgency but no situation keeps the urgency: the situation typed next answers both', async () => {
    const { p } = await eligible('Recyclerie du Pont');
    for (const text of ['Recyclerie', '90 000 euros', 'ventes 70 %, subventions 30 %', '3 salariés, 15 bénévoles', 'Bureau de 5 personnes']) await p.say(text);
    const res = await post(fx.app.baseUrl, { ...p.channel.say(''), text: undefined, value: { area: 'organisation', urgency: '2' } });
    expect(res.status).toBe(200);
    expect(connectorText(p)).toContain('Décrivez la situation');
    const next = await p.say('les roles sont flous');
    expect(next).not.toContain('quelle urgence');
    expect(next).toContain('Ressources humaines : comment décririez-vous');
    expect((await dossierOf(p))!.diagnostic!.answers).toMatchObject({ organisation_situation: 'les roles sont flous', organisation_urgency: 2 });
  });

  it('takes the area’s card at its urgency question too (a few words typed first, then the card filled in)', async () => {
    const { p } = await eligible('Recyclerie du Val');
    for (const text of ['Recyclerie', '90 000 euros', 'ventes 70 %, subventions 30 %', '3 salariés, 15 bénévoles', 'Bureau de 5 personnes']) await p.say(text);
    expect(await p.say('euh je sais pas trop')).toContain('quelle urgence');
    const submit = (value: Record<string, string>) => fetch(`${fx.app.baseUrl}/api/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...p.channel.say(''), text: undefined, value }),
    });
    // Another area's card is refused, and the urgency buttons stay.
    expect((await submit({ area: 'finance', situation: 'Trésorerie tendue', urgency: '2' })).status).toBe(200);
    const refused = p.last(1)[0];
    expect(refused.text).toContain('Ce formulaire ne correspond pas à la question en cours');
    expect(refused.suggestedActions?.actions.map((a) => a.title)).toEqual(['1 · peut attendre', '2 · à traiter', '3 · urgent', '4 · très urgent']);
    expect((await submit({ area: 'organisation', situation: 'Pas de fiches de poste', urgency: '3' })).status).toBe(200);
    expect(connectorText(p)).toContain('Ressources humaines : comment décririez-vous');
    expect((await dossierOf(p))!.diagnostic!.answers).toMatchObject({ organisation_situation: 'Pas de fiches de poste', organisation_urgency: 3 });
  });

  it('re-prompts on nonsense at every kind of step, and corrects a contradictory answer at review', async () => {
    const { p } = await eligible('Compagnie Théâtre en Rue');
    expect(await p.say('Spectacles de rue')).toContain('budget annuel');
    expect(await p.say('bof')).toContain('Je n’ai pas trouvé de montant');
    expect(await p.say('120 k€')).toContain('D’où viennent vos ressources');
    expect(await p.say('subventions 80 %, billetterie 50 %')).toContain('130 %');
    expect(await p.say('subventions 70 %, billetterie 30 %')).toContain('salarié·es');
    await p.say('2 salariés et 10 bénévoles');
    await p.say('Collégiale, 6 personnes');
    for (const [situation] of AREAS_TEXT) {
      await p.say(situation);
      expect(await p.say('zzz')).toContain('Je n’ai pas compris l’urgence');
      await p.say('1');
    }
    await p.say('non');
    await p.say('le week-end');
    await p.say('Trouver de nouveaux financements');
    await p.say('Oui');
    expect(await p.say('n’importe quoi')).toContain('Je n’ai pas compris ce nouvel ordre');
    const summary = await p.say('oui');
    expect(summary).toContain('Trésorerie tendue en fin d’année (urgence 1/4)');
    expect(await p.say('Corriger une réponse')).toContain('Quelle réponse voulez-vous corriger');
    expect(await p.say('rien finalement')).toContain('Voici le résumé'); // a way back
    await p.say('Corriger une réponse');
    const fix = await p.say('Finances');
    expect(fix).toContain('Finances : comment décririez-vous');
    // What it wrote before is shown, and already filled in the area's card.
    expect(fix).toContain('Votre réponse précédente : Trésorerie tendue en fin d’année (urgence 1/4)');
    const inputs = (p.last(1)[0].attachments?.[0]?.content as { body: { id?: string; value?: string }[] }).body.filter((b) => b.id);
    expect(inputs.map((b) => [b.id, b.value])).toEqual([['situation', 'Trésorerie tendue en fin d’année'], ['urgency', '1']]);
    // Changing one's mind: « annuler » keeps the answer (and its urgency) as it was.
    const kept = await p.say('annuler');
    expect(kept).toContain('Trésorerie tendue en fin d’année (urgence 1/4)');
    // The needs too, with the themes understood from them (not asked again).
    const themes = (await dossierOf(p))!.diagnostic!.themes;
    await p.say('Corriger une réponse');
    expect(await p.say('Les besoins et les axes')).toContain('Pour la garder telle quelle, écrivez « annuler »');
    expect(await p.say('annuler')).toContain('Voici le résumé');
    expect((await dossierOf(p))!.diagnostic!.themes).toEqual(themes);
    await p.say('Corriger une réponse');
    await p.say('Finances');
    await p.say('Découvert bancaire depuis trois mois');
    await p.say('4');
    const again = await p.say('oui'); // the ranking is proposed again with the new urgency
    expect(again).toContain('Découvert bancaire depuis trois mois (urgence 4/4)');
    expect(await p.say('Je confirme')).toContain('version 1');
  });

  /** As read: no markdown bold, ordinary spaces. */
  const plain = (text: string) => text.replace(/\*\*/g, '').replace(/[\u202f\u00a0]/g, ' ');

  it('reads funding shares without commas, and re-asks when a source has no share or the answer is an amount', async () => {
    const { p } = await eligible('Ressourcerie du Lac');
    await p.say('Ressourcerie et ateliers de réparation');
    await p.say('150 000 €');
    expect(await p.say('deux cent mille euros')).toContain('C’est un montant : ici, j’ai besoin de la répartition');
    expect(await p.say('subventions 60 %, ventes')).toContain('Il manque la part de : « ventes »');
    expect(await p.say('subventions 60 % ventes 40 %')).toContain('salarié·es');
    let d = (await dossierOf(p))!.diagnostic!;
    expect((d.answers.funding as { sources: unknown[] }).sources).toEqual([
      { source: 'public_grants', label: 'subventions', share: 60 },
      { source: 'sales', label: 'ventes', share: 40 },
    ]);
    // The same at review, with the label after its share
    await p.say('3 salariés et 10 bénévoles');
    await p.say('Bureau de 5 personnes');
    for (const [situation, urgency] of AREAS_TEXT) {
      await p.say(situation);
      await p.say(urgency);
    }
    await p.say('non');
    await p.say('les lundis');
    await p.say('Diversifier nos financements');
    await p.say('Oui');
    expect(plain(await p.say('oui'))).toContain('Financements : subventions 60 %, ventes 40 %');
    await p.say('Corriger une réponse');
    const fix = plain(await p.say('Financements'));
    expect(fix).toContain('D’où viennent vos ressources');
    expect(fix).toContain('Votre réponse précédente : subventions 60 %, ventes 40 %');
    expect(plain(await p.say('3/4 subventions 1/4 prestations'))).toContain('Financements : subventions 75 %, prestations 25 %');
    d = (await dossierOf(p))!.diagnostic!;
    expect((d.answers.funding as { sources: { share: number }[] }).sources.map((s) => s.share)).toEqual([75, 25]);
    // Naming the answer at the summary corrects it straight away: with its new value, the summary comes back with it…
    const budget = plain(await p.say('attendez le budget c’est plutôt 600 000 cette année'));
    expect(budget).toContain('Budget annuel : 600 000 €');
    expect(budget).toContain('Confirmez-vous ce résumé ?');
    // …without one, the question is asked again.
    const again = plain(await p.say('non le budget est faux'));
    expect(again).toContain('Quel est votre budget annuel');
    expect(again).toContain('Votre réponse précédente : 600 000 €');
  });

  it('does not ask again the ETP given at the accueil: only the volunteers, and the summary says where the ETP came from', async () => {
    const { p } = await eligible('Groupement Solidaire');
    for (const text of ['Groupement d’employeurs', '320 000 €', 'subventions 70 %, ventes 30 %']) await p.say(text);
    const asked = asRead(p.last(1)[0].text ?? '');
    expect(asked).toContain('À l’accueil, vous avez indiqué 4 ETP (équivalents temps plein) de salarié·es. Combien de bénévoles actif·ves');
    expect(asRead(await p.say('comme dit plus haut'))).toContain('Combien de bénévoles actif·ves ? Par exemple « 12 », « une vingtaine » ou « aucun ».');
    expect(await p.say('une vingtaine')).toContain('gouvernance');
    expect((await dossierOf(p))!.diagnostic!.answers.staff).toEqual({ employees: 4, volunteers: 20, text: 'une vingtaine', etpFromAccueil: true });
    expect(asRead(diagnosticFacts((await dossierOf(p))!.diagnostic!.answers, fr).find((f) => f.key === 'staff')!.value)).toBe('4 ETP de salarié·es (dit à l’accueil), 20 bénévoles');
  });

  it('the volunteers « une 15aine » read as about 15; an answer kept as typed after the retries (« bof ») leaves the accueil\'s ETP in the summary', async () => {
    const { p } = await eligible('Groupement Solidaire');
    for (const text of ['Groupement d’employeurs', '320 000 €', 'subventions 70 %, ventes 30 %']) await p.say(text);
    expect(await p.say('une 15aine')).toContain('gouvernance');
    expect((await dossierOf(p))!.diagnostic!.answers.staff).toMatchObject({ employees: 4, volunteers: 15, etpFromAccueil: true });

    const { p: q } = await eligible('Club Solidaire');
    for (const text of ['Club de sport', '120 000 €', 'subventions 70 %, ventes 30 %', 'bof', 'bof']) await q.say(text);
    expect(await q.say('bof')).toContain('gouvernance');
    const staff = diagnosticFacts((await dossierOf(q))!.diagnostic!.answers, fr).find((f) => f.key === 'staff')!.value;
    expect(asRead(staff)).toBe('4 ETP de salarié·es (dit à l’accueil), bénévoles : « bof » (tel qu’écrit, à vérifier)');
  });

  it('an ETP said after the volunteers replaces the accueil\'s; a remainder « de la région et de la métropole » is one source', async () => {
    const { p } = await eligible('Club Nautique');
    for (const text of ['Club de voile', '150 000 €']) await p.say(text);
    // « le reste c'est des subventions de la région et de la métropole »: one remainder, labelled subventions.
    expect(await p.say("ventes 85% a peu pres, le reste c'est des subventions de la region et de la metropole")).toContain('bénévoles');
    expect((await dossierOf(p))!.diagnostic!.answers.funding).toMatchObject({ sources: [{ label: 'ventes', share: 85 }, { label: 'subventions', share: 15 }] });
    expect(await p.say("euh... une trentaine de benevoles, et on a embauché quelqu'un le mois dernier donc 3,5 etp maintenant")).toContain('gouvernance');
    expect((await dossierOf(p))!.diagnostic!.answers.staff).toMatchObject({ employees: 3.5, volunteers: 30 });
    expect((await dossierOf(p))!.diagnostic!.answers.staff).not.toHaveProperty('etpFromAccueil');
  });

  it('the volunteers asked, answered with a bare count before newer staff (« une trentaine, et on est passé à 5 salariés »): both kept and said back', async () => {
    const { p } = await eligible('Solidarité Numérique');
    for (const text of ['Ateliers numériques pour les seniors', '90 000 €', 'subventions 80 %, cotisations 20 %']) await p.say(text);
    const noted = asRead(await p.say('une trentaine, et en fait on est passé a 5 salariés depuis septembre'));
    expect(noted).toContain('J’ai noté : 5 salarié·es (ETP) et 30 bénévoles.');
    expect((await dossierOf(p))!.diagnostic!.answers.staff).toMatchObject({ employees: 5, volunteers: 30 });
  });

  it('staff newer than the accueil\'s (« on est passé à 3 salariés ») is stored as numbers, said back once, and current in the back-office and its CSV, the accueil\'s next to it; no number read keeps the accueil\'s', async () => {
    await ensureAdmin(fx.db.connection, { info: () => undefined, warn: () => undefined });
    const token = await createUserToken(fx.db.connection, BOOTSTRAP_ADMIN);
    const api = async (path: string) => fetch(`${fx.app.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const employeesFact = async (id: string) => asRead((await (await api(`/admin/api/dossiers/${encodeURIComponent(id)}`)).json())
      .answerFacts.find((f: { key: string }) => f.key === 'employees').value);
    const csvEtp = async (id: string) => {
      const lines = (await (await api('/admin/api/export.csv')).text()).slice(1).split('\r\n');
      const column = lines[0].split(';').indexOf('"Salarié·es (ETP)"');
      return lines.find((l) => l.startsWith(`"${id}"`))!.split(';')[column];
    };

    const { p } = await eligible('Ressourcerie des Quais'); // 4 ETP at the accueil
    for (const text of ['Ressourcerie', '200 000 €', 'subventions 60 %, ventes 40 %']) await p.say(text);
    const noted = asRead(await p.say('5 benevoles, et on est passé a 3 salariés temps plein depuis septembre'));
    expect(noted).toContain('J’ai noté : 3 salarié·es (ETP) et 5 bénévoles.');
    expect(noted).toContain('gouvernance');
    const dossier = (await dossierOf(p))!;
    expect(dossier.diagnostic!.answers.staff).toEqual({ employees: 3, volunteers: 5, text: '5 benevoles, et on est passé a 3 salariés temps plein depuis septembre' });
    expect(dossier.answers.employees).toMatchObject({ etp: 4 }); // the accueil's, kept
    expect(await employeesFact(dossier._id)).toBe('3 ETP (dit au diagnostic ; à l’accueil : 4 ETP)');
    expect(await csvEtp(dossier._id)).toBe('"3"');
    // Said once: the next answer is not followed by it again.
    expect(asRead(await p.say('9 membres au CA, le bureau décide chaque mois'))).not.toContain('J’ai noté');

    // Volunteers only, or words with no number: the accueil's ETP stays the current one, nothing said back.
    const other = (await eligible('Ressourcerie du Port')).p;
    for (const text of ['Ressourcerie', '200 000 €', 'subventions 60 %, ventes 40 %']) await other.say(text);
    expect(asRead(await other.say('une vingtaine'))).not.toContain('J’ai noté');
    const kept = (await dossierOf(other))!;
    expect(await employeesFact(kept._id)).toBe('4 ETP');
    expect(await csvEtp(kept._id)).toBe('"4"');
  });

  it.each([
    ['subventions 100000 ventes 80000', 'subventions 56 %, ventes 44 %', 'Atelier Vélo du Nord'],
    ['subventions 60% ventes 40%', 'subventions 60 %, ventes 40 %', 'Atelier Vélo du Sud'],
    ['subventions 60 ventes 40', 'subventions 60 %, ventes 40 %', 'Atelier Vélo de l’Est'],
  ])('reads « %s », with no comma between the sources, into shares at once', async (answer, summary, name) => {
    const { p } = await eligible(name);
    await p.say('Atelier vélo solidaire');
    await p.say('180 000 €');
    expect(await p.say(answer)).toContain('salarié·es'); // the next question: nothing asked again
    const funding = (await dossierOf(p))!.diagnostic!.answers.funding as { sources: { label: string; share: number }[] };
    expect(funding.sources.map((s) => `${s.label} ${s.share} %`).join(', ')).toBe(summary);
  });

  it('completes a funding answer with the missing shares given next, without losing what was said first', async () => {
    const { p } = await eligible('Groupement Solidaire');
    await p.say('Groupement d’employeurs');
    await p.say('320 000 €');
    expect(await p.say('surtout des subventions genre 70%, des adhesions et un peu de ventes')).toContain('Il manque la part de : « adhesions », « ventes »');
    expect(await p.say('adhesions 15 ventes 15')).toContain('salarié·es'); // the next question
    const funding = (await dossierOf(p))!.diagnostic!.answers.funding as { sources: { label: string; share: number }[]; text: string };
    expect(funding.sources.map((s) => [s.label, s.share])).toEqual([['subventions', 70], ['adhesions', 15], ['ventes', 15]]);
    expect(funding.text).toBe('surtout des subventions genre 70%, des adhesions et un peu de ventes ; adhesions 15 ventes 15');
  });

  it('three keyboard mashes in a row at a free-text question hand over to a chargé·e, without asking again nor keeping the mash', async () => {
    const { p } = await eligible('Club Nautique du Lac');
    for (const nonsense of ['asdfgh', 'qwerty']) expect(await p.say(nonsense)).toContain('Décrivez votre activité en quelques mots');
    const third = await p.say('zzzz zzzz');
    expect(third).toMatch(/^Je n’arrive pas à vous comprendre/);
    expect(third).not.toContain('Décrivez votre activité');
    const dossier = (await dossierOf(p))!;
    expect(dossier.diagnostic?.answers.activity).toBeUndefined();
    const handoffs = await fx.db.connection.db!.collection('handoffs').find({ dossierId: dossier._id }).toArray();
    expect(handoffs.map((h) => [h.reason, h.message])).toEqual([['not_understood', 'asdfgh\nqwerty\nzzzz zzzz']]);
  });

  it('re-prompts with an example twice, then keeps an unread answer as written and says so; « ??? » is never an answer', async () => {
    const { p } = await eligible('Club Sportif des Quais');
    for (const nonsense of ['???', '🙂🙂🙂']) {
      const reply = await p.say(nonsense);
      expect(reply).toContain('Décrivez votre activité en quelques mots, par exemple « épicerie solidaire');
    }
    expect(await p.say('Club de football amateur')).toContain('budget annuel');
    expect(await p.say('bof')).toContain('Indiquez votre budget annuel en euros, par exemple « 180 000 € »');
    expect(await p.say('Découvrir le DLA')).toContain('Je n’ai pas trouvé de montant'); // a second retry, not kept yet
    const kept = await p.say('bof');
    expect(kept).toContain('je la garde telle que vous l’avez écrite (« bof »), votre chargé·e la vérifiera');
    expect(kept).toContain('corriger au moment du résumé');
    expect(kept).toContain('D’où viennent vos ressources');
    expect(await p.say('deux cent mille euros')).toContain('C’est un montant');
    expect(await p.say('menu')).toContain('Je n’ai pas reconnu vos sources de financement');
    expect(await p.say('je ne sais pas')).toContain('salarié·es'); // an answer, without a notice
    const d = (await dossierOf(p))!.diagnostic!;
    expect(d.answers).toMatchObject({ activity: 'Club de football amateur', budget: { text: 'bof', unread: true }, funding: { sources: [], text: 'je ne sais pas' } });
    expect(d.answers.funding).not.toHaveProperty('unread');
  });

  /** Up to the first area's urgency question (its situation answered). */
  async function atFirstUrgency(name: string): Promise<Persona> {
    const { p } = await eligible(name);
    for (const text of ['Recyclerie', '150 000 €', 'ventes 60 %, subventions 40 %', '12 bénévoles', 'Bureau de 5 personnes']) await p.say(text);
    expect(await p.say('Les rôles ne sont pas clairs')).toContain('Organisation interne : quelle urgence');
    return p;
  }

  const handoffsOf = async (p: Persona) => fx.db.connection.db!.collection('handoffs').find({ dossierId: (await dossierOf(p))!._id }).toArray();

  it('an urgency that cannot be read ends: words kept as written after two retries, « je ne sais pas » unrated — the ranking and the summary say so', async () => {
    const p = await atFirstUrgency('Ressourcerie du Born');
    expect(await p.say('bof')).toContain('Je n’ai pas compris l’urgence');
    expect(await p.say('ça dépend')).toContain('Je n’ai pas compris l’urgence');
    const kept = await p.say('bof, ça dépend des semaines');
    expect(kept).toContain('je la garde telle que vous l’avez écrite (« bof, ça dépend des semaines »)');
    expect(kept).toContain('Ressources humaines : comment décririez-vous');
    await p.say('Deux départs cette année');
    // « je ne sais pas » is an answer: the next area, at once.
    const next = await p.say('je sais pas trop');
    expect(next).toContain('Stratégie et projet : comment décririez-vous');
    expect(next).not.toContain('urgence');
    for (const text of ['Projet à revoir', '4', 'Ça va', '1', 'Ça va', '1', 'non', 'les mardis', 'Diversifier nos financements']) await p.say(text);
    const ranking = asRead(await p.say('Oui'));
    expect(ranking).toContain('je vous propose cet ordre');
    expect(ranking).toMatch(/^1\. Projet et stratégie — urgence 4\/4 : Stratégie et projet$/m);
    // The areas whose urgency was not said are there to place, after those that weigh.
    expect(ranking).toMatch(/^3\. Organisation interne — urgence non précisée$/m);
    expect(ranking).toContain('Emploi et ressources humaines (salarié·es, bénévoles) — urgence non précisée : Ressources humaines');
    const summary = asRead(await p.say('Oui'));
    expect(summary).toContain('Les rôles ne sont pas clairs (urgence : « bof, ça dépend des semaines », tel qu’écrit, à vérifier)');
    expect(summary).toContain('Deux départs cette année (urgence non précisée)');
    expect(await p.say('Je confirme')).toContain('version 1');
    const d = (await dossierOf(p))!.diagnostic!;
    expect(d.answers).toMatchObject({ organisation_urgency: { text: 'bof, ça dépend des semaines', unread: true }, people_urgency: { text: 'je sais pas trop' }, strategy_urgency: 4 });
    expect(d.primaryTheme).toBe('projet_strategie');
  });

  it('« ??? » or a keyboard mash at the budget or at an urgency is not understood: the third in a row hands over to a chargé·e instead of asking forever', async () => {
    const { p } = await eligible('Ressourcerie du Marensin');
    await p.say('Recyclerie');
    for (const nonsense of ['???', '🙂🙂']) expect(await p.say(nonsense)).toContain('Je n’ai pas trouvé de montant');
    const third = await p.say('???');
    expect(third).toMatch(/^Je n’arrive pas à vous comprendre/);
    expect(third).not.toContain('Je n’ai pas trouvé de montant');
    expect((await dossierOf(p))!.diagnostic!.answers.budget).toBeUndefined();
    expect((await handoffsOf(p)).map((h) => [h.reason, h.message])).toEqual([['not_understood', '???\n🙂🙂\n???']]);

    const q = await atFirstUrgency('Ressourcerie du Tursan');
    for (const nonsense of ['asdfgh', '???']) expect(await q.say(nonsense)).toContain('Je n’ai pas compris l’urgence');
    expect(await q.say('qwerty')).toMatch(/^Je n’arrive pas à vous comprendre/);
    expect((await dossierOf(q))!.diagnostic!.answers.organisation_urgency).toBeUndefined();
    expect((await handoffsOf(q)).map((h) => [h.reason, h.message])).toEqual([['not_understood', 'asdfgh\n???\nqwerty']]);
  });

  it('an area card sent again and again without its urgency is not understood: the third in a row hands over', async () => {
    const p = await atFirstUrgency('Ressourcerie de Chalosse');
    const card = () => post(fx.app.baseUrl, { ...p.channel.say(''), text: undefined, value: { area: 'organisation', situation: 'Les rôles ne sont pas clairs' } });
    for (let i = 0; i < 2; i++) {
      await card();
      expect(connectorText(p)).toContain('Je n’ai pas compris l’urgence');
    }
    await card();
    expect(connectorText(p)).toMatch(/^Je n’arrive pas à vous comprendre/);
    expect((await handoffsOf(p)).map((h) => h.reason)).toEqual(['not_understood']);
  });

  it('a situation that is only an urgency (« c’est urgent ») is asked for twice, then kept with the urgency its words give', async () => {
    const { p } = await eligible('Ressourcerie des Graves');
    for (const text of ['Recyclerie', '150 000 €', 'ventes 60 %, subventions 40 %', '12 bénévoles', 'Bureau de 5 personnes']) await p.say(text);
    expect(await p.say('c’est urgent')).toContain('Décrivez d’abord la situation');
    expect(await p.say('urgent')).toContain('Décrivez d’abord la situation');
    const kept = await p.say('très urgent');
    expect(kept).toContain('Organisation interne : urgence notée « 4 · très urgent », d’après vos mots');
    expect(kept).toContain('Ressources humaines : comment décririez-vous');
    expect((await dossierOf(p))!.diagnostic!.answers).toMatchObject({ organisation_situation: 'très urgent', organisation_urgency: 4 });
  });

  it('the ranking ends: a first « non » asks for the order; then the third answer in a row that gives none hands over; « je ne sais pas » keeps the order shown', async () => {
    const p = await atThemes('Ressourcerie du Médoc', 'Diversifier nos financements');
    expect(await p.say('Oui')).toContain('je vous propose cet ordre');
    expect(await p.say('non')).toContain('donnez l’ordre qui vous convient');
    expect(await p.say('n’importe quoi')).toContain('Je n’ai pas compris ce nouvel ordre');
    expect(await p.say('bof')).toContain('donnez l’ordre qui vous convient');
    const third = await p.say('euh');
    expect(third).toMatch(/^Je n’arrive pas à vous comprendre/);
    expect((await handoffsOf(p)).map((h) => [h.reason, h.message])).toEqual([['not_understood', 'n’importe quoi\nbof\neuh']]);

    const q = await atThemes('Ressourcerie du Blayais', 'Diversifier nos financements');
    await q.say('Oui');
    const proposed = (await dossierOf(q))!;
    const summary = await q.say('je sais pas trop');
    expect(summary).toContain('je garde cet ordre, votre chargé·e le reverra avec vous');
    expect(summary).toContain('Voici le résumé');
    expect((await dossierOf(q))!.diagnostic!.ranking).toHaveLength(3);
    expect(proposed.diagnostic!.ranking ?? []).toEqual([]);
  });

  it('the themes list ends too: « je ne sais pas » keeps what was understood, three answers naming no theme hand over', async () => {
    const p = await atThemes('Ressourcerie du Libournais', 'Diversifier nos financements');
    await p.say('Corriger');
    expect(await p.say('je ne sais pas')).toContain('je vous propose cet ordre');
    expect((await dossierOf(p))!.diagnostic!.themes).toEqual(['diversification_financements']);

    const q = await atThemes('Ressourcerie de l’Entre-deux-Mers', 'Diversifier nos financements');
    await q.say('Corriger');
    for (const answer of ['bof', 'euh']) expect(await q.say(answer)).toContain('Je n’ai pas compris : donnez un ou plusieurs numéros');
    expect(await q.say('aucun de ceux-là')).toMatch(/^Je n’arrive pas à vous comprendre/);
    expect((await handoffsOf(q)).map((h) => h.reason)).toEqual(['not_understood']);
  });

  it('ranks with every reason, names an axis that is not proposed, confirms « votre ordre », and keeps it through corrections', async () => {
    const { p } = await eligible('Tiers-Lieu des Chartrons');
    for (const text of ['Tiers-lieu culturel', '120 000 €', 'subventions 70 %, ventes 30 %', '2 salariés, 30 bénévoles', 'Bureau de 6 personnes']) await p.say(text);
    for (const [situation, urgency] of [['Ça va', '1'], ['Départs en série', '4'], ['Projet à revoir', '2'], ['Ça va', '1'], ['Ça va', '1']]) {
      await p.say(situation);
      await p.say(urgency);
    }
    await p.say('non');
    await p.say('les jeudis');
    await p.say('Revoir notre projet associatif et passer au numérique');
    const proposal = await p.say('Oui');
    expect(proposal).toContain('je vous propose cet ordre');
    // Projet et stratégie is first because of its urgency and the needs: both are said.
    expect(proposal).toContain('1. Projet et stratégie — urgence 2/4 : Stratégie et projet ; et cité dans vos besoins');
    expect(proposal).toContain('2. Emploi et ressources humaines (salarié·es, bénévoles) — urgence 4/4 : Ressources humaines');
    expect(proposal).toContain('3. Numérique — cité dans vos besoins');
    const unknown = await p.say('la gouvernance en premier');
    expect(unknown).toContain('« Gouvernance (dirigeant·es, instances) » ne fait pas partie des axes proposés');
    expect(unknown).toContain('3. Numérique');
    const yours = await p.say('le numérique en premier');
    expect(yours).toContain('Voici votre ordre');
    expect(yours).not.toContain('je vous propose');
    expect(yours).toContain('1. Numérique');
    // A pause before confirming keeps the structure's order.
    await p.say('pause');
    const resumed = await p.say('reprendre');
    expect(resumed).toContain('Toutes les questions ont leur réponse');
    expect(resumed).not.toContain('il reste 0');
    expect(resumed).toContain('Voici votre ordre');
    expect(resumed).toContain('1. Numérique');
    const ORDER = 'Axes de changement : 1. Numérique ; 2. Projet et stratégie ; 3. Emploi et ressources humaines (salarié·es, bénévoles)';
    expect(plain(await p.say('oui'))).toContain(ORDER);
    // A correction that leaves the axes as they are: straight back to the summary, the order kept.
    await p.say('Corriger une réponse');
    expect(await p.say('Budget annuel')).toContain('budget annuel');
    const summary = plain(await p.say('environ 180 000 €'));
    expect(summary).toContain('Voici le résumé');
    expect(summary).toContain('180 000 €');
    expect(summary).toContain(ORDER);
    expect(summary).not.toContain('je vous propose');
    // « Les besoins et les axes »: the ranking is shown again, in the structure's order.
    await p.say('Corriger une réponse');
    await p.say('Les besoins et les axes');
    await p.say('Revoir notre projet associatif et passer au numérique');
    const again = await p.say('Oui');
    expect(again).toContain('Voici votre ordre');
    expect(again).toContain('1. Numérique');
    expect(plain(await p.say('oui'))).toContain(ORDER);
    // A correction that adds an axis: said, placed as proposed, the structure's order kept for the others.
    await p.say('Corriger une réponse');
    await p.say('Finances');
    await p.say('Découvert depuis trois mois');
    const changed = await p.say('4');
    expect(changed).toContain('Votre correction change les axes (nouveau : Restructuration économique et financière)');
    expect(changed).toContain('1. Numérique');
    expect(changed).toContain('2. Restructuration économique et financière — urgence 4/4 : Finances');
    expect(changed).toContain('3. Projet et stratégie');
    expect(plain(await p.say('oui'))).toContain('1. Numérique ; 2. Restructuration économique et financière ; 3. Projet et stratégie ; 4. Emploi');
    expect(await p.say('Je confirme')).toContain('version 1');
    expect((await dossierOf(p))!.diagnostic!.ranking).toEqual(['numerique', 'restructuration_eco_fin', 'projet_strategie', 'rh_emploi']);
  });

  it('ignores a double click on an area card; an old card is told once to answer the latest question', async () => {
    const { p } = await eligible('Jardins Partagés de Bègles');
    for (const text of ['Jardins partagés', '60 000 €', 'subventions 50 %, cotisations 50 %', '1 salarié, 20 bénévoles', 'Bureau de 4 personnes']) await p.say(text);
    const submit = async (value: Record<string, string>) => {
      const before = fx.connector.messages(p.channel.conversationId).length;
      const res = await fetch(`${fx.app.baseUrl}/api/messages`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...p.channel.say(''), text: undefined, value }),
      });
      expect(res.status).toBe(200);
      return fx.connector.messages(p.channel.conversationId).slice(before);
    };
    const organisation = { area: 'organisation', situation: 'Pas de fiches de poste', urgency: '3' };
    expect((await submit(organisation)).join('\n')).toContain('Ressources humaines : comment décririez-vous');
    expect(await submit(organisation)).toEqual([]); // the double click
    const old = await submit({ area: 'organisation', situation: 'Autre chose', urgency: '1' });
    // The current question is said with it: in Teams it may be far up the thread.
    expect(old).toHaveLength(1);
    expect(asRead(old[0])).toMatch(/^Ce formulaire ne correspond pas à la question en cours, que voici :\n\nRessources humaines : comment décririez-vous/);
    expect(await submit({ area: 'organisation', situation: 'Autre chose', urgency: '1' })).toEqual([]);
    expect(await p.say('Une bénévole épuisée')).toContain('quelle urgence');
    expect((await dossierOf(p))!.diagnostic!.answers).toMatchObject({ organisation_situation: 'Pas de fiches de poste', organisation_urgency: 3, people_situation: 'Une bénévole épuisée' });
  });

  it('switching language at an area question asks it again wholly in the new language', async () => {
    const { p } = await eligible('Fablab du Port');
    for (const text of ['Fablab associatif', '80 000 €', 'subventions 50 %, ventes 50 %', '1 salarié, 15 bénévoles', 'Bureau de 4 personnes']) await p.say(text);
    await p.say('Les rôles ne sont pas clairs');
    const english = await p.say('English');
    expect(english).toContain('Internal organisation: how urgent');
    expect(english).not.toContain('Organisation interne');
  });

  it('switching language at an area card shows the card again in the new language', async () => {
    const { p } = await eligible('Atelier Bois du Quai');
    for (const text of ['Menuiserie solidaire', '90 000 €', 'subventions 50 %, ventes 50 %', '2 salariés, 5 bénévoles', 'Bureau de 3 personnes']) await p.say(text);
    // The last message (Web Chat's language event may follow it).
    const cardTexts = () => JSON.stringify(p.last(3).filter((a) => a.type === 'message').pop()?.attachments?.[0]?.content);
    expect(cardTexts()).toContain('Valider');
    await p.say('English');
    expect(cardTexts()).toContain('Internal organisation');
    expect(cardTexts()).toContain('Submit');
    expect(cardTexts()).not.toContain('Valider');
  });

  it('the themes can be corrected in words, not only by their numbers', async () => {
    const p = await atThemes('Recyclerie des Bastides', 'Nous voulons développer notre activité');
    const choose = asRead(await p.say('non'));
    expect(choose).toContain('Quels thèmes correspondent à vos besoins ? Votre réponse remplace ceux que j’avais compris (marqués ✓) ; pour les garder et en ajouter, commencez par « ajouter »');
    expect(choose).toMatch(/\n\d+\. Projet et stratégie ✓\n/); // « développer notre activité »
    expect(choose).toMatch(/\n\d+\. Communication\n/);
    const ranking = await p.say('la diversification des financements et le recrutement');
    expect(ranking).toContain('Diversification des financements');
    expect(ranking).toContain('Emploi et ressources humaines');
    expect((await dossierOf(p))!.diagnostic!.themes).not.toContain('projet_strategie'); // replaced
  });

  it('« garder ceux-là et ajouter… » at the themes adds to what was understood instead of replacing it', async () => {
    const p = await atThemes('Recyclerie des Landes', 'Nous voulons développer notre activité et trouver des financements');
    await p.say('Corriger');
    const ranking = await p.say('garder ceux-là et ajouter l’organisation interne');
    expect(ranking).toContain('Organisation interne');
    expect((await dossierOf(p))!.diagnostic!.themes).toEqual(expect.arrayContaining(['projet_strategie', 'diversification_financements', 'organisation_interne']));
  });

  it.each([
    ['non il manque la communication'],
    ['oui mais il manque aussi la communication'],
    ['ajoute communication'],
  ])('« %s » at « Est-ce juste ? » adds the theme at once (no list to go through)', async (answer) => {
    const p = await atThemes('Recyclerie des Pins', 'Nous voulons développer notre activité');
    const ranking = asRead(await p.say(answer));
    expect(ranking).not.toContain('Quels thèmes correspondent');
    expect(ranking).toContain('C’est noté, j’ajoute : Communication.');
    expect((await dossierOf(p))!.diagnostic!.themes).toEqual(['projet_strategie', 'communication']);
  });

  it('the themes chosen by numbers and words together are all kept (« 3 4 6 et communication »)', async () => {
    const p = await atThemes('Recyclerie des Chênes', 'Nous voulons développer notre activité');
    await p.say('Corriger');
    await p.say('3 4 6 et communication');
    expect((await dossierOf(p))!.diagnostic!.themes).toEqual(['restructuration_eco_fin', 'diversification_financements', 'gouvernance', 'communication']);
  });

  it('a situation typed with its urgency (« …, urgence 3 ») answers both questions', async () => {
    const { p } = await eligible('Garage Solidaire');
    for (const text of ['Garage associatif', '60 000 €', 'ventes 80 %, subventions 20 %', '2 salariés, 5 bénévoles', 'Bureau de 3 personnes']) await p.say(text);
    const next = await p.say('Personne ne sait qui fait quoi, urgence 3');
    expect(next).toContain('Ressources humaines'); // the next area, not « quelle urgence »
    expect(next).not.toContain('quelle urgence');
    expect((await dossierOf(p))!.diagnostic!.answers).toMatchObject({ organisation_situation: 'Personne ne sait qui fait quoi', organisation_urgency: 3 });
    // In words, closing the situation: read, and said (a misreading is seen, and corrected at review).
    const words = asRead(await p.say('Deux départs non remplacés, c’est très urgent !'));
    expect(words).toContain('Ressources humaines : urgence notée « 4 · très urgent », d’après vos mots.');
    expect(words).toContain('Stratégie et projet'); // the next area
    expect((await dossierOf(p))!.diagnostic!.answers).toMatchObject({ people_situation: 'Deux départs non remplacés, c’est très urgent !', people_urgency: 4 });
    // A word after « urgence 4 », a lone figure after a full stop: read too.
    expect(await p.say('Pas de projet écrit depuis 2015. urgence 2 je dirais')).not.toContain('quelle urgence');
    expect(await p.say("on dependait a 30% d'un seul client, c'est fragile. 3")).not.toContain('quelle urgence');
    expect((await dossierOf(p))!.diagnostic!.answers).toMatchObject({
      strategy_situation: 'Pas de projet écrit depuis 2015', strategy_urgency: 2,
      economics_situation: "on dependait a 30% d'un seul client, c'est fragile", economics_urgency: 3,
    });
  });

  it('QA: « urgent 3 », « (2) », « - 1 », « niveau 2 » after a situation answer its urgency too: no question left behind, no answer shifted to the next area', async () => {
    const { p } = await eligible('Compagnie du Bassin');
    for (const text of ['Compagnie de théâtre', '90 000 €', 'subventions 70 %, billetterie 30 %', '2 salariés, 10 bénévoles', 'Bureau de 4 personnes']) await p.say(text);
    const said: [string, string][] = [
      ['tout repose sur le president, urgent 3', 'Ressources humaines'],
      ['difficile de recruter des régisseurs (2)', 'Stratégie et projet'],
      ['la stratégie ça va - 1', 'Modèle économique'],
      ['trop dépendants de la subvention de la ville, niveau 4', 'Finances'],
    ];
    for (const [text, nextArea] of said) {
      const next = await p.say(text);
      expect(next).toContain(nextArea);
      expect(next).not.toContain('quelle urgence');
    }
    expect((await dossierOf(p))!.diagnostic!.answers).toMatchObject({
      organisation_situation: 'tout repose sur le president', organisation_urgency: 3,
      people_situation: 'difficile de recruter des régisseurs', people_urgency: 2,
      strategy_situation: 'la stratégie ça va', strategy_urgency: 1,
      economics_situation: 'trop dépendants de la subvention de la ville', economics_urgency: 4,
    });
  });

  it('QA: a correction at the summary that names two answers says which one is corrected first and that the other is not taken yet', async () => {
    const p = new Persona(() => fx.app, fx.connector, 'en-US');
    await p.join();
    const rna = `W33${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    for (const text of ['Check whether my organisation can get support', 'I agree', 'Harbour Theatre', rna, 'association', '3', '33000',
      'Consolidate our jobs', 'That’s correct', 'Dominique, dominique@example.org', 'Start',
      'Theatre company', '120,000 euros', 'grants 70%, ticket sales 30%', '12 volunteers', 'A board of 6 members']) await p.say(text);
    expect(await p.say('everything rests on the president, urgent 3')).toContain('Human resources');
    expect(await p.say('hard to recruit stage managers, urgent 4')).toContain('Strategy and project');
    expect(await p.say('strategy is ok - 1')).toContain('Economic model');
    expect(await p.say('too dependent on the city council grant, very urgent')).toContain('Finances');
    for (const text of ['cash is tight (2)', 'no', 'Mondays, the manager', 'find new funding', 'Yes', 'Yes']) await p.say(text);
    expect((await dossierOf(p))!.diagnostic!.answers).toMatchObject({ organisation_urgency: 3, people_urgency: 4, strategy_urgency: 1, economics_urgency: 4, finance_urgency: 2 });
    const fix = asRead(await p.say('no, HR urgency is 3 not 4, and strategy should be: write a new artistic project'));
    expect(fix).toContain('I am correcting this first: Human resources. You also named: Strategy and project — not taken into account yet');
    expect(fix).toContain('Human resources: how would you describe the situation today?');
  });

  it.each([
    // QA: « adhésions et dons 10 » is one source with its share, not « adhésions » without one
    ['subv publiques 70%, vente de legumes 20, adhesions et dons 10', [['subventions publiques', 70], ['vente de legumes', 20], ['adhesions et dons', 10]]],
    // QA: without commas, « cotisations + dons » after a percentage is the next source, as with commas
    ['prestations 40% subventions publiques 45% cotisations + dons 15%', [['prestations', 40], ['subventions publiques', 45], ['cotisations + dons', 15]]],
  ])('QA: funding « %s » is read at once, each source with its words and share', async (answer, expected) => {
    const { p } = await eligible('Jardins du Coteau');
    for (const text of ['Maraîchage en insertion', '150 000 €']) await p.say(text);
    const next = asRead(await p.say(answer));
    expect(next).not.toContain('Il manque la part');
    expect(next).toContain('salarié·es');
    const funding = (await dossierOf(p))!.diagnostic!.answers.funding as { sources: { label: string; share: number }[] };
    expect(funding.sources.map((s) => [s.label, s.share])).toEqual(expected);
  });

  it('a messy president in Lyon: a budget of « 180 » asked back, funding as amounts, urgencies in words, a long pasted situation', async () => {
    const { p } = await eligible('Atelier Vélo du Fil Rouge');
    await p.say('atelier velo solidaire et epicerie');
    // A budget under 1 000 € without a unit: asked back once, « 180 000 » then kept.
    expect(asRead(await p.say('180'))).toContain('180 € par an, ou 180 000 € ?');
    expect(await p.say('180 000')).toContain('D’où viennent vos ressources');
    // Amounts by funder: each its line, as shares of their total (no unit, « 20k », « euros » at the end)
    expect(asRead(await p.say('subventions 100000, ventes'))).toContain('Il manque la part de : « ventes »');
    expect(await p.say('metropole 120 000, region 30000, epicerie 20k et mecenat 10 000 euros')).toContain('bénévoles');
    expect(((await dossierOf(p))!.diagnostic!.answers.funding as { sources: { label: string; share: number; euros: number }[] }).sources.map((s) => [s.label, s.share, s.euros]))
      .toEqual([['metropole', 67, 120000], ['region', 17, 30000], ['epicerie', 11, 20000], ['mecenat', 5, 10000]]);
    await p.say('une douzaine de benevoles');
    await p.say('bureau de 5 personnes, AG une fois par an');
    // « un » as an article is no urgency; « a traiter », option 2 without its accent, is 2.
    await p.say('personne ne sait qui fait quoi');
    expect(await p.say('on veut ouvrir un 2e atelier et recruter un mecano')).toContain('Je n’ai pas compris l’urgence');
    expect(await p.say('a traiter')).toContain('Ressources humaines');
    await p.say('pas de fiches de poste');
    await p.say('tres urgent');
    // Closing a situation: « a traiter », said back.
    expect(asRead(await p.say('strategie floue, a traiter'))).toContain('Stratégie et projet : urgence notée « 2 · à traiter », d’après vos mots.');
    // A long text pasted over several lines, « c'est urgent » on its last line before a thank-you.
    const pasted = `${'On dépend de la métropole pour les deux tiers de nos ressources, et la convention se termine fin 2026. '.repeat(28)}\nOn doit trouver d’autres recettes.\nC’est urgent.\n\nMerci d’avance.`;
    expect(pasted.length).toBeGreaterThan(2900);
    expect(asRead(await p.say(pasted))).toContain('Modèle économique : urgence notée « 3 · urgent », d’après vos mots.');
    await p.say('tresorerie ok');
    await p.say('peut attendre');
    expect((await dossierOf(p))!.diagnostic!.answers).toMatchObject({
      organisation_urgency: 2, people_urgency: 4, strategy_urgency: 2, economics_urgency: 3, finance_urgency: 1,
    });
    for (const text of ['non jamais', 'le lundi soir', 'trouver d’autres financements', 'Oui']) await p.say(text);
    const summary = plain(await p.say('Oui'));
    expect(summary).toContain('Budget annuel : 180 000 €');
    expect(summary).toContain('Financements : metropole 67 %, region 17 %, epicerie 11 %, mecenat 5 %');
  });

  it('in English: volunteers, funding shares with « the rest », urgencies in words, themes — understood as the French are', async () => {
    const p = new Persona(() => fx.app, fx.connector, 'en-US');
    await p.join();
    const rna = `W33${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    for (const text of ['Check whether my organisation can get support', 'I agree', 'Green Hands Garden', rna, 'association', '3', '33000',
      'Consolidate our jobs', 'That’s correct', 'Dominique, dominique@example.org']) await p.say(text);
    expect(await p.say('Start')).toContain('main activity');
    await p.say('Community garden and workshops');
    await p.say('120,000 euros');
    // A source without its share is named in English quotes; « the rest » takes what is left.
    expect(await p.say('grants 60%, sales')).toContain('The share is missing for: “sales”.');
    expect(await p.say('about sixty percent public grants, thirty percent ticket sales and workshop fees, and the rest from private donations')).toContain('volunteers');
    expect(((await dossierOf(p))!.diagnostic!.answers.funding as { sources: { label: string; share: number }[] }).sources.map((s) => [s.label, s.share]))
      .toEqual([['public grants', 60], ['ticket sales, fees', 30], ['private donations', 10]]);
    // The ETP is the accueil's: only the volunteers are asked, and the re-prompt's example works with its noun.
    expect(await p.say('about twenty volunteers')).toContain('governance');
    expect((await dossierOf(p))!.diagnostic!.answers.staff).toMatchObject({ employees: 3, volunteers: 20, etpFromAccueil: true });
    await p.say('A board of 6 members');
    // Urgency in words, closing the situation or alone; a figure inside another answer is asked again.
    expect(asRead(await p.say('Nobody knows who does what, moderately urgent'))).toContain('urgency noted as “2 · to address”');
    expect(await p.say('Two volunteers left, hard to recruit')).toContain('how urgent');
    expect(await p.say('Mondays, the manager and two members')).toContain('I did not understand the urgency');
    await p.say('medium');
    expect(asRead(await p.say('Our project dates from 2012, it can wait'))).toContain('urgency noted as “1 · can wait”');
    await p.say('Too dependent on city grants');
    await p.say('very urgent');
    await p.say('Cash is tight at the end of the year');
    await p.say('3');
    await p.say('no');
    await p.say('Mondays, the manager and two members');
    const themes = asRead(await p.say('digitise our order management, train our staff and find new customers among local authorities'));
    for (const theme of ['Digital', 'Internal organisation', 'Jobs and human resources', 'Diversifying funding']) expect(themes).toContain(theme);
    const answers = (await dossierOf(p))!.diagnostic!.answers;
    expect(answers).toMatchObject({ organisation_urgency: 2, people_urgency: 2, strategy_urgency: 1, economics_urgency: 4, finance_urgency: 3 });
  });

  it('« my data » in English after a confirmed diagnosis: English file names, phase, reasons and legal form; the operator named as in every English text', async () => {
    const p = new Persona(() => fx.app, fx.connector, 'en-US');
    await p.join();
    for (const text of ['Check whether my organisation can get support', 'I agree', 'Harbour Gardens', '812 345 676 00017', 'SCIC', '3', '33000',
      'Consolidate our jobs', 'That’s correct', 'Dominique, dominique@example.org', 'Start',
      'Market gardening', '120,000 euros', 'grants 70%, sales 30%', '12 volunteers', 'A board of 6 members',
      ...['roles unclear', 'hard to recruit', 'no strategy', 'too dependent on grants', 'cash is tight'].map((s) => `${s}, urgent 3`),
      'no', 'Mondays', 'find new funding', 'Yes', 'Yes']) await p.say(text);
    expect(await p.say('I confirm')).toContain('version 1');
    await p.say('my data');
    expect(asRead(await p.say('Get my data'))).toContain('your file (phase “Diagnosis”)');
    const files = p.last(4).flatMap((a) => a.attachments ?? []);
    expect(files.map((f) => f.name)).toEqual(['my-dla-data.html', 'my-dla-data.json']);
    const html = asRead(Buffer.from(String(files[0].contentUrl).split(',')[1], 'base64').toString('utf8'));
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('everything the assistant of the DLA de la Gironde keeps about you');
    expect(html).toContain('the JSON file “my-dla-data.json”');
    expect(html).toContain('Legal form: SCIC cooperative');
    expect(html).toContain('Your legal form is one the DLA supports (associations, cooperatives, work-integration organisations, sheltered companies, ESAT).');
    expect(html).toMatch(/Request forwarded on \d{2}\/\d{2}\/\d{4}: Diagnosis confirmed — Open/);
    expect(html).not.toMatch(/mes-donnees|Diagnostic\b/);
  });
});

function connectorText(p: Persona): string {
  return asRead(p.last(3).map((a) => a.text ?? '').join('\n'));
}
