import net from 'node:net';
import { errorText } from '../../src/async';
import { log } from '../../src/log';

/** What a connection to a host with two addresses (IPv6 and IPv4, as "localhost" often has) fails with. */
function refusedOnTwoAddresses(): Promise<Error> {
  return new Promise((resolve) => {
    const socket = net.connect({
      host: 'two-addresses.test', port: 1, autoSelectFamily: true,
      lookup: ((_host: string, _options: unknown, callback: (err: null, addresses: { address: string; family: number }[]) => void) =>
        callback(null, [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }])) as never,
    });
    socket.on('error', resolve);
  });
}

describe('errors in log lines', () => {
  it('a failed connection whose error has no message is logged with its code and each attempt', async () => {
    const err = await refusedOnTwoAddresses();
    expect(err.message).toBe(''); // Node's AggregateError: what the Turn failed line showed as error=""
    const lines: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => { lines.push(String(chunk)); return true; });
    try {
      log.error('Turn failed', { conversation: 'c1', error: err });
    } finally {
      stderr.mockRestore();
    }
    expect(lines.join('')).toContain('Turn failed conversation="c1" error="AggregateError (ECONNREFUSED): connect ECONNREFUSED ::1:1; connect ECONNREFUSED 127.0.0.1:1"');
  });

  it('says what caused an error, and keeps a plain message as it is', () => {
    const fetchFailed = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ETIMEDOUT 10.0.0.1:443'), { code: 'ETIMEDOUT' }) });
    expect(errorText(fetchFailed)).toBe('fetch failed (cause: connect ETIMEDOUT 10.0.0.1:443)');
    expect(errorText(new Error('webhook answered HTTP 401 Unauthorized'))).toBe('webhook answered HTTP 401 Unauthorized');
    expect(errorText(Object.assign(new Error('boom'), { code: 'E_BOOM' }))).toBe('boom (E_BOOM)');
  });
});
