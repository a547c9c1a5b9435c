import { Request, Response, Server } from 'restify';
import { Language, languageFromLocale, translator } from '../i18n';
import { sendError } from '../server';
import { EXPORT_PAGE_CSP } from './exportHtml';
import { DataExports } from './exports';

/**
 * GET /mes-donnees/:token — « mes données » for channels that get a link instead of files: the
 * readable page, and with `?format=json` (the page links to it) the complete JSON file.
 */
export function registerDataExportRoute(server: Server, exports: DataExports, lang: Language): void {
  server.get('/mes-donnees/:token', async (req: Request, res: Response) => {
    const files = await exports.read(String(req.params.token));
    // The browser's first language when the assistant speaks it (the person may have chosen English).
    const t = translator(languageFromLocale(String(req.headers['accept-language'] ?? '').split(',')[0]) ?? lang);
    if (files === undefined) return sendError(res, 404, 'NotFound', t('handoffUser.myData.linkExpired'));
    const json = (req.query as Record<string, unknown> | undefined)?.format === 'json';
    res.writeHead(200, {
      ...(json
        ? { 'content-type': 'application/json; charset=utf-8', 'content-disposition': 'attachment; filename="mes-donnees-dla.json"' }
        : { 'content-type': 'text/html; charset=utf-8', 'content-disposition': 'inline; filename="mes-donnees-dla.html"', 'content-security-policy': EXPORT_PAGE_CSP }),
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    });
    res.end(json ? files.json : files.html);
  });
}
