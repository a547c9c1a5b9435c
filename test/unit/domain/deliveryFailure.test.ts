import { deliveryFailureReason, FAILURE_REASON_MAX_CHARS } from '../../../src/domain/deliveryFailure';

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
