import fs from 'node:fs';

/**
 * Polls until the predicate holds, or fails after timeoutMs (the message says what was awaited
 * when `what` is given).
 */
export async function until(predicate: () => boolean, timeoutMs = 5000, what?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(what ? `condition not met in ${timeoutMs} ms: ${what()}` : `condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Freezes a process (SIGSTOP) and resolves once it is frozen: kill() only sends the signal, each
 * thread stops when the kernel next runs it, and meanwhile the others go on serving. Measured on
 * a loaded machine: up to ~50 ms before every FerretDB thread stopped, while a whole turn's
 * database calls take ~40 ms — a message posted right after kill() was then answered in full by
 * the database meant to be frozen (no apology was due).
 */
export async function freeze(pid: number): Promise<void> {
  process.kill(pid, 'SIGSTOP');
  await until(() => threadStates(pid).every((state) => state === 'T' || state === 't'), 5000,
    () => `process ${pid} not stopped, its threads: ${threadStates(pid).join('')}`);
}

/** The state letter of each thread of a process (/proc/PID/task/TID/stat: R running, S sleeping, D in I/O, T stopped). */
export function threadStates(pid: number): string[] {
  return fs.readdirSync(`/proc/${pid}/task`).map((tid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      return stat.charAt(stat.lastIndexOf(')') + 2); // after "PID (name) ", the name may hold ") "
    } catch {
      return 'T'; // the thread has ended
    }
  });
}
