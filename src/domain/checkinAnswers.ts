/**
 * A check-in's answers in words (src/domain/checkinForm.ts stores them): what the back-office
 * shows a chargé·e and what « mes données » gives the structure.
 */
import { needsSaid } from './checkinForm';
import { normalize } from './text';
import type { Translate } from '../i18n';

/**
 * The answer to question `key` in words, '' when there is none yet. New needs: those said along
 * the way (at another question) first, then the answer to the new-needs question.
 */
export function checkinAnswerText(t: Translate, key: string, answers: Record<string, unknown>): string {
  const said = key === 'newNeeds' ? needsSaid(answers).map((words) => t('admin.followup.needSaid', { words })) : [];
  const needs = answers.newNeeds as { any?: boolean; unknown?: boolean } | undefined;
  // « non » after needs said along the way is « no other need », not « no new need ».
  const answer = answers[key] === undefined || (said.length && needs && !needs.any && !needs.unknown) ? undefined : answerText(t, key, answers[key]);
  // A mark said with words (« moyennement, c'était un peu court »): the mark, then the words.
  if (key === 'satisfaction' && answer !== undefined && typeof answers.satisfaction === 'number' && typeof answers.satisfactionWords === 'string') {
    return t('admin.followup.answerWithWords', { label: answer, words: answers.satisfactionWords });
  }
  return [...said, ...(answer !== undefined ? [answer] : [])].join(t('separator'));
}

/** An answer as stored by the check-in conversation, in words. */
function answerText(t: Translate, key: string, value: unknown): string {
  if (typeof value === 'number') return key === 'satisfaction' ? t('admin.followup.satisfaction', { n: value }) : String(value);
  if (typeof value === 'string') return value;
  const v = value as { value?: string; any?: boolean; unknown?: boolean; unread?: boolean; text?: string };
  // Kept as typed after the retries (« ok », « euh »): said so, for the chargé·e to check with the structure.
  if (v.unread) return t('admin.answers.asTyped', { text: v.text ?? '' });
  // The label read from the answer, with the structure's own words when they say more (« pas mieux qu'avant »).
  const withWords = (label: string) => (v.text && normalize(v.text) !== normalize(label) ? t('admin.followup.answerWithWords', { label, words: v.text }) : label);
  if (key === 'economics' && v.value) return withWords(t(`checkin.trend.${v.value}`));
  if ((key === 'strategy' || key === 'recommendations') && v.value) return withWords(t(`checkin.yesPartlyNo.${v.value}`));
  // « oui », then « non » at « Avec qui ? »: partnerships born, nobody named.
  if (key === 'partnerships' && v.value === 'yes') return t('admin.followup.partnersNotNamed', { words: v.text ?? '' });
  // « je ne sais pas » (stored as not known, with its words) is no « no new needs ».
  if (key === 'newNeeds') return v.any || v.unknown ? v.text ?? '' : t('admin.followup.noNewNeeds');
  return v.text ?? JSON.stringify(value);
}
