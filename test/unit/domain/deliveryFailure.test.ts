import { deliveryFailureReason, explainedFailure, FAILURE_REASON_MAX_CHARS } from '../../../src/domain/deliveryFailure';
import { translator } from '../../../src/i18n';

describe('deliveryFailureReason (what the back-office shows of a failed delivery)', () => {
  it('keeps a plain reason as it is', () => {
    expect(deliveryFailureReason('webhook answered HTTP 500 Internal Server Error')).toBe('webhook answered HTTP 500 Internal Server Error');
    expect(deliveryFailureReason(undefined)).toBeNull();
    expect(deliveryFailureReason('  ')).toBeNull();
  });

  it('shows no secret: an address keeps its scheme and host only, credentials and tokens are masked', () => {
    expect(deliveryFailureReason('POST https://hooks.zapier.com/hooks/catch/123/abcdef?token=s3cr3t failed')).toBe('POST https://hooks.zapier.com failed');
    expect(deliveryFailureReason('connect smtp://assistant:Pa55w0rd@smtp.dla.example:587 refused')).toBe('connect smtp://smtp.dla.example:587 refused');
    expect(deliveryFailureReason('401 with Authorization: Bearer eyJhbGciOi.J9 and key=abc123')).toBe('401 with Authorization: Bearer … and key=…');
    expect(deliveryFailureReason('signature 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 refused')).toBe('signature … refused');
  });

  it('shows one short line: no stack, at most FAILURE_REASON_MAX_CHARS characters', () => {
    expect(deliveryFailureReason('Error: boom\n    at send (/app/dist/src/handoff/notifiers/webhook.js:42:11)')).toBe('Error: boom');
    const long = deliveryFailureReason('x '.repeat(200))!;
    expect(long).toHaveLength(FAILURE_REASON_MAX_CHARS);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('explainedFailure (a failed delivery in the operator’s language, the raw detail short after it)', () => {
  const fr = translator('fr');
  const en = translator('en');
  it.each([
    ['webhook answered HTTP 500 Internal Server Error', 'le destinataire a répondu par une erreur HTTP 500 (webhook answered HTTP 500 Internal Server Error)'],
    ['Teams connector refused the card: HTTP 403 Forbidden', 'le destinataire a répondu par une erreur HTTP 403 (Teams connector refused the card: HTTP 403 Forbidden)'],
    ['webhook did not answer within 10000 ms', 'le destinataire n’a pas répondu à temps (webhook did not answer within 10000 ms)'],
    ['Connection timeout', 'le destinataire n’a pas répondu à temps (Connection timeout)'],
    ['webhook unreachable: ECONNREFUSED', 'connexion refusée par le serveur destinataire (webhook unreachable: ECONNREFUSED)'],
    ['connect ECONNREFUSED 127.0.0.1:2525', 'connexion refusée par le serveur destinataire (connect ECONNREFUSED 127.0.0.1:2525)'],
    ['SMTP server accepted no recipient (rejected: equipe@dla33.example)', 'le serveur d’e-mail a refusé l’envoi (SMTP server accepted no recipient (rejected: equipe@dla33.example))'],
    ['Can\'t send mail - all recipients were rejected: 550 5.1.1 <x@y.example>: Recipient address rejected', 'le serveur d’e-mail a refusé l’envoi (Can\'t send mail - all recipients were rejected: 550 5.1.1 <x@y.example>: Recipi…)'],
    // A check-in send (src/followup/scheduler.ts): too slow, or no conversation left to write to.
    ['check-in send did not finish within 30000 ms', 'le destinataire n’a pas répondu à temps (check-in send did not finish within 30000 ms)'],
    ['gone: no conversation reaches this structure any more', 'plus aucune conversation ne permet de joindre la structure (gone: no conversation reaches this structure any more)'],
    ['no e-mail recipient for département 24: set HANDOFF_EMAIL_TO or HANDOFF_ROUTES', 'aucune adresse de chargé·e pour ce département : à ajouter dans HANDOFF_ROUTES ou HANDOFF_EMAIL_TO (no e-mail recipient for département 24: set HANDOFF_EMAIL_TO or HANDOFF_ROUTES)'],
    ['421 4.7.0 Try again later, closing connection', '421 4.7.0 Try again later, closing connection'], // not a known case: as it is
  ])('« %s »', (raw, shown) => {
    expect(explainedFailure(fr, raw)?.replace(/[\u00a0\u202f]/g, ' ')).toBe(shown);
  });
  it('in English too, and nothing without an error', () => {
    expect(explainedFailure(en, 'webhook answered HTTP 502 Bad Gateway')).toBe('the recipient answered with HTTP error 502 (webhook answered HTTP 502 Bad Gateway)');
    expect(explainedFailure(en, 'gone: no conversation reaches this structure any more')).toBe('no conversation reaches the organisation any more (gone: no conversation reaches this structure any more)');
    expect(explainedFailure(fr, undefined)).toBeNull();
  });
});
