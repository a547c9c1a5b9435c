import { Request, Response, Server } from 'restify';
import { Language, languageFromLocale, translator } from '../i18n';
import { sendError } from '../server';
import { EXPORT_PAGE_CSP, linkExpiredHtml } from './exportHtml';
import { DataExports } from './exports';

/** An Accept header that names HTML (a browser following the link), not only any type. */
const BROWSER = /(?:^|,)\s*text\/html\s*(?:$|[,;])/i;

/**
 * GET /mes-donnees/:token — « mes données » for channels that get a link instead of files: the
 * readable page, and with `?format=json` (the page links to it) the complete JSON file.
 */
export function registerDataExportRoute(server: Server, exports: DataExports, lang: Language): void {
  server.get('/mes-donnees/:token', async (req: Request, res: Response) => {
    const files = await exports.read(String(req.params.token));
    // The browser's first language when the assistant speaks it (the person may have chosen English).
    const t = translator(languageFromLocale(String(req.headers['accept-language'] ?? '').split(',')[0]) ?? lang);
    const headers = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' };
    const pageHeaders = { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': EXPORT_PAGE_CSP };
    if (files === undefined) {
      // A person clicking the link in a browser reads a page; a program gets the JSON error.
      if (!BROWSER.test(String(req.headers.accept ?? ''))) return sendError(res, 404, 'NotFound', t('handoffUser.myData.linkExpired'));
      res.writeHead(404, { ...pageHeaders, ...headers });
      // Nothing returned: restify logs a value an async handler returns (the whole response, as a warning).
      res.end(linkExpiredHtml(t));
      return;
    }
    const json = (req.query as Record<string, unknown> | undefined)?.format === 'json';
    res.writeHead(200, {
      ...(json
        ? { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="${t('handoffUser.myData.fileName')}.json"` }
        : { ...pageHeaders, 'content-disposition': `inline; filename="${t('handoffUser.myData.fileName')}.html"` }),
      ...headers,
    });
    res.end(json ? files.json : files.html);
  });
}
