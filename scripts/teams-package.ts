import path from 'node:path';
import { ConfigError, loadConfig, loadDotEnv, unknownSettings } from '../src/config';
import { buildTeamsPackage, TeamsPackageError } from '../src/channels/teamsPackage';

/**
 * `npm run teams:package`: builds teams/build/dla-assistant-teams.zip from teams/ and the
 * configuration (.env / environment). Exit code 1, with one line per problem, when it is invalid.
 */
async function main(): Promise<number> {
  const dotEnvKeys = loadDotEnv();
  try {
    const config = loadConfig();
    for (const line of unknownSettings(dotEnvKeys)) console.warn(`Warning: ${line}`);
    const pkg = await buildTeamsPackage(config);
    for (const warning of pkg.warnings) console.warn(`Warning: ${warning}`);
    console.log(`Teams package written to ${path.relative(process.cwd(), pkg.file) || pkg.file}`);
    console.log(`  manifest ${pkg.manifest.manifestVersion}, app id ${pkg.manifest.id}, bot id ${pkg.manifest.bots?.[0]?.botId}`);
    console.log(`  entries: ${pkg.entries.join(', ')}`);
    return 0;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof TeamsPackageError) {
      console.error(err.message);
      if (err instanceof TeamsPackageError) for (const problem of err.problems) console.error(`  - ${problem}`);
      return 1;
    }
    throw err;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
