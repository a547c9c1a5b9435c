import { DossierRepository } from '../../src/store/dossiers';
import { addToList, DOSSIER_CHECKINS } from '../../src/store/lookups';
import { AssistantFixture } from './app';
import { Persona } from './conversation';

/** A structure whose check-in was just sent in its conversation. */
export interface OpenCheckin {
  p: Persona;
  dossierId: string;
  checkinId: string;
}

let structures = 0;

/**
 * A structure whose dossier is in follow-up, that talked to the bot once (its conversation is
 * remembered), and whose check-in was just sent there: its first question, on jobs, is asked.
 * `reachable` false: no e-mail nor phone on the dossier (its contact is asked before a handoff).
 */
export async function checkinOpened(fx: AssistantFixture, options: { p?: Persona; locale?: string; reachable?: boolean } = {}): Promise<OpenCheckin> {
  const { locale = 'fr-FR', reachable = true } = options;
  const p = options.p ?? new Persona(() => fx.app, fx.connector, locale);
  await p.join();
  await p.say(locale.startsWith('fr') ? 'bonjour' : 'hello');
  const dossiers = new DossierRepository(fx.db.connection);
  const dossier = await dossiers.create(`directline:${p.userId}`, 36);
  // Its contact was asked at the accueil (an eligible structure's last question).
  const contact = reachable ? { contact: { name: 'Camille', email: 'camille@example.org' } } : {};
  dossier.answers = { name: `Structure ${++structures}`, location: { postalCode: '33000', departement: '33' }, ...contact };
  dossier.phase = 'suivi';
  await dossiers.save(dossier);
  const checkinId = `${dossier._id}|after_mise_en_oeuvre_6m`;
  // Listed under its dossier first, as the follow-up plans it (src/store/lookups.ts).
  await addToList(fx.db.connection, DOSSIER_CHECKINS, dossier._id, checkinId);
  await fx.db.connection.db!.collection<{ _id: string; dossierId: string; status: string }>('checkins').insertOne({ _id: checkinId, dossierId: dossier._id, status: 'sent' });
  expect(await fx.app.app.checkinSender.send({ _id: checkinId, dossierId: dossier._id, milestone: 'after_mise_en_oeuvre_6m' })).toBe('sent');
  return { p, dossierId: dossier._id, checkinId };
}
