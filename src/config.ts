import fs from 'node:fs';
import path from 'node:path';
import cron from 'node-cron';
import { assertTimeZone, DEFAULT_MILESTONES_TEXT, DEFAULT_MIN_GAP_DAYS, DEFAULT_TIME_ZONE, Milestone, MilestoneSyntaxError, parseMilestones, parseQuietHours, QuietHours } from './domain/checkinPlan';
import { DEFAULT_CHECKIN_LINK_DAYS } from './domain/checkinEmail';
import { contrastRatio } from './domain/contrast';
import { PROJECT_ROOT } from './paths';
import { departementItems, isTerritoryCode, normalizeDepartementCode, territoryCodeOf } from './domain/territory';

/**
 * One typed configuration, read from the environment (and from `.env` when present).
 * Every key is declared once in SPEC with its default; `.env.example` documents the same
 * keys (a test checks they stay in step). A wrong value stops start-up with a message
 * naming the key.
 */

export class ConfigError extends Error {
  constructor(public readonly key: string, message: string) {
    super(`Configuration error: ${key} ${message}`);
    this.name = 'ConfigError';
  }
}

type Parser<T> = (raw: string, key: string) => T;

const text: Parser<string> = (raw) => raw.trim();

const port: Parser<number> = (raw, key) => {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 0 || n > 65535) {
    throw new ConfigError(key, `must be a TCP port between 0 and 65535 (got "${raw}")`);
  }
  return n;
};

/** A whole number from 1, up to `max` where a bigger one would break something (a timer, a loop). */
const positiveIntUpTo = (max?: number, unit = ''): Parser<number> => (raw, key) => {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n <= 0 || (max !== undefined && n > max)) {
    throw new ConfigError(key, `must be a positive whole number${max !== undefined ? `, at most ${max}${unit}` : ''} (got "${raw}")`);
  }
  return n;
};
const positiveInt = positiveIntUpTo();

const gapDays: Parser<number> = (raw, key) => {
  if (!/^\d{1,3}$/.test(raw.trim())) throw new ConfigError(key, `must be a number of days, 0 (no minimum) to 999 (got "${raw}")`);
  return Number(raw);
};

const proxyHops: Parser<number> = (raw, key) => {
  if (!/^\d$/.test(raw.trim())) throw new ConfigError(key, `must be the number of reverse proxies in front of the assistant, 0 to 9 (got "${raw}")`);
  return Number(raw);
};

const mongoUri: Parser<string> = (raw, key) => {
  const value = raw.trim();
  if (value === '') return '';
  if (!/^mongodb(\+srv)?:\/\/[^/\s]+(\/[^\s]*)?$/.test(value)) {
    throw new ConfigError(key, `must look like mongodb://host:port/database or mongodb+srv://… (got "${redactUri(value)}")`);
  }
  return value;
};

const httpUrl: Parser<string> = (raw, key) => {
  const value = raw.trim().replace(/\/+$/, '');
  if (value === '') return '';
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new ConfigError(key, `must be an http(s) URL (got "${raw}")`);
  }
  return value;
};

/** Without accents and case: « INFO », « TRUE », « régional » are what was meant. */
const loose = (value: string) => value.trim().normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** The assistant serves its pages, /admin/ and /api/ at the root of its host: a path would break every link. */
const publicUrl: Parser<string> = (raw, key) => {
  const value = httpUrl(raw, key);
  if (value && (new URL(value).pathname !== '/' || new URL(value).search)) {
    throw new ConfigError(key, `must be where the assistant answers at the root of its host, like https://dla.example.org, without a path (got "${raw}")`);
  }
  return value;
};

const oneOf = <T extends string>(...values: T[]): Parser<T> => (raw, key) => {
  const v = values.find((value) => loose(value) === loose(raw));
  if (v === undefined) throw new ConfigError(key, `must be one of ${values.join(', ')} (got "${raw}")`);
  return v;
};

const color: Parser<string> = (raw, key) => {
  if (!/^#[0-9a-fA-F]{6}$/.test(raw.trim())) throw new ConfigError(key, `must be a colour like #1f4e79 (got "${raw}")`);
  return raw.trim();
};

/** "33,24", "33;24", "33 24" or names ("Gironde, Dordogne") → ['33', '24']. */
const departementList: Parser<string[]> = (raw, key) => {
  const items = departementItems(raw);
  const bad = items.filter((c) => !territoryCodeOf(c));
  if (bad.length) throw new ConfigError(key, `must list département codes separated by commas, like 33,24,47 or 2A,2B (unknown: ${bad.join(', ')})`);
  return [...new Set(items.map((c) => territoryCodeOf(c)!))];
};

/** What nodemailer and a mail server accept as an address; enough to catch a name or a typo. */
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]+$/;

const emailList: Parser<string[]> = (raw, key) => {
  const emails = raw.split(/[,;|]/).map((e) => e.trim()).filter(Boolean);
  const bad = emails.filter((e) => !EMAIL.test(e));
  if (bad.length) throw new ConfigError(key, `must list e-mail addresses separated by commas, like accueil@dla33.fr,marie@dla33.fr (not an address: ${bad.join(', ')})`);
  return emails;
};

/** "DLA assistant <no-reply@dla33.fr>" or "no-reply@dla33.fr". */
const mailbox: Parser<string> = (raw, key) => {
  const value = raw.trim();
  const address = /<([^<>]*)>\s*$/.exec(value)?.[1] ?? value;
  if (!EMAIL.test(address.trim()) && !/@localhost$/.test(address.trim())) {
    throw new ConfigError(key, `must be an e-mail address, alone or as Name <address> like DLA 33 <no-reply@dla33.fr> (got "${raw}")`);
  }
  return value;
};

const smtpUrl: Parser<string> = (raw, key) => {
  const value = raw.trim();
  if (value === '') return '';
  let ok = false;
  try {
    const u = new URL(value);
    ok = (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== '';
  } catch { /* not a URL */ }
  if (!ok) throw new ConfigError(key, `must look like smtp://user:password@host:587 or smtps://user:password@host:465, a special character of the password percent-encoded (# is %23, @ is %40) (got "${redactUri(value)}")`);
  return value;
};

/** An http(s) URL, or a path on the assistant itself ("/confidentialite"). */
const urlOrPath: Parser<string> = (raw, key) => {
  const value = raw.trim();
  if (/^\/(?!\/)\S*$/.test(value)) return value;
  try {
    const u = new URL(value);
    if (u.protocol === 'http:' || u.protocol === 'https:') return value;
  } catch { /* not a URL */ }
  throw new ConfigError(key, `must be an http(s) URL like https://www.dla33.fr/confidentialite, or a path of the assistant starting with / (got "${raw}")`);
};

const cronExpression: Parser<string> = (raw, key) => {
  const value = raw.trim();
  if (!cron.validate(value)) throw new ConfigError(key, `must be a cron expression like * * * * * (every minute) or */5 * * * * (every 5 minutes) (got "${raw}")`);
  return value;
};

const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

const appId: Parser<string> = (raw, key) => {
  const value = raw.trim();
  if (value && !GUID.test(value)) throw new ConfigError(key, `must be the Azure Bot's Microsoft App ID, a GUID like 00000000-0000-0000-0000-000000000000 (got "${value}")`);
  return value;
};

const originList: Parser<string[]> = (raw, key) => raw.split(',').map((o) => o.trim()).filter(Boolean).map((o) => {
  try {
    const u = new URL(o);
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.pathname !== '/' || u.search) throw new Error('not an origin');
    return u.origin;
  } catch {
    throw new ConfigError(key, `must list site origins like https://www.dla-gironde.fr, separated by commas (got "${o}")`);
  }
});

const milestones: Parser<Milestone[]> = (raw, key) => {
  try {
    return parseMilestones(raw);
  } catch (err) {
    // MilestoneSyntaxError says what is expected, then each problem.
    throw new ConfigError(key, err instanceof MilestoneSyntaxError ? err.message : `must look like ${DEFAULT_MILESTONES_TEXT} (${(err as Error).message})`);
  }
};

const quietHours: Parser<{ quietStart: string; quietEnd: string }> = (raw, key) => {
  try {
    return parseQuietHours(raw);
  } catch (err) {
    const detail = (err as Error).message;
    throw new ConfigError(key, detail.startsWith('quiet hours') ? detail.replace(/^quiet hours /, '') : `must look like 19:00-09:00: ${detail}`);
  }
};

const timeZone: Parser<string> = (raw, key) => {
  try {
    assertTimeZone(raw.trim());
    return raw.trim();
  } catch {
    throw new ConfigError(key, `must be an IANA time zone such as Europe/Paris or America/Guadeloupe (got "${raw}")`);
  }
};

const SPEC = {
  PORT: { parse: port, default: '3978' },
  HOST: { parse: text, default: '127.0.0.1' },
  PUBLIC_URL: { parse: publicUrl, default: '' },
  MONGODB_URI: { parse: mongoUri, default: '' },
  DATA_DIR: { parse: text, default: 'data' },
  TOOLS_DIR: { parse: text, default: '.tools' },
  FERRETDB_BIN: { parse: text, default: '' },
  MicrosoftAppId: { parse: appId, default: '' },
  MicrosoftAppPassword: { parse: text, default: '' },
  MicrosoftAppType: { parse: oneOf('MultiTenant', 'SingleTenant', 'UserAssignedMSI'), default: 'MultiTenant' },
  MicrosoftAppTenantId: { parse: text, default: '' },
  DEFAULT_LOCALE: { parse: oneOf('fr', 'en'), default: 'fr' },
  LOG_LEVEL: { parse: oneOf('debug', 'info', 'warn', 'error'), default: 'info' },
  SHUTDOWN_TIMEOUT_MS: { parse: positiveIntUpTo(600_000, ' (10 minutes)'), default: '10000' },
  OPERATOR_NAME: { parse: text, default: 'DLA' },
  OPERATOR_PRIMARY_COLOR: { parse: color, default: '#1f4e79' },
  OPERATOR_ACCENT_COLOR: { parse: color, default: '#e8a33d' },
  PRIVACY_URL: { parse: urlOrPath, default: '/confidentialite' },
  OPERATOR_DEPARTEMENTS: { parse: departementList, default: '' },
  OPERATOR_LEVEL: { parse: oneOf('departemental', 'regional'), default: 'departemental' },
  OPERATOR_CONTACT: { parse: text, default: '' },
  OPERATOR_TIME_ZONE: { parse: timeZone, default: DEFAULT_TIME_ZONE },
  CONTACT_DELAY_WORKING_DAYS: { parse: positiveIntUpTo(60), default: '5' },
  DATA_RETENTION_MONTHS: { parse: positiveIntUpTo(1200, ' (100 years)'), default: '36' },
  DIRECT_LINE_SECRET: { parse: text, default: '' },
  DIRECT_LINE_ENDPOINT: { parse: httpUrl, default: 'https://directline.botframework.com' },
  LOCAL_DIRECT_LINE_SECRET: { parse: text, default: '' },
  DIRECT_LINE_TOKEN_TTL_SECONDS: { parse: positiveInt, default: '1800' },
  DIRECT_LINE_RATE_LIMIT_PER_MINUTE: { parse: positiveInt, default: '300' },
  DIRECT_LINE_NO_CONSENT_HOURS: { parse: positiveIntUpTo(720, ' (30 days)'), default: '24' },
  WEBCHAT_ALLOWED_ORIGINS: { parse: originList, default: '' },
  TRUST_PROXY_HOPS: { parse: proxyHops, default: '0' },
  HANDOFF_EMAIL_TO: { parse: emailList, default: '' },
  HANDOFF_ROUTES: { parse: text, default: '' },
  SMTP_URL: { parse: smtpUrl, default: '' },
  SMTP_FROM: { parse: mailbox, default: 'DLA assistant <no-reply@localhost>' },
  HANDOFF_WEBHOOK_URL: { parse: httpUrl, default: '' },
  HANDOFF_WEBHOOK_SECRET: { parse: text, default: '' },
  HANDOFF_TEAMS_CONVERSATION_ID: { parse: text, default: '' },
  HANDOFF_TEAMS_SERVICE_URL: { parse: httpUrl, default: 'https://smba.trafficmanager.net/emea' },
  HANDOFF_TEAMS_TENANT_ID: { parse: text, default: '' },
  HANDOFF_MAX_ATTEMPTS: { parse: positiveInt, default: '8' },
  ADMIN_TOKEN_TTL_HOURS: { parse: positiveInt, default: '12' },
  FOLLOWUP_MILESTONES: { parse: milestones, default: DEFAULT_MILESTONES_TEXT },
  FOLLOWUP_QUIET_HOURS: { parse: quietHours, default: '19:00-09:00' },
  FOLLOWUP_WEEKENDS: { parse: oneOf('true', 'false'), default: 'false' },
  FOLLOWUP_MIN_GAP_DAYS: { parse: gapDays, default: String(DEFAULT_MIN_GAP_DAYS) },
  FOLLOWUP_MAX_ATTEMPTS: { parse: positiveInt, default: '5' },
  FOLLOWUP_CRON: { parse: cronExpression, default: '* * * * *' },
  FOLLOWUP_LINK_DAYS: { parse: positiveIntUpTo(365, ' (a year)'), default: String(DEFAULT_CHECKIN_LINK_DAYS) },
  TEAMS_APP_ID: { parse: text, default: '' },
  TEAMS_VALID_DOMAINS: { parse: text, default: '' },
} as const;

export type ConfigKey = keyof typeof SPEC;
export const CONFIG_KEYS = Object.keys(SPEC) as ConfigKey[];
/** Each key's default as written in .env.example ('' when it is computed or empty). */
export const CONFIG_DEFAULTS = Object.fromEntries(CONFIG_KEYS.map((k) => [k, SPEC[k].default])) as Record<ConfigKey, string>;

export interface Config {
  port: number;
  host: string;
  /** Base URL the assistant is reachable at (used as the local Direct Line serviceUrl). */
  publicUrl: string;
  /** PUBLIC_URL was given: links and stream URLs use it rather than the request's Host. */
  publicUrlConfigured: boolean;
  /** Empty when the embedded FerretDB is used. */
  mongoUri: string;
  dataDir: string;
  toolsDir: string;
  ferretdbBin: string;
  appId: string;
  appPassword: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  appTenantId: string;
  defaultLocale: 'fr' | 'en';
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  shutdownTimeoutMs: number;
  operator: {
    name: string;
    primaryColor: string;
    accentColor: string;
    privacyUrl: string;
    /** Départements served; empty: every département (a demo, or a national deployment). */
    departements: string[];
    level: 'departemental' | 'regional';
    /** How structures reach the operator (shown to them): an e-mail, a phone, a page. */
    contact: string;
    /** IANA zone of the operator and its structures: check-in dates, quiet hours, dates in notifications. */
    timeZone: string;
  };
  /** Working days within which a chargé·e gets back to a structure (told to the structure). */
  contactDelayWorkingDays: number;
  /** Personal data older than this is purged (and announced in the consent text). */
  dataRetentionMonths: number;
  directLine: {
    /** Azure Direct Line secret: when set, the page token endpoint exchanges it with Azure. */
    azureSecret: string;
    azureEndpoint: string;
    /** Secret guarding the local Direct Line's tokens/generate (generated when empty). */
    localSecret: string;
    tokenTtlSeconds: number;
    rateLimitPerMinute: number;
    /** Hours after a refusal of consent, or the last message without it, before the conversation's history is erased (NoConsentConversations). */
    noConsentHours: number;
    /** Operator sites that may embed the web chat (iframe) or call its token endpoint (CORS). */
    allowedOrigins: string[];
    /** Reverse proxies in front (X-Forwarded-For entries to trust) for per-client rate limits. */
    trustProxyHops: number;
  };
  teams: { appId: string; validDomains: string[] };
  handoff: {
    /** Default recipients of handoff e-mails (comma separated in env). */
    emailTo: string[];
    /** Per-département recipients: "33:a@x.fr|b@x.fr;24:c@x.fr". */
    routes: Record<string, string[]>;
    /** smtp://user:pass@host:port or smtps://… ; empty: no e-mail notifier. */
    smtpUrl: string;
    smtpFrom: string;
    webhookUrl: string;
    webhookSecret: string;
    /** The chargé·es' Teams channel (conversation id, service URL, tenant). */
    teams: { conversationId: string; serviceUrl: string; tenantId: string };
    maxAttempts: number;
  };
  admin: { tokenTtlHours: number };
  followup: {
    milestones: Milestone[];
    quiet: QuietHours;
    /** An automatic check-in closer than this (days) to another of the dossier is not sent. */
    minGapDays: number;
    maxAttempts: number;
    /** node-cron expression of the scheduler's clock. */
    cron: string;
    /** Days the links of a check-in e-mail work (answer in the web chat, stop the check-ins). */
    linkDays: number;
  };
}

/**
 * Reads the project's `.env` (if any; not the current folder's) into `env` without overriding what is already set. Returns the keys the
 * file holds. Written on Windows, the file may start with a BOM (Notepad) or be in Windows-1252:
 * both are read as meant, so that the first key is not silently lost and « Hérault » stays so.
 */
export function loadDotEnv(file = path.join(PROJECT_ROOT, '.env'), env: NodeJS.ProcessEnv = process.env): string[] {
  if (!fs.existsSync(file)) return [];
  const bytes = fs.readFileSync(file);
  let content: string;
  try {
    content = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    content = new TextDecoder('windows-1252').decode(bytes);
  }
  const values = parseDotEnv(content);
  for (const [key, value] of values) {
    if (env[key] === undefined) env[key] = value;
  }
  return [...values.keys()];
}

/**
 * The lines KEY=value of a .env file, in order. Unlike Node's own parser, a `#` starts a comment
 * only at the start of a line or after a space: `OPERATOR_PRIMARY_COLOR=#0a6e3c` is a colour and
 * `SMTP_URL=smtp://u:pa#ss@host` keeps its password (Node would read "" and "smtp://u:pa").
 * Values may be quoted ('…', "…" with \n, `…`), over several lines; `export KEY=value` works too.
 */
export function parseDotEnv(content: string): Map<string, string> {
  const values = new Map<string, string>();
  const text = content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const line = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=/gm;
  let m: RegExpExecArray | null;
  while ((m = line.exec(text))) {
    const afterEquals = line.lastIndex;
    const start = afterEquals + /^[ \t]*/.exec(text.slice(afterEquals))![0].length;
    const quote = text[start];
    let value: string;
    let end: number;
    const close = quote === '"' || quote === "'" || quote === '`' ? text.indexOf(quote, start + 1) : -1;
    if (close > 0) {
      value = text.slice(start + 1, close);
      if (quote === '"') value = value.replace(/\\n/g, '\n');
      end = text.indexOf('\n', close);
    } else {
      end = text.indexOf('\n', afterEquals);
      // "KEY= # note" is empty; "KEY=#0a6e3c" is a colour.
      value = text.slice(afterEquals, end < 0 ? undefined : end).replace(/[ \t]#.*$/, '').trim();
    }
    values.set(m[1], value);
    line.lastIndex = end < 0 ? text.length : end;
  }
  return values;
}

/**
 * What the server needs beyond what every tool reads (the Teams package needs the app id, not its
 * secret): checked at start-up, before the database, so that it is said in one line naming the key.
 */
export function assertServerConfig(config: Config): void {
  if (config.appId && config.appType !== 'UserAssignedMSI' && !config.appPassword) {
    throw new ConfigError('MicrosoftAppPassword', `must be set when MicrosoftAppId is set (the client secret of the app registration; MicrosoftAppType is ${config.appType}): without it the bot cannot answer`);
  }
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** The configuration key `name` was probably meant to be (a typo, a case slip, English spelling). */
export function closestKey(name: string): ConfigKey | undefined {
  const upper = name.toUpperCase();
  const scored = CONFIG_KEYS.map((key) => ({ key, d: distance(upper, key.toUpperCase()) })).sort((a, b) => a.d - b.d);
  return scored[0] && scored[0].d <= Math.max(2, Math.floor(name.length / 6)) ? scored[0].key : undefined;
}

const KEY_PREFIXES = new Set(CONFIG_KEYS.map((k) => k.split('_')[0].toUpperCase()).filter((p) => p.length >= 4));

/**
 * Settings that will be ignored, one line each: every key of `.env` that is not a configuration
 * key (the file is the assistant's), and variables of the environment that look like a
 * misspelt key (OPERATOR_DEPARTMENTS, MicrosoftAppID). Nothing stops: start-up goes on.
 */
export function unknownSettings(dotEnvKeys: string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const known = new Set<string>(CONFIG_KEYS);
  const fromFile = new Set(dotEnvKeys);
  const lines: string[] = [];
  for (const name of new Set([...dotEnvKeys, ...Object.keys(env)])) {
    if (known.has(name)) continue;
    const guess = closestKey(name);
    const inFile = fromFile.has(name);
    // In the environment, only what shares a key's prefix (OPERATOR_, HANDOFF_…) or its letters: HOME is not HOST.
    if (!inFile && !(guess && (guess.toUpperCase() === name.toUpperCase() || KEY_PREFIXES.has(name.split('_')[0].toUpperCase())))) continue;
    lines.push(`${name}${inFile ? ' (in .env)' : ''} is not a setting of the assistant and is ignored${guess ? `: did you mean ${guess}?` : ''}`);
  }
  return lines;
}

/**
 * The operator's primary colour carries white text (the pages' headers, the buttons) and is the
 * links' colour on the pages' light grey: under 4.5:1 (WCAG AA) they are hard to read, which start-up
 * says. Nothing stops.
 */
export function colourWarnings(config: Pick<Config, 'operator'>): string[] {
  const primary = config.operator.primaryColor;
  const ratio = contrastRatio(primary, '#f5f6f8');
  return ratio >= 4.5 ? [] : [`OPERATOR_PRIMARY_COLOR ${primary} is too light (${ratio.toFixed(1)}:1 against the pages' light grey, 4.5:1 needed): ` +
    `the white text of the headers and buttons, and the links, will be hard to read; choose a darker colour (the default is ${CONFIG_DEFAULTS.OPERATOR_PRIMARY_COLOR})`];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const get = <K extends ConfigKey>(key: K): ReturnType<(typeof SPEC)[K]['parse']> => {
    const spec = SPEC[key];
    const raw = env[key];
    const value = raw === undefined || raw === '' ? spec.default : raw;
    return (spec.parse as Parser<unknown>)(value, key) as ReturnType<(typeof SPEC)[K]['parse']>;
  };
  const portValue = get('PORT');
  const host = get('HOST');
  const publicUrl = get('PUBLIC_URL') || `http://${host === '0.0.0.0' ? 'localhost' : host}:${portValue}`;
  const appPassword = get('MicrosoftAppPassword');
  const appId = get('MicrosoftAppId');
  const appType = get('MicrosoftAppType');
  const appTenantId = get('MicrosoftAppTenantId');
  if (appPassword && !appId) throw new ConfigError('MicrosoftAppId', 'must be set when MicrosoftAppPassword is set');
  // What botbuilder would otherwise refuse later, once the database is up, without naming the key.
  if (appType !== 'MultiTenant' && !appId) throw new ConfigError('MicrosoftAppId', `must be set when MicrosoftAppType is ${appType}`);
  if (appType !== 'MultiTenant' && !appTenantId) throw new ConfigError('MicrosoftAppTenantId', `must be set when MicrosoftAppType is ${appType} (the Azure tenant id, a GUID)`);
  if (get('HANDOFF_WEBHOOK_URL') && !get('HANDOFF_WEBHOOK_SECRET')) {
    throw new ConfigError('HANDOFF_WEBHOOK_SECRET', 'must be set when HANDOFF_WEBHOOK_URL is set (it signs every call)');
  }
  return {
    port: portValue,
    host,
    publicUrl,
    publicUrlConfigured: Boolean(get('PUBLIC_URL')),
    mongoUri: get('MONGODB_URI'),
    // Relative to the project, wherever it is started from (a service manager starts it in /).
    dataDir: path.resolve(PROJECT_ROOT, get('DATA_DIR')),
    toolsDir: path.resolve(get('TOOLS_DIR')),
    ferretdbBin: get('FERRETDB_BIN'),
    appId,
    appPassword,
    appType,
    appTenantId,
    defaultLocale: get('DEFAULT_LOCALE'),
    logLevel: get('LOG_LEVEL'),
    shutdownTimeoutMs: get('SHUTDOWN_TIMEOUT_MS'),
    operator: {
      name: get('OPERATOR_NAME'),
      primaryColor: get('OPERATOR_PRIMARY_COLOR'),
      accentColor: get('OPERATOR_ACCENT_COLOR'),
      privacyUrl: get('PRIVACY_URL'),
      departements: get('OPERATOR_DEPARTEMENTS'),
      level: get('OPERATOR_LEVEL'),
      contact: get('OPERATOR_CONTACT'),
      timeZone: get('OPERATOR_TIME_ZONE'),
    },
    contactDelayWorkingDays: get('CONTACT_DELAY_WORKING_DAYS'),
    dataRetentionMonths: get('DATA_RETENTION_MONTHS'),
    directLine: {
      azureSecret: get('DIRECT_LINE_SECRET'),
      azureEndpoint: get('DIRECT_LINE_ENDPOINT'),
      localSecret: get('LOCAL_DIRECT_LINE_SECRET'),
      tokenTtlSeconds: get('DIRECT_LINE_TOKEN_TTL_SECONDS'),
      rateLimitPerMinute: get('DIRECT_LINE_RATE_LIMIT_PER_MINUTE'),
      noConsentHours: get('DIRECT_LINE_NO_CONSENT_HOURS'),
      allowedOrigins: get('WEBCHAT_ALLOWED_ORIGINS'),
      trustProxyHops: get('TRUST_PROXY_HOPS'),
    },
    handoff: {
      emailTo: get('HANDOFF_EMAIL_TO'),
      routes: parseRoutes(get('HANDOFF_ROUTES')),
      smtpUrl: get('SMTP_URL'),
      smtpFrom: get('SMTP_FROM'),
      webhookUrl: get('HANDOFF_WEBHOOK_URL'),
      webhookSecret: get('HANDOFF_WEBHOOK_SECRET'),
      teams: {
        conversationId: get('HANDOFF_TEAMS_CONVERSATION_ID'),
        serviceUrl: get('HANDOFF_TEAMS_SERVICE_URL'),
        tenantId: get('HANDOFF_TEAMS_TENANT_ID'),
      },
      maxAttempts: get('HANDOFF_MAX_ATTEMPTS'),
    },
    admin: { tokenTtlHours: get('ADMIN_TOKEN_TTL_HOURS') },
    followup: {
      milestones: get('FOLLOWUP_MILESTONES'),
      quiet: { ...get('FOLLOWUP_QUIET_HOURS'), weekends: get('FOLLOWUP_WEEKENDS') === 'true', timeZone: get('OPERATOR_TIME_ZONE') },
      minGapDays: get('FOLLOWUP_MIN_GAP_DAYS'),
      maxAttempts: get('FOLLOWUP_MAX_ATTEMPTS'),
      cron: get('FOLLOWUP_CRON'),
      linkDays: get('FOLLOWUP_LINK_DAYS'),
    },
    teams: {
      appId: get('TEAMS_APP_ID') || appId,
      validDomains: get('TEAMS_VALID_DOMAINS').split(',').map((d) => d.trim()).filter(Boolean),
    },
  };
}

/** "33:a@x.fr|b@x.fr;24:c@x.fr" → { '33': [a, b], '24': [c] } (a comma between addresses works too). */
function parseRoutes(raw: string): Record<string, string[]> {
  const routes: Record<string, string[]> = {};
  const expected = 'must look like 33:a@dla33.fr|b@dla33.fr;24:c@dla24.fr';
  for (const part of raw.split(';').map((p) => p.trim()).filter(Boolean)) {
    const colon = part.indexOf(':');
    if (colon < 0) throw new ConfigError('HANDOFF_ROUTES', `${expected}: each route is a département, a colon, then its addresses (got "${part}")`);
    const dep = part.slice(0, colon).trim();
    const code = normalizeDepartementCode(dep);
    if (!isTerritoryCode(code)) throw new ConfigError('HANDOFF_ROUTES', `${expected}: "${dep}" is not a département code (in "${part}")`);
    const emails = part.slice(colon + 1).split(/[|,]/).map((e) => e.trim()).filter(Boolean);
    const bad = emails.filter((e) => !EMAIL.test(e));
    if (!emails.length || bad.length) throw new ConfigError('HANDOFF_ROUTES', `${expected}: ${emails.length ? `not an address: ${bad.join(', ')}` : `no address for ${code}`} (in "${part}")`);
    routes[code] = emails;
  }
  return routes;
}

/** Why the HTTP server could not listen, naming the key to change (one line). */
export function describeListenError(err: NodeJS.ErrnoException, host: string, port: number): string {
  const where = `${host}:${port}`;
  switch (err.code) {
    case 'EADDRINUSE': return `port ${port} is already in use on ${host} (another program, or the assistant already running): stop it or set another PORT`;
    case 'EACCES': return `not allowed to listen on ${where}: ports below 1024 need administrator rights; set PORT to 1024 or above (3978 by default) and put a reverse proxy in front`;
    case 'EADDRNOTAVAIL': return `cannot listen on ${where}: ${host} is not an address of this machine; set HOST to 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)`;
    case 'ENOTFOUND': case 'EAI_AGAIN': return `cannot listen on ${where}: HOST "${host}" is not a known address; set HOST to 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)`;
    default: return `cannot listen on ${where} (HOST, PORT): ${err.message}`;
  }
}

/** Hides the password of a connection string before it is printed. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}
