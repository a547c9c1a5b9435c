import { spawn } from 'node:child_process';
import { freeze, threadStates, until } from '../helpers/wait';

describe('freeze (the tests\' frozen database)', () => {
  it('resolves only once every thread of the process is stopped, a busy one too (kill() returns before: the database could still answer)', async () => {
    // Three threads always running, on a machine with fewer cores: after kill(), each stops only once scheduled.
    const child = spawn(process.execPath, ['-e', "const { Worker } = require('node:worker_threads'); for (let i = 0; i < 3; i++) new Worker('for (;;) {}', { eval: true }); setInterval(() => {}, 1000);"], { stdio: 'ignore' });
    try {
      await until(() => threadStates(child.pid!).filter((state) => state === 'R').length >= 2, 10_000, () => threadStates(child.pid!).join(''));
      for (let round = 0; round < 5; round++) {
        await freeze(child.pid!);
        expect(threadStates(child.pid!).join('')).toMatch(/^T+$/);
        process.kill(child.pid!, 'SIGCONT');
        await new Promise((r) => setTimeout(r, 30));
      }
    } finally {
      child.kill('SIGKILL');
    }
  });
});
