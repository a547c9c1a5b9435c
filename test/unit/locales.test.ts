import { LANGUAGES, loadResources, translator } from '../../src/i18n';

function leaves(obj: Record<string, unknown>, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) leaves(v as Record<string, unknown>, key).forEach((val, kk) => out.set(kk, val));
    else out.set(key, v);
  }
  return out;
}

describe('locales', () => {
  const resources = loadResources();
  const keysOf = (lng: string) => leaves(resources[lng] as Record<string, unknown>);

  it('every key exists in French and in English', () => {
    const fr = [...keysOf('fr').keys()].sort();
    const en = [...keysOf('en').keys()].sort();
    expect(fr.filter((k) => !en.includes(k))).toEqual([]);
    expect(en.filter((k) => !fr.includes(k))).toEqual([]);
    expect(fr.length).toBeGreaterThan(10);
  });

  it.each(LANGUAGES)('no text is empty in %s, and interpolation variables match French', (lng) => {
    const fr = keysOf('fr');
    for (const [key, value] of keysOf(lng)) {
      expect(typeof value === 'string' && value.trim().length > 0).toBe(true);
      const vars = (s: unknown) => [...String(s).matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort();
      expect([key, vars(value)]).toEqual([key, vars(fr.get(key))]);
    }
  });

  it('English names the DLA’s advisor one way: « an advisor from the DLA », never « of the DLA » in the next message', () => {
    const en = [...keysOf('en').values()].filter((v): v is string => typeof v === 'string');
    expect(en.filter((v) => /advisor of the/i.test(v))).toEqual([]);
    expect(translator('en')('handoffUser.next', { operator: 'DLA of Gironde', days: 4 })).toMatch(/^An advisor from the DLA of Gironde will get back to you/);
  });

  it('English names the operator « the DLA du Rhône », as a sentence does, except where the name stands alone as a title', () => {
    const en = [...keysOf('en')].filter((e): e is [string, string] => typeof e[1] === 'string');
    const bare = en.flatMap(([key, v]) => [...v.matchAll(/(^|.{0,4}){{operator}}/g)].filter((m) => !/(^|the |The |— )$/.test(m[1])).map((m) => [key, m[0]]));
    expect(bare).toEqual([]);
    expect(translator('en')('handoffUser.myData.page.intro', { operator: 'DLA du Rhône', date: '27/11/2026' })).toContain('the assistant of the DLA du Rhône keeps');
  });

  it('English leaves no French DLA term unexplained: « diagnostic », « parcours », « mise en œuvre », « chargé·e », « accueil », « structure » only in brackets or quotes', () => {
    const en = [...keysOf('en')].filter((e): e is [string, string] => typeof e[1] === 'string');
    const outside = (v: string) => v.replace(/\([^)]*\)|“[^”]*”|{{[^}]*}}/g, '');
    const french = en.flatMap(([key, v]) => (outside(v).match(/\b(diagnostics?|parcours|mise en œuvre|chargé·e?s?|accueil|structures?)\b/i) ?? []).slice(0, 1).map((w) => [key, w]));
    expect(french).toEqual([]);
  });

  it('translates with interpolation and falls back to French', () => {
    expect(translator('fr')('welcome', { operator: 'DLA de la Gironde' })).toContain('du DLA de la Gironde');
    expect(translator('en')('welcome', { operator: 'Gironde' })).toContain('Hello');
  });

  it('French texts keep « » and « : ; ! ? » with their word on one line (no-break spaces), English texts are left alone', () => {
    const fr = [...keysOf('fr').values()].filter((v): v is string => typeof v === 'string');
    // No ordinary space inside « » or before « ; ! ? »: a line would start with « » » or « ? ».
    expect(fr.filter((v) => /« | »| [;!?]/.test(v))).toEqual([]);
    const help = translator('fr')('help');
    expect(help).toContain('«\u00a0aide\u00a0»');
    expect(translator('fr')('menu.prompt')).toBe('Que souhaitez-vous faire\u202f?');
    expect(translator('en')('menu.prompt')).toBe('What would you like to do?');
  });
});
