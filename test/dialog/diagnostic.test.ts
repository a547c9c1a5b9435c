import { DossierRepository } from '../../src/store/dossiers';
import { useAssistant } from '../helpers/app';
import { Persona } from '../helpers/conversation';

const DAY = 24 * 3600 * 1000;

describe('diagnostic inputs: prepare the diagnostic partagé and rank the axes of change', () => {
  let clock = new Date('2026-03-02T09:00:00Z').getTime();
  const fx = useAssistant('diagnostic', { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33' }, { now: () => clock });
  const persona = (userId?: string) => new Persona(() => fx.app, fx.connector, 'fr-FR', userId);
  const dossierOf = (p: Persona) => new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId));

  /** An eligible association, up to the first diagnostic question. */
  async function eligible(name: string): Promise<{ p: Persona; first: string }> {
    const p = persona();
    await p.join();
    const rna = `W33${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', name, rna, 'association loi 1901', '4', '33000',
      'Consolider nos emplois', 'C’est correct']) await p.say(text);
    expect(await p.say('Dominique, dominique@example.org')).toContain('On commence ?');
    return { p, first: await p.say('Commencer') };
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
    const summary = await p.say('oui');
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
    const facts = (handoff?.diagnostic?.facts ?? []) as { label: string; value: string }[];
    expect(facts.map((f) => `${f.label} : ${f.value}`.replace(/[\u202f\u00a0]/g, ' '))).toEqual(expect.arrayContaining([
      'Budget annuel : 200 000 €',
      'Financements : subventions 60 %, ventes 30 %, dons 10 %',
      'Modèle économique : Trop dépendants des subventions de la ville (urgence 4/4)',
    ]));
  });

  it('interrupted with « pause » and resumed two days later in another conversation, at the same question', async () => {
    const { p } = await eligible('Atelier Couture Solidaire');
    await p.say('Retouches et formation à la couture');
    expect(await p.say('250 000 €')).toContain('D’où viennent vos ressources');
    expect(await p.say('pause')).toContain('écrivez « reprendre »');
    clock += 2 * DAY;
    const later = persona(p.userId);
    await later.join();
    const resumed = await later.say('reprendre');
    expect(resumed).toContain('Bon retour');
    expect(resumed).toContain('D’où viennent vos ressources');
    expect(resumed).not.toContain('budget annuel');
    expect(await later.say('quarante pour cent de subventions, soixante pour cent de ventes')).toContain('salarié·es');
    const d = (await dossierOf(p))!;
    expect(d.diagnostic!.answers).toMatchObject({ budget: { euros: 250000 }, activity: 'Retouches et formation à la couture' });
    expect(d.updatedAt.getTime() - d.createdAt.getTime()).toBeGreaterThanOrEqual(2 * DAY);
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
    expect(await p.say('Finances')).toContain('Finances : comment décririez-vous');
    await p.say('Découvert bancaire depuis trois mois');
    await p.say('4');
    const again = await p.say('oui'); // the ranking is proposed again with the new urgency
    expect(again).toContain('Découvert bancaire depuis trois mois (urgence 4/4)');
    expect(await p.say('Je confirme')).toContain('version 1');
  });
});

function connectorText(p: Persona): string {
  return p.last(3).map((a) => a.text ?? '').join('\n');
}
