import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { mongo } from 'mongoose';
import { DossierRepository } from '../../src/store/dossiers';
import { asRead } from '../helpers/asRead';
import { RunningApp, startTestApp } from '../helpers/app';
import { runBackupScript } from '../helpers/backup';
import { FakeConnector } from '../helpers/connector';
import { Persona } from '../helpers/conversation';
import { openTestDb, TestDb } from '../helpers/db';

const { EJSON, Binary, Long, Int32, Double } = mongo.BSON;

/** Every document of every collection, as canonical Extended JSON: a type lost (a date read back as a string, 4 as 4.0) shows. */
async function contents(db: mongo.Db): Promise<Record<string, string[]>> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  const all: Record<string, string[]> = {};
  for (const name of names) {
    const docs = await db.collection(name).find({}, { sort: { _id: 1 } }).toArray();
    if (docs.length) all[name] = docs.map((d) => EJSON.stringify(d, { relaxed: false }));
  }
  return all;
}

/** `npm run db:backup` and `npm run db:restore` (scripts/backup.ts) on the test databases (MONGODB_URI). */
describe('npm run db:backup / db:restore: the whole database into a file, and back into an empty one', () => {
  let source: TestDb;
  let target: TestDb;
  let connector: FakeConnector;
  let app: RunningApp;
  let dir: string;
  let persona: Persona;
  const saved = process.env.MONGODB_URI;

  const run = runBackupScript;

  beforeAll(async () => {
    [source, target] = await Promise.all([openTestDb('backup_source'), openTestDb('backup_target')]);
    connector = await new FakeConnector().start();
    app = await startTestApp(source.connection);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dla-backup-'));
    // A structure halfway through its first questions: it stops at the staff question.
    persona = new Persona(() => app, connector, 'fr-FR');
    await persona.join();
    for (const said of ['Vérifier si ma structure peut être accompagnée', 'J’accepte', 'Les Jardins de Cocagne', '443 061 841 00047', 'association']) await persona.say(said);
    // Types JSON alone would lose.
    await source.connection.db!.collection('types').insertOne({
      _id: 'types' as never, at: new Date('2026-03-01T10:00:00.123Z'), int: new Int32(4), double: new Double(4), half: 4.5,
      long: Long.fromString('9007199254740993'), bytes: new Binary(Buffer.from([0, 1, 254, 255])), nested: [{ a: null, b: 'ligne 1\nligne 2 « é » 🌱' }],
    });
  }, 120_000);
  afterAll(async () => {
    if (saved === undefined) delete process.env.MONGODB_URI; else process.env.MONGODB_URI = saved;
    await app?.close();
    await connector?.stop();
    await Promise.all([source?.close(), target?.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('backs up every collection to a file only its owner reads, restores it identical, and the structure goes on from the question it stopped at', async () => {
    const file = path.join(dir, 'dla.jsonl.gz');
    const backup = await run(source.uri, 'backup', file);
    expect(backup.code).toBe(0);
    expect(backup.out).toMatch(/Sauvegarde écrite : .*dla\.jsonl\.gz \(\d+ documents, \d+ collections, \d+ Ko\)\./);
    expect(backup.out).toContain('données personnelles');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${file}.part`)).toBe(false);

    const restore = await run(target.uri, 'restore', file);
    expect(restore.code).toBe(0);
    expect(restore.out).toMatch(/Restauré : \d+ documents dans \d+ collections, sauvegarde du \d+ \p{L}+ 2\d{3} à \d\d:\d\d\./u);
    const before = await contents(source.connection.db!);
    expect(before.dossiers).toHaveLength(1);
    expect(await contents(target.connection.db!)).toEqual(before);

    // The assistant started on the restored database: the same structure, the same conversation, the next question.
    await app.close();
    app = await startTestApp(target.connection);
    const next = asRead(await persona.say('12 salariés'));
    expect(next).toContain('code postal');
    const dossier = await new DossierRepository(target.connection).findByKey(DossierRepository.userKey('directline', persona.userId));
    expect(dossier?.answers).toMatchObject({ name: 'Les Jardins de Cocagne', identifiers: { siret: '44306184100047' }, employees: { etp: 12 } });
  });

  it('restores only into an empty database: into one with data, it says which collections hold what, and writes nothing', async () => {
    const file = path.join(dir, 'again.jsonl.gz');
    expect((await run(source.uri, 'backup', file)).code).toBe(0);
    const before = await contents(target.connection.db!);
    const again = await run(target.uri, 'restore', file);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/La base n’est pas vide : .*dossiers \(1\)/);
    expect(again.err).toContain('rien n’a été restauré');
    expect(await contents(target.connection.db!)).toEqual(before);
  });

  it('restores nothing from a file cut short, one whose counts do not match, or no backup at all — each said in one line', async () => {
    const file = path.join(dir, 'whole.jsonl.gz');
    expect((await run(source.uri, 'backup', file)).code).toBe(0);
    const lines = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').trimEnd().split('\n');
    const cut = path.join(dir, 'cut.jsonl.gz');
    fs.writeFileSync(cut, fs.readFileSync(file).subarray(0, Math.floor(fs.statSync(file).size / 2)));
    const lineLost = path.join(dir, 'line-lost.jsonl.gz');
    fs.writeFileSync(lineLost, zlib.gzipSync([...lines.slice(0, 2), ...lines.slice(3)].join('\n')));
    const badDocument = path.join(dir, 'bad-document.jsonl.gz');
    fs.writeFileSync(badDocument, zlib.gzipSync([lines[0], '{"c":"dossiers","d":{"_id":{"$oid":"pas un identifiant"}}}', ...lines.slice(1)].join('\n')));
    const notABackup = path.join(dir, 'notes.txt');
    fs.writeFileSync(notABackup, 'des notes\n');
    const empty = await openTestDb('backup_empty');
    try {
      for (const [bad, said] of [[cut, 'est incomplet'], [lineLost, 'est incomplet'], [badDocument, 'ligne 2 : illisible'], [notABackup, 'n’est pas une sauvegarde de l’assistant']] as const) {
        const result = await run(empty.uri, 'restore', bad);
        expect(result.code).toBe(1);
        expect(result.err).toContain(said);
        expect(result.err).toContain('Rien n’a été restauré.');
        expect(await contents(empty.connection.db!)).toEqual({});
      }
    } finally {
      await empty.close();
    }
  });

  it('never writes over a file, and says how to use it', async () => {
    const file = path.join(dir, 'taken.jsonl.gz');
    fs.writeFileSync(file, 'autre chose');
    const taken = await run(source.uri, 'backup', file);
    expect(taken.code).toBe(2);
    expect(taken.err).toContain('existe déjà');
    expect(fs.readFileSync(file, 'utf8')).toBe('autre chose');
    expect((await run(source.uri, 'restore')).code).toBe(2);
    expect((await run(source.uri, 'restore', path.join(dir, 'absent.jsonl.gz'))).err).toContain('n’existe pas');
    expect((await run(source.uri, 'backup', '--help')).out).toMatch(/^Utilisation :\n {2}npm run db:backup/);
  });
});
