import { asRead } from '../helpers/asRead';
import { useAssistant } from '../helpers/app';
import { Persona } from '../helpers/conversation';

/** Persona QA, round 7: the check-ins and the orientation, as structures typed and read them. */
describe('personas 7: what they typed and what they read', () => {
  const fx = useAssistant('personas7', { OPERATOR_NAME: 'DLA de la Gironde', OPERATOR_DEPARTEMENTS: '33,24' });
  const persona = (userId?: string, locale = 'fr-FR') => new Persona(() => fx.app, fx.connector, locale, userId);
  const titles = (p: Persona) => (p.last()[0]?.suggestedActions?.actions ?? []).map((a) => asRead(String(a.title)));

  /** A structure that went through the accueil to its outcome (`postalCode`), its contact given when asked. */
  async function decided(postalCode: string): Promise<Persona> {
    const p = persona();
    await p.join();
    for (const said of ['Vérifier si ma structure peut être accompagnée', 'j accepte', 'Solidarité Est', 'je sais pas', 'association', '5 salaries', postalCode,
      'aide pour notre financement']) await p.say(said);
    const outcome = asRead(await p.say('oui'));
    if (outcome.includes('votre nom, et votre e-mail')) await p.say('Sam Roy sam@solidarite-est.fr');
    return p;
  }

  it('a structure of Paris (75011) sent to its own DLA is then offered that DLA and its postal code corrected — not a new need nor a chargé·e of this DLA; a typo corrected checks it again', async () => {
    const p = await decided('75011');
    expect(titles(p)).toEqual(['Trouver le DLA de mon département', 'Corriger mon code postal', 'Mes données', 'Découvrir le DLA', 'Aide']);
    const own = asRead(await p.say('Trouver le DLA de mon département'));
    expect(own).toContain('c’est le DLA de ce département qui peut vous accompagner');
    expect(own).toContain('https://www.info-dla.fr');
    expect(titles(p)[0]).toBe('Trouver le DLA de mon département');
    // Coming back in a new conversation: the same.
    const again = persona(p.userId);
    await again.join();
    expect(titles(again)).toEqual(['Trouver le DLA de mon département', 'Corriger mon code postal', 'Mes données', 'Découvrir le DLA', 'Aide']);
    expect(asRead(await again.say('Corriger mon code postal'))).toContain('Pour mémoire — Siège : 75011 (Paris, 75)');
    expect(asRead(await again.say('33011'))).toContain('Siège : 33011 (Gironde, 33)');
    const outcome = asRead(await again.say('oui'));
    expect(outcome).toContain('nous transmettons votre demande à un·e chargé·e');
    expect(outcome).not.toContain('autre DLA');
  });

  it('« pause » then « reprendre » at the menu once the request is passed on: nothing is said to wait, nothing resumes — the menu, not the eligibility check again', async () => {
    const p = await decided('33000');
    const paused = asRead(await p.say('pause'));
    expect(paused).toContain('Rien n’est en attente de votre côté');
    expect(paused).not.toContain('écrivez « reprendre »');
    const resumed = asRead(await p.say('reprendre'));
    expect(resumed).toContain('Il n’y a rien à reprendre pour l’instant.');
    expect(resumed).toContain('Que souhaitez-vous faire ?');
    expect(resumed).not.toContain('déjà fait cette vérification');
    expect(resumed).not.toContain('Voulez-vous corriger vos réponses ?');
  });
});
