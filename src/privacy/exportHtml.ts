/**
 * « mes données » as a document a structure's leader reads and prints: one self-contained HTML
 * page (no script, no external style or font), every value escaped, in the person's language.
 * Built from readableDocument() (the same words as the JSON file's `readable` part), then the
 * conversations themselves: when, who spoke, what was said.
 */
import { markdownAsText } from '../domain/text';
import { escapeHtml as h } from '../html';
import type { Translate } from '../i18n';
import type { PersonalDataExport } from '../store/privacy';
import { readableDocument, readableExport } from './readable';

export interface ExportHtmlOptions {
  operatorName: string;
  /** The operator's time zone (dates and times). */
  timeZone?: string;
  /** Where the JSON file is downloaded (the Teams link's page); without it, the page names the attached file. */
  jsonHref?: string;
}

/** Nothing is loaded nor run, even opened from a disk: inline styles only. */
export const EXPORT_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.5;color:#1a1a1a;max-width:52rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.25rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}h3{font-size:1rem;margin-top:1.5rem}
ul{padding-left:1.2rem}li{margin:.2rem 0}.json{background:#f3f3f3;padding:.6rem .8rem;border-radius:4px}
table{border-collapse:collapse;width:100%;font-size:.95rem}th,td{border:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
td:first-child{white-space:nowrap}td.text{white-space:pre-wrap;overflow-wrap:anywhere}th{background:#f3f3f3}
@media print{body{margin:0;max-width:none;font-size:11pt}.json a{color:inherit}h2{break-after:avoid}tr{break-inside:avoid}}`;

export function exportHtml(data: PersonalDataExport, t: Translate, options: ExportHtmlOptions): string {
  const timeZone = options.timeZone ?? 'Europe/Paris';
  const doc = readableDocument(data, t, timeZone);
  const at = (iso: string | undefined, style: Intl.DateTimeFormatOptions) =>
    (iso ? new Intl.DateTimeFormat(t('handoff.dateLocale'), { ...style, timeZone }).format(new Date(iso)) : '—');
  const title = t('handoffUser.myData.page.title', { operator: options.operatorName });
  const parts = [
    `<h1>${h(title)}</h1>`,
    `<p>${h(t('handoffUser.myData.page.intro', { date: doc.date, operator: options.operatorName }))}</p>`,
    options.jsonHref
      ? `<p class="json"><a href="${h(options.jsonHref)}" download="${h(t('handoffUser.myData.fileName'))}.json">${h(t('handoffUser.myData.page.jsonLink'))}</a></p>`
      : `<p class="json">${h(t('handoffUser.myData.page.json', { file: `${t('handoffUser.myData.fileName')}.json` }))}</p>`,
  ];
  for (const section of doc.sections) {
    parts.push(`<section><h2>${h(section.title)}</h2><ul>${section.items
      .map((i) => (typeof i === 'string' ? `<li>${h(i)}</li>` : `<li>${h(t('handoffUser.myData.page.fact', i))}</li>`))
      .join('')}</ul>`);
    if (section.id === 'conversations') {
      for (const c of data.conversations.filter((x) => x.messages.length > 0)) {
        parts.push(`<h3>${h(t('handoffUser.myData.page.conversation', { date: at(c.messages.find((m) => m.timestamp)?.timestamp, { dateStyle: 'long' }) }))}</h3>`,
          `<table><thead><tr><th scope="col">${h(t('handoffUser.myData.page.when'))}</th><th scope="col">${h(t('handoffUser.myData.page.who'))}</th><th scope="col">${h(t('handoffUser.myData.page.text'))}</th></tr></thead><tbody>`);
        for (const m of c.messages) {
          // The bot's Markdown (« **Quoi** ») as the words a person reads.
          const said = [
            m.text && m.from === 'assistant' ? markdownAsText(m.text) : m.text,
            m.answer ? t('handoffUser.myData.page.answered', { text: m.answer }) : undefined,
            ...(m.cards ?? []).map((text) => t('handoffUser.myData.page.card', { text: markdownAsText(text) })),
          ].filter((x): x is string => Boolean(x));
          parts.push(`<tr><td>${h(at(m.timestamp, { dateStyle: 'short', timeStyle: 'short' }))}</td><td>${h(t(`handoffUser.myData.page.${m.from === 'assistant' ? 'assistant' : 'you'}`))}</td><td class="text">${h(said.join('\n'))}</td></tr>`);
        }
        parts.push('</tbody></table>');
      }
    }
    parts.push('</section>');
  }
  return page(title, parts, t);
}

/**
 * « mes données » as its two files, the same wherever it is asked for (the chat, the back-office):
 * the complete JSON, what it holds in words first (`readable`), and the readable page.
 */
export function exportFiles(data: PersonalDataExport, t: Translate, options: ExportHtmlOptions): { json: string; html: string } {
  return { json: JSON.stringify({ readable: readableExport(data, t, options.timeZone), ...data }, null, 2), html: exportHtml(data, t, options) };
}

/** The page a link that expired or never existed opens in a browser: what to do, in the person's language. */
export function linkExpiredHtml(t: Translate): string {
  const title = t('handoffUser.myData.page.unavailable');
  return page(title, [`<h1>${h(title)}</h1>`, `<p>${h(t('handoffUser.myData.linkExpired'))}</p>`], t);
}

function page(title: string, parts: string[], t: Translate): string {
  const lang = t('handoff.dateLocale').slice(0, 2);
  return `<!doctype html>
<html lang="${h(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${h(EXPORT_PAGE_CSP)}"><meta name="referrer" content="no-referrer">
<title>${h(title)}</title><style>${STYLE}</style></head>
<body><main>
${parts.join('\n')}
</main></body></html>
`;
}
