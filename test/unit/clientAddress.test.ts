import type { IncomingMessage } from 'node:http';
import { clientAddress } from '../../src/channels/clientAddress';

const request = (remoteAddress: string, forwarded?: string) =>
  ({ socket: { remoteAddress }, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } }) as unknown as IncomingMessage;

describe('clientAddress (per-visitor rate limits behind reverse proxies)', () => {
  it.each([
    ['no proxy: the socket, whatever the header says', request('10.0.0.1', '203.0.113.9'), 0, '10.0.0.1'],
    ['one proxy: the address nginx received from', request('127.0.0.1', '203.0.113.9'), 1, '203.0.113.9'],
    ['one proxy, a forged entry before it is ignored', request('127.0.0.1', '198.51.100.1, 203.0.113.9'), 1, '203.0.113.9'],
    ['two proxies: the one the outer proxy saw', request('127.0.0.1', '198.51.100.1, 203.0.113.9, 10.0.0.2'), 2, '203.0.113.9'],
    ['one proxy but no header: the socket', request('127.0.0.1'), 1, '127.0.0.1'],
  ])('%s', (_label, req, hops, expected) => {
    expect(clientAddress(req, hops)).toBe(expected);
  });
});
