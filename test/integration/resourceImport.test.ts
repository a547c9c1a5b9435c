import { spawn } from 'node:child_process';
import { asRead } from '../helpers/asRead';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from 'mongoose';
import {
  COLUMN_ALIASES,
  ResourceFileError,
  headerTarget,
  parseCsv,
  parseResourceFile,
  readResourceFile,
} from '../../src/channels/resourceImport';
import { LocalResource, NEED_TAGS, NEED_WORDS, matchResources, needTagsOf } from '../../src/domain/resources';
import { translator } from '../../src/i18n';
import { PROJECT_ROOT } from '../../src/paths';
import { connectWithRetry } from '../../src/store/db';
import { ResourceDirectory } from '../../src/store/resourceDirectory';
import { ImportOptions, OpenedDirectory, describeRowError, importResourceFile } from '../../scripts/resources-import';
import { openTestDb, TestDb, testDbUri } from '../helpers/db';

const fixture = (name: string) => path.resolve(__dirname, '..', 'fixtures', 'resources', name);
const t = translator('fr');
const bytes = (text: string) => Buffer.from(text, 'utf8');
const HEADER = 'id;name;needs;departements;url;contact;checkedBy;checkedAt';
const ROW = 'ok_1;Exemple;funding;35;https://a.example.org;;Camille;2026-01-01';

function fileError(run: () => unknown): ResourceFileError {
  try {
    run();
  } catch (err) {
    if (err instanceof ResourceFileError) return err;
    throw err;
  }
  throw new Error('expected a ResourceFileError');
}

describe('reading operator files (no database)', () => {
  it('the CSV fixture really has a BOM, CRLF line ends and a quoted line break', () => {
    const raw = fs.readFileSync(fixture('good.csv'));
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(raw.toString('utf8')).toContain('vendredi\r\n6 cours');
  });

  it('reads a French Excel CSV: BOM, ";" separator, quoted separators, quotes and line breaks, real line numbers', () => {
    const file = readResourceFile(fs.readFileSync(fixture('good.csv')), 'good.csv');
    expect(file).toMatchObject({ format: 'csv', separator: ';', encoding: 'utf-8', unit: 'line', ignoredColumns: [], errors: [] });
    // The first record spans lines 2–3, so the next ones start on lines 4 and 5.
    expect(file.rows.map((r) => r.line)).toEqual([2, 4, 5]);
    expect(file.entries.map((e) => e.id)).toEqual(['maison_asso_rennes', 'fonds_bretagne', 'cress_bretagne_exemple']);
    const [maison, fonds, cress] = file.entries;
    expect(maison).toEqual<LocalResource>({
      id: 'maison_asso_rennes',
      name: 'Maison des associations de Rennes (exemple)',
      needs: ['local_association_life', 'association_general'],
      scope: 'local',
      departements: ['35'],
      contact: 'Accueil du lundi au vendredi\n6 cours des Alliés, Rennes (exemple)',
      checkedBy: 'Camille',
      checkedAt: '2026-03-15',
    });
    expect(fonds.name).toBe('Fonds "Bretagne Solidaire" (exemple)');
    expect(fonds.departements).toEqual(['35', '56', '29']);
    expect(cress.needs).toEqual(['ess_ecosystem', 'creation']);
  });

  it('parses RFC 4180 records with the physical line each one starts on', () => {
    const records = parseCsv('a;"b;c";"d ""e"""\r\n"multi\r\nline";x\r\n\r\nlast;"";\n', ';');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b;c', 'd "e"'] },
      { line: 2, fields: ['multi\nline', 'x'] },
      { line: 4, fields: [''] },
      { line: 5, fields: ['last', '', ''] },
    ]);
  });

  it('detects "," from the header, and reads an Excel "sep=" first line', () => {
    const comma = parseResourceFile(bytes('id,name,needs,departements,url,contact,checkedBy,checkedAt\nx,"A; B",funding,35,https://a.example.org,,C,2026-01-01\n'), 'a.csv');
    expect(comma.separator).toBe(',');
    expect(comma.rows[0].fields?.name).toBe('A; B');
    const sep = parseResourceFile(bytes(`sep=,\r\n${HEADER.replace(/;/g, ',')}\r\n${ROW.replace(/;/g, ',')}\r\n`), 'a.csv');
    expect(sep.separator).toBe(',');
    expect(sep.rows.map((r) => r.line)).toEqual([3]);
  });

  it('reads JSON as an array or as { resources: [...] }, numbering entries from 1', () => {
    const file = readResourceFile(fs.readFileSync(fixture('good.json')), 'good.json');
    expect(file).toMatchObject({ format: 'json', unit: 'entry', errors: [] });
    expect(file.entries.map((e) => [e.id, e.departements, e.needs])).toEqual([
      ['pole_ess_35', ['35'], ['ess_ecosystem', 'funding']],
      ['maison_asso_rennes', ['35'], ['local_association_life', 'association_general']],
    ]);

    const good = { id: 'a', name: 'A', needs: ['funding'], departements: ['35'], url: 'https://a.example.org', checkedBy: 'C', checkedAt: '2026-01-01' };
    const array = readResourceFile(bytes(JSON.stringify([good, 'oops', { ...good, id: 'b', checkedAt: '2026-13-01', notes: 'x' }])), 'list.json');
    expect(array.entries.map((e) => e.id)).toEqual(['a']);
    expect(array.invalidLines).toEqual([2, 3]);
    expect(array.ignoredColumns).toEqual(['notes']);
    expect(array.errors.map((e) => asRead(describeRowError(e, array.unit, t)))).toEqual([
      `  entrée 2 : ${t('resourcesImport.rowError.not_object')} (contenu : « "oops" »)`,
      '  entrée 3 — checkedAt : La date doit être au format AAAA-MM-JJ ou JJ/MM/AAAA, et exister. (valeur lue : « 2026-13-01 »)',
    ]);
  });

  it('JSON: a single département or need may be written as a bare number or text, as in a spreadsheet export', () => {
    const one = { id: 'a', name: 'A', needs: 'funding', departements: 35, url: 'https://a.example.org', checkedBy: 'C', checkedAt: '2026-01-01' };
    const file = readResourceFile(bytes(JSON.stringify([one, { ...one, id: 'b', departements: 1 }])), 'list.json');
    expect(file.errors).toEqual([]);
    expect(file.entries.map((e) => [e.id, e.departements])).toEqual([['a', ['35']], ['b', ['01']]]);
  });

  it('a line with more cells than the header (an unquoted separator) is an error of that line', () => {
    const file = readResourceFile(bytes(`${HEADER}\n${ROW}\nbad_1;Exemple;funding;35;56;https://a.example.org;;Camille;2026-01-01\n`), 'a.csv');
    expect(file.entries.map((e) => e.id)).toEqual(['ok_1']);
    expect(file.errors).toContainEqual(expect.objectContaining({ line: 3, reason: 'extra_fields', value: '2026-01-01' }));
  });

  it('blank lines and Excel\'s empty ";;;" rows are skipped but still counted in line numbers', () => {
    const file = readResourceFile(bytes(`${HEADER}\n\n;;;;;;;\n${ROW.replace('2026-01-01', 'hier')}\n`), 'a.csv');
    expect(file.errors).toEqual([expect.objectContaining({ line: 4, field: 'checkedAt', reason: 'invalid_date' })]);
  });

  it('a file that is not UTF-8 is read as Windows-1252 (Excel\'s plain CSV export)', () => {
    const latin1 = Buffer.concat([bytes(`${HEADER}\nok_1;Cr`), Buffer.from([0xe9]), bytes('teil;funding;94;https://a.example.org;;Camille;2026-01-01\n')]);
    const file = readResourceFile(latin1, 'a.csv');
    expect(file.encoding).toBe('windows-1252');
    expect(file.entries[0].name).toBe('Créteil');
  });

  it('rejects files that cannot be trusted as a whole, saying where', () => {
    expect(fileError(() => parseResourceFile(bytes(`${HEADER}\n${ROW}\nx;"never closed;funding\n${ROW}\n`), 'a.csv'))).toMatchObject({ reason: 'unterminated_quote', params: { line: 3 } });
    // « departement » (singular) is now an alias; a column naming no field still leaves it missing.
    const missing = fileError(() => parseResourceFile(bytes(`${HEADER.replace('departements', 'territoire')}\n${ROW}\n`), 'a.csv'));
    expect(missing).toMatchObject({ reason: 'missing_columns', params: { line: 1, columns: 'departements', expected: expect.stringMatching(/^id, name, needs, departements, url, contact/) } });
    expect(fileError(() => parseResourceFile(bytes(`${HEADER};ID\n`), 'a.csv'))).toMatchObject({ reason: 'duplicate_column', params: { column: 'id', other: 'ID', field: 'id' } });
    expect(fileError(() => parseResourceFile(bytes(`\uFEFF${HEADER}\r\n\r\n`), 'a.csv')).reason).toBe('no_rows');
    expect(fileError(() => parseResourceFile(bytes('  \n'), 'a.csv')).reason).toBe('empty');
    expect(fileError(() => parseResourceFile(bytes('[]'), 'a.json')).reason).toBe('no_rows');
    expect(fileError(() => parseResourceFile(bytes('{"items": []}'), 'a.json')).reason).toBe('json_shape');
    expect(fileError(() => parseResourceFile(bytes('[\n  {"id": "a"}\n  {"id": "b"}\n]'), 'a.json'))).toMatchObject({ reason: 'invalid_json', params: { line: 3 } });
    expect(fileError(() => parseResourceFile(bytes('[{"id": }]'), 'a.json')).params).toEqual({ detail: expect.stringContaining('is not valid JSON') });
  });
});

describe('French column headers (COLUMN_ALIASES)', () => {
  const FR_HEADER = 'Identifiant;Nom;Besoins;Départements;Site web;Contact;Vérifié par;Vérifié le';

  it('the French fixture is what Excel writes on a French Windows: Windows-1252, no BOM, ";" and CRLF', () => {
    const raw = fs.readFileSync(fixture('good-fr.csv'));
    expect([...raw.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(raw)).toThrow();
    expect(raw.includes(Buffer.from([0x92]))).toBe(true); // « ’ » in Windows-1252
    expect(raw.toString('latin1').split('\r\n')[0]).toBe('Identifiant;Nom;Type;Thèmes;Département;Site web;Coordonnées;Adresse;Téléphone;Description;Vérifié par;Vérifié le');
  });

  it('a French-headed Excel export gives the same entries as the English one; « Type » and « Description » are ignored', () => {
    const french = readResourceFile(fs.readFileSync(fixture('good-fr.csv')), 'good-fr.csv');
    const english = readResourceFile(fs.readFileSync(fixture('good.csv')), 'good.csv');
    expect(french).toMatchObject({ format: 'csv', separator: ';', encoding: 'windows-1252', columnStyle: 'fr', errors: [], ignoredColumns: ['Type', 'Description'] });
    expect(french.rows.map((r) => r.line)).toEqual([2, 4, 5]);
    expect(french.entries).toEqual(english.entries);
    expect(french.expectedColumns).toEqual(['Identifiant', 'Nom', 'Besoins', 'Départements', 'Site web', 'Contact', 'Adresse', 'Téléphone', 'Courriel', 'Vérifié par', 'Vérifié le', 'Portée']);
    expect(english.columnStyle).toBe('technical');
  });

  it('headers match whatever the case, accents, spaces, underscores, hyphens; the singular « departement » too', () => {
    const header = 'IDENTIFIANT,nom,THEMES,departement,site_web,COURRIEL,verifie-par,Verifiee_le';
    const file = readResourceFile(bytes(`${header}\nok_1,Exemple,funding,35,,accueil@example.org,Camille,15/03/2026\n`), 'a.csv');
    expect(file.errors).toEqual([]);
    expect(file.entries[0]).toMatchObject({ id: 'ok_1', name: 'Exemple', departements: ['35'], contact: 'accueil@example.org', checkedAt: '2026-03-15' });
    for (const name of ['departement', 'Département', 'DEPARTEMENTS', 'Département(s)', 'départements']) expect(headerTarget(name)).toBe('departements');
    for (const name of ['Site web', 'site-web', 'SITE WEB', 'Site', 'url']) expect(headerTarget(name)).toBe('url');
    for (const name of ['Type', 'Description', 'Territoire', '']) expect(headerTarget(name)).toBeUndefined();
  });

  it('« Adresse », « Téléphone », « Courriel » (and « Contact ») make one contact, in the file\'s column order', () => {
    const header = 'Identifiant;Nom;Besoins;Départements;Adresse;Téléphone;Courriel;Vérifié par;Vérifié le';
    const file = readResourceFile(bytes(`${header}\na;A;funding;35;2 rue X, Rennes;02 99 00 00 00;a@example.org;C;2026-01-01\nb;B;funding;35;;02 99 11 11 11;;C;2026-01-01\nc;C;funding;35;;;;C;2026-01-01\n`), 'a.csv');
    expect(file.entries.map((e) => [e.id, e.contact])).toEqual([['a', '2 rue X, Rennes\n02 99 00 00 00\na@example.org'], ['b', '02 99 11 11 11']]);
    // Neither a site nor any contact part: the same error as before, the field named in the file's style.
    expect(file.errors).toEqual([{ line: 4, field: 'url', reason: 'contact_required' }]);
    expect(asRead(describeRowError(file.errors[0], file.unit, t, file.fieldLabels))).toBe(`  ligne 4 — Site web : ${t('resources.rowError.contact_required')}`);
  });

  it('row errors name the field as the file\'s header does; « 1/10/2026 » is still refused (could be month-first)', () => {
    const file = readResourceFile(bytes(`${FR_HEADER}\nok_1;Exemple;funding;35;https://a.example.org;;Camille;1/10/2026\n`), 'a.csv');
    expect(file.errors.map((e) => asRead(describeRowError(e, file.unit, t, file.fieldLabels)))).toEqual([
      '  ligne 2 — Vérifié le : La date doit être au format AAAA-MM-JJ ou JJ/MM/AAAA, et exister. (valeur lue : « 1/10/2026 »)',
    ]);
  });

  it('a missing column is named in the file\'s style, with the columns expected', () => {
    const french = fileError(() => parseResourceFile(bytes(`${FR_HEADER.replace('Départements', 'Territoire')}\nx\n`), 'a.csv'));
    expect(french).toMatchObject({ reason: 'missing_columns', params: { columns: 'Départements', found: expect.stringContaining('Territoire') } });
    expect(french.params.expected).toBe('Identifiant, Nom, Besoins, Départements, Site web, Contact, Adresse, Téléphone, Courriel, Vérifié par, Vérifié le, Portée');
    const technical = fileError(() => parseResourceFile(bytes(`${HEADER.replace(';checkedAt', ';verified')}\nx\n`), 'a.csv'));
    expect(technical).toMatchObject({ reason: 'missing_columns', params: { columns: 'checkedAt' } });
    expect(technical.params.expected).toBe('id, name, needs, departements, url, contact, address, phone, email, checkedBy, checkedAt, scope');
  });

  it('two columns for the same field are an error naming both', () => {
    const both = fileError(() => parseResourceFile(bytes(`${FR_HEADER};name\n`), 'a.csv'));
    expect(both).toMatchObject({ reason: 'duplicate_column', params: { line: 1, column: 'Nom', other: 'name', field: 'Nom' } });
    expect(asRead(t('resourcesImport.fileError.duplicate_column', both.params))).toBe('Deux colonnes de l’en-tête (ligne 1) donnent la même information (Nom) : « Nom » et « name ». Gardez-en une seule.');
    expect(fileError(() => parseResourceFile(bytes(`${FR_HEADER};Courriel;E-mail\n`), 'a.csv')).params).toMatchObject({ column: 'Courriel', other: 'E-mail' });
    expect(fileError(() => parseResourceFile(bytes(`${FR_HEADER};Département\n`), 'a.csv')).params).toMatchObject({ column: 'Départements', other: 'Département', field: 'Départements' });
  });

  it('JSON: French keys are read the same; two keys for one field make that entry wrong', () => {
    const entry = { Identifiant: 'a', Nom: 'A', Besoins: ['funding'], 'Département': 35, 'Téléphone': '02 99 00 00 00', 'Vérifié par': 'C', 'Vérifié le': '01/02/2026' };
    const file = readResourceFile(bytes(JSON.stringify([entry, { ...entry, Identifiant: 'b', name: 'B' }])), 'list.json');
    expect(file.columnStyle).toBe('fr');
    expect(file.entries).toEqual([{ id: 'a', name: 'A', needs: ['funding'], scope: 'local', departements: ['35'], contact: '02 99 00 00 00', checkedBy: 'C', checkedAt: '2026-02-01' }]);
    expect(file.errors.map((e) => asRead(describeRowError(e, file.unit, t, file.fieldLabels)))).toEqual([
      '  entrée 2 — Nom : Deux champs de cette entrée donnent la même information : gardez-en un seul. (valeur lue : « Nom, name »)',
    ]);
  });

  it('no alias names two fields, and README.md lists every one of them', () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const section = readme.split('\n## Importing the local resource directory\n')[1]?.split('\n## ')[0];
    expect(section?.length).toBeGreaterThan(200);
    // Every column the import reads has its names (« Nom », « Site web »…): the loop below checks them all.
    expect(Object.keys(COLUMN_ALIASES).sort()).toEqual(['address', 'checkedAt', 'checkedBy', 'contact', 'departements', 'email', 'id', 'name', 'needs', 'phone', 'scope', 'url']);
    for (const [target, names] of Object.entries(COLUMN_ALIASES)) {
      for (const name of [...names.technical, ...names.fr]) {
        expect(headerTarget(name)).toBe(target);
        expect({ target, name, listed: section!.includes(`\`${name}\``) }).toEqual({ target, name, listed: true });
      }
    }
  });
});

describe('an operator’s own spreadsheet: no id column, needs in French words', () => {
  it('each entry gets an id from its name and départements, and its needs as tags (DLA theme labels, everyday words)', () => {
    const file = readResourceFile(fs.readFileSync(fixture('operator-fr.csv')), 'operator-fr.csv');
    expect(file.errors).toEqual([]);
    expect(file.entries.map((e) => [e.id, e.needs])).toEqual([
      ['maison-des-associations-de-rennes-exemple-35', ['local_association_life', 'association_general']],
      ['fonds-bretagne-solidaire-exemple-35-56', ['funding', 'local_funders']],
      ['numerique-solidaire-35-exemple-35', ['sector_digital', 'sector_networks']],
      // « (salarié·es, bénévoles) » is the theme's aside, not two more needs.
      ['groupement-d-employeurs-du-finistere-exemple-29', ['sector_networks']],
    ]);
    expect(file.entries[2]).toMatchObject({ contact: 'contact@numerique.example.org', checkedBy: 'Dominique', checkedAt: '2026-01-20' });
  });

  it('an id given still wins; rows without one that share a name and départements are told apart by line', () => {
    const csv = 'Identifiant;Nom;Besoins;Départements;Site web;Vérifié par;Vérifié le\n'
      + 'mda_rennes;Maison des associations;vie associative;35;https://mda.example.org;Camille;01/02/2026\n'
      + ';Maison des associations;vie associative;35;https://mda.example.org;Camille;01/02/2026\n'
      + ';Maison des associations;Vie associative;35;https://autre.example.org;Camille;01/02/2026\n';
    const file = readResourceFile(bytes(csv), 'mda.csv');
    expect(file.entries.map((e) => e.id)).toEqual(['mda_rennes', 'maison-des-associations-35']);
    expect(file.errors).toEqual([{ line: 4, field: 'name', reason: 'duplicate_name', value: 'Maison des associations' }]);
  });

  it('an unknown need is reported with its line, and the accepted values are listed', async () => {
    const csv = 'Nom;Thèmes;Département;Site web;Vérifié par;Vérifié le\n'
      + 'Réseau Culture 35 (exemple);culture;35;https://culture.example.org;Camille;01/02/2026\n'
      + 'Atelier Com (exemple);numérique, communication interne;35;https://com.example.org;Camille;01/02/2026\n';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resources-'));
    try {
      fs.writeFileSync(path.join(dir, 'themes.csv'), csv);
      const io = capture();
      const open = jest.fn();
      const code = await importResourceFile({ file: path.join(dir, 'themes.csv'), skipInvalid: false, merge: false, dryRun: false }, open, t, io);
      const output = asRead(io.text());
      expect(code).toBe(1);
      expect(output).toContain('  ligne 3 — Thèmes : Ce besoin n’est pas reconnu : écrivez une étiquette, ou l’un des thèmes ou mots listés plus bas. (valeur lue : « communication interne »)');
      expect(output).toContain('  - funding : financement, financements, diversification des financements,');
      expect(output).toContain('  - sector_digital : numérique,');
      expect(open).not.toHaveBeenCalled();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('README.md § Importing the local resource directory', () => {
  it('lists every need tag with the theme labels and words the import accepts for it', () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const section = readme.split('\n## Importing the local resource directory\n')[1]?.split('\n## ')[0] ?? '';
    for (const tag of NEED_TAGS) {
      const row = section.split('\n').find((l) => l.startsWith(`| \`${tag}\` |`));
      expect({ tag, row: row?.split(' | ')[1]?.replace(/ \|$/, '') }).toEqual({ tag, row: NEED_WORDS[tag].map((w) => `« ${w} »`).join(', ') });
      for (const word of NEED_WORDS[tag]) expect(needTagsOf(word)).toContain(tag);
    }
  });
});

/** Captures what the CLI core prints. */
function capture() {
  const lines: string[] = [];
  return { lines, out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), text: () => lines.join('\n') };
}

describe('importing into the resource directory (FerretDB)', () => {
  let db: TestDb;
  let directory: ResourceDirectory;
  const open = jest.fn(async (): Promise<OpenedDirectory> => ({ directory, description: 'base de test', close: async () => undefined }));

  const run = async (file: string, flags: Partial<ImportOptions> = {}) => {
    const io = capture();
    const code = await importResourceFile({ file: fixture(file), skipInvalid: false, merge: false, dryRun: false, ...flags }, open, t, io);
    return { code, output: asRead(io.text()) };
  };
  const localIds = async () => (await directory.local()).map((e) => e.id);
  const seed: LocalResource = { id: 'deja_la', name: 'Déjà là', needs: ['funding'], scope: 'local', departements: ['35'], url: 'https://deja.example.org', checkedBy: 'C', checkedAt: '2025-12-01' };

  beforeAll(async () => {
    db = await openTestDb('resourceImport');
    directory = new ResourceDirectory(db.connection);
  });
  afterAll(async () => {
    db.connection.removeAllListeners('disconnected'); // a deliberate close, not a lost connection
    await db.close();
  });
  beforeEach(async () => {
    open.mockClear();
    await directory.replaceLocal([seed], 'seed.csv');
  });

  it('one bad line: nothing is imported, the report names the line and the reason, exit code 1', async () => {
    const { code, output } = await run('bad.csv');
    expect(code).toBe(1);
    // Line 5, not 4: the first record spans two lines.
    expect(output).toContain('1 ligne contient des erreurs :');
    expect(output).toContain('  ligne 5 — checkedAt : La date doit être au format AAAA-MM-JJ ou JJ/MM/AAAA, et exister. (valeur lue : « 31/02/2026 »)');
    expect(output).toContain('Rien n’a été importé.');
    expect(open).not.toHaveBeenCalled();
    expect(await localIds()).toEqual(['deja_la']);
  });

  it('--skip-invalid imports the other lines and names the skipped one', async () => {
    const { code, output } = await run('bad.csv', { skipInvalid: true });
    expect(code).toBe(0);
    expect(output).toContain('1 ligne ignorée (--skip-invalid) :\n  ligne 5 — checkedAt : La date doit être au format');
    expect(output).toContain('3 entrées importées, 1 retirée, 1 ligne ignorée.');
    expect(await localIds()).toEqual(['maison_asso_rennes', 'fonds_bretagne', 'cress_bretagne_exemple']);
  });

  it('an import replaces the local directory; --merge keeps the entries the file does not have', async () => {
    expect((await run('good.csv')).output).toContain('3 entrées importées, 1 retirée, 0 ligne ignorée.');
    expect(await localIds()).toEqual(['maison_asso_rennes', 'fonds_bretagne', 'cress_bretagne_exemple']);

    const replaced = await run('good.json');
    expect(replaced.output).toContain('Mode : remplacement.');
    expect(replaced.output).toContain('2 entrées importées, 2 retirées, 0 entrée du fichier ignorée.');
    expect(await localIds()).toEqual(['pole_ess_35', 'maison_asso_rennes']);

    const merged = await run('good.csv', { merge: true });
    expect(merged.output).toContain('3 entrées importées, 0 retirée, 0 ligne ignorée.');
    expect((await localIds()).sort()).toEqual(['cress_bretagne_exemple', 'fonds_bretagne', 'maison_asso_rennes', 'pole_ess_35']);

    // What is stored: id as _id, the source file and the import date.
    const docs = await db.connection.collection('local_resources').find().toArray();
    expect(docs).toHaveLength(4);
    expect(docs.find((d) => d._id as unknown === 'pole_ess_35')).toMatchObject({ source: 'good.json', importedAt: expect.any(Date) });
    expect(docs.find((d) => d._id as unknown === 'fonds_bretagne')).toMatchObject({ source: 'good.csv', departements: ['35', '56', '29'] });
  });

  it('the operator’s spreadsheet without ids, imported again (merged or replacing), updates its entries rather than adding them twice', async () => {
    const ids = ['deja_la', 'fonds-bretagne-solidaire-exemple-35-56', 'groupement-d-employeurs-du-finistere-exemple-29',
      'maison-des-associations-de-rennes-exemple-35', 'numerique-solidaire-35-exemple-35'];
    expect((await run('operator-fr.csv', { merge: true })).code).toBe(0);
    expect((await localIds()).sort()).toEqual(ids);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resources-'));
    try {
      // The same sheet a month later: a site changed, checked again.
      const again = path.join(dir, 'operator-fr.csv');
      fs.writeFileSync(again, fs.readFileSync(fixture('operator-fr.csv'), 'utf8').replace('https://fonds.example.org;;Camille;01/02/2026', 'https://fonds-solidaire.example.org;;Camille;02/03/2026'));
      expect((await run(again, { merge: true })).code).toBe(0);
      expect((await localIds()).sort()).toEqual(ids);
      const fonds = (await directory.local()).find((e) => e.id === 'fonds-bretagne-solidaire-exemple-35-56');
      expect(fonds).toMatchObject({ url: 'https://fonds-solidaire.example.org', checkedAt: '2026-03-02' });
      expect((await run(again)).output).toContain('4 entrées importées, 1 retirée');
      expect((await localIds()).sort()).toEqual(ids.slice(1));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the French-headed Windows-1252 export stores the same entries as the English one', async () => {
    await run('good.csv');
    const fromEnglish = await directory.local();
    const stored = async () => (await db.connection.collection('local_resources').find().sort({ position: 1 }).toArray())
      .map(({ importedAt: _at, source: _source, ...doc }) => doc);
    const englishDocs = await stored();

    await directory.replaceLocal([seed], 'seed.csv');
    const { code, output } = await run('good-fr.csv');
    expect(code).toBe(0);
    expect(output).toContain('Ce fichier n’est pas en UTF-8 : il a été lu comme un export Excel (Windows-1252).');
    expect(output).toContain('Colonnes ou champs inconnus, ignorés : Type, Description.');
    expect(output).toContain('Colonnes reconnues : Identifiant, Nom, Besoins, Départements, Site web, Contact, Adresse, Téléphone, Courriel, Vérifié par, Vérifié le, Portée (et leurs variantes : voir le README).');
    expect(output).toContain('3 entrées importées, 1 retirée, 0 ligne ignorée.');
    expect(await directory.local()).toEqual(fromEnglish);
    expect(await stored()).toEqual(englishDocs);
    expect((await db.connection.collection('local_resources').findOne({ _id: 'fonds_bretagne' as never }))?.source).toBe('good-fr.csv');
  });

  it('a French file with an unknown column instead of a required one: the missing column and the expected ones, in French', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resources-'));
    try {
      const file = path.join(dir, 'territoire.csv');
      fs.writeFileSync(file, 'Identifiant;Nom;Besoins;Territoire;Site web;Vérifié par;Vérifié le\nok_1;Exemple;funding;35;https://a.example.org;Camille;01/02/2026\n');
      const { code, output } = await run(file);
      expect(code).toBe(1);
      expect(output).toBe([
        'Il manque des colonnes dans l’en-tête (ligne 1) : Départements. Colonnes trouvées : Identifiant, Nom, Besoins, Territoire, Site web, Vérifié par, Vérifié le.',
        'Colonnes reconnues : Identifiant, Nom, Besoins, Départements, Site web, Contact, Adresse, Téléphone, Courriel, Vérifié par, Vérifié le, Portée (et leurs variantes : voir le README).',
        'Rien n’a été importé.',
      ].join('\n'));
      expect(open).not.toHaveBeenCalled();
      expect(await localIds()).toEqual(['deja_la']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--dry-run reports what would change and writes nothing', async () => {
    const { code, output } = await run('good.json', { dryRun: true });
    expect(code).toBe(0);
    expect(output).toContain('Simulation (--dry-run), rien n’a été écrit. L’import donnerait : 2 entrées importées, 1 retirée, 0 entrée du fichier ignorée.');
    expect(await localIds()).toEqual(['deja_la']);
  });

  it('an unknown need lists the possible ones; a wrong file says why and opens no database', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resources-'));
    try {
      fs.writeFileSync(path.join(dir, 'needs.csv'), `${HEADER}\n${ROW.replace('funding', 'fundng')}\n`);
      const needs = await run(path.join(dir, 'needs.csv'));
      expect(needs.code).toBe(1);
      expect(needs.output).toContain('ligne 2 — needs : Ce besoin n’est pas reconnu : écrivez une étiquette, ou l’un des thèmes ou mots listés plus bas. (valeur lue : « fundng »)');
      expect(needs.output).toContain('Besoins possibles (needs) : l’étiquette, ou un thème du DLA ou un mot courant qui y mène :');
      for (const tag of NEED_TAGS) expect(needs.output).toContain(`\n  - ${tag} : `);

      fs.writeFileSync(path.join(dir, 'header.csv'), `${HEADER}\n`);
      const empty = await run(path.join(dir, 'header.csv'));
      expect(empty.code).toBe(1);
      expect(empty.output).toContain('Le fichier header.csv ne contient aucune entrée.');

      const missing = await run(path.join(dir, 'nope.csv'));
      expect(missing).toEqual({
        code: 1,
        output: `Impossible de lire le fichier ${path.join(dir, 'nope.csv')} : ce fichier n’existe pas (vérifiez le nom et le dossier : le chemin se lit depuis le dossier où vous tapez la commande).`,
      });
      expect((await run(dir)).output).toBe(`Impossible de lire le fichier ${dir} : c’est un dossier, pas un fichier.`);
      expect(open).not.toHaveBeenCalled();
      expect(await localIds()).toEqual(['deja_la']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('all() feeds matchResources: after an import, a local entry of the département comes before the national one', async () => {
    const before = await directory.all(); // fills the cache: the import must refresh it
    expect(matchResources(['local_association_life'], '35', before).map((m) => m.resource.id)).toEqual(['maisons_des_associations']);

    await run('good.csv');
    const all = await directory.all();
    const ids = (needs: string[], dep: string) => matchResources(needs, dep, all).map((m) => m.resource.id);
    expect(ids(['local_association_life'], '35')).toEqual(['maison_asso_rennes', 'maisons_des_associations']);
    expect(ids(['funding'], '56')[0]).toBe('fonds_bretagne');
    expect(ids(['funding'], '75')).not.toContain('fonds_bretagne');
    expect(all.filter((r) => r.scope === 'national')).toHaveLength(all.length - 3);
  });

  it('another instance (the running assistant) sees an import once its copy is older than maxAgeMs', async () => {
    const fresh = new ResourceDirectory(db.connection, { maxAgeMs: 0 });
    const stale = new ResourceDirectory(db.connection, { maxAgeMs: 60_000 });
    expect((await fresh.local()).map((e) => e.id)).toEqual(['deja_la']);
    expect((await stale.local()).map((e) => e.id)).toEqual(['deja_la']);
    await directory.replaceLocal([{ ...seed, id: 'nouveau' }], 'other.csv');
    expect((await fresh.local()).map((e) => e.id)).toEqual(['nouveau']);
    expect((await stale.local()).map((e) => e.id)).toEqual(['deja_la']);
    await stale.refresh();
    expect((await stale.local()).map((e) => e.id)).toEqual(['nouveau']);
  });

  it('refuses an import holding the same id twice', async () => {
    await expect(directory.upsertLocal([seed, seed], 'dup.csv')).rejects.toThrow(/appears twice/);
    await expect(directory.replaceLocal([seed, seed], 'dup.csv')).rejects.toThrow(/appears twice/);
  });
});

describe('the command line (node dist/scripts/resources-import.js)', () => {
  const uri = testDbUri('resourceImportCli');
  let connection: Connection;
  const script = path.join(PROJECT_ROOT, 'dist', 'scripts', 'resources-import.js');

  const cliWith = (env: NodeJS.ProcessEnv, ...args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: asRead(stdout), stderr: asRead(stderr) }));
  });
  const cli = (...args: string[]) => cliWith({ MONGODB_URI: uri }, ...args);
  const storedIds = async () => (await connection.collection('local_resources').find().toArray()).map((d) => String(d._id)).sort();

  beforeAll(async () => {
    // The same build `npm run resources:import` does before running the script.
    const tsc = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: PROJECT_ROOT });
      let output = '';
      child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, output }));
    });
    if (tsc.code !== 0) throw new Error(`tsc -p tsconfig.json failed:\n${tsc.output}`);
    connection = await connectWithRetry(uri, { maxAttempts: 3, initialDelayMs: 200 });
  }, 300_000); // a whole tsc build: over 2 minutes on a loaded 2-core machine
  afterAll(async () => {
    connection?.removeAllListeners('disconnected');
    await connection?.db?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  it('--help explains the file, the options and when to run it, in French', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Utilisation : npm run resources:import -- FICHIER [--skip-invalid] [--merge] [--dry-run]');
    expect(stdout).toContain('L’import peut se faire pendant que l’assistant fonctionne (avec la base intégrée, il utilise celle de l’assistant)');
    for (const tag of NEED_TAGS) expect(stdout).toContain(`  - ${tag} : `);
    expect(stdout).toContain('L’identifiant est facultatif');
  });

  it('a wrong option or no file: usage, exit code 2', async () => {
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Indiquez le fichier à importer.');
    expect((await cli(fixture('good.csv'), '--force')).stderr).toContain('Option inconnue : --force.');
  });

  it('a file with a bad line: exit code 1, the line and the reason, nothing in the database', async () => {
    const { code, stdout, stderr } = await cli(fixture('bad.csv'));
    expect(code).toBe(1);
    expect(stdout).toContain('ligne 5 — checkedAt : La date doit être au format AAAA-MM-JJ ou JJ/MM/AAAA, et exister.');
    expect(stderr).toContain('Rien n’a été importé.');
    expect(await storedIds()).toEqual([]);
  });

  it('a good file: exit code 0, the summary, the entries in the database; --skip-invalid then replaces them', async () => {
    const good = await cli(fixture('good.json'));
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('Base de données : mongodb://');
    expect(good.stdout).toContain('2 entrées importées, 0 retirée, 0 entrée du fichier ignorée.');
    expect(await storedIds()).toEqual(['maison_asso_rennes', 'pole_ess_35']);

    const skip = await cli(fixture('bad.csv'), '--skip-invalid');
    expect(skip.code).toBe(0);
    expect(skip.stdout).toContain('1 ligne ignorée (--skip-invalid) :\n  ligne 5 — checkedAt');
    expect(skip.stdout).toContain('3 entrées importées, 1 retirée, 1 ligne ignorée.');
    expect(await storedIds()).toEqual(['cress_bretagne_exemple', 'fonds_bretagne', 'maison_asso_rennes']);
  });

  it('`npm run resources:import FILE --dry-run` without the "--": npm keeps the option, the import still only simulates', async () => {
    await cli(fixture('good.json'));
    // What npm hands the script then: no option in argv, npm_config_dry_run=true in the environment.
    const npm = await cliWith({ MONGODB_URI: uri, npm_lifecycle_event: 'resources:import', npm_config_dry_run: 'true', npm_config_merge: 'true' }, fixture('good.csv'));
    expect(npm.code).toBe(0);
    expect(npm.stdout).toContain('Options transmises par npm : --dry-run --merge. (Écrivez-les après « -- » : npm run resources:import -- FICHIER --dry-run --merge.)');
    expect(npm.stdout).toContain('Mode : fusion (--merge).');
    expect(npm.stdout).toContain('Simulation (--dry-run), rien n’a été écrit.');
    expect(await storedIds()).toEqual(['maison_asso_rennes', 'pole_ess_35']);
  });

  it('without MONGODB_URI: the embedded FerretDB on DATA_DIR/ferretdb, started and stopped for the import', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resources-cli-'));
    const embedded = (...args: string[]) => cliWith({ MONGODB_URI: '', DATA_DIR: dataDir, FERRETDB_BIN: process.env.TEST_FERRETDB_BIN ?? '' }, ...args);
    try {
      const first = await embedded(fixture('good.csv'));
      expect(first.code).toBe(0);
      expect(first.stdout).toContain(`Base de données intégrée : ${path.join(dataDir, 'ferretdb')}`);
      expect(first.stdout).toContain('3 entrées importées, 0 retirée, 0 ligne ignorée.');
      expect(fs.readdirSync(path.join(dataDir, 'ferretdb'))).toContain('dla.sqlite');
      // A second run (its own FerretDB) finds what the first one stored.
      const second = await embedded(fixture('good.json'), '--dry-run');
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('L’import donnerait : 2 entrées importées, 2 retirées, 0 entrée du fichier ignorée.');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
