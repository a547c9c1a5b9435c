import type { Transporter } from 'nodemailer';
import { describeMilestone } from '../domain/checkinPlan';
import { assertAccepted, messageIdDomain, smtpTransport } from '../handoff/notifiers/email';
import { escapeHtml } from '../html';
import { Language, translator, Translate } from '../i18n';
import type { CheckinLinks } from './checkinLinks';

export interface CheckinMailOptions {
  smtpUrl: string;
  from: string;
  /** Where the links point (config.publicUrl: PUBLIC_URL, or the server's own address). */
  publicUrl: string;
  operatorName: string;
  /** How structures reach the operator (config.operator.contact), said at the end. */
  operatorContact: string;
  timeZone: string;
  /** Days a link works (config.followup.linkDays). */
  linkDays: number;
  links: CheckinLinks;
}

export interface CheckinMail {
  checkinId: string;
  milestone: string;
  dossierId: string;
  /** "channelId:userId" of the web-chat user the answer link signs in as. */
  channelUser: string;
  to: string;
  /** The contact person's name, for the greeting. */
  name?: string;
  language: Language;
}

/** The e-mail's parts, in the structure's language (pure: the tests read what the structure reads). */
export function renderCheckinMail(t: Translate, mail: CheckinMail, vars: { operator: string; contact: string; answerUrl: string; stopUrl: string; until: string; days: number }): { subject: string; text: string; html: string } {
  const m = describeMilestone(mail.milestone);
  const why = m.kind === 'after'
    ? t(`checkin.email.why.${m.from}`, { delay: t(`admin.followup.delay.${m.unit}`, { count: m.count }) })
    : t('checkin.email.why.other');
  const operator = vars.operator;
  const contact = vars.contact ? ` (${vars.contact})` : '';
  const greeting = mail.name ? t('checkin.email.greeting', { name: mail.name }) : t('checkin.email.greetingNoName');
  const validity = t('checkin.email.validity', { date: vars.until, days: vars.days });
  const closing = [t('checkin.email.contact', { operator, contact }), t('checkin.email.signature', { operator })];
  const text = [
    greeting, `${t('checkin.email.who', { operator })} ${why}`, `${t('checkin.email.how')}\n${vars.answerUrl}`, validity,
    t('checkin.email.stopLine', { url: vars.stopUrl }),
    ...closing,
  ].join('\n\n');
  const p = (s: string) => `<p>${escapeHtml(s)}</p>`;
  const a = (href: string, label: string) => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
  const html = `<!doctype html><html lang="${mail.language}"><body>${[
    p(greeting), p(`${t('checkin.email.who', { operator })} ${why}`), p(t('checkin.email.how')),
    `<p><strong>${a(vars.answerUrl, t('checkin.email.answer'))}</strong></p>`, p(validity),
    `<p>${a(vars.stopUrl, t('checkin.email.stop'))}</p>`, ...closing.map(p),
  ].join('\n')}</body></html>`;
  return { subject: t('checkin.email.subject', { operator }), text, html };
}

/**
 * E-mails a web-chat structure its check-in (src/domain/checkinEmail.ts says who): why it is
 * written to, a link back to its conversation and a link to stop the check-ins, both working
 * `linkDays`. Over the assistant's one SMTP client (src/handoff/notifiers/email.ts). The same
 * Message-ID on a retry: a mail client drops the duplicate if one ever gets through twice.
 */
export class CheckinMailer {
  private readonly transport: Transporter;

  constructor(private readonly options: CheckinMailOptions) {
    this.transport = smtpTransport(options.smtpUrl);
  }

  /** Throws when the SMTP server is down or refuses: the check-in's attempt fails and is retried. */
  async send(mail: CheckinMail): Promise<void> {
    const o = this.options;
    const { token, expiresAt } = await o.links.create({ dossierId: mail.dossierId, checkinId: mail.checkinId, channelUser: mail.channelUser, language: mail.language });
    const t = translator(mail.language);
    const base = o.publicUrl.replace(/\/$/, '');
    const until = new Intl.DateTimeFormat(t('handoff.dateLocale'), { dateStyle: 'long', timeZone: o.timeZone }).format(expiresAt);
    const { subject, text, html } = renderCheckinMail(t, mail, {
      operator: o.operatorName, contact: o.operatorContact, answerUrl: `${base}/?suivi=${token}`, stopUrl: `${base}/ne-plus-relancer/${token}`, until, days: o.linkDays,
    });
    try {
      assertAccepted(await this.transport.sendMail({
        from: o.from, to: mail.to, subject, text, html,
        messageId: `<checkin.${encodeURIComponent(mail.checkinId)}@${messageIdDomain(o.from)}>`,
        headers: { 'X-DLA-Checkin': mail.checkinId },
      }));
    } catch (err) {
      await o.links.delete(token); // a link nobody received
      throw err;
    }
  }
}
