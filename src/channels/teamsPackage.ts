import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ZipFile } from 'yazl';
import type { Config } from '../config';
import { PROJECT_ROOT } from '../paths';

/**
 * The Microsoft Teams app package: teams/manifest.template.json (+ teams/en.json) filled from the
 * configuration, validated offline against the official schemas shipped in @microsoft/app-manifest,
 * icons checked, then zipped (manifest.json, color.png, outline.png, en.json at the zip root).
 */

export const TEAMS_DIR = path.join(PROJECT_ROOT, 'teams');
export const TEAMS_PACKAGE_FILE = path.join(TEAMS_DIR, 'build', 'dla-assistant-teams.zip');
export const MANIFEST_TEMPLATE = 'manifest.template.json';
export const ICON_SIZES = { color: 192, outline: 32 } as const;

/** A Teams bot id (the Azure Bot's Microsoft App ID) and a Teams app id are GUIDs. */
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
/** Teams wants x.y.z in `version` (the v1.29 schema itself only says "string"). */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const HOSTNAME = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i;

export class TeamsPackageError extends Error {
  constructor(
    message: string,
    /** One line per problem (schema errors with their path, icon problems…). */
    public readonly problems: string[] = [],
    /** The configuration key at fault, when there is one. */
    public readonly key?: string,
  ) {
    super(message);
    this.name = 'TeamsPackageError';
  }
}

/** The fields this module reads; the schema checks the rest. */
export interface TeamsManifest {
  $schema?: string;
  manifestVersion: string;
  version: string;
  id: string;
  icons: { color: string; outline: string };
  localizationInfo?: {
    defaultLanguageTag: string;
    defaultLanguageFile?: string;
    additionalLanguages?: { languageTag: string; file: string }[];
  };
  bots?: { botId: string; scopes?: string[] }[];
  [key: string]: unknown;
}

// --- Values from the configuration --------------------------------------------------------------

export type TemplateValues = Record<string, string | string[]>;

function requireGuid(value: string, key: string): string {
  if (!value) {
    throw new TeamsPackageError(
      `${key} is not set: the Teams package needs the Microsoft App ID of the Azure Bot registration ` +
        `(a GUID like 00000000-0000-0000-0000-000000000000). Set ${key} in .env or in the environment.`,
      [],
      key,
    );
  }
  if (!GUID.test(value)) {
    throw new TeamsPackageError(`${key} must be a GUID like 00000000-0000-0000-0000-000000000000 (got "${value}")`, [], key);
  }
  return value;
}

/** PRIVACY_URL is either absolute or a path served by the assistant. */
export function absoluteUrl(urlOrPath: string, publicUrl: string): string {
  if (/^https?:\/\//i.test(urlOrPath)) return urlOrPath;
  return `${publicUrl.replace(/\/+$/, '')}/${urlOrPath.replace(/^\/+/, '')}`;
}

/** "DLA 35" stays "DLA 35"; "Ille-et-Vilaine" becomes "DLA Ille-et-Vilaine". */
export function appShortName(operatorName: string): string {
  return /^DLA\b/i.test(operatorName) ? operatorName : `DLA ${operatorName}`;
}

/** The public hostname of the assistant, then TEAMS_VALID_DOMAINS, lower-cased, without duplicates. */
export function validDomains(config: Config): string[] {
  const domains = [new URL(config.publicUrl).hostname, ...config.teams.validDomains];
  for (const d of config.teams.validDomains) {
    if (!HOSTNAME.test(d)) {
      throw new TeamsPackageError(
        `TEAMS_VALID_DOMAINS must list host names only, comma separated, like dla.example.org,*.example.org (got "${d}")`,
        [],
        'TEAMS_VALID_DOMAINS',
      );
    }
  }
  return [...new Set(domains.map((d) => d.toLowerCase()))];
}

/** Everything the templates' ${{PLACEHOLDERS}} can refer to. Throws naming the key at fault. */
export function teamsTemplateValues(config: Config, appVersion: string): TemplateValues {
  const botId = requireGuid(config.appId, 'MicrosoftAppId');
  // config.teams.appId is TEAMS_APP_ID, or MicrosoftAppId when TEAMS_APP_ID is empty.
  const teamsAppId = requireGuid(config.teams.appId, config.teams.appId === config.appId ? 'MicrosoftAppId' : 'TEAMS_APP_ID');
  return {
    TEAMS_APP_ID: teamsAppId,
    BOT_ID: botId,
    APP_VERSION: appVersion,
    OPERATOR_NAME: config.operator.name,
    APP_NAME_SHORT: appShortName(config.operator.name),
    PUBLIC_URL: config.publicUrl,
    PRIVACY_URL: absoluteUrl(config.operator.privacyUrl, config.publicUrl),
    TERMS_URL: absoluteUrl('/conditions-utilisation', config.publicUrl),
    ACCENT_COLOR: config.operator.primaryColor,
    VALID_DOMAINS: validDomains(config),
  };
}

/** Things Teams will not like although the schema accepts them (printed, not fatal). */
export function teamsWarnings(config: Config): string[] {
  const url = new URL(config.publicUrl);
  const warnings: string[] = [];
  if (url.protocol !== 'https:') {
    warnings.push(`PUBLIC_URL is ${config.publicUrl}: Teams needs https for the developer URLs and the bot endpoint.`);
  }
  if (['localhost', '127.0.0.1', '0.0.0.0', '[::1]'].includes(url.hostname)) {
    warnings.push(`PUBLIC_URL points to ${url.hostname}: validDomains and the developer URLs will not work for Teams users.`);
  }
  return warnings;
}

// --- Template -------------------------------------------------------------------------------------

const PLACEHOLDER = /\$\{\{([A-Za-z0-9_]+)\}\}/g;
const WHOLE_PLACEHOLDER = /^\$\{\{([A-Za-z0-9_]+)\}\}$/;

/**
 * Replaces ${{NAME}} in every string of a parsed JSON template (so values never break the JSON).
 * A list value must stand alone as an array item: ["${{VALID_DOMAINS}}"] expands to its items.
 */
export function fillTemplate<T = unknown>(template: unknown, values: TemplateValues): T {
  const value = (name: string): string | string[] => {
    if (!(name in values)) throw new TeamsPackageError(`Unknown placeholder \${{${name}}} in a Teams template`);
    return values[name];
  };
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (_match, name: string) => {
        const v = value(name);
        if (Array.isArray(v)) throw new TeamsPackageError(`\${{${name}}} is a list: write it alone in an array, like ["\${{${name}}}"]`);
        return v;
      });
    }
    if (Array.isArray(node)) {
      return node.flatMap((item) => {
        const whole = typeof item === 'string' ? WHOLE_PLACEHOLDER.exec(item) : null;
        if (whole && Array.isArray(value(whole[1]))) return value(whole[1]);
        return [fill(item)];
      });
    }
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
    }
    return node;
  };
  return fill(template) as T;
}

// --- Schema validation (offline) ------------------------------------------------------------------

type SchemaKind = 'manifest' | 'localization';
const SCHEMA_FILES: Record<SchemaKind, string> = {
  manifest: 'MicrosoftTeams.schema.json',
  localization: 'MicrosoftTeams.Localization.schema.json',
};

/** The official URL to put in "$schema". */
export function teamsSchemaUrl(manifestVersion: string, kind: SchemaKind = 'manifest'): string {
  return `https://developer.microsoft.com/json-schemas/teams/v${manifestVersion}/${SCHEMA_FILES[kind]}`;
}

/** The same schema, as shipped in @microsoft/app-manifest. */
export function teamsSchemaFile(manifestVersion: string, kind: SchemaKind = 'manifest'): string {
  if (!/^1\.\d+$/.test(manifestVersion)) {
    throw new TeamsPackageError(`manifestVersion must look like 1.29 (got "${manifestVersion}")`);
  }
  try {
    return require.resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${manifestVersion}/${SCHEMA_FILES[kind]}`);
  } catch {
    throw new TeamsPackageError(`@microsoft/app-manifest has no ${SCHEMA_FILES[kind]} for manifestVersion ${manifestVersion}`);
  }
}

const validators = new Map<string, ValidateFunction>();

function schemaValidator(manifestVersion: string, kind: SchemaKind): ValidateFunction {
  const file = teamsSchemaFile(manifestVersion, kind);
  let validate = validators.get(file);
  if (!validate) {
    // The Teams schemas declare draft-04, whose meta-schema Ajv 8 does not ship; they only use
    // keywords that mean the same in draft-07 (plus `const` and `if`, which draft-04 lacks).
    // strict: false because the schemas have harmless slips (e.g. `minimum` on an array);
    // unicodeRegExp: false because some patterns (activities.activityTypes[…]) are invalid with /u.
    const { $schema: _draft04, ...schema } = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validate = ajv.compile(schema);
    validators.set(file, validate);
  }
  return validate;
}

/** JSON Pointer "/bots/0/botId" → "bots[0].botId" (how Teams and the localization files name fields). */
export function jsonPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || '(root)';
}

function formatError(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${jsonPath(`${e.instancePath}/${String(params.missingProperty)}`)}: is required`;
    case 'additionalProperties':
      return `${jsonPath(`${e.instancePath}/${String(params.additionalProperty)}`)}: is not allowed by the schema`;
    case 'enum':
      return `${jsonPath(e.instancePath)}: ${e.message} (${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})`;
    case 'const':
      return `${jsonPath(e.instancePath)}: must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return `${jsonPath(e.instancePath)}: ${e.message}`;
  }
}

function runSchema(document: unknown, manifestVersion: string, kind: SchemaKind): string[] {
  const validate = schemaValidator(manifestVersion, kind);
  if (validate(document)) return [];
  return [...new Set((validate.errors ?? []).map(formatError))];
}

/** Problems of a manifest (empty when valid): the official schema of its manifestVersion, then Teams rules. */
export function validateManifest(manifest: unknown): string[] {
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) return ['(root): must be an object'];
  const m = manifest as Partial<TeamsManifest>;
  if (typeof m.manifestVersion !== 'string') return ['manifestVersion: is required (a string like "1.29")'];
  let problems: string[];
  try {
    problems = runSchema(manifest, m.manifestVersion, 'manifest');
  } catch (err) {
    if (err instanceof TeamsPackageError) return [`manifestVersion: ${err.message}`];
    throw err;
  }
  if (m.$schema !== undefined && m.$schema !== teamsSchemaUrl(m.manifestVersion)) {
    problems.push(`$schema: must be ${teamsSchemaUrl(m.manifestVersion)} for manifestVersion ${m.manifestVersion}`);
  }
  if (typeof m.version === 'string' && !SEMVER.test(m.version)) {
    problems.push(`version: must be a version like 1.0.0 (got "${m.version}")`);
  }
  return problems;
}

/** Problems of a localization file (e.g. en.json), against the schema of the manifest's version. */
export function validateLocalization(localization: unknown, manifestVersion: string): string[] {
  const problems = runSchema(localization, manifestVersion, 'localization');
  const schemaUrl = (localization as { $schema?: unknown } | null)?.$schema;
  if (schemaUrl !== undefined && schemaUrl !== teamsSchemaUrl(manifestVersion, 'localization')) {
    problems.push(`$schema: must be ${teamsSchemaUrl(manifestVersion, 'localization')}`);
  }
  return problems;
}

// --- PNG (just enough for our icons: encode RGBA, decode 8-bit and palette images) ----------------

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface Png {
  width: number;
  height: number;
  /** width × height × 4 bytes, RGBA, row by row. */
  rgba: Buffer;
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** An 8-bit RGBA, non-interlaced PNG (filter 0 on every row). */
export function encodePng({ width, height, rgba }: Png): Buffer {
  if (rgba.length !== width * height * 4) throw new Error(`encodePng: expected ${width * height * 4} bytes, got ${rgba.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, no filter method, no interlace
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Decodes a non-interlaced PNG of bit depth 8 (or 1/2/4 for grey and palette images) to RGBA. */
export function decodePng(buf: Buffer): Png {
  if (buf.length < 8 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG file');
  let width = 0, height = 0, bitDepth = 0, colorType = 0, interlace = 0;
  let palette: Buffer = Buffer.alloc(0);
  let transparency: Buffer = Buffer.alloc(0);
  const idat: Buffer[] = [];
  for (let pos = 8; pos < buf.length; ) {
    if (pos + 12 > buf.length) throw new Error('truncated PNG chunk');
    const length = buf.readUInt32BE(pos);
    const type = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + length);
    if (data.length !== length || pos + 12 + length > buf.length) throw new Error(`truncated ${type} chunk`);
    if (zlib.crc32(buf.subarray(pos + 4, pos + 8 + length)) !== buf.readUInt32BE(pos + 8 + length)) throw new Error(`bad CRC in ${type} chunk`);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      [bitDepth, colorType] = [data[8], data[9]];
      interlace = data[12];
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') transparency = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + length;
  }
  const channels = CHANNELS[colorType];
  if (!width || !height || channels === undefined) throw new Error('missing or invalid IHDR chunk');
  if (interlace !== 0) throw new Error('interlaced PNGs are not supported: save it non-interlaced');
  if (bitDepth !== 8 && !((colorType === 0 || colorType === 3) && [1, 2, 4].includes(bitDepth))) {
    throw new Error(`PNG bit depth ${bitDepth} is not supported: save it as 8-bit RGBA`);
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const rowBytes = Math.ceil((width * channels * bitDepth) / 8);
  const bpp = Math.max(1, (channels * bitDepth) / 8);
  if (raw.length < (rowBytes + 1) * height) throw new Error('PNG image data is too short');
  const rows = Buffer.alloc(rowBytes * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (rowBytes + 1)];
    const src = raw.subarray(y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1));
    const row = rows.subarray(y * rowBytes, (y + 1) * rowBytes);
    const prev = y > 0 ? rows.subarray((y - 1) * rowBytes, y * rowBytes) : Buffer.alloc(rowBytes);
    for (let i = 0; i < rowBytes; i++) {
      const a = i >= bpp ? row[i - bpp] : 0;
      const b = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      let predictor: number;
      if (filter === 0) predictor = 0;
      else if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else throw new Error(`unknown PNG filter ${filter}`);
      row[i] = (src[i] + predictor) & 0xff;
    }
  }
  const rgba = Buffer.alloc(width * height * 4);
  const sample = (y: number, index: number): number => {
    if (bitDepth === 8) return rows[y * rowBytes + index];
    const bit = index * bitDepth;
    return (rows[y * rowBytes + (bit >> 3)] >> (8 - bitDepth - (bit & 7))) & ((1 << bitDepth) - 1);
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const s = (k: number): number => sample(y, x * channels + k);
      if (colorType === 6) rgba.set([s(0), s(1), s(2), s(3)], o);
      else if (colorType === 2) rgba.set([s(0), s(1), s(2), 255], o);
      else if (colorType === 4) rgba.set([s(0), s(0), s(0), s(1)], o);
      else if (colorType === 0) {
        const grey = Math.round((s(0) * 255) / ((1 << bitDepth) - 1));
        rgba.set([grey, grey, grey, 255], o);
      } else {
        const i = s(0);
        if (i * 3 + 2 >= palette.length) throw new Error('PNG palette index out of range');
        rgba.set([palette[i * 3], palette[i * 3 + 1], palette[i * 3 + 2], i < transparency.length ? transparency[i] : 255], o);
      }
    }
  }
  return { width, height, rgba };
}

/**
 * Teams' icon rules: color.png 192×192, outline.png 32×32 with only white and transparent pixels
 * (and some of each). Returns the problems found (empty when both are fine).
 */
export function checkIcons(color: Buffer, outline: Buffer, names = { color: 'color.png', outline: 'outline.png' }): string[] {
  const problems: string[] = [];
  const decode = (buf: Buffer, name: string): Png | undefined => {
    try {
      return decodePng(buf);
    } catch (err) {
      problems.push(`${name}: cannot be read as a PNG (${(err as Error).message})`);
      return undefined;
    }
  };
  const c = decode(color, names.color);
  if (c && (c.width !== ICON_SIZES.color || c.height !== ICON_SIZES.color)) {
    problems.push(`${names.color}: must be ${ICON_SIZES.color}×${ICON_SIZES.color} pixels (got ${c.width}×${c.height})`);
  }
  const o = decode(outline, names.outline);
  if (o) {
    if (o.width !== ICON_SIZES.outline || o.height !== ICON_SIZES.outline) {
      problems.push(`${names.outline}: must be ${ICON_SIZES.outline}×${ICON_SIZES.outline} pixels (got ${o.width}×${o.height})`);
    }
    let white = 0, transparent = 0, other = 0;
    let first = '';
    for (let i = 0; i < o.rgba.length; i += 4) {
      const [r, g, b, a] = o.rgba.subarray(i, i + 4);
      if (a === 0) transparent++;
      else if (r === 255 && g === 255 && b === 255) white++;
      else if (other++ === 0) first = `x=${(i / 4) % o.width}, y=${Math.floor(i / 4 / o.width)}: rgba(${r}, ${g}, ${b}, ${a})`;
    }
    if (other) problems.push(`${names.outline}: ${other} pixel(s) are neither white nor transparent (first at ${first})`);
    if (!transparent) problems.push(`${names.outline}: must have a transparent background (no transparent pixel found)`);
    if (!white) problems.push(`${names.outline}: has no white pixel (the outline must be drawn in white)`);
  }
  return problems;
}

// --- Zip ------------------------------------------------------------------------------------------

export interface PackageEntry {
  name: string;
  data: Buffer;
}

/** A fixed date, so that the same inputs give the same zip. */
const ZIP_MTIME = new Date(2020, 0, 1);

export function writeZip(entries: PackageEntry[], file: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const zip = new ZipFile();
  for (const e of entries) zip.addBuffer(e.data, e.name, { mtime: ZIP_MTIME });
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(file);
    out.on('close', () => resolve()).on('error', reject);
    zip.outputStream.on('error', reject);
    zip.outputStream.pipe(out);
    zip.end();
  });
}

// --- All together ---------------------------------------------------------------------------------

export interface TeamsPackageOptions {
  /** Folder of the template, en.json and the icons (default: teams/). */
  teamsDir?: string;
  /** Zip to write (default: teams/build/dla-assistant-teams.zip). */
  outFile?: string;
  /** App version (default: package.json's version). */
  appVersion?: string;
}

export interface TeamsPackage {
  file: string;
  manifest: TeamsManifest;
  entries: string[];
  warnings: string[];
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new TeamsPackageError(`Cannot read ${file}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new TeamsPackageError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
}

/** A file named in the manifest, next to it in the zip: a plain relative path. */
function packagedFile(dir: string, name: unknown, problems: string[], field: string): Buffer | undefined {
  if (typeof name !== 'string' || name === '') return undefined; // the schema check reports it
  if (path.isAbsolute(name) || name.split(/[\\/]/).includes('..')) {
    problems.push(`${field}: must be a path inside the package (got "${name}")`);
    return undefined;
  }
  try {
    return fs.readFileSync(path.join(dir, name));
  } catch {
    problems.push(`${field}: file ${name} not found in ${dir}`);
    return undefined;
  }
}

/** Fills, validates and zips the Teams app package. Throws TeamsPackageError listing every problem. */
/** Manifest fields filled from a configuration key: a schema problem there is the key's to fix. */
const FIELDS_OF_KEY: Record<string, RegExp> = {
  OPERATOR_NAME: /^(?:[\w.-]+\.json: \[")?(?:name\.short|name\.full|developer\.name|description\.full)\b/,
  PUBLIC_URL: /^developer\.websiteUrl\b/,
  PRIVACY_URL: /^developer\.privacyUrl\b/,
};

const CONFIG_HINTS: Record<string, (config: Config) => string> = {
  OPERATOR_NAME: (c) => `OPERATOR_NAME makes the app's name in Teams "${appShortName(c.operator.name)}" (${appShortName(c.operator.name).length} characters), ` +
    'Teams allows 30: use a shorter form for the package, like "DLA 33" or "DLA de la Gironde" (OPERATOR_NAME="…" npm run teams:package)',
  PUBLIC_URL: (c) => `PUBLIC_URL ("${c.publicUrl}") is the app's website in Teams`,
  PRIVACY_URL: (c) => `PRIVACY_URL ("${c.operator.privacyUrl}") is the app's privacy notice in Teams`,
};

function configKeysAtFault(problems: string[]): string[] {
  return Object.keys(FIELDS_OF_KEY).filter((key) => problems.some((p) => FIELDS_OF_KEY[key].test(p)));
}

export async function buildTeamsPackage(config: Config, options: TeamsPackageOptions = {}): Promise<TeamsPackage> {
  const teamsDir = options.teamsDir ?? TEAMS_DIR;
  const outFile = options.outFile ?? TEAMS_PACKAGE_FILE;
  const appVersion = options.appVersion ?? (readJson(path.join(PROJECT_ROOT, 'package.json')) as { version: string }).version;

  const values = teamsTemplateValues(config, appVersion);
  const manifest = fillTemplate<TeamsManifest>(readJson(path.join(teamsDir, MANIFEST_TEMPLATE)), values);
  const problems = validateManifest(manifest);
  const entries: PackageEntry[] = [{ name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) }];

  const l10n = manifest.localizationInfo;
  const languageFiles = [
    ...(l10n?.defaultLanguageFile ? [{ file: l10n.defaultLanguageFile, field: 'localizationInfo.defaultLanguageFile' }] : []),
    ...(Array.isArray(l10n?.additionalLanguages) ? l10n.additionalLanguages : []).map((l, i) => ({ file: l.file, field: `localizationInfo.additionalLanguages[${i}].file` })),
  ];
  for (const { file, field } of languageFiles) {
    const data = packagedFile(teamsDir, file, problems, field);
    if (!data) continue;
    let localization: unknown;
    try {
      localization = fillTemplate(JSON.parse(data.toString('utf8')), values);
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message}`);
      continue;
    }
    problems.push(...validateLocalization(localization, manifest.manifestVersion).map((p) => `${file}: ${p}`));
    entries.push({ name: file, data: Buffer.from(`${JSON.stringify(localization, null, 2)}\n`) });
  }

  const color = packagedFile(teamsDir, manifest.icons?.color, problems, 'icons.color');
  const outline = packagedFile(teamsDir, manifest.icons?.outline, problems, 'icons.outline');
  if (color && outline) {
    problems.push(...checkIcons(color, outline, manifest.icons));
    entries.push({ name: manifest.icons.color, data: color }, { name: manifest.icons.outline, data: outline });
  }

  if (problems.length > 0) {
    const keys = configKeysAtFault(problems);
    throw new TeamsPackageError(
      `The Teams package is invalid (${problems.length} problem(s)${keys.length ? `, from ${keys.join(', ')}` : ''}); nothing was written:`,
      [...problems, ...keys.map((key) => CONFIG_HINTS[key](config))],
      keys[0],
    );
  }
  await writeZip(entries, outFile);
  return { file: outFile, manifest, entries: entries.map((e) => e.name), warnings: teamsWarnings(config) };
}
