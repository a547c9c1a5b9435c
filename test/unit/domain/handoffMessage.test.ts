import { MESSAGE_MAX_CHARS, messageRoom, MESSAGES_MAX, messageText, readsAsMessage } from '../../../src/domain/handoffMessage';

describe('a detail added to a request passed on (handoffMessage)', () => {
  it.each([
    ['Trésorerie tendue', true],
    ['j’oubliais : nos 3 contrats aidés finissent en juin', true],
    ['on a aussi un souci avec notre local', true],
    ['Local', true],
    ['qsdfgh', false],
    ['???', false],
    ['azerty qwerty', false],
    ['ok', false],
    ['oui', false],
    ['non merci', false],
    ['d’accord', false],
    ['bonjour', false],
    ['merci, bonne journée', false],
    ['', false],
  ])('« %s » reads as words to pass on: %s', (text, expected) => {
    expect(readsAsMessage(text)).toBe(expected);
  });

  it('keeps a message trimmed, cut at MESSAGE_MAX_CHARS', () => {
    expect(messageText('  Trésorerie tendue  ')).toEqual({ text: 'Trésorerie tendue', cut: false });
    const long = messageText('a'.repeat(MESSAGE_MAX_CHARS + 50));
    expect(long.cut).toBe(true);
    expect(long.text).toHaveLength(MESSAGE_MAX_CHARS);
    expect(long.text.endsWith('…')).toBe(true);
  });

  it('a closed request takes no message; an open or claimed one up to MESSAGES_MAX', () => {
    expect(messageRoom({ status: 'closed' })).toBe('closed');
    expect(messageRoom({ status: 'claimed', messages: Array(MESSAGES_MAX - 1).fill({}) })).toBe('ok');
    expect(messageRoom({ status: 'open', messages: Array(MESSAGES_MAX).fill({}) })).toBe('full');
  });
});
