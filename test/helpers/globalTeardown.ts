import fs from 'node:fs';
import type { RunningFerretDb } from '../../src/store/ferretdb';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__ferret as { ferret: RunningFerretDb; dataDir: string } | undefined;
  if (!state) return;
  await state.ferret.stop();
  fs.rmSync(state.dataDir, { recursive: true, force: true });
}
