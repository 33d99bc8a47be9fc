/**
 * The Teams app package: manifests/teams/manifest.json with this deployment's ids filled in, and
 * the icons (manifests/icons/). `npm run package:teams` writes it; the unit test validates what it builds.
 */
import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';

const dir = new URL('../manifests/teams/', import.meta.url);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class PackageError extends Error {}

/** The values the template's `${{NAME}}` placeholders take, from the environment. */
export function manifestValues(env: NodeJS.ProcessEnv): Record<string, string> {
  const appId = env.MICROSOFT_APP_ID?.trim();
  if (!appId || !GUID.test(appId)) throw new PackageError('MICROSOFT_APP_ID must be the bot\'s Microsoft app id (a GUID)');
  const teamsAppId = env.TEAMS_APP_ID?.trim() || appId;
  if (!GUID.test(teamsAppId)) throw new PackageError('TEAMS_APP_ID must be a GUID');
  let url: URL;
  try {
    url = new URL(env.PUBLIC_URL ?? '');
  } catch {
    throw new PackageError('PUBLIC_URL must be the public https:// URL of this deployment');
  }
  if (url.protocol !== 'https:') throw new PackageError('PUBLIC_URL must be https:// (Teams loads nothing else)');
  // The deployment's own /privacy and /terms (the operator's Markdown files, or Rollcall's defaults).
  const privacyUrl = env.TEAMS_PRIVACY_URL?.trim() || `${url.origin}/privacy`;
  const termsUrl = env.TEAMS_TERMS_URL?.trim() || `${url.origin}/terms`;
  return { MICROSOFT_APP_ID: appId, TEAMS_APP_ID: teamsAppId, PUBLIC_URL: url.origin, PUBLIC_HOST: url.host, PRIVACY_URL: privacyUrl, TERMS_URL: termsUrl };
}

/** The manifest with every placeholder replaced; an unknown placeholder is an error, never left in. */
export function buildTeamsManifest(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const values = manifestValues(env);
  const text = readFileSync(new URL('manifest.json', dir), 'utf8').replace(/\$\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new PackageError(`manifest.json names an unknown placeholder ${name}`);
    return value;
  });
  return JSON.parse(text) as Record<string, unknown>;
}

/** The zip Teams side-loads: manifest.json and the two icons at its root. */
export function buildTeamsPackage(env: NodeJS.ProcessEnv): Uint8Array {
  const manifest = buildTeamsManifest(env);
  return zipSync({
    'manifest.json': new TextEncoder().encode(JSON.stringify(manifest, null, 2)),
    // Rendered from manifests/icons/rollcall.svg by scripts/icons.ts.
    'color.png': readFileSync(new URL('../icons/teams-color-192.png', dir)),
    'outline.png': readFileSync(new URL('../icons/teams-outline-32.png', dir)),
  });
}
