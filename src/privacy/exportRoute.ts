import { Request, Response, Server } from 'restify';
import { Language, languageFromLocale, translator } from '../i18n';
import { sendError } from '../server';
import { DataExports } from './exports';

/** GET /mes-donnees/:token — the « mes données » file, for channels that get a link instead. */
export function registerDataExportRoute(server: Server, exports: DataExports, lang: Language): void {
  server.get('/mes-donnees/:token', async (req: Request, res: Response) => {
    const data = await exports.read(String(req.params.token));
    // The browser's first language when the assistant speaks it (the person may have chosen English).
    const t = translator(languageFromLocale(String(req.headers['accept-language'] ?? '').split(',')[0]) ?? lang);
    if (data === undefined) return sendError(res, 404, 'NotFound', t('handoffUser.myData.linkExpired'));
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': 'attachment; filename="mes-donnees-dla.json"',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    });
    res.end(data);
  });
}
