import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { loadConfig } from '../../src/config';
import {
  buildTeamsPackage,
  checkIcons,
  decodePng,
  encodePng,
  fillTemplate,
  TEAMS_DIR,
  TeamsManifest,
  TeamsPackageError,
  teamsSchemaUrl,
  validateLocalization,
  validateManifest,
} from '../../src/channels/teamsPackage';

const BOT_ID = '1b0e5b8a-3c1d-4e7a-9f0a-2d6c8b4e1f00';
const TEAMS_APP_ID = '7d3f2c1e-8a9b-4c5d-9e0f-112233445566';
const ENV = { MicrosoftAppId: BOT_ID, PUBLIC_URL: 'https://dla.example.org', TEAMS_VALID_DOMAINS: 'formulaires.example.org' };

/** Reads a zip back through its central directory: entry name → uncompressed content (CRC checked). */
function readZip(zip: Buffer): Map<string, Buffer> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('no end of central directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const compressedSize = zip.readUInt32LE(p + 20);
    const [nameLength, extraLength, commentLength] = [zip.readUInt16LE(p + 28), zip.readUInt16LE(p + 30), zip.readUInt16LE(p + 32)];
    const localHeader = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const stored = zip.subarray(start, start + compressedSize);
    const data = method === 8 ? zlib.inflateRawSync(stored) : stored;
    if (zlib.crc32(data) !== crc) throw new Error(`CRC mismatch for ${name}`);
    entries.set(name, data);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function solid(width: number, height: number, rgba: [number, number, number, number]): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set(rgba, i);
  return data;
}

describe('Teams app package', () => {
  let tmp: string;
  let outFile: string;
  let manifest: TeamsManifest;
  let zip: Map<string, Buffer>;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dla-teams-'));
    outFile = path.join(tmp, 'dla-assistant-teams.zip');
    await buildTeamsPackage(loadConfig(ENV), { outFile });
    zip = readZip(fs.readFileSync(outFile));
    manifest = JSON.parse(zip.get('manifest.json')!.toString('utf8')) as TeamsManifest;
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('the packaged manifest validates against the official schema of its version', () => {
    expect(manifest.manifestVersion).toBe('1.29');
    expect(manifest.$schema).toBe(teamsSchemaUrl('1.29'));
    expect(validateManifest(manifest)).toEqual([]);
    expect(JSON.stringify(manifest)).not.toContain('${{');
  });

  it('uses the configured ids: botId = MicrosoftAppId, id = TEAMS_APP_ID (default MicrosoftAppId)', async () => {
    expect(manifest.bots?.[0].botId).toBe(BOT_ID);
    expect(manifest.id).toBe(BOT_ID);
    const other = await buildTeamsPackage(loadConfig({ ...ENV, TEAMS_APP_ID }), { outFile: path.join(tmp, 'other.zip') });
    expect(other.manifest.id).toBe(TEAMS_APP_ID);
    expect(other.manifest.bots?.[0].botId).toBe(BOT_ID);
  });

  it('fills French content, scopes, domains and URLs from the configuration', async () => {
    const m = manifest as Record<string, any>;
    expect(m.name.short).toBe('DLA'); // OPERATOR_NAME defaults to "DLA": no "DLA DLA"
    expect(m.localizationInfo?.defaultLanguageTag).toBe('fr-fr');
    expect(m.bots[0]).toMatchObject({ scopes: ['personal', 'team'], supportsFiles: false, isNotificationOnly: false });
    expect(m.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title)).toEqual(['aide', 'recommencer', 'English', 'parler à un·e chargé·e']);
    expect(m.validDomains).toEqual(['dla.example.org', 'formulaires.example.org']);
    expect(m.developer).toMatchObject({ websiteUrl: 'https://dla.example.org', privacyUrl: 'https://dla.example.org/confidentialite' });

    const named = await buildTeamsPackage(
      loadConfig({ ...ENV, OPERATOR_NAME: 'France Active 35', PRIVACY_URL: 'https://example.org/rgpd', OPERATOR_PRIMARY_COLOR: '#123456', TEAMS_VALID_DOMAINS: 'DLA.example.org' }),
      { outFile: path.join(tmp, 'named.zip') },
    );
    const n = named.manifest as Record<string, any>;
    expect(n.name.short).toBe('DLA France Active 35');
    expect(n.developer).toMatchObject({ name: 'France Active 35', privacyUrl: 'https://example.org/rgpd' });
    expect(n.accentColor).toBe('#123456');
    expect(n.validDomains).toEqual(['dla.example.org']);
  });

  it('rejects a manifest with a wrong or missing value, naming the path', () => {
    const badBot = structuredClone(manifest);
    badBot.bots![0].botId = 'not-a-guid';
    expect(validateManifest(badBot)).toEqual([expect.stringMatching(/^bots\[0\]\.botId: must match pattern/)]);

    const { developer: _removed, ...noDeveloper } = manifest;
    expect(validateManifest(noDeveloper)).toEqual(['developer: is required']);

    expect(validateManifest({ ...manifest, accentColor: 'blue' })).toEqual([expect.stringMatching(/^accentColor: must match pattern/)]);
    expect(validateManifest({ ...manifest, botz: [] })).toEqual(['botz: is not allowed by the schema']);
    // Another version is checked against its own schema, and must then point $schema at it.
    expect(validateManifest({ ...manifest, manifestVersion: '1.28' })).toEqual([
      `$schema: must be ${teamsSchemaUrl('1.28')} for manifestVersion 1.28`,
    ]);
    expect(validateManifest({ ...manifest, manifestVersion: '1.18' })).toEqual([
      'manifestVersion: @microsoft/app-manifest has no MicrosoftTeams.schema.json for manifestVersion 1.18',
    ]);
    expect(validateManifest({ ...manifest, version: '1.0' })).toEqual(['version: must be a version like 1.0.0 (got "1.0")']);
  });

  it('refuses to package an invalid result and writes nothing', async () => {
    const file = path.join(tmp, 'invalid.zip');
    const longName = 'Association régionale pour l’accompagnement';
    const attempt = buildTeamsPackage(loadConfig({ ...ENV, OPERATOR_NAME: longName }), { outFile: file });
    await expect(attempt).rejects.toThrow(TeamsPackageError);
    const err = (await attempt.catch((e: unknown) => e)) as TeamsPackageError;
    expect(err.problems).toEqual(
      expect.arrayContaining(['name.short: must NOT have more than 30 characters', 'developer.name: must NOT have more than 32 characters']),
    );
    // The operator is told which key to change, and how long it may be.
    expect(err.key).toBe('OPERATOR_NAME');
    expect(err.message).toMatch(/^The Teams package is invalid \(\d problem\(s\), from OPERATOR_NAME\); nothing was written:$/);
    expect(err.problems).toContain(`OPERATOR_NAME makes the app's name in Teams "DLA ${longName}" (47 characters), Teams allows 30: use a shorter form for the package, like "DLA 33" or "DLA de la Gironde" (OPERATOR_NAME="…" npm run teams:package)`);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('the English localization file is valid, and a wrong key in it is rejected', () => {
    const en = JSON.parse(zip.get('en.json')!.toString('utf8')) as Record<string, string>;
    expect(validateLocalization(en, '1.29')).toEqual([]);
    expect(en['name.short']).toBe('DLA');
    expect(en['bots[0].commandLists[0].commands[0].title']).toBe('help');
    expect(validateLocalization({ ...en, 'bots[0].commandList[0].title': 'x' }, '1.29')).toEqual([
      '["bots[0].commandList[0].title"]: is not allowed by the schema',
    ]);
    expect(validateLocalization({ ...en, 'description.short': '' }, '1.29')).toEqual([expect.stringMatching(/^\["description\.short"\]: /)]);
  });

  it('the icons have the required sizes; colour is opaque, outline is white on transparent', () => {
    const color = decodePng(fs.readFileSync(path.join(TEAMS_DIR, 'color.png')));
    const outline = decodePng(fs.readFileSync(path.join(TEAMS_DIR, 'outline.png')));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const pixels = (png: typeof color): number[][] =>
      Array.from({ length: png.width * png.height }, (_, i) => [...png.rgba.subarray(i * 4, i * 4 + 4)]);
    expect(pixels(color).every(([, , , a]) => a === 255)).toBe(true);
    expect(new Set(pixels(color).map((p) => p.join(','))).size).toBeGreaterThan(2); // a drawing, not a flat square
    const kinds = pixels(outline).map(([r, g, b, a]) => (a === 0 ? 'transparent' : r === 255 && g === 255 && b === 255 ? 'white' : 'other'));
    expect(new Set(kinds)).toEqual(new Set(['transparent', 'white']));
    expect(checkIcons(fs.readFileSync(path.join(TEAMS_DIR, 'color.png')), fs.readFileSync(path.join(TEAMS_DIR, 'outline.png')))).toEqual([]);
  });

  it('checkIcons reports wrong sizes, coloured or opaque outlines, and unreadable files', () => {
    const goodColor = encodePng({ width: 192, height: 192, rgba: solid(192, 192, [31, 78, 121, 255]) });
    const outlinePixels = solid(32, 32, [0, 0, 0, 0]);
    outlinePixels.set([255, 255, 255, 255], 0);
    const goodOutline = encodePng({ width: 32, height: 32, rgba: outlinePixels });
    expect(checkIcons(goodColor, goodOutline)).toEqual([]);

    const small = encodePng({ width: 100, height: 100, rgba: solid(100, 100, [31, 78, 121, 255]) });
    expect(checkIcons(small, goodOutline)).toEqual(['color.png: must be 192×192 pixels (got 100×100)']);

    const red = Buffer.from(outlinePixels);
    red.set([255, 0, 0, 255], (2 * 32 + 3) * 4);
    expect(checkIcons(goodColor, encodePng({ width: 32, height: 32, rgba: red }))).toEqual([
      'outline.png: 1 pixel(s) are neither white nor transparent (first at x=3, y=2: rgba(255, 0, 0, 255))',
    ]);
    const grey = Buffer.from(outlinePixels);
    grey.set([128, 128, 128, 128], 5 * 4);
    expect(checkIcons(goodColor, encodePng({ width: 32, height: 32, rgba: grey }))).toEqual([
      'outline.png: 1 pixel(s) are neither white nor transparent (first at x=5, y=0: rgba(128, 128, 128, 128))',
    ]);
    const opaque = encodePng({ width: 32, height: 32, rgba: solid(32, 32, [255, 255, 255, 255]) });
    expect(checkIcons(goodColor, opaque)).toEqual(['outline.png: must have a transparent background (no transparent pixel found)']);
    expect(checkIcons(goodColor, goodColor)).toEqual(expect.arrayContaining(['outline.png: must be 32×32 pixels (got 192×192)']));
    expect(checkIcons(Buffer.from('GIF89a'), goodOutline)).toEqual(['color.png: cannot be read as a PNG (not a PNG file)']);
  });

  it('the zip holds exactly manifest.json, color.png, outline.png and en.json, at its root', () => {
    expect([...zip.keys()].sort()).toEqual(['color.png', 'en.json', 'manifest.json', 'outline.png']);
    expect(zip.get('color.png')!.equals(fs.readFileSync(path.join(TEAMS_DIR, 'color.png')))).toBe(true);
    expect(zip.get('outline.png')!.equals(fs.readFileSync(path.join(TEAMS_DIR, 'outline.png')))).toBe(true);
  });

  it('warns (without failing) when PUBLIC_URL is not a public https address', async () => {
    const local = await buildTeamsPackage(loadConfig({ MicrosoftAppId: BOT_ID }), { outFile: path.join(tmp, 'local.zip') });
    expect(local.warnings).toEqual([expect.stringMatching(/^PUBLIC_URL .*https/), expect.stringMatching(/^PUBLIC_URL points to 127\.0\.0\.1/)]);
    const pub = await buildTeamsPackage(loadConfig(ENV), { outFile: path.join(tmp, 'public.zip') });
    expect(pub.warnings).toEqual([]);
  });

  it('a missing or malformed app id stops packaging with a message naming the key', async () => {
    const attempt = (env: Record<string, string>) => buildTeamsPackage(loadConfig(env), { outFile: path.join(tmp, 'no.zip') });
    await expect(attempt({ PUBLIC_URL: 'https://dla.example.org' })).rejects.toThrow(/^MicrosoftAppId is not set/);
    await expect(attempt({ TEAMS_APP_ID })).rejects.toMatchObject({ key: 'MicrosoftAppId' });
    // A malformed app id is refused by the configuration itself (the server would refuse it too).
    expect(() => loadConfig({ MicrosoftAppId: 'my-bot' })).toThrow('MicrosoftAppId must be the Azure Bot\'s Microsoft App ID, a GUID');
    await expect(attempt({ MicrosoftAppId: BOT_ID, TEAMS_APP_ID: '1234' })).rejects.toThrow('TEAMS_APP_ID must be a GUID');
    await expect(attempt({ MicrosoftAppId: BOT_ID, TEAMS_VALID_DOMAINS: 'https://x.org/path' })).rejects.toThrow(/^TEAMS_VALID_DOMAINS/);
    expect(fs.existsSync(path.join(tmp, 'no.zip'))).toBe(false);
  });

  it('fillTemplate fills strings, expands list placeholders, and refuses unknown ones', () => {
    const values = { NAME: 'DLA 35', DOMAINS: ['a.org', 'b.org'] };
    expect(fillTemplate({ n: 'Assistant ${{NAME}}', d: ['x.org', '${{DOMAINS}}'], k: 1 }, values)).toEqual({
      n: 'Assistant DLA 35',
      d: ['x.org', 'a.org', 'b.org'],
      k: 1,
    });
    expect(fillTemplate({ q: '${{NAME}}' }, { NAME: 'say "hi"' })).toEqual({ q: 'say "hi"' });
    expect(() => fillTemplate({ n: '${{NOPE}}' }, values)).toThrow('Unknown placeholder ${{NOPE}}');
  });
});
