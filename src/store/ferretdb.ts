import { exponentialBackoff } from '../async';
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * The embedded MongoDB-compatible store: FerretDB v1 with its SQLite backend.
 *
 * Why not a plain `go install …@v1.24.2`: the binary it produces panics at start-up
 * ("Invalid build/version/version.txt") because the module zip ships no version.txt and
 * FerretDB checks it whenever its own module is the main one. So we copy the module source
 * from the Go module proxy, write the version file, and `go build` it ourselves.
 *
 * While the source is in our hands we apply one one-line fix (SOURCE_PATCHES): FerretDB's
 * SQLite backend creates the unique `_id` index on `_ferretdb_sjson->"_id"` but queries
 * `_ferretdb_sjson->'$._id'`. Both mean the same JSON path, yet SQLite only uses an index whose
 * expression matches the query's text, so every lookup or update by `_id` scanned the whole
 * collection (measured: 10,000 follow-up check-ins drained in 564 s unpatched, 24 s patched).
 * Existing databases need no migration: the index already has the expression we now query.
 */
export const FERRETDB_VERSION = 'v1.24.2';
const MODULE = 'github.com/FerretDB/FerretDB';
/** Part of the binary's name, so that changing the patches rebuilds existing installs. */
const BUILD_TAG = 'idindex';

const SOURCE_PATCHES: { file: string; from: string; to: string }[] = [
  {
    file: 'internal/backends/sqlite/metadata/metadata.go',
    from: `IDColumn = DefaultColumn + "->'$._id'"`,
    to: 'IDColumn = DefaultColumn + `->"_id"`',
  },
];

function applySourcePatches(src: string): void {
  for (const patch of SOURCE_PATCHES) {
    const file = path.join(src, patch.file);
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes(patch.from)) throw new Error(`FerretDB source patch no longer applies to ${patch.file}`);
    fs.writeFileSync(file, text.replace(patch.from, patch.to));
  }
}

export type Progress = (message: string) => void;

export function ferretDbBinaryPath(toolsDir: string): string {
  return path.join(toolsDir, 'bin', `ferretdb-${FERRETDB_VERSION}-${BUILD_TAG}`);
}

/** Runs a command without blocking the event loop (the progress heartbeat keeps ticking). */
function run(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, GOFLAGS: '-buildvcs=false' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-8000); });
    child.on('error', (err) => reject(new Error(`cannot run "${cmd}": ${err.message}${cmd === 'go' ? ' (Go 1.21+ is needed once, to build FerretDB)' : ''}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`"${cmd} ${args.join(' ')}" failed: ${(stderr || stdout).trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
}

/** Returns the FerretDB binary, building it once into `toolsDir` when it is not there yet. */
export async function ensureFerretDb(toolsDir: string, explicitBin: string, progress: Progress): Promise<string> {
  if (explicitBin) {
    if (!fs.existsSync(explicitBin)) throw new Error(`FERRETDB_BIN points to "${explicitBin}", which does not exist`);
    return explicitBin;
  }
  const bin = ferretDbBinaryPath(toolsDir);
  if (fs.existsSync(bin)) return bin;

  progress(`Building FerretDB ${FERRETDB_VERSION} (embedded database) from the Go module proxy into ${toolsDir}. ` +
    'This happens once and takes a few minutes…');
  const started = Date.now();
  const heartbeat = setInterval(() => progress(`…still building FerretDB (${Math.round((Date.now() - started) / 1000)} s)`), 20000);
  try {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ferretdb-dl-'));
    const info = JSON.parse(await run('go', ['mod', 'download', '-json', `${MODULE}@${FERRETDB_VERSION}`], scratch)) as { Dir?: string; Error?: string };
    fs.rmSync(scratch, { recursive: true, force: true });
    if (!info.Dir) throw new Error(`go mod download failed: ${info.Error ?? 'no directory returned'}`);

    const src = path.join(toolsDir, 'src', `ferretdb-${FERRETDB_VERSION}`);
    fs.rmSync(src, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(src), { recursive: true });
    fs.cpSync(info.Dir, src, { recursive: true });
    makeWritable(src);
    fs.writeFileSync(path.join(src, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
    applySourcePatches(src);

    fs.mkdirSync(path.dirname(bin), { recursive: true });
    const tmp = `${bin}.${process.pid}.tmp`;
    await run('go', ['build', '-trimpath', '-o', tmp, './cmd/ferretdb'], src);
    fs.renameSync(tmp, bin); // atomic: a concurrent or interrupted build never leaves a half binary
    removeStaleBinaries(bin);
    fs.rmSync(src, { recursive: true, force: true });
    progress(`FerretDB ${FERRETDB_VERSION} built in ${Math.round((Date.now() - started) / 1000)} s: ${bin}`);
    return bin;
  } finally {
    clearInterval(heartbeat);
  }
}

/** Earlier builds (another version or patch set) are no longer used: free their ~60 MB. */
function removeStaleBinaries(bin: string): void {
  const dir = path.dirname(bin);
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith('ferretdb-') && !name.endsWith('.tmp') && name !== path.basename(bin)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

function makeWritable(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    fs.chmodSync(p, entry.isDirectory() ? 0o755 : 0o644);
    if (entry.isDirectory()) makeWritable(p);
  }
  fs.chmodSync(dir, 0o755);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('error', () => resolve(false));
  });
}

export interface RunningFerretDb {
  uri: string;
  port: number;
  /** The current FerretDB process (a new one after a restart). */
  readonly pid: number;
  stop(): Promise<void>;
}

export interface FerretDbOptions {
  /**
   * Say in `dataDir` that this process serves the database (RUNNING_FILE), so that a command-line
   * tool (resources:import, admin:link) uses it instead of starting a second FerretDB on the same
   * files, and a second assistant on the same DATA_DIR is refused. Removed by stop().
   */
  announce?: boolean;
  /** Announced with it: the running assistant's public base URL, for the links a tool prints (admin:link). */
  publicUrl?: string;
  /**
   * If FerretDB dies while the assistant runs, start it again on the same port and data
   * (after 1 s, then 2, 4… up to 30 s between attempts); the driver reconnects by itself.
   */
  restartOnCrash?: boolean;
  /** Told about a crash and each restart (one readable line each). */
  log?: (level: 'warn' | 'error' | 'info', message: string) => void;
}

interface FerretProcess {
  child: ChildProcess;
  exit: Promise<void>;
  exited: () => boolean;
  stderr: () => string;
  /** How it ended ("killed by SIGKILL", "exit code 1"), an exit with its last stderr line if written just before. */
  ending: () => string;
}

/** A stderr line older than this when FerretDB stops is about something else (a start-up warning). */
const LAST_WORDS_MS = 2000;

function spawnFerretDb(bin: string, dataDir: string, port: number): FerretProcess {
  const child: ChildProcess = spawn(bin, [
    '--handler=sqlite',
    `--sqlite-url=file:${dataDir}/`,
    `--listen-addr=127.0.0.1:${port}`,
    `--state-dir=${dataDir}`,
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let stderrAt = 0;
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); stderrAt = Date.now(); });
  let exited = false;
  let ending = '';
  // Safety net: never leave an orphan FerretDB behind if this process exits without stop().
  const killOnExit = (): void => { if (!exited) child.kill('SIGKILL'); };
  process.once('exit', killOnExit);
  // 'close', not 'exit': stderr is read to its end, so a last line written as it died is there.
  const exit = new Promise<void>((resolve) => child.once('close', (code, signal) => {
    exited = true;
    // Its own exit says why in its last line (« address already in use »); killed, what it wrote
    // meanwhile is about the connections the kill closed.
    const lastLine = !signal && Date.now() - stderrAt <= LAST_WORDS_MS ? stderr.trim().split('\n').pop() : undefined;
    ending = `${signal ? `killed by ${signal}` : `exit code ${code}`}${lastLine ? `: ${lastLine}` : ''}`;
    process.removeListener('exit', killOnExit);
    resolve();
  }));
  return { child, exit, exited: () => exited, stderr: () => stderr, ending: () => ending };
}

async function listening(ferret: FerretProcess, port: number): Promise<void> {
  const deadline = Date.now() + 20000;
  while (!(await canConnect(port))) {
    if (ferret.exited()) throw new Error(`FerretDB exited at start-up: ${ferret.stderr().trim().split('\n').slice(-3).join(' | ')}`);
    if (Date.now() > deadline) { ferret.child.kill('SIGKILL'); throw new Error('FerretDB did not listen within 20 s'); }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The file in the data folder naming the process that serves it (see FerretDbOptions.announce). */
const RUNNING_FILE = 'running.json';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/**
 * The embedded database a running assistant serves on `dataDir` (announced, its process alive,
 * its port answering); undefined when none does — a marker left by a killed process is ignored.
 */
export async function announcedFerretDb(dataDir: string): Promise<{ uri: string; pid: number; publicUrl?: string } | undefined> {
  let marker: { pid?: unknown; port?: unknown; publicUrl?: unknown };
  try {
    marker = JSON.parse(fs.readFileSync(path.join(dataDir, RUNNING_FILE), 'utf8')) as typeof marker;
  } catch {
    return undefined;
  }
  const { pid, port, publicUrl } = marker;
  if (typeof pid !== 'number' || typeof port !== 'number') return undefined;
  if (!processAlive(pid) || !(await canConnect(port))) return undefined;
  return { uri: ferretUri(port), pid, ...(typeof publicUrl === 'string' ? { publicUrl } : {}) };
}

const ferretUri = (port: number): string => `mongodb://127.0.0.1:${port}/dla`;

/** Starts FerretDB on a free loopback port with its SQLite files under `dataDir`. */
export async function startFerretDb(bin: string, dataDir: string, fixedPort?: number, options: FerretDbOptions = {}): Promise<RunningFerretDb> {
  fs.mkdirSync(dataDir, { recursive: true });
  const port = fixedPort ?? (await freePort());
  let current = spawnFerretDb(bin, dataDir, port);
  await listening(current, port);
  let stopping = false;
  let retry: NodeJS.Timeout | undefined;

  const supervise = (ferret: FerretProcess, failures: number): void => {
    void ferret.exit.then(() => {
      if (stopping || !options.restartOnCrash) return;
      const delay = exponentialBackoff(failures + 1, 1000, 2, 30_000);
      options.log?.('error', `The embedded database (FerretDB) stopped unexpectedly (${ferret.ending()}); restarting it in ${delay / 1000} s`);
      retry = setTimeout(() => {
        if (stopping) return;
        const next = spawnFerretDb(bin, dataDir, port);
        current = next;
        listening(next, port).then(
          () => { options.log?.('info', 'The embedded database is running again'); supervise(next, 0); },
          () => supervise(next, failures + 1),
        );
      }, delay);
      retry.unref();
    });
  };
  supervise(current, 0);
  const marker = path.join(dataDir, RUNNING_FILE);
  if (options.announce) fs.writeFileSync(marker, JSON.stringify({ pid: process.pid, port, publicUrl: options.publicUrl }));

  return {
    uri: ferretUri(port),
    port,
    get pid() { return current.child.pid!; },
    async stop() {
      stopping = true;
      clearTimeout(retry);
      if (options.announce) fs.rmSync(marker, { force: true });
      if (current.exited()) return;
      current.child.kill('SIGTERM');
      const timer = setTimeout(() => current.child.kill('SIGKILL'), 5000);
      await current.exit;
      clearTimeout(timer);
    },
  };
}
