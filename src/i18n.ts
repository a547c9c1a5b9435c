import fs from 'node:fs';
import path from 'node:path';
import i18next, { i18n, TOptions } from 'i18next';
import { frenchSpacing } from './domain/text';
import { PROJECT_ROOT } from './paths';

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LOCALES_DIR = path.join(PROJECT_ROOT, 'locales');

/**
 * Reads locales/<lng>/*.json: every user-facing text lives there. One i18next namespace:
 * common.json at the root, every other file under its name ("eligibility.reason.employer"
 * is reason.employer in eligibility.json).
 */
export function loadResources(dir = LOCALES_DIR): Record<string, { translation: Record<string, unknown> }> {
  const resources: Record<string, { translation: Record<string, unknown> }> = {};
  for (const lng of LANGUAGES) {
    const translation: Record<string, unknown> = {};
    for (const file of fs.readdirSync(path.join(dir, lng)).filter((f) => f.endsWith('.json')).sort()) {
      const raw = JSON.parse(fs.readFileSync(path.join(dir, lng, file), 'utf8')) as Record<string, unknown>;
      const content = lng === 'fr' ? mapStrings(raw, frenchSpacing) as Record<string, unknown> : raw;
      const name = path.basename(file, '.json');
      if (name === 'common') Object.assign(translation, content);
      else translation[name] = content;
    }
    resources[lng] = { translation };
  }
  return resources;
}

/** Every string of a locale file through `f` (keys and structure unchanged). */
function mapStrings(node: unknown, f: (text: string) => string): unknown {
  if (typeof node === 'string') return f(node);
  if (Array.isArray(node)) return node.map((x) => mapStrings(x, f));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, mapStrings(v, f)]));
  return node;
}

let instance: i18n | undefined;

function i18nInstance(): i18n {
  if (!instance) {
    const resources = loadResources();
    instance = i18next.createInstance();
    void instance.init({
      resources,
      lng: 'fr',
      fallbackLng: 'fr',
      supportedLngs: [...LANGUAGES],
      nsSeparator: false,
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
    });
  }
  return instance;
}

export type Translate = (key: string, options?: TOptions) => string;

/** Texts asked without options, per language: resources never change once loaded. */
const MAX_MEMOISED = 5000;
const translators = new Map<Language, Translate>();

/**
 * The translator of a language, one per language. A text asked without options (most of them:
 * choice titles, prompts, every render of a prompt) is i18next's answer memoised by key; with
 * options (interpolation, count…) i18next is asked each time. About 15 texts a turn.
 */
export function translator(lng: Language): Translate {
  let translate = translators.get(lng);
  if (!translate) {
    const fixed = i18nInstance().getFixedT(lng);
    const plain = new Map<string, string>();
    translate = (key, options) => {
      if (options !== undefined) return fixed(key, options as TOptions) as string;
      let text = plain.get(key);
      if (text === undefined) {
        text = fixed(key) as string;
        if (plain.size < MAX_MEMOISED) plain.set(key, text);
      }
      return text;
    };
    translators.set(lng, translate);
  }
  return translate;
}

/** Maps a channel locale ("en-US", "fr-FR", "fr") to a supported language, or undefined. */
export function languageFromLocale(locale: string | undefined): Language | undefined {
  const base = locale?.toLowerCase().split(/[-_]/)[0];
  return (LANGUAGES as readonly string[]).includes(base ?? '') ? (base as Language) : undefined;
}

/** The locale Web Chat is given for a language (its own texts, and how it formats dates). */
export function webChatLocale(language: Language): string {
  return language === 'fr' ? 'fr-FR' : 'en-US';
}
