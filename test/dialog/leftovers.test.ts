import { DossierRepository } from '../../src/store/dossiers';
import { renderText } from '../../src/handoff/render';
import { translator } from '../../src/i18n';
import { asRead } from '../helpers/asRead';
import { useAssistant } from '../helpers/app';
import { Persona } from '../helpers/conversation';

/** The list items of a message as Web Chat renders its Markdown (markdown-it), each item's text. */
function webChatItems(text: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const MarkdownIt = require('markdown-it') as new (options: object) => { render(markdown: string): string };
  const html = new MarkdownIt({ breaks: false, html: false, typographer: false }).render(text);
  return [...html.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
}

/** Small defects left from the persona rounds: each as the structure typed it. */
describe('leftovers: roles, bare facts at the menu, funding shares, recap, out-of-scope menu, two phones', () => {
  const fx = useAssistant('leftovers', { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33' });
  const persona = (locale = 'fr-FR') => new Persona(() => fx.app, fx.connector, locale);
  const dossierOf = (p: Persona) => new DossierRepository(fx.db.connection).findByKey(DossierRepository.userKey('directline', p.userId));

  it('« je suis le tresorier de la Recyclerie du Bassin, siret … » as the first message: the name is noted with the SIRET, not asked again', async () => {
    const p = persona();
    await p.join();
    const noted = asRead(await p.say('bonjour je suis le tresorier de la Recyclerie du Bassin, siret 732 829 320 00074'));
    expect(noted).toContain('Structure : Recyclerie du Bassin');
    expect(noted).toContain('SIRET / RNA : 732 829 320 00074');
    const next = asRead(await p.say('J’accepte'));
    expect(next).not.toContain('nom de votre structure');
    expect(next).toContain('forme juridique');
    expect(await dossierOf(p)).toMatchObject({ answers: { name: 'Recyclerie du Bassin', identifiers: { siret: '73282932000074' } } });
  });

  it('« 33000 » or « 3 ETP » alone as the first message at the menu: noted, the check starts with it, nothing misunderstood', async () => {
    for (const [said, line, asked] of [['33000', 'Siège : 33000 (Gironde, 33)', 'Salarié·es : 3 ETP'], ['3 ETP', 'Salarié·es : 3 ETP', 'Siège : 33000 (Gironde, 33)']]) {
      const p = persona();
      await p.join();
      const noted = asRead(await p.say(said));
      expect(noted).not.toContain('Je n’ai pas compris');
      expect(noted).toContain(`Je note :\n- ${line}`);
      expect(noted).toContain('Acceptez-vous');
      await p.say('J’accepte');
      for (const answer of ['Les Amis du Quai', '732 829 320 00074', 'association', said === '33000' ? '3' : '33000']) await p.say(answer);
      const recap = asRead(await p.say('Consolider nos emplois'));
      expect(recap).toContain(line);
      expect(recap).toContain(asked);
    }
    // In English too.
    const p = persona('en-US');
    await p.join();
    const noted = asRead(await p.say('5 employees'));
    expect(noted).toContain('5 FTE');
    expect(noted).not.toContain('I did not understand');
  });

  it('a request of several paragraphs stays whole inside its item of the recap, as Web Chat renders it', async () => {
    const p = persona();
    await p.join();
    for (const answer of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Amis du Quai', '732 829 320 00074', 'association', '3', '33000']) await p.say(answer);
    const request = 'Nous avons perdu une subvention de la région.\n\nNotre coordinatrice part en juin et personne ne sait reprendre ses dossiers.\n\nNous voudrions aussi revoir notre gouvernance.';
    const recap = asRead(await p.say(request));
    const item = webChatItems(recap).find((i) => i.startsWith('Votre demande'));
    expect(item).toContain('perdu une subvention');
    expect(item).toContain('Notre coordinatrice part en juin');
    expect(item).toContain('revoir notre gouvernance');
  });

  it('out of scope (an association without staff nor hiring plan): its menu offers its resources again, correcting its answers, a chargé·e, its data — not a new need', async () => {
    const first = persona();
    await first.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Chorale du Port', 'W332009877', 'association', 'aucun salarié et pas de projet d’embauche', '33000', 'Trouver des financements']) await first.say(text);
    const outcome = asRead(await first.say('C’est correct'));
    expect(outcome).toContain('ne correspond pas à ce que fait le DLA');
    const OUT_OF_SCOPE_MENU = ['Revoir les ressources proposées', 'Corriger mes réponses', 'Parler à un·e chargé·e', 'Mes données', 'Découvrir le DLA', 'Aide'];
    expect(first.last(1)[0].suggestedActions?.actions.map((a) => asRead(a.title))).toEqual(OUT_OF_SCOPE_MENU);
    // Back another day: the same menu.
    const p = new Persona(() => fx.app, fx.connector, 'fr-FR', first.userId);
    expect(asRead(await p.join())).toContain('Bon retour');
    expect(p.last(1)[0].suggestedActions?.actions.map((a) => asRead(a.title))).toEqual(OUT_OF_SCOPE_MENU);
    const resources = asRead(await p.say('Revoir les ressources proposées'));
    expect(resources).toContain('Guid’Asso');
    expect(resources).toContain('Voulez-vous corriger vos réponses ?');
    await p.say('Non merci');
    const recap = asRead(await p.say('Corriger mes réponses'));
    expect(recap).toContain('Voici ce que j’ai noté');
    expect(recap).toContain('Structure : Chorale du Port');
    await p.say('Corriger une réponse');
    await p.say('Les salarié·es');
    await p.say('2 salariés');
    expect(asRead(await p.say('C’est correct'))).toContain('le résultat change');
    // In English too.
    const en = persona('en-US');
    await en.join();
    for (const text of ['Check whether my organisation can get support', 'I agree', 'Harbour Choir', 'W332009877', 'association', 'no employees and no plan to hire', '33000', 'Find funding']) await en.say(text);
    expect(asRead(await en.say('That’s right'))).toContain('Guid’Asso');
    expect(en.last(1)[0].suggestedActions?.actions.map((a) => asRead(a.title))).toEqual(['See the suggested resources again', 'Correct my answers', 'Talk to an advisor', 'My data', 'Discover the DLA', 'Help']);
  });

  it('a pasted signature with two phones (« Tél. 05 56 00 00 00 / Port. 06 12 34 56 78 »): both kept, read back, and in the handoff summary, the mobile first', async () => {
    const p = persona();
    await p.join();
    for (const text of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins Partagés', 'W332001234', 'association loi 1901',
      'aucun salarié mais nous voulons embaucher notre premier salarié', '33130', 'Créer un premier poste de coordinateur', 'C’est correct']) await p.say(text);
    const read = asRead(await p.say('Cordialement,\nCamille Roux\nCoordinatrice\nTél. 05 56 00 00 00 / Port. 06 12 34 56 78'));
    expect(read).toContain('Camille Roux, 06 12 34 56 78, 05 56 00 00 00');
    expect(await dossierOf(p)).toMatchObject({ answers: { contact: { name: 'Camille Roux', phone: '06 12 34 56 78', otherPhone: '05 56 00 00 00' } } });
    const [handoff] = await fx.db.connection.db!.collection('handoffs').find({ dossierId: (await dossierOf(p))!._id }).toArray();
    const summary = asRead(renderText(handoff as never, translator('fr'), { publicUrl: 'http://dla.example' }));
    expect(summary).toContain('- Téléphone : 06 12 34 56 78');
    expect(summary).toContain('- Autre téléphone : 05 56 00 00 00');
  });
});
