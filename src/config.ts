import fs from 'node:fs';
import path from 'node:path';
import { assertTimeZone, DEFAULT_MILESTONES_TEXT, DEFAULT_MIN_GAP_DAYS, DEFAULT_TIME_ZONE, Milestone, parseMilestones, parseQuietHours, QuietHours } from './domain/checkinPlan';
import { isTerritoryCode } from './domain/territory';

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

const positiveInt: Parser<number> = (raw, key) => {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n <= 0) {
    throw new ConfigError(key, `must be a positive whole number (got "${raw}")`);
  }
  return n;
};

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

const oneOf = <T extends string>(...values: T[]): Parser<T> => (raw, key) => {
  const v = raw.trim() as T;
  if (!values.includes(v)) throw new ConfigError(key, `must be one of ${values.join(', ')} (got "${raw}")`);
  return v;
};

const color: Parser<string> = (raw, key) => {
  if (!/^#[0-9a-fA-F]{6}$/.test(raw.trim())) throw new ConfigError(key, `must be a colour like #1f4e79 (got "${raw}")`);
  return raw.trim();
};

const departementList: Parser<string[]> = (raw, key) => {
  const codes = raw.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean).map((c) => (/^\d$/.test(c) ? `0${c}` : c));
  const bad = codes.filter((c) => !isTerritoryCode(c));
  if (bad.length) throw new ConfigError(key, `must list département codes separated by commas, like 33,24,47 or 2A,2B (unknown: ${bad.join(', ')})`);
  return codes;
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
    throw new ConfigError(key, `must look like ${DEFAULT_MILESTONES_TEXT} (${(err as Error).message})`);
  }
};

const quietHours: Parser<{ quietStart: string; quietEnd: string }> = (raw, key) => {
  try {
    return parseQuietHours(raw);
  } catch (err) {
    throw new ConfigError(key, `must look like 19:00-09:00 (${(err as Error).message})`);
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
  PUBLIC_URL: { parse: httpUrl, default: '' },
  MONGODB_URI: { parse: mongoUri, default: '' },
  DATA_DIR: { parse: text, default: 'data' },
  TOOLS_DIR: { parse: text, default: '.tools' },
  FERRETDB_BIN: { parse: text, default: '' },
  MicrosoftAppId: { parse: text, default: '' },
  MicrosoftAppPassword: { parse: text, default: '' },
  MicrosoftAppType: { parse: oneOf('MultiTenant', 'SingleTenant', 'UserAssignedMSI'), default: 'MultiTenant' },
  MicrosoftAppTenantId: { parse: text, default: '' },
  DEFAULT_LOCALE: { parse: oneOf('fr', 'en'), default: 'fr' },
  LOG_LEVEL: { parse: oneOf('debug', 'info', 'warn', 'error'), default: 'info' },
  SHUTDOWN_TIMEOUT_MS: { parse: positiveInt, default: '10000' },
  OPERATOR_NAME: { parse: text, default: 'DLA' },
  OPERATOR_PRIMARY_COLOR: { parse: color, default: '#1f4e79' },
  OPERATOR_ACCENT_COLOR: { parse: color, default: '#e8a33d' },
  PRIVACY_URL: { parse: text, default: '/confidentialite' },
  OPERATOR_DEPARTEMENTS: { parse: departementList, default: '' },
  OPERATOR_LEVEL: { parse: oneOf('departemental', 'regional'), default: 'departemental' },
  OPERATOR_CONTACT: { parse: text, default: '' },
  OPERATOR_TIME_ZONE: { parse: timeZone, default: DEFAULT_TIME_ZONE },
  CONTACT_DELAY_WORKING_DAYS: { parse: positiveInt, default: '5' },
  DATA_RETENTION_MONTHS: { parse: positiveInt, default: '36' },
  DIRECT_LINE_SECRET: { parse: text, default: '' },
  DIRECT_LINE_ENDPOINT: { parse: httpUrl, default: 'https://directline.botframework.com' },
  LOCAL_DIRECT_LINE_SECRET: { parse: text, default: '' },
  DIRECT_LINE_TOKEN_TTL_SECONDS: { parse: positiveInt, default: '1800' },
  DIRECT_LINE_RATE_LIMIT_PER_MINUTE: { parse: positiveInt, default: '300' },
  WEBCHAT_ALLOWED_ORIGINS: { parse: originList, default: '' },
  TRUST_PROXY_HOPS: { parse: proxyHops, default: '0' },
  HANDOFF_EMAIL_TO: { parse: text, default: '' },
  HANDOFF_ROUTES: { parse: text, default: '' },
  SMTP_URL: { parse: text, default: '' },
  SMTP_FROM: { parse: text, default: 'DLA assistant <no-reply@localhost>' },
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
  FOLLOWUP_CRON: { parse: text, default: '* * * * *' },
  TEAMS_APP_ID: { parse: text, default: '' },
  TEAMS_VALID_DOMAINS: { parse: text, default: '' },
} as const;

export type ConfigKey = keyof typeof SPEC;
export const CONFIG_KEYS = Object.keys(SPEC) as ConfigKey[];

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
  };
}

/** Reads `.env` (if any) into process.env without overriding what is already set. */
export function loadDotEnv(file = path.resolve('.env')): void {
  if (fs.existsSync(file)) process.loadEnvFile(file);
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
  if (appPassword && !appId) throw new ConfigError('MicrosoftAppId', 'must be set when MicrosoftAppPassword is set');
  return {
    port: portValue,
    host,
    publicUrl,
    publicUrlConfigured: Boolean(get('PUBLIC_URL')),
    mongoUri: get('MONGODB_URI'),
    dataDir: path.resolve(get('DATA_DIR')),
    toolsDir: path.resolve(get('TOOLS_DIR')),
    ferretdbBin: get('FERRETDB_BIN'),
    appId,
    appPassword,
    appType: get('MicrosoftAppType'),
    appTenantId: get('MicrosoftAppTenantId'),
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
      allowedOrigins: get('WEBCHAT_ALLOWED_ORIGINS'),
      trustProxyHops: get('TRUST_PROXY_HOPS'),
    },
    handoff: {
      emailTo: get('HANDOFF_EMAIL_TO').split(',').map((e) => e.trim()).filter(Boolean),
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
    },
    teams: {
      appId: get('TEAMS_APP_ID') || appId,
      validDomains: get('TEAMS_VALID_DOMAINS').split(',').map((d) => d.trim()).filter(Boolean),
    },
  };
}

/** "33:a@x.fr|b@x.fr;24:c@x.fr" → { '33': [a, b], '24': [c] }. */
function parseRoutes(raw: string): Record<string, string[]> {
  const routes: Record<string, string[]> = {};
  for (const part of raw.split(';').map((p) => p.trim()).filter(Boolean)) {
    const [dep, emails] = part.split(':');
    const code = dep?.trim().toUpperCase();
    if (!code || !isTerritoryCode(code) || !emails) throw new ConfigError('HANDOFF_ROUTES', `must look like 33:a@x.fr|b@x.fr;24:c@x.fr (got "${part}")`);
    routes[code] = emails.split('|').map((e) => e.trim()).filter(Boolean);
  }
  return routes;
}

/** Hides the password of a connection string before it is printed. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}
