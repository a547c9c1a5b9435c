import type { CloudAdapter } from 'botbuilder';
import { Config, ConfigError } from '../../config';
import type { Translate } from '../../i18n';
import { log } from '../../log';
import { EmailNotifier } from './email';
import { Notifier } from './notifier';
import { TeamsNotifier } from './teams';
import { WebhookNotifier } from './webhook';

export { EmailNotifier } from './email';
export type { EmailNotifierOptions } from './email';
export type { Notifier } from './notifier';
export { PermanentDeliveryError } from './notifier';
export { TeamsNotifier } from './teams';
export type { TeamsNotifierOptions } from './teams';
export { signWebhookBody, webhookBody, WebhookNotifier, WEBHOOK_EVENT, WEBHOOK_UPDATE_EVENTS } from './webhook';
export type { WebhookNotifierOptions } from './webhook';

export interface NotifierDeps {
  /** The bot's CloudAdapter (src/adapter.ts): needed for the Teams notifier. */
  adapter?: CloudAdapter;
  /** Texts for the chargé·es (default: French). */
  t?: Translate;
}

/**
 * The notifiers the configuration asks for: e-mail when SMTP_URL is set, webhook when
 * HANDOFF_WEBHOOK_URL is set (then HANDOFF_WEBHOOK_SECRET is required), Teams when
 * HANDOFF_TEAMS_CONVERSATION_ID is set (and an adapter is given).
 */
export function createNotifiers(config: Pick<Config, 'handoff' | 'publicUrl' | 'appId' | 'operator' | 'contactDelayWorkingDays'>, deps: NotifierDeps = {}): Notifier[] {
  const h = config.handoff;
  // Dates, and the call-back day a handoff and an update name (none promised from outside the territory).
  const { timeZone, departements, level } = config.operator;
  const when = { timeZone, contactDelayWorkingDays: config.contactDelayWorkingDays, territory: { departements, level } };
  const notifiers: Notifier[] = [];
  if (h.smtpUrl && !h.emailTo.length && !Object.keys(h.routes).length) {
    // The check-in e-mails to web-chat structures use SMTP_URL too: no e-mail notifier whose every send would fail.
    log.warn('SMTP_URL is set but neither HANDOFF_EMAIL_TO nor HANDOFF_ROUTES: it sends check-in e-mails to structures only, handoffs are not e-mailed');
  } else if (h.smtpUrl) {
    if (!h.emailTo.length) {
      // Routes only: a request made before any postal code (« parler à un·e chargé·e » at once) has no département.
      log.warn('HANDOFF_ROUTES is set without HANDOFF_EMAIL_TO: a handoff without a département, or from one without a route, gets no e-mail', {
        routed: Object.keys(h.routes).join(','),
      });
    }
    notifiers.push(new EmailNotifier({ smtpUrl: h.smtpUrl, from: h.smtpFrom, emailTo: h.emailTo, routes: h.routes, publicUrl: config.publicUrl, operatorName: config.operator.name, ...when, t: deps.t }));
  } else if (h.emailTo.length || Object.keys(h.routes).length) {
    // Recipients without a server: the operator expects e-mails that would silently never go out.
    log.warn('HANDOFF_EMAIL_TO or HANDOFF_ROUTES is set but SMTP_URL is empty: no handoff e-mail will be sent');
  }
  if (h.webhookUrl) {
    if (!h.webhookSecret) throw new ConfigError('HANDOFF_WEBHOOK_SECRET', 'must be set when HANDOFF_WEBHOOK_URL is set (it signs every call)');
    notifiers.push(new WebhookNotifier({ url: h.webhookUrl, secret: h.webhookSecret, ...when, t: deps.t }));
  }
  if (h.teams.conversationId) {
    if (!deps.adapter) throw new Error('createNotifiers: HANDOFF_TEAMS_CONVERSATION_ID is set but no adapter was given');
    if (!config.appId) log.warn('HANDOFF_TEAMS_CONVERSATION_ID is set but MicrosoftAppId is empty: Teams will refuse the unauthenticated card');
    notifiers.push(new TeamsNotifier(deps.adapter, { appId: config.appId, ...h.teams, publicUrl: config.publicUrl, ...when, t: deps.t }));
  }
  return notifiers;
}
