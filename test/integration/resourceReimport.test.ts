import { LocalResource } from '../../src/domain/resources';
import { ResourceDirectory } from '../../src/store/resourceDirectory';
import { openTestDb, TestDb } from '../helpers/db';

describe('importing a large resource file again', () => {
  let db: TestDb;
  beforeAll(async () => { db = await openTestDb('resource_reimport'); });
  afterAll(() => db.close());

  it('replaces 300 stored entries without hanging the embedded database', async () => {
    const directory = new ResourceDirectory(db.connection, { maxAgeMs: 0 });
    const entries = (version: string): LocalResource[] => Array.from({ length: 300 }, (_, i) => ({
      id: `res_${i}`, name: `Ressource ${i} (${version})`, needs: ['funding'], scope: 'local', departements: ['33'],
      url: `https://r${i}.example.org`, checkedBy: 'Camille', checkedAt: '2026-11-01',
    }));
    await directory.replaceLocal(entries('v1'), 'v1.csv');
    // The second import replaces every entry: one command of 300 replacements used to hang FerretDB.
    const result = await directory.replaceLocal(entries('v2'), 'v2.csv');
    expect(result).toEqual({ inserted: 300, removed: 0 });
    const local = await directory.local();
    expect(local).toHaveLength(300);
    expect(local.every((e) => e.name.endsWith('(v2)'))).toBe(true);
  }, 30000);
});
