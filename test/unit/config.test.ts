import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_KEYS, ConfigError, loadConfig } from '../../src/config';
import { PROJECT_ROOT } from '../../src/paths';

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
});
