import { callBack } from '../domain/callBack';
import { isWithdrawn, WITHDRAWN_BY } from '../domain/handoffMessage';
import type { OperatorTerritory } from '../domain/eligibility';
import { inertMarkdown } from '../domain/text';
import { escapeHtml } from '../html';
import type { Translate } from '../i18n';
import type { Handoff, HandoffUpdateEvent } from './types';

/**
 * Pure rendering of a handoff packet for the chargé·es: a plain-text and an HTML e-mail body,
 * an e-mail subject and a Teams Adaptive Card. Every label comes from locales/<lng>/handoff.json
 * (`handoff.*`); what the structure wrote is data, never markup: the HTML escapes it.
 */

export interface RenderContext {
  /** Base URL of the assistant (config.publicUrl): the back-office lives at /admin/. */
  publicUrl: string;
  /** The operator's time zone (config.operator.timeZone); default Europe/Paris. */
  timeZone?: string;
  /** The call back promised « sous N jours ouvrés » (config.contactDelayWorkingDays): the day a handoff and an update name. */
  contactDelayWorkingDays?: number;
  /** The operator's territory (config.operator): from outside it, no call back is promised. Default: every département. */
  territory?: OperatorTerritory;
  /** Who signs the message (config.operator.name, « DLA de la Gironde »); default « DLA ». */
  operatorName?: string;
}

/** The signature under a message: the operator's assistant. */
const footer = (t: Translate, ctx: RenderContext): string => t('handoff.footer', { operator: ctx.operatorName || 'DLA' });

type Handoffish = Omit<Handoff, 'deliveries'> & Partial<Pick<Handoff, 'deliveries'>>;

interface Row {
  label: string;
  value: string;
  /** A link the HTML e-mail makes of the value (mailto:, tel:). */
  href?: string;
}

/** What the three renderers show, in order, already translated. */
interface Model {
  title: string;
  intro: string;
  urgent: boolean;
  summary: Row[];
  contact: Row[];
  eligibility?: { value: string; reasons: string[] };
  /** The chargé·e's decision after the call, in force over the rules' (its value, then its note). */
  chargeDecision?: Row[];
  diagnostic?: { title: string; facts: Row[]; axes: string[] };
  /** The structure's own words, quoted: its request at the accueil, then its message. */
  quotes: Row[];
  /** What it added since, dated, newest last. */
  messages: Row[];
  link: { title: string; url: string };
  footer: string;
}

/** `${publicUrl}/admin/#/dossiers/<dossierId>`; a handoff without dossier links to `#/handoffs/<id>`. */
export function backOfficeUrl(handoff: Pick<Handoff, '_id' | 'dossierId'>, publicUrl: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  return handoff.dossierId
    ? `${base}/admin/#/dossiers/${encodeURIComponent(handoff.dossierId)}`
    : `${base}/admin/#/handoffs/${encodeURIComponent(handoff._id)}`;
}

/** One line, no control characters (for a subject or a card title). */
function oneLine(value: string, max = 120): string {
  const line = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * What the chargé·es call a structure: its name, or while it has none its contact's, marked as
 * such (« Léa Martin (contact) »). Undefined when neither is known.
 */
export function structureOrContact(name: string | null | undefined, contactName: string | null | undefined, t: Translate): string | undefined {
  if (name?.trim()) return name;
  return contactName?.trim() ? t('admin.dossiers.contactNamed', { name: contactName.trim() }) : undefined;
}

function structureOf(handoff: Handoffish, t: Translate, { max = 120, unknown = t('handoff.unknownStructure') } = {}): string {
  return structureLine(handoff, t, max) ?? unknown;
}

/**
 * The structure as the e-mail's « Structure » line names it (its name, or its contact's marked
 * « (contact) »), on one line; undefined when the packet holds neither (the webhook's `structure`).
 */
export function structureLine(handoff: Pick<Handoffish, 'structureName' | 'contact'>, t: Translate, max = 300): string | undefined {
  const named = structureOrContact(handoff.structureName, handoff.contact?.name, t);
  return named === undefined ? undefined : oneLine(named, max);
}

/**
 * "[DLA] Nouvelle demande : <structure> (<reason>)", with URGENT for a high urgency; « [DLA] Demande
 * retirée par la structure : <structure> » once it withdrew it (sent for the first time after that: a notifier was down).
 */
export function renderSubject(handoff: Handoffish, t: Translate): string {
  if (isWithdrawn(handoff)) return t('handoff.withdrawn.subject', { structure: structureOf(handoff, t) });
  const key = handoff.urgency === 'high' ? 'handoff.subjectUrgent' : 'handoff.subject';
  return t(key, { structure: structureOf(handoff, t), reason: t(`handoff.reason.${handoff.reason}`) });
}

/** A day as the reader's language writes it (« 04/12/2026 »), in the operator's time zone. */
export function formatDay(t: Translate, at: Date | string, timeZone: string): string {
  return new Intl.DateTimeFormat(t('handoff.dateLocale'), { timeZone }).format(new Date(at));
}

function formatDate(date: Date, t: Translate, timeZone = 'Europe/Paris'): string {
  try {
    return new Intl.DateTimeFormat(t('handoff.dateLocale'), { dateStyle: 'short', timeStyle: 'short', timeZone }).format(date);
  } catch {
    return date.toISOString();
  }
}

/** Why, how urgent, who, where, since when: what both a handoff and its update start with. */
function headRows(handoff: Handoffish, t: Translate, ctx: RenderContext): Row[] {
  const none = t('handoff.notProvided');
  return [
    { label: t('handoff.field.reason'), value: t(`handoff.reason.${handoff.reason}`) },
    { label: t('handoff.field.urgency'), value: t(`handoff.urgency.${handoff.urgency}`) },
    { label: t('handoff.field.structure'), value: structureOf(handoff, t, { max: 300, unknown: none }) },
    { label: t('handoff.field.departement'), value: handoff.departement || none },
    { label: t('handoff.field.createdAt'), value: formatDate(new Date(handoff.createdAt), t, ctx.timeZone) },
  ];
}

/** The conversation's channel as a chargé·e names it (« chat du site », « Microsoft Teams »). */
function channelName(t: Translate, channelId: string): string {
  return ['directline', 'webchat', 'msteams'].includes(channelId) ? t(`handoff.channel.${channelId}`) : t('handoff.channel.other', { channel: channelId });
}

/** A mailto: link for an e-mail address of one piece (no space, quote nor angle bracket); undefined otherwise. */
function mailtoOf(email: string | undefined): string | undefined {
  const address = email?.trim();
  return address && /^[^\s<>"'@]+@[^\s<>"'@]+$/.test(address) ? `mailto:${address}` : undefined;
}

/** A tel: link of the phone's digits (a leading + kept); undefined without at least 6 digits. */
function telOf(phone: string | undefined): string | undefined {
  const digits = phone?.trim().replace(/(?!^\+)[^\d]/g, '') ?? '';
  return digits.replace('+', '').length >= 6 ? `tel:${digits}` : undefined;
}

function contactRows(handoff: Handoffish, t: Translate): Row[] {
  const none = t('handoff.notProvided');
  const c = handoff.contact ?? {};
  return [
    { label: t('handoff.contact.name'), value: c.name?.trim() || none },
    { label: t('handoff.contact.email'), value: c.email?.trim() || none, href: mailtoOf(c.email) },
    { label: t('handoff.contact.phone'), value: c.phone?.trim() || none, href: telOf(c.phone) },
    // A second number given with the first (the office's, beside the mobile).
    ...(c.otherPhone?.trim() ? [{ label: t('handoff.contact.otherPhone'), value: c.otherPhone.trim(), href: telOf(c.otherPhone) }] : []),
  ];
}

function model(handoff: Handoffish, t: Translate, ctx: RenderContext): Model {
  const by = handoffCallBackBy(handoff, ctx);
  const summary: Row[] = [
    ...headRows(handoff, t, ctx),
    // What the call is about: its SIRET, legal form, staff, seat (a primo-employeuse's hiring plan…).
    ...(handoff.answers ?? []).map((f) => ({ label: f.label, value: f.value })),
    // The day the structure was told it would be called back by: what the chargé·e has to keep.
    ...(by ? [{ label: t('handoff.field.callBackBy'), value: calendarDay(t, by) }] : []),
    { label: t('handoff.field.consent'), value: t(handoff.consent ? 'handoff.consent.yes' : 'handoff.consent.no') },
    {
      label: t('handoff.field.transcript'),
      value: t('handoff.transcriptValue', { channel: channelName(t, handoff.transcript.channelId) }),
    },
  ];
  const contact = contactRows(handoff, t);
  const e = handoff.eligibility;
  const d = handoff.diagnostic;
  const withdrawn = isWithdrawn(handoff);
  return {
    title: t(withdrawn ? 'handoff.withdrawn.title' : 'handoff.title'),
    intro: withdrawn ? withdrawnIntro(handoff, t, ctx) : t('handoff.intro'),
    urgent: handoff.urgency === 'high',
    summary,
    contact,
    eligibility: e && {
      value: t('handoff.eligibility.value', { outcome: t(`handoff.eligibility.outcome.${e.outcome}`), rulesVersion: e.rulesVersion }),
      reasons: e.reasons.map((r) => r.text || r.code),
    },
    chargeDecision: handoff.chargeDecision && chargeDecisionRows(handoff.chargeDecision, t, ctx),
    diagnostic: d && {
      title: t('handoff.diagnostic.title', { version: d.version }),
      facts: d.facts.map((f) => ({ label: f.label, value: f.value })),
      axes: [...d.axes],
    },
    quotes: [{ label: t('handoff.request'), value: handoff.request?.trim() }, { label: t('handoff.message'), value: handoff.message?.trim() }]
      .filter((q): q is Row => !!q.value),
    messages: messageRows(handoff, t, ctx),
    link: { title: t('handoff.link'), url: backOfficeUrl(handoff, ctx.publicUrl) },
    footer: footer(t, ctx),
  };
}

/** « La structure a retiré le … sa demande reçue le … : personne n’a plus à la rappeler. » */
function withdrawnIntro(handoff: Handoffish, t: Translate, ctx: RenderContext): string {
  const closed = handoff.closedAt ?? handoff.updatedAt;
  return t('handoff.withdrawn.intro', { date: formatDate(new Date(handoff.createdAt), t, ctx.timeZone), closed: formatDate(new Date(closed), t, ctx.timeZone) });
}

/** The messages the structure added, each labelled with its date, newest last. */
function messageRows(handoff: Handoffish, t: Translate, ctx: RenderContext): Row[] {
  return (handoff.messages ?? []).map((m) => ({ label: t('handoff.messageAdded.at', { date: formatDate(new Date(m.at), t, ctx.timeZone) }), value: m.text }));
}

/** The messages' heading and rows, as text lines (quoted as the structure's words are). */
function messageLines(t: Translate, rows: Row[]): string[] {
  return rows.length ? ['', `${t('handoff.messageAdded.list')} :`, ...rows.flatMap((r) => [`${r.label} :`, ...r.value.split(/\r?\n/).map((l) => `> ${l}`)])] : [];
}

/** The messages' heading and rows in HTML (escaped). */
function messageHtml(t: Translate, rows: Row[]): string[] {
  const h = escapeHtml;
  return rows.length ? [`<h3>${h(t('handoff.messageAdded.list'))}</h3>`, ...rows.map((r) => `<p style="margin:8px 0 2px 0;color:#555">${h(r.label)}</p>${quoteHtml(r.value)}`)] : [];
}

function quoteHtml(value: string): string {
  return `<blockquote style="white-space:pre-wrap;border-left:3px solid #ccc;margin:0;padding-left:8px">${escapeHtml(value)}</blockquote>`;
}

/** The messages in a card: the heading, then each date and text (cut as the structure's words are). */
function messageCard(t: Translate, rows: Row[]): Record<string, unknown>[] {
  return rows.length ? [cardText(t('handoff.messageAdded.list'), { weight: 'Bolder', spacing: 'Medium' }),
    ...rows.flatMap((r) => [cardText(r.label, { spacing: 'Small' }), cardText(cardCut(r.value), { isSubtle: true })])] : [];
}

function chargeDecisionRows(decision: NonNullable<Handoff['chargeDecision']>, t: Translate, ctx: RenderContext): Row[] {
  const value = t('handoff.chargeDecision.value', {
    outcome: t(`handoff.eligibility.outcome.${decision.outcome}`), by: decision.by, date: formatDay(t, decision.at, ctx.timeZone ?? 'Europe/Paris'),
  });
  return [
    { label: t('handoff.chargeDecision.title'), value },
    ...(decision.note ? [{ label: t('handoff.chargeDecision.note'), value: decision.note }] : []),
  ];
}

/** What the continuation lines of a value are indented by in a text e-mail. */
const TEXT_INDENT = '    ';

/**
 * « Label : value » as text lines (`head` the label with what precedes it, « - Organisation : »):
 * a value of several lines (a situation in paragraphs) goes on indented under its label, so that
 * none of its lines (« Bénévoles : 12 ») reads as a label of its own.
 */
function textRow(head: string, value: string): string[] {
  const [first, ...rest] = value.split(/\r?\n/);
  return [`${head}${first}`, ...rest.map((line) => `${TEXT_INDENT}${line}`)];
}

/** The summary's rows, then the contact's, as text lines (a handoff's and an update's). */
function summaryLines(t: Translate, m: Pick<Model, 'summary' | 'contact'>): string[] {
  return [...m.summary.flatMap((r) => textRow(`${r.label} : `, r.value)), '', t('handoff.contact.title'), ...m.contact.flatMap((r) => textRow(`- ${r.label} : `, r.value))];
}

/** Plain-text e-mail body. */
export function renderText(handoff: Handoffish, t: Translate, ctx: RenderContext): string {
  const m = model(handoff, t, ctx);
  const lines: string[] = [m.title, m.intro, ''];
  lines.push(...summaryLines(t, m));
  if (m.eligibility) {
    lines.push('', `${t('handoff.eligibility.title')} : ${m.eligibility.value}`);
    if (m.eligibility.reasons.length) lines.push(`${t('handoff.eligibility.reasons')} :`, ...m.eligibility.reasons.flatMap((r) => textRow('- ', r)));
  }
  if (m.chargeDecision) lines.push('', ...m.chargeDecision.flatMap((r) => textRow(`${r.label} : `, r.value)));
  if (m.diagnostic) {
    lines.push('', m.diagnostic.title);
    if (m.diagnostic.facts.length) lines.push(`${t('handoff.diagnostic.facts')} :`, ...m.diagnostic.facts.flatMap((f) => textRow(`- ${f.label} : `, f.value)));
    if (m.diagnostic.axes.length) lines.push(`${t('handoff.diagnostic.axes')} :`, ...m.diagnostic.axes.flatMap((a, i) => textRow(`${i + 1}. `, a)));
  }
  for (const q of m.quotes) lines.push('', `${q.label} :`, ...q.value.split(/\r?\n/).map((l) => `> ${l}`));
  lines.push(...messageLines(t, m.messages));
  lines.push('', `${m.link.title} : ${m.link.url}`, '', '-- ', m.footer);
  return lines.join('\n') + '\n';
}

/** HTML e-mail body (inline styles, every value escaped). */
export function renderHtml(handoff: Handoffish, t: Translate, ctx: RenderContext): string {
  const m = model(handoff, t, ctx);
  const h = escapeHtml;
  const table = htmlTable;
  const list = (items: string[], ordered = false) =>
    `<${ordered ? 'ol' : 'ul'}>${items.map((i) => `<li>${h(i)}</li>`).join('')}</${ordered ? 'ol' : 'ul'}>`;
  const parts: string[] = [
    htmlTitle(m.title, m.urgent),
    `<p>${h(m.intro)}</p>`,
    table(m.summary),
    `<h3>${h(t('handoff.contact.title'))}</h3>`,
    table(m.contact),
  ];
  if (m.eligibility) {
    parts.push(`<h3>${h(t('handoff.eligibility.title'))}</h3>`, `<p>${h(m.eligibility.value)}</p>`);
    if (m.eligibility.reasons.length) parts.push(`<p>${h(t('handoff.eligibility.reasons'))}</p>`, list(m.eligibility.reasons));
  }
  if (m.chargeDecision) parts.push(table(m.chargeDecision));
  if (m.diagnostic) {
    parts.push(`<h3>${h(m.diagnostic.title)}</h3>`);
    if (m.diagnostic.facts.length) parts.push(`<p>${h(t('handoff.diagnostic.facts'))}</p>`, table(m.diagnostic.facts));
    if (m.diagnostic.axes.length) parts.push(`<p>${h(t('handoff.diagnostic.axes'))}</p>`, list(m.diagnostic.axes, true));
  }
  for (const q of m.quotes) parts.push(`<h3>${h(q.label)}</h3>`, quoteHtml(q.value));
  parts.push(...messageHtml(t, m.messages));
  return htmlDocument(renderSubject(handoff, t), parts, m);
}

function htmlTitle(title: string, urgent: boolean): string {
  return `<h2 style="margin:0 0 8px 0${urgent ? ';color:#b00020' : ''}">${escapeHtml(title)}</h2>`;
}

function htmlTable(rows: Row[]): string {
  const h = escapeHtml;
  return `<table role="presentation" cellpadding="4" cellspacing="0" style="border-collapse:collapse">${rows
    .map((r) => `<tr><th align="left" valign="top" style="padding-right:12px;color:#555;font-weight:normal">${h(r.label)}</th><td>${r.href ? `<a href="${h(r.href)}">${h(r.value)}</a>` : h(r.value)}</td></tr>`)
    .join('')}</table>`;
}

/** The page around the parts, ending with the back-office link and the footer. */
function htmlDocument(subject: string, parts: string[], end: Pick<Model, 'link' | 'footer'>): string {
  const h = escapeHtml;
  parts.push(`<p><a href="${h(end.link.url)}">${h(end.link.title)}</a></p>`, `<p style="color:#777;font-size:small">${h(end.footer)}</p>`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${h(subject)}</title></head><body style="font-family:Arial,Helvetica,sans-serif;font-size:14px">${parts.join('\n')}</body></html>`;
}

/** The structure's words are cut in the card (Teams caps a message at about 28 KB). */
const CARD_MESSAGE_MAX = 2000;

/**
 * Adaptive Card 1.4: a FactSet of the packet and an Action.OpenUrl to the back-office. Teams renders
 * Markdown in card texts: what the structure typed is made inert (no disguised link in the channel).
 */
export function teamsCard(handoff: Handoffish, t: Translate, ctx: RenderContext): Record<string, unknown> {
  const m = model(handoff, t, ctx);
  const fact = cardFact;
  const text = cardText;
  const body: Record<string, unknown>[] = [
    text(`${m.title} : ${structureOf(handoff, t)}`, {
      size: 'Medium', weight: 'Bolder', ...(m.urgent ? { color: 'Attention' } : {}),
    }),
    { type: 'FactSet', facts: m.summary.map(fact) },
    text(t('handoff.contact.title'), { weight: 'Bolder', spacing: 'Medium' }),
    { type: 'FactSet', facts: m.contact.map(fact) },
  ];
  if (m.eligibility) {
    body.push(text(`${t('handoff.eligibility.title')} : ${m.eligibility.value}`, { weight: 'Bolder', spacing: 'Medium' }));
    if (m.eligibility.reasons.length) body.push(text(m.eligibility.reasons.map((r) => `- ${r}`).join('\n')));
  }
  if (m.chargeDecision) body.push({ type: 'FactSet', facts: m.chargeDecision.map(fact), spacing: 'Medium' });
  if (m.diagnostic) {
    body.push(text(m.diagnostic.title, { weight: 'Bolder', spacing: 'Medium' }));
    if (m.diagnostic.facts.length) body.push({ type: 'FactSet', facts: m.diagnostic.facts.map(fact) });
    if (m.diagnostic.axes.length) {
      body.push(text(`${t('handoff.diagnostic.axes')} :`), text(m.diagnostic.axes.map((a, i) => `${i + 1}. ${a}`).join('\n')));
    }
  }
  for (const q of m.quotes) body.push(text(q.label, { weight: 'Bolder', spacing: 'Medium' }), text(cardCut(q.value), { isSubtle: true }));
  body.push(...messageCard(t, m.messages));
  return card(handoff, t, ctx, body, m.link);
}

/** The submit of the card's « Je m’en occupe » (its data's `dlaAction`). */
export const CLAIM_ACTION = 'handoff.claim';

/**
 * Who took a handoff up or closed it (`by`, `byName`) as the reader of `t` names them: the structure
 * itself when it withdrew its request (WITHDRAWN_BY: handoffs withdrawn before hold its French
 * name too, replaced), else the chargé·e's name, or their e-mail for handoffs stored before names were.
 */
export function nameOf(by: string | null | undefined, byName: string | null | undefined, t: Translate): string | undefined {
  return by === WITHDRAWN_BY ? t('handoff.withdrawnBy') : byName ?? by ?? undefined;
}

/** Who closed the handoff when it is closed, else who took it up (nameOf). */
export function holderOf(handoff: Pick<Handoff, 'status' | 'closedBy' | 'closedByName' | 'claimedBy' | 'claimedByName'>, t: Translate): string | undefined {
  return handoff.status === 'closed' ? nameOf(handoff.closedBy, handoff.closedByName, t) : nameOf(handoff.claimedBy, handoff.claimedByName, t);
}

/** Who took the handoff up and when, or who closed it (« Prise en charge par Marie Dupont le … »); undefined while it is open. */
function takenLine(handoff: Handoffish, t: Translate, ctx: RenderContext): string | undefined {
  const closed = handoff.status === 'closed';
  const at = closed ? handoff.closedAt : handoff.claimedAt;
  const by = holderOf(handoff, t);
  if (handoff.status === 'open' || !at) return undefined;
  return t(closed ? 'handoff.claim.closedBy' : 'handoff.claim.claimedBy', { name: by ?? t('handoff.notProvided'), date: formatDate(new Date(at), t, ctx.timeZone) });
}

const cardCut = (value: string) => (value.length > CARD_MESSAGE_MAX ? `${value.slice(0, CARD_MESSAGE_MAX - 1)}…` : value);

const cardFact = (r: Row) => ({ title: r.label, value: inertMarkdown(r.value) });
const cardText = (value: string, extra: Record<string, unknown> = {}) => ({ type: 'TextBlock', text: inertMarkdown(value), wrap: true, ...extra });

/**
 * The card around `body`, ending as every card of the handoff does (the handoff's and its updates'):
 * who took it up or closed it; while it is open, « Je m’en occupe » for a chargé·e of the channel
 * (src/admin/teamsClaim.ts); the link to the back-office.
 */
function card(handoff: Handoffish, t: Translate, ctx: RenderContext, body: Record<string, unknown>[], link: Model['link']): Record<string, unknown> {
  const taken = takenLine(handoff, t, ctx);
  const claim = handoff.status === 'open' ? [{ type: 'Action.Submit', title: t('handoff.claim.button'), data: { dlaAction: CLAIM_ACTION, handoffId: handoff._id } }] : [];
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: taken ? [...body, cardText(taken, { weight: 'Bolder', spacing: 'Medium', color: 'Good' })] : body,
    actions: [...claim, { type: 'Action.OpenUrl', title: link.title, url: link.url }],
    msteams: { width: 'Full' },
  };
}

// ---------------------------------------------------------------- an update: a contact given or corrected since, a message added

/**
 * The day the structure was promised a call back by (YYYY-MM-DD, the operator's calendar), as the
 * back-office and « où en est ma demande ? » read it (callBack): from the handoff, or from the day a
 * contact was left since. Undefined when none was promised — no e-mail nor phone, from outside the
 * territory — or without a delay.
 */
export function handoffCallBackBy(handoff: Pick<Handoffish, 'createdAt' | 'status' | 'contact' | 'contactAddedAt' | 'departement'>, ctx: Omit<RenderContext, 'publicUrl'>): string | undefined {
  if (ctx.contactDelayWorkingDays === undefined) return undefined;
  const rules = { contactDelayWorkingDays: ctx.contactDelayWorkingDays, territory: ctx.territory ?? { departements: [] }, timeZone: ctx.timeZone ?? 'Europe/Paris' };
  const { by, elsewhere } = callBack(handoff, { departement: handoff.departement }, rules, new Date(handoff.createdAt));
  return elsewhere ? undefined : by ?? undefined;
}

/** A calendar day (YYYY-MM-DD) as the reader's language writes it: formatted at noon UTC, it is that day in any time zone. */
function calendarDay(t: Translate, day: string): string {
  return formatDay(t, `${day}T12:00:00Z`, 'UTC');
}

interface UpdateModel extends Pick<Model, 'title' | 'urgent' | 'summary' | 'contact' | 'messages' | 'link' | 'footer'> {
  intro: string;
  callBack?: string;
}

/** The texts of an update: those of a withdrawal for the message of a request the structure withdrew (its words are its last message). */
function updateTexts(handoff: Handoffish, event: HandoffUpdateEvent): string {
  return event === 'messageAdded' && isWithdrawn(handoff) ? 'handoff.withdrawn' : `handoff.${event}`;
}

/**
 * The update's content: contactAdded names the call-back day now promised; contactUpdated (a
 * correction) says the contact shown replaces the one sent before — without showing that one;
 * messageAdded shows every message the structure added, newest last, and says so when the
 * structure withdrew its request (« Demande retirée par la structure »).
 */
function updateModel(handoff: Handoffish, t: Translate, ctx: RenderContext, event: HandoffUpdateEvent): UpdateModel {
  const by = event === 'contactAdded' && handoff.contactAddedAt ? handoffCallBackBy(handoff, ctx) : undefined;
  const texts = updateTexts(handoff, event);
  return {
    title: t(`${texts}.title`),
    intro: texts === 'handoff.withdrawn' ? withdrawnIntro(handoff, t, ctx) : t(`${texts}.intro`, {
      date: formatDate(new Date(handoff.createdAt), t, ctx.timeZone),
      changed: handoff.contactUpdatedAt ? formatDate(new Date(handoff.contactUpdatedAt), t, ctx.timeZone) : '',
    }),
    urgent: handoff.urgency === 'high',
    summary: headRows(handoff, t, ctx),
    contact: contactRows(handoff, t),
    messages: event === 'messageAdded' ? messageRows(handoff, t, ctx) : [],
    callBack: by && t('handoff.contactAdded.callBackBy', {
      day: calendarDay(t, by), added: formatDay(t, handoff.contactAddedAt!, ctx.timeZone ?? 'Europe/Paris'),
    }),
    link: { title: t('handoff.link'), url: backOfficeUrl(handoff, ctx.publicUrl) },
    footer: footer(t, ctx),
  };
}

/**
 * « [DLA] Coordonnées reçues : <structure> », « [DLA] Coordonnées corrigées : <structure> », « [DLA] Message de la structure : <structure> »,
 * « [DLA] Demande retirée par la structure : <structure> ».
 */
export function renderUpdateSubject(handoff: Handoffish, t: Translate, event: HandoffUpdateEvent = 'contactAdded'): string {
  return t(`${updateTexts(handoff, event)}.subject`, { structure: structureOf(handoff, t) });
}

/** Plain-text e-mail body of the update. */
export function renderUpdateText(handoff: Handoffish, t: Translate, ctx: RenderContext, event: HandoffUpdateEvent = 'contactAdded'): string {
  const m = updateModel(handoff, t, ctx, event);
  const lines: string[] = [m.title, m.intro, ''];
  lines.push(...summaryLines(t, m));
  if (m.callBack) lines.push('', m.callBack);
  lines.push(...messageLines(t, m.messages));
  lines.push('', `${m.link.title} : ${m.link.url}`, '', '-- ', m.footer);
  return lines.join('\n') + '\n';
}

/** HTML e-mail body of the update (every value escaped). */
export function renderUpdateHtml(handoff: Handoffish, t: Translate, ctx: RenderContext, event: HandoffUpdateEvent = 'contactAdded'): string {
  const m = updateModel(handoff, t, ctx, event);
  const h = escapeHtml;
  const parts = [htmlTitle(m.title, m.urgent), `<p>${h(m.intro)}</p>`, htmlTable(m.summary), `<h3>${h(t('handoff.contact.title'))}</h3>`, htmlTable(m.contact)];
  if (m.callBack) parts.push(`<p><strong>${h(m.callBack)}</strong></p>`);
  parts.push(...messageHtml(t, m.messages));
  return htmlDocument(renderUpdateSubject(handoff, t, event), parts, m);
}

/** The update's Adaptive Card: the contact, the new call-back day or the messages; then, as the handoff's card, who took it up or « Je m’en occupe », and the link to the back-office. */
export function teamsUpdateCard(handoff: Handoffish, t: Translate, ctx: RenderContext, event: HandoffUpdateEvent = 'contactAdded'): Record<string, unknown> {
  const m = updateModel(handoff, t, ctx, event);
  const body: Record<string, unknown>[] = [
    cardText(`${m.title} : ${structureOf(handoff, t)}`, { size: 'Medium', weight: 'Bolder', ...(m.urgent ? { color: 'Attention' } : {}) }),
    cardText(m.intro),
    { type: 'FactSet', facts: m.summary.map(cardFact) },
    cardText(t('handoff.contact.title'), { weight: 'Bolder', spacing: 'Medium' }),
    { type: 'FactSet', facts: m.contact.map(cardFact) },
  ];
  if (m.callBack) body.push(cardText(m.callBack, { weight: 'Bolder', spacing: 'Medium' }));
  body.push(...messageCard(t, m.messages));
  return card(handoff, t, ctx, body, m.link);
}
