import { ErasureRegister, traceHash } from '../../src/privacy/erasures';
import { openTestDb, TestDb } from '../helpers/db';

/**
 * What a turn in flight asks the erasure register (TurnErasures): was its conversation or its user
 * erased since the turn began? Through the database (any number of processes), or from memory
 * when this process is the database's only writer (the embedded default).
 */
describe('erasure register: erased since a time', () => {
  let db: TestDb;
  let now = new Date('2026-12-01T10:00:00Z');
  const clock = () => now;

  beforeAll(async () => {
    db = await openTestDb('erasure_register');
  });
  afterAll(() => db.close());

  it.each([false, true])('names the conversations and users an erasure made at or after the time erased — nothing else (sole writer: %s)', async (soleWriter) => {
    const register = new ErasureRegister(db.connection, clock, { soleWriter });
    const user = `directline:user-${soleWriter}`;
    const conversation = `directline|conv-${soleWriter}`;
    const began = new Date(now);
    expect(await register.erasedSince(began, { conversation, user })).toBe(false);

    now = new Date(now.getTime() + 60_000);
    // The erasure is the writer's (the back-office's PrivacyService), another register of the same database.
    await new ErasureRegister(db.connection, clock).record('d1', 'admin@dla.test', 7, { users: [traceHash(user)], conversations: [traceHash(conversation)] });

    expect(await register.erasedSince(began, { conversation, user })).toBe(true);
    expect(await register.erasedSince(began, { conversation })).toBe(true);
    // Another conversation of the same person (its first turn: only its user is known to the erasure).
    expect(await register.erasedSince(began, { conversation: 'directline|elsewhere', user })).toBe(true);
    expect(await register.erasedSince(began, { conversation: 'directline|elsewhere', user: 'directline:someone-else' })).toBe(false);
    // A turn begun after the erasure: the person came back.
    expect(await register.erasedSince(new Date(now.getTime() + 1), { conversation, user })).toBe(false);
    expect(await register.erasedSince(now, { conversation, user })).toBe(true);
  });
});
