import { Request, Response, Server } from 'restify';
import { pageCsp, sendHtml, textPage } from '../channels/webchat';
import type { Config } from '../config';
import { escapeHtml } from '../html';
import { Language, languageFromLocale, translator } from '../i18n';
import type { CheckinLinks } from './checkinLinks';
import type { CheckinRepository } from './checkins';

/**
 * The « Ne plus recevoir ces relances » link of a check-in e-mail: GET shows a page with a button
 * (mail scanners fetch the links of a message: a GET never stops anything), its POST stops the
 * dossier's check-ins as « ne plus me relancer » does in the conversation. A malformed, unknown
 * or expired link gets a 404 page saying how to stop them otherwise.
 */
export function registerCheckinStopRoutes(server: Server, config: Config, links: Pick<CheckinLinks, 'find'>, checkins: Pick<CheckinRepository, 'isOptedOut' | 'optOut'>): void {
  const csp = pageCsp(config);
  const operator = config.operator.name;
  const vars = { operator, contact: config.operator.contact ? ` (${config.operator.contact})` : '' };
  const page = (res: Response, language: Language, status: number, body: string) => {
    const t = translator(language);
    res.header('cache-control', 'no-store');
    res.header('referrer-policy', 'no-referrer'); // the token is in the address
    sendHtml(res, textPage(config, language, t('checkin.stopPage.title', vars), t('checkin.stopPage.button'),
      `${body}<p><a href="/">${escapeHtml(t('checkin.stopPage.back'))}</a></p>`), csp, status);
  };
  const p = (text: string) => `<p>${escapeHtml(text)}</p>`;
  /** The link's language; for a link that is not one, the browser's if the assistant speaks it. */
  const expired = (req: Request, res: Response) => {
    const language = languageFromLocale(String(req.headers['accept-language'] ?? '').split(',')[0]) ?? config.defaultLocale;
    page(res, language, 404, p(translator(language)('checkin.stopPage.expired', vars)));
  };

  server.get('/ne-plus-relancer/:token', async (req: Request, res: Response) => {
    const link = await links.find(req.params.token);
    if (!link) return expired(req, res);
    const t = translator(link.language);
    if (await checkins.isOptedOut(link.dossierId)) return page(res, link.language, 200, p(t('checkin.stopPage.already')) + p(t('checkin.stopPage.reach', vars)));
    page(res, link.language, 200, p(t('checkin.stopPage.ask', vars)) +
      `<form method="post"><button type="submit">${escapeHtml(t('checkin.stopPage.button'))}</button></form>`);
  });

  server.post('/ne-plus-relancer/:token', async (req: Request, res: Response) => {
    const link = await links.find(req.params.token);
    if (!link) return expired(req, res);
    const t = translator(link.language);
    const already = await checkins.isOptedOut(link.dossierId);
    if (!already) await checkins.optOut(link.dossierId);
    page(res, link.language, 200, p(t(already ? 'checkin.stopPage.already' : 'checkin.stopPage.done')) + p(t('checkin.stopPage.reach', vars)));
  });
}
