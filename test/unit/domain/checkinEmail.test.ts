import { checkinEmailDecision, checkinLinkExpiry, checkinLinkUsable } from '../../../src/domain/checkinEmail';

describe('which check-ins are e-mailed too', () => {
  const base = { consentGiven: true, email: 'camille@asso.example', smtpConfigured: true };
  it.each([
    ['web chat (local Direct Line), address, SMTP', { channelId: 'directline' }, { kind: 'send', to: 'camille@asso.example' }],
    ['web chat (Azure)', { channelId: 'webchat' }, { kind: 'send', to: 'camille@asso.example' }],
    ['Teams: notified there', { channelId: 'msteams' }, { kind: 'not_needed' }],
    ['web chat, no address on the dossier', { channelId: 'directline', email: undefined }, { kind: 'skip', reason: 'no_address' }],
    ['web chat, blank address', { channelId: 'directline', email: '  ' }, { kind: 'skip', reason: 'no_address' }],
    ['web chat, no consent', { channelId: 'directline', consentGiven: false }, { kind: 'skip', reason: 'no_address' }],
    ['web chat, no SMTP', { channelId: 'directline', smtpConfigured: false }, { kind: 'skip', reason: 'no_smtp' }],
  ])('%s', (_name, over, expected) => {
    expect(checkinEmailDecision({ ...base, ...over })).toEqual(expected);
  });

  it('a link works until its expiry, not after', () => {
    const made = new Date('2027-03-01T09:00:00Z');
    const expiry = checkinLinkExpiry(made, 30);
    expect(expiry.toISOString()).toBe('2027-03-31T09:00:00.000Z');
    expect(checkinLinkUsable(expiry, new Date('2027-03-31T08:59:59Z'))).toBe(true);
    expect(checkinLinkUsable(expiry, expiry)).toBe(false);
  });
});
