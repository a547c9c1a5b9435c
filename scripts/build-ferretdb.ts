/** npm run db:build — builds the embedded FerretDB once (npm start and npm test also do it on demand). */
import { loadConfig, loadDotEnv } from '../src/config';
import { ensureFerretDb } from '../src/store/ferretdb';

loadDotEnv();
const config = loadConfig();
ensureFerretDb(config.toolsDir, config.ferretdbBin, (m) => console.log(m))
  .then((bin) => console.log(`FerretDB ready: ${bin}`))
  .catch((err: Error) => { console.error(err.message); process.exit(1); });
