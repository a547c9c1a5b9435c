import fs from 'node:fs';
import path from 'node:path';

/** The project root (the folder holding package.json), from src/ or from dist/src/. */
export const PROJECT_ROOT = ((): string => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
})();
