/**
 * `npm run package:teams`: writes dist/rollcall-teams.zip for side-loading or the Teams admin
 * center, with MICROSOFT_APP_ID (and TEAMS_APP_ID when the Teams app id differs) and PUBLIC_URL
 * from the environment.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { buildTeamsPackage, PackageError } from './teams-manifest.js';

try {
  const zip = buildTeamsPackage(process.env);
  mkdirSync(new URL('../dist/', import.meta.url), { recursive: true });
  const out = new URL('../dist/rollcall-teams.zip', import.meta.url);
  writeFileSync(out, zip);
  process.stdout.write(`wrote ${out.pathname} (${zip.length} bytes)\n`);
} catch (error) {
  if (!(error instanceof PackageError)) throw error;
  process.stderr.write(`package:teams: ${error.message}\n`);
  process.exit(2);
}
