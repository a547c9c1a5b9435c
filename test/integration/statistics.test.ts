import { randomUUID } from 'node:crypto';
import { DossierRepository } from '../../src/store/dossiers';
import { themeSharesByYear } from '../../src/store/statistics';
import { openTestDb, TestDb } from '../helpers/db';
import { storedDossiers } from '../helpers/storedDossiers';

describe('statistics: share of dossiers by theme and by year', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb('statistics');
    // Seeded like the national figures: 2019 — 40 % projet et stratégie, 11 % organisation interne,
    // 8 % restructuration économique et financière, 40 % other (here: 41 %, to total 100 dossiers).
    const seed = (year: number, theme: string, n: number) => Array.from({ length: n }, () => ({
      _id: randomUUID(), phase: 'diagnostic', status: 'submitted', channelUsers: [],
      diagnostic: { answers: {}, version: 1, year, primaryTheme: theme, confirmedAt: new Date(`${year}-06-01`) },
    }));
    await storedDossiers(db.connection).insertMany([
      ...seed(2019, 'projet_strategie', 40), ...seed(2019, 'organisation_interne', 11), ...seed(2019, 'restructuration_eco_fin', 8),
      ...seed(2019, 'autre', 41),
      ...seed(2017, 'projet_strategie', 36), ...seed(2017, 'organisation_interne', 14), ...seed(2017, 'restructuration_eco_fin', 9), ...seed(2017, 'autre', 41),
      // Not counted: a diagnostic not confirmed yet, and a dossier still at the accueil.
      { _id: randomUUID(), phase: 'accueil', status: 'in_progress', channelUsers: [], diagnostic: { answers: {}, version: 0 } },
      { _id: randomUUID(), phase: 'accueil', status: 'submitted', channelUsers: [] },
    ] as never[]);
  });
  afterAll(() => db.close());

  it('gives each year its shares, in order, from confirmed diagnostics only', async () => {
    const stats = await themeSharesByYear(db.connection);
    expect(stats.map((s) => [s.year, s.total])).toEqual([[2017, 100], [2019, 100]]);
    const y2019 = Object.fromEntries(stats[1].themes.map((t) => [t.theme, t.share]));
    expect(y2019).toEqual({ projet_strategie: 40, organisation_interne: 11, restructuration_eco_fin: 8, autre: 41 });
    expect(stats[0].themes[0]).toEqual({ theme: 'autre', count: 41, share: 41 });
  });

  it('has the index the query needs, declared in the dossier schema', async () => {
    new DossierRepository(db.connection);
    await db.connection.models.Dossier.syncIndexes();
    const indexes = await db.connection.db!.collection('dossiers').indexes();
    expect(indexes.map((i) => Object.keys(i.key).join('+'))).toContain('diagnostic.year+diagnostic.primaryTheme');
  });
});
