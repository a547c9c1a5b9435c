/**
 * « mes données » in words: the first part of the exported file, for the person who asked,
 * in their language (the rest is the stored data itself, as it is kept).
 */
import { recap, recapText } from '../domain/accueilForm';
import { decisionHistory } from '../domain/chargeDecisions';
import { CHECKIN_SLOTS } from '../domain/checkinForm';
import { contactText } from '../domain/contact';
import { diagnosticFacts, rankingText, themesText } from '../domain/diagnosticFacts';
import type { Translate } from '../i18n';
import { formatDay } from '../handoff/render';
import type { PersonalDataExport } from '../store/privacy';

interface HandoffLike { createdAt?: Date | string; reason?: string; status?: string }
interface CheckinLike { dueAt?: Date | string; status?: string; answers?: Record<string, unknown> }

export function readableExport(data: PersonalDataExport, t: Translate, timeZone = 'Europe/Paris'): string[] {
  const date = (d: Date | string | undefined) => (d ? formatDay(t, d, timeZone) : '—');
  const lines = [t('handoffUser.myData.readable.exportedAt', { date: date(data.exportedAt) })];
  const dossier = data.dossier;
  if (dossier) {
    lines.push(t('handoffUser.myData.readable.consent', { date: date(dossier.consent?.at), months: dossier.consent?.retentionMonths ?? '' }));
    for (const l of recap(dossier.answers ?? {})) lines.push(recapText(t, l));
    if (dossier.answers?.contact) lines.push(t('handoffUser.myData.readable.contact', { contact: contactText(dossier.answers.contact) }));
    if (dossier.decision) lines.push(t('handoffUser.myData.readable.decision', { outcome: t(`admin.outcome.${dossier.decision.outcome}`), date: date(dossier.decision.decidedAt) }));
    // What the chargé·es recorded after each call: every decision with its note, then the parcours.
    for (const charge of decisionHistory(dossier)) {
      // A name recorded as an e-mail address is not given (staffRedaction): « d’un·e chargé·e », not « de un·e ».
      const said = { outcome: t(`admin.outcome.${charge.outcome}`), date: date(charge.at) };
      lines.push(charge.by ? t('handoffUser.myData.readable.chargeDecision', { ...said, who: charge.by }) : t('handoffUser.myData.readable.chargeDecisionSomeone', said));
      if (charge.note) lines.push(t('handoffUser.myData.readable.note', { note: charge.note }));
    }
    const parcours = dossier.parcours;
    if (parcours?.text) {
      lines.push(t('handoffUser.myData.readable.parcours', { date: date(parcours.recordedAt), text: parcours.text }));
      if (parcours.miseEnOeuvreStartedAt || parcours.miseEnOeuvreEndedAt) {
        lines.push(t('handoffUser.myData.readable.miseEnOeuvre', { start: date(parcours.miseEnOeuvreStartedAt), end: date(parcours.miseEnOeuvreEndedAt) }));
      }
    }
    const d = dossier.diagnostic;
    const facts = d ? [
      ...diagnosticFacts(d.answers, t).filter((f) => !f.unknown),
      { label: t('diagnostic.summary.themes'), value: themesText(d.themes, t) },
      { label: t('diagnostic.summary.ranking'), value: rankingText(d.ranking, t) },
    ].filter((f) => f.value !== undefined) : [];
    if (facts.length) lines.push(t('handoffUser.myData.readable.diagnostic'));
    for (const f of facts) lines.push(t('handoffUser.myData.readable.fact', { label: f.label, value: f.value }));
  }
  for (const h of data.handoffs as HandoffLike[]) {
    lines.push(t('handoffUser.myData.readable.handoff', { date: date(h.createdAt), reason: t(`admin.handoffReason.${h.reason}`), status: t(`admin.handoffStatus.${h.status}`) }));
  }
  const byDue = (c: CheckinLike) => (c.dueAt ? new Date(c.dueAt).getTime() : 0);
  for (const c of [...(data.checkins as CheckinLike[])].sort((a, b) => byDue(a) - byDue(b))) {
    lines.push(t('handoffUser.myData.readable.checkin', { date: date(c.dueAt), status: t(`admin.followup.status.${c.status}`), count: CHECKIN_SLOTS.filter((slot) => c.answers?.[slot.key] !== undefined).length }));
  }
  if (data.followupOptOut) lines.push(t('handoffUser.myData.readable.optOut', { date: date(data.followupOptOut.at) }));
  const count = data.conversations.reduce((n, c) => n + c.messages.length, 0);
  lines.push(t('handoffUser.myData.readable.messages', { messages: t('handoffUser.myData.messages', { count }) }));
  return lines;
}
