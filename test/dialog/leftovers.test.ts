import { DossierRepository } from '../../src/store/dossiers';
import { asRead } from '../helpers/asRead';
import { useAssistant } from '../helpers/app';
import { Persona } from '../helpers/conversation';

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
});
