import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertServerConfig, colourWarnings, CONFIG_DEFAULTS, CONFIG_KEYS, ConfigError, describeListenError, loadConfig, loadDotEnv, parseDotEnv, unknownSettings } from '../../src/config';
import { PROJECT_ROOT } from '../../src/paths';
import { DEFAULT_DATABASE, uriDatabase } from '../../src/store/db';

const APP_ID = '11111111-2222-3333-4444-555555555555';

/** The one line start-up prints for a wrong configuration (src/index.ts). */
function startupError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('configuration', () => {
  it('has working defaults: embedded database, French, port 3978, auth off', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3978, host: '127.0.0.1', mongoUri: '', defaultLocale: 'fr', appId: '' });
    expect(c.publicUrl).toBe('http://127.0.0.1:3978');
    expect(path.isAbsolute(c.dataDir)).toBe(true);
  });

  it.each([
    ['PORT', 'abc', /PORT must be a TCP port/],
    ['PORT', '70000', /PORT must be a TCP port/],
    ['MONGODB_URI', 'localhost:27017', /MONGODB_URI must look like mongodb:\/\//],
    ['MONGODB_URI', 'mongodb://', /MONGODB_URI/],
    ['DEFAULT_LOCALE', 'de', /DEFAULT_LOCALE must be one of fr, en/],
    ['PUBLIC_URL', 'ftp://x', /PUBLIC_URL must be an http\(s\) URL/],
    ['SHUTDOWN_TIMEOUT_MS', '-5', /SHUTDOWN_TIMEOUT_MS must be a positive whole number/],
    ['OPERATOR_PRIMARY_COLOR', 'blue', /OPERATOR_PRIMARY_COLOR must be a colour/],
    ['OPERATOR_TIME_ZONE', 'Europe/Pariss', /OPERATOR_TIME_ZONE must be an IANA time zone/],
    ['FOLLOWUP_MIN_GAP_DAYS', '3 mois', /FOLLOWUP_MIN_GAP_DAYS must be a number of days/],
  ])('a wrong %s (%s) stops start-up with a message naming the key', (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [key]: value })).toThrow(message);
  });

  it('warns at start-up of a primary colour too light for the white text of the headers and buttons, and for the links (4.5:1)', () => {
    expect(colourWarnings(loadConfig({}))).toEqual([]);
    expect(colourWarnings(loadConfig({ OPERATOR_PRIMARY_COLOR: '#0b6e4f' }))).toEqual([]);
    expect(colourWarnings(loadConfig({ OPERATOR_PRIMARY_COLOR: '#E8A33D' }))).toEqual([
      'OPERATOR_PRIMARY_COLOR #E8A33D is too light (2.0:1 against the pages\' light grey, 4.5:1 needed): the white text of the headers and buttons, ' +
      'and the links, will be hard to read; choose a darker colour (the default is #1f4e79)',
    ]);
    // Just under: white text 4.5:1, the page's grey a little less.
    expect(colourWarnings(loadConfig({ OPERATOR_PRIMARY_COLOR: '#767676' }))).toHaveLength(1);
  });

  it('reads the follow-up time zone (Europe/Paris unless an overseas DLA says otherwise)', () => {
    expect(loadConfig({}).followup.quiet.timeZone).toBe('Europe/Paris');
    expect(loadConfig({ OPERATOR_TIME_ZONE: 'Indian/Reunion' }).followup.quiet.timeZone).toBe('Indian/Reunion');
    expect(loadConfig({ OPERATOR_TIME_ZONE: 'Indian/Reunion' }).operator.timeZone).toBe('Indian/Reunion');
  });

  it('never prints a MongoDB password in an error', () => {
    expect(() => loadConfig({ MONGODB_URI: 'mongodb://user:s3cret@ bad host' })).toThrow(/user:\*\*\*@/);
    expect(() => loadConfig({ MONGODB_URI: 'mongodb://user:s3cret@ bad host' })).not.toThrow(/s3cret/);
  });

  it('accepts real MongoDB URIs', () => {
    expect(loadConfig({ MONGODB_URI: 'mongodb+srv://u:p@cluster0.example.mongodb.net/dla?retryWrites=true' }).mongoUri).toContain('cluster0');
    expect(loadConfig({ MONGODB_URI: 'mongodb://a:27017,b:27017/dla?replicaSet=rs0' }).mongoUri).toContain('replicaSet');
  });

  it('requires an app id when an app password is given', () => {
    expect(() => loadConfig({ MicrosoftAppPassword: 'x' })).toThrow(/MicrosoftAppId/);
  });

  it('documents every key in .env.example, and nothing else', () => {
    const example = fs.readFileSync(path.join(PROJECT_ROOT, '.env.example'), 'utf8');
    const documented = [...example.matchAll(/^#?\s*([A-Za-z_]+)=/gm)].map((m) => m[1]);
    expect([...new Set(documented)].sort()).toEqual([...CONFIG_KEYS].sort());
  });

  it('.env.example shows each key with its real default: copied as it is to .env, it changes nothing', () => {
    const example = Object.fromEntries(parseDotEnv(fs.readFileSync(path.join(PROJECT_ROOT, '.env.example'), 'utf8')));
    expect(Object.fromEntries(CONFIG_KEYS.map((k) => [k, example[k]]))).toEqual(CONFIG_DEFAULTS);
    expect(loadConfig(example)).toEqual(loadConfig({}));
  });

  it('the README\'s configuration table has one row per key, with its real default', () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Development'));
    const rows = [...section.matchAll(/^\| `([A-Za-z_]+)` \| ([^|]+) \|/gm)].map((m) => ({ key: m[1], cell: m[2].trim() }));
    expect(rows.map((r) => r.key).sort()).toEqual([...CONFIG_KEYS].sort());
    for (const { key, cell } of rows) {
      // `value` for a written default, *(…)* for an empty or computed one.
      const shown = /^`(.*)`$/.exec(cell)?.[1];
      expect([key, shown ?? (cell.startsWith('*(') ? '' : cell)]).toEqual([key, CONFIG_DEFAULTS[key as keyof typeof CONFIG_DEFAULTS]]);
    }
  });
});

describe('a wrong value says which key, what it expects and what it got, in one line', () => {
  it.each([
    ['PUBLIC_URL', 'https://dla.example.org/chat/', 'PUBLIC_URL must be where the assistant answers at the root of its host, like https://dla.example.org, without a path (got "https://dla.example.org/chat/")'],
    ['FOLLOWUP_CRON', 'every minute', 'FOLLOWUP_CRON must be a cron expression like * * * * * (every minute) or */5 * * * * (every 5 minutes) (got "every minute")'],
    ['FOLLOWUP_CRON', '61 * * * *', 'FOLLOWUP_CRON must be a cron expression'],
    ['SMTP_URL', 'smtp.example.org', 'SMTP_URL must look like smtp://user:password@host:587 or smtps://user:password@host:465, a special character of the password percent-encoded (# is %23, @ is %40) (got "smtp.example.org")'],
    ['SMTP_URL', 'smtp://dla:pa#ss@smtp.example.org:587', 'SMTP_URL must look like smtp://user:password@host:587'],
    ['HANDOFF_EMAIL_TO', 'accueil@dla33.fr,Marie', 'HANDOFF_EMAIL_TO must list e-mail addresses separated by commas, like accueil@dla33.fr,marie@dla33.fr (not an address: Marie)'],
    ['HANDOFF_ROUTES', '99:a@dla33.fr', 'HANDOFF_ROUTES must look like 33:a@dla33.fr|b@dla33.fr;24:c@dla24.fr: "99" is not a département code (in "99:a@dla33.fr")'],
    ['HANDOFF_ROUTES', '33=a@dla33.fr', 'HANDOFF_ROUTES must look like 33:a@dla33.fr|b@dla33.fr;24:c@dla24.fr: each route is a département, a colon, then its addresses (got "33=a@dla33.fr")'],
    ['HANDOFF_ROUTES', '33:marie', 'HANDOFF_ROUTES must look like 33:a@dla33.fr|b@dla33.fr;24:c@dla24.fr: not an address: marie (in "33:marie")'],
    ['SMTP_FROM', 'DLA 33', 'SMTP_FROM must be an e-mail address, alone or as Name <address> like DLA 33 <no-reply@dla33.fr> (got "DLA 33")'],
    ['PRIVACY_URL', 'confidentialite.html', 'PRIVACY_URL must be an http(s) URL like https://www.dla33.fr/confidentialite, or a path of the assistant starting with / (got "confidentialite.html")'],
    ['PRIVACY_URL', 'javascript:alert(1)', 'PRIVACY_URL must be an http(s) URL'],
    ['OPERATOR_DEPARTEMENTS', '33,99', 'OPERATOR_DEPARTEMENTS must list département codes separated by commas, like 33,24,47 or 2A,2B (unknown: 99)'],
    ['OPERATOR_DEPARTEMENTS', 'Girone', 'OPERATOR_DEPARTEMENTS must list département codes separated by commas, like 33,24,47 or 2A,2B (unknown: Girone)'],
    ['MicrosoftAppId', 'my-bot', 'MicrosoftAppId must be the Azure Bot\'s Microsoft App ID, a GUID like 00000000-0000-0000-0000-000000000000 (got "my-bot")'],
    ['SHUTDOWN_TIMEOUT_MS', '99999999999', 'SHUTDOWN_TIMEOUT_MS must be a positive whole number, at most 600000 (10 minutes) (got "99999999999")'],
    ['CONTACT_DELAY_WORKING_DAYS', '1000000', 'CONTACT_DELAY_WORKING_DAYS must be a positive whole number, at most 60 (got "1000000")'],
    ['DATA_RETENTION_MONTHS', '-3', 'DATA_RETENTION_MONTHS must be a positive whole number, at most 1200 (100 years) (got "-3")'],
    ['FOLLOWUP_MILESTONES', '6 mois', 'FOLLOWUP_MILESTONES must list milestones like miseEnOeuvreEndedAt+6m,diagnosticConfirmedAt+15m (source+N followed by m for months or d for days): "6 mois" is not source+N followed by a unit'],
    ['FOLLOWUP_QUIET_HOURS', '19h-9h', 'FOLLOWUP_QUIET_HOURS must look like 19:00-09:00: the start of the quiet hours must be HH:MM between 00:00 and 23:59 (got "19h")'],
  ])('%s=%s', (key, value, message) => {
    const line = startupError({ [key]: value });
    expect(line).toContain(`Configuration error: ${message}`);
    expect(line).not.toContain('\n');
  });

  it('settings that only go wrong together are refused at start-up too, not once the database is up', () => {
    expect(startupError({ HANDOFF_WEBHOOK_URL: 'https://crm.example/hooks/dla' }))
      .toBe('Configuration error: HANDOFF_WEBHOOK_SECRET must be set when HANDOFF_WEBHOOK_URL is set (it signs every call)');
    expect(startupError({ MicrosoftAppType: 'SingleTenant' })).toBe('Configuration error: MicrosoftAppId must be set when MicrosoftAppType is SingleTenant');
    expect(startupError({ MicrosoftAppType: 'SingleTenant', MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x' }))
      .toBe('Configuration error: MicrosoftAppTenantId must be set when MicrosoftAppType is SingleTenant (the Azure tenant id, a GUID)');
    // The server (not the Teams package, built elsewhere) needs the app's secret to answer.
    expect(() => assertServerConfig(loadConfig({ MicrosoftAppId: APP_ID }))).toThrow(/^Configuration error: MicrosoftAppPassword must be set when MicrosoftAppId is set/);
    expect(() => assertServerConfig(loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x' }))).not.toThrow();
    // A managed identity has no secret.
    expect(loadConfig({ MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppId: APP_ID, MicrosoftAppTenantId: APP_ID }).appType).toBe('UserAssignedMSI');
  });

  it('never prints an SMTP password in an error', () => {
    expect(startupError({ SMTP_URL: 'smtp.example.org://user:s3cret@x' })).not.toContain('s3cret');
  });

  it('reads what an operator means: case, accents, other separators, names of départements', () => {
    const c = loadConfig({
      LOG_LEVEL: 'INFO', FOLLOWUP_WEEKENDS: 'TRUE', OPERATOR_LEVEL: 'régional', MicrosoftAppType: 'multitenant',
      OPERATOR_DEPARTEMENTS: 'Gironde; 24 47', HANDOFF_EMAIL_TO: 'a@dla33.fr; b@dla33.fr',
      HANDOFF_ROUTES: '33:a@dla33.fr,b@dla33.fr;2a:c@dla2a.fr', SMTP_URL: 'smtps://u:p%40ss@smtp.example.org:465', SMTP_FROM: 'DLA 33 <no-reply@dla33.fr>',
      PRIVACY_URL: 'https://www.dla33.fr/rgpd', FOLLOWUP_CRON: '*/5 * * * *',
    });
    expect(c.logLevel).toBe('info');
    expect(c.followup.quiet.weekends).toBe(true);
    expect(c.operator.level).toBe('regional');
    expect(c.appType).toBe('MultiTenant');
    expect(c.operator.departements).toEqual(['33', '24', '47']);
    expect(c.handoff.emailTo).toEqual(['a@dla33.fr', 'b@dla33.fr']);
    expect(c.handoff.routes).toEqual({ 33: ['a@dla33.fr', 'b@dla33.fr'], '2A': ['c@dla2a.fr'] });
    expect(c.followup.cron).toBe('*/5 * * * *');
  });

  it('a port in use or not allowed names PORT, an address that is not this machine\'s names HOST', () => {
    const err = (code: string) => Object.assign(new Error(`listen ${code}`), { code });
    expect(describeListenError(err('EADDRINUSE'), '127.0.0.1', 3978)).toBe('port 3978 is already in use on 127.0.0.1 (another program, or the assistant already running): stop it or set another PORT');
    expect(describeListenError(err('EACCES'), '0.0.0.0', 80)).toMatch(/ports below 1024 need administrator rights; set PORT to 1024 or above/);
    expect(describeListenError(err('EADDRNOTAVAIL'), '10.9.9.9', 3978)).toMatch(/10\.9\.9\.9 is not an address of this machine; set HOST to 127\.0\.0\.1/);
    expect(describeListenError(err('ENOTFOUND'), '127.0.0.1:3978', 3978)).toMatch(/HOST "127\.0\.0\.1:3978" is not a known address/);
  });

  it('started from another folder (a service manager starts it in /), a relative DATA_DIR is in the project, not there', () => {
    const cwd = process.cwd();
    process.chdir(os.tmpdir());
    try {
      expect(loadConfig({}).dataDir).toBe(path.join(PROJECT_ROOT, 'data'));
      expect(loadConfig({ DATA_DIR: 'var/dla' }).dataDir).toBe(path.join(PROJECT_ROOT, 'var', 'dla'));
      expect(loadConfig({ DATA_DIR: '/srv/dla' }).dataDir).toBe('/srv/dla');
    } finally {
      process.chdir(cwd);
    }
  });

  it('a MONGODB_URI without a database (as Atlas gives it) uses the database "dla", not the driver\'s "test"', () => {
    expect(uriDatabase('mongodb+srv://u:p@cluster0.abc.mongodb.net/?retryWrites=true&w=majority')).toBeUndefined();
    expect(uriDatabase('mongodb://127.0.0.1:27017')).toBeUndefined();
    expect(uriDatabase('mongodb://a:27017,b:27017/dla33?replicaSet=rs0')).toBe('dla33');
    expect(DEFAULT_DATABASE).toBe('dla');
  });
});

describe('.env as an operator writes it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dla-env-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const load = (name: string, bytes: Buffer, env: NodeJS.ProcessEnv = {}) => {
    fs.writeFileSync(path.join(dir, name), bytes);
    const keys = loadDotEnv(path.join(dir, name), env);
    return { keys, env };
  };

  it('a .env saved by Windows Notepad (BOM, CRLF) keeps its first key; one in Windows-1252 keeps its accents', () => {
    const bom = load('bom.env', Buffer.from('\uFEFFPORT=4000\r\nOPERATOR_NAME=DLA de l’Hérault\r\n', 'utf8'));
    expect(bom.env).toEqual({ PORT: '4000', OPERATOR_NAME: 'DLA de l’Hérault' });
    expect(loadConfig(bom.env).port).toBe(4000);
    const ansi = load('ansi.env', Buffer.concat([Buffer.from('OPERATOR_NAME=DLA de l\'H'), Buffer.from([0xe9]), Buffer.from('rault\n')]));
    expect(ansi.env.OPERATOR_NAME).toBe('DLA de l\'Hérault');
  });

  it('a colour or a password with # is read whole: only " #" starts a comment', () => {
    const { env } = load('hash.env', Buffer.from([
      'OPERATOR_PRIMARY_COLOR=#0a6e3c',
      'HANDOFF_WEBHOOK_SECRET=s3c#ret   # shared with the CRM',
      '# OPERATOR_NAME=commented out',
      'OPERATOR_CONTACT="dla33@example.org # not a comment"',
      "export OPERATOR_NAME='DLA de la Gironde'",
      'FOLLOWUP_CRON=*/5 * * * *',
      'EMPTY=',
    ].join('\n')));
    expect(env).toEqual({
      OPERATOR_PRIMARY_COLOR: '#0a6e3c', HANDOFF_WEBHOOK_SECRET: 's3c#ret', OPERATOR_CONTACT: 'dla33@example.org # not a comment',
      OPERATOR_NAME: 'DLA de la Gironde', FOLLOWUP_CRON: '*/5 * * * *', EMPTY: '',
    });
    expect(loadConfig(env).operator.primaryColor).toBe('#0a6e3c');
  });

  it('the environment wins over .env', () => {
    expect(load('env.env', Buffer.from('PORT=4000\n'), { PORT: '5000' }).env.PORT).toBe('5000');
  });

  it('a misspelt key is reported as ignored, with the key it probably meant; other variables of the machine are not', () => {
    const { keys } = load('typos.env', Buffer.from('OPERATOR_DEPARTMENTS=33\nDATA_RETENTION_MONTH=24\nPORT=4000\nMY_NOTE=x\n'));
    expect(unknownSettings(keys, { HOME: '/root', HOSTNAME: 'srv', PATH: '/bin', MicrosoftAppID: 'x', MONGODB_PORT: 'tcp://10.0.0.1:27017', PORT: '1' })).toEqual([
      'OPERATOR_DEPARTMENTS (in .env) is not a setting of the assistant and is ignored: did you mean OPERATOR_DEPARTEMENTS?',
      'DATA_RETENTION_MONTH (in .env) is not a setting of the assistant and is ignored: did you mean DATA_RETENTION_MONTHS?',
      'MY_NOTE (in .env) is not a setting of the assistant and is ignored',
      'MicrosoftAppID is not a setting of the assistant and is ignored: did you mean MicrosoftAppId?',
    ]);
  });
});
