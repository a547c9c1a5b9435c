/**
 * « mes données » in words, in the person's language: the sections of the readable document
 * (src/privacy/exportHtml.ts) and, flattened, the `readable` part of the JSON file. Never a rule
 * code, a source, an internal id nor a chargé·e's e-mail: only what the person can read.
 */
import { recap, recapText } from '../domain/accueilForm';
import { decisionHistory } from '../domain/chargeDecisions';
import { checkinAnswerText } from '../domain/checkinAnswers';
import { CHECKIN_SLOTS } from '../domain/checkinForm';
import { contactText } from '../domain/contact';
import { diagnosticFacts, rankingText, themesText } from '../domain/diagnosticFacts';
import type { Translate } from '../i18n';
import { formatDay } from '../handoff/render';
import type { PersonalDataExport } from '../store/privacy';

interface HandoffLike { createdAt?: Date | string; reason?: string; status?: string; messages?: { text?: string; at?: Date | string }[] }
interface CheckinLike { dueAt?: Date | string; status?: string; answers?: Record<string, unknown> }

/** A sentence, or a labelled answer (« Besoins : … »). */
export type ReadableItem = string | { label: string; value: string };

export interface ReadableSection {
  /** handoffUser.myData.readable.section.<id>: the heading. */
  id: 'structure' | 'consent' | 'eligibility' | 'diagnostic' | 'handoffs' | 'checkins' | 'charges' | 'conversations';
  title: string;
  items: ReadableItem[];
}

export interface ReadableDocument {
  /** When it was exported. */
  date: string;
  sections: ReadableSection[];
}

/** Everything stored, section by section; a section with nothing to say is left out. */
export function readableDocument(data: PersonalDataExport, t: Translate, timeZone = 'Europe/Paris'): ReadableDocument {
  const date = (d: Date | string | undefined) => (d ? formatDay(t, d, timeZone) : '—');
  const items: Record<ReadableSection['id'], ReadableItem[]> = {
    structure: [], consent: [], eligibility: [], diagnostic: [], handoffs: [], checkins: [], charges: [], conversations: [],
  };
  const dossier = data.dossier;
  if (dossier) {
    for (const l of recap(dossier.answers ?? {})) items.structure.push(recapText(t, l));
    if (dossier.answers?.contact) items.structure.push(t('handoffUser.myData.readable.contact', { contact: contactText(dossier.answers.contact) }));
    items.consent.push(t('handoffUser.myData.readable.consent', { date: date(dossier.consent?.at), months: dossier.consent?.retentionMonths ?? '' }));
    if (dossier.decision) {
      items.eligibility.push(t('handoffUser.myData.readable.decision', { outcome: t(`admin.outcome.${dossier.decision.outcome}`), date: date(dossier.decision.decidedAt) }));
      // Every rule that spoke, in the words the structure was told (a rule since removed has none: left out).
      for (const r of dossier.decision.reasons ?? []) {
        const key = `eligibility.reason.${r.code}`;
        const said = t(key);
        if (said !== key) items.eligibility.push(said);
      }
    }
    // What the chargé·es recorded after each call: every decision with its note, then the parcours.
    for (const charge of decisionHistory(dossier)) {
      // A name recorded as an e-mail address is not given (staffRedaction): « d’un·e chargé·e », not « de un·e ».
      const said = { outcome: t(`admin.outcome.${charge.outcome}`), date: date(charge.at) };
      items.charges.push(charge.by ? t('handoffUser.myData.readable.chargeDecision', { ...said, who: charge.by }) : t('handoffUser.myData.readable.chargeDecisionSomeone', said));
      if (charge.note) items.charges.push(t('handoffUser.myData.readable.note', { note: charge.note }));
    }
    const parcours = dossier.parcours;
    if (parcours?.text) {
      items.charges.push(t('handoffUser.myData.readable.parcours', { date: date(parcours.recordedAt), text: parcours.text }));
      if (parcours.miseEnOeuvreStartedAt || parcours.miseEnOeuvreEndedAt) {
        items.charges.push(t('handoffUser.myData.readable.miseEnOeuvre', { start: date(parcours.miseEnOeuvreStartedAt), end: date(parcours.miseEnOeuvreEndedAt) }));
      }
    }
    const d = dossier.diagnostic;
    if (d) {
      items.diagnostic.push(...[
        ...diagnosticFacts(d.answers, t).filter((f) => !f.unknown),
        { label: t('diagnostic.summary.themes'), value: themesText(d.themes, t) },
        { label: t('diagnostic.summary.ranking'), value: rankingText(d.ranking, t) },
      ].flatMap(({ label, value }) => (value !== undefined ? [{ label, value }] : [])));
    }
  }
  for (const h of data.handoffs as HandoffLike[]) {
    items.handoffs.push(t('handoffUser.myData.readable.handoff', { date: date(h.createdAt), reason: t(`admin.handoffReason.${h.reason}`), status: t(`admin.handoffStatus.${h.status}`) }));
    // The messages the structure added to it since, as it wrote them.
    for (const m of h.messages ?? []) items.handoffs.push(t('handoffUser.myData.readable.handoffMessage', { date: date(m.at), text: m.text ?? '' }));
  }
  const byDue = (c: CheckinLike) => (c.dueAt ? new Date(c.dueAt).getTime() : 0);
  for (const c of [...(data.checkins as CheckinLike[])].sort((a, b) => byDue(a) - byDue(b))) {
    const answers = c.answers ?? {};
    items.checkins.push(t('handoffUser.myData.readable.checkin', { date: date(c.dueAt), status: t(`handoffUser.myData.readable.checkinStatus.${c.status}`), count: CHECKIN_SLOTS.filter((slot) => answers[slot.key] !== undefined).length }));
    for (const slot of CHECKIN_SLOTS) {
      const value = checkinAnswerText(t, slot.key, answers);
      if (value) items.checkins.push({ label: t(`admin.followup.answers.${slot.key}`), value });
    }
  }
  if (data.followupOptOut) items.checkins.push(t('handoffUser.myData.readable.optOut', { date: date(data.followupOptOut.at) }));
  const count = data.conversations.reduce((n, c) => n + c.messages.length, 0);
  items.conversations.push(t('handoffUser.myData.readable.messages', { messages: t('handoffUser.myData.messages', { count }) }));
  const sections = (Object.keys(items) as ReadableSection['id'][])
    .filter((id) => items[id].length > 0)
    .map((id) => ({ id, title: t(`handoffUser.myData.readable.section.${id}`), items: items[id] }));
  return { date: date(data.exportedAt), sections };
}

/** The `readable` part of the JSON file: the same document, one line each. */
export function readableExport(data: PersonalDataExport, t: Translate, timeZone = 'Europe/Paris'): string[] {
  const doc = readableDocument(data, t, timeZone);
  return [
    t('handoffUser.myData.readable.exportedAt', { date: doc.date }),
    ...doc.sections.flatMap((s) => [
      t('handoffUser.myData.readable.heading', { title: s.title }),
      ...s.items.map((i) => (typeof i === 'string' ? i : t('handoffUser.myData.readable.fact', i))),
    ]),
  ];
}
