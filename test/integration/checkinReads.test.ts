import { Connection } from 'mongoose';
import { newCheckin } from '../../src/followup/checkins';
import { connectWithRetry } from '../../src/store/db';
import { AssistantFixture, startTestApp } from '../helpers/app';
import { asRead } from '../helpers/asRead';
import { checkinOpened } from '../helpers/checkin';
import { FakeConnector } from '../helpers/connector';
import { Persona } from '../helpers/conversation';
import { testDbUri } from '../helpers/db';

/**
 * A known structure's turns look for its check-in waiting (the welcome, the menu): by its dossier's
 * list of check-ins and each check-in's `_id` (src/store/lookups.ts), once in a turn however many
 * steps ask — never a filter on `dossierId`, which scans every check-in on the embedded FerretDB.
 */
describe('a known structure’s turns: its check-ins read by their list, once a turn', () => {
  const fx = {} as AssistantFixture;
  let connection: Connection;
  /** The check-in reads sent to the database while `reads` records: their collection and filter. */
  let reads: { collection: string; filter: unknown }[] | undefined;

  beforeAll(async () => {
    connection = await connectWithRetry(testDbUri('checkinreads'), { maxAttempts: 3, initialDelayMs: 200, monitorCommands: true });
    connection.getClient().on('commandStarted', (e) => {
      const c = e.command as Record<string, unknown>;
      const collection = String(c[e.commandName]);
      if (reads && ['find', 'aggregate', 'count', 'distinct'].includes(e.commandName) && /checkins/.test(collection)) reads.push({ collection, filter: c.filter ?? c.query ?? c.pipeline });
    });
    fx.db = { uri: '', connection, close: async () => undefined };
    fx.connector = await new FakeConnector().start();
    fx.app = await startTestApp(connection, { OPERATOR_NAME: 'DLA de la Gironde' });
    // Other dossiers' check-ins: what a filter on `dossierId` would read through.
    const at = new Date();
    await connection.collection('checkins').insertMany(Array.from({ length: 50 }, (_, i) => newCheckin(`other-${i}`, 'after_diagnostic_15m', at, at, i % 2 ? 'sent' : 'planned')) as never[]);
  });

  afterAll(async () => {
    await fx.app?.close();
    await fx.connector?.stop();
    await connection?.db?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  /**
   * `turn`'s answer, and what it read of the check-ins ("collection _id"): each read by `_id`, the
   * dossier's list once.
   */
  async function checkinReadsOf(turn: () => Promise<string>): Promise<{ said: string; read: string[] }> {
    reads = [];
    const said = await turn();
    const sent = reads;
    reads = undefined;
    for (const r of sent) expect({ ...r, byId: typeof (r.filter as { _id?: unknown })?._id === 'string' }).toMatchObject({ byId: true });
    const read = sent.map((r) => `${r.collection} ${(r.filter as { _id: string })._id}`);
    expect(read.filter((r) => r.startsWith('dossier_checkins '))).toHaveLength(1);
    return { said: asRead(said), read };
  }

  it('a new conversation’s welcome offers the check-in waiting, and the menu’s answer takes it, each turn reading it once by `_id`', async () => {
    const { p, dossierId } = await checkinOpened(fx);
    await p.say('1 emploi maintenu');
    // Another of the dossier, planned (its list holds every check-in of the dossier).
    await fx.app.app.checkinRepository.add(dossierId, 'manual_20300101', new Date('2030-01-01T09:00:00Z'));
    const later = new Persona(() => fx.app, fx.connector, 'fr-FR', p.userId);
    const welcome = await checkinReadsOf(() => later.join());
    expect(welcome.said).toContain('Le point de suivi que vous aviez commencé vous attend : il reste 6 questions sur 7.');
    expect(welcome.read.sort()).toEqual([`checkins ${dossierId}|after_mise_en_oeuvre_6m`, `checkins ${dossierId}|manual_20300101`, `dossier_checkins ${dossierId}`]);
    // At the welcome's offer, its next question answered at once: the menu's steps that look for the
    // check-in read it once; the check-in read again only after its answer is saved.
    const answered = await checkinReadsOf(() => later.say('la tréso reste tendue'));
    expect(answered.said).toContain('vision stratégique');
    expect(answered.read.filter((r) => r.endsWith('|manual_20300101'))).toHaveLength(1);
  });
});
