import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildTeamsManifest, buildTeamsPackage, PackageError } from '../../../../scripts/teams-manifest.js';

const require = createRequire(import.meta.url);
const env = { MICROSOFT_APP_ID: '11111111-2222-4333-8444-555555555555', PUBLIC_URL: 'https://rollcall.example.org/' };

/** The schema the manifest names, from the npm package Microsoft publishes them in (no network). */
function schemaFor(manifest: Record<string, unknown>) {
  const version = /\/teams\/(v[\d.]+)\/MicrosoftTeams\.schema\.json$/.exec(String(manifest.$schema))?.[1];
  expect(version).toBeDefined();
  return JSON.parse(readFileSync(require.resolve(`@microsoft/app-manifest/build/json-schemas/teams/${version}/MicrosoftTeams.schema.json`), 'utf8'));
}

describe('the Teams app manifest', () => {
  it('validates against its JSON schema once the ids are filled in', () => {
    const manifest = buildTeamsManifest(env);
    const ajv = new Ajv.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schemaFor(manifest));
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The schema has teeth: a manifest without icons or with an unknown bot scope is refused.
    const { icons: _icons, ...withoutIcons } = manifest;
    expect(validate(withoutIcons)).toBe(false);
    expect(validate({ ...manifest, bots: [{ ...(manifest.bots as object[])[0], scopes: ['meeting'] }] })).toBe(false);
  });

  it('has the bot in personal, team and group chats, a meeting surface and the meeting RSC permissions', () => {
    const manifest = buildTeamsManifest(env) as any;
    expect(manifest.id).toBe(env.MICROSOFT_APP_ID);
    expect(manifest.bots[0]).toMatchObject({ botId: env.MICROSOFT_APP_ID, scopes: ['personal', 'team', 'groupChat'] });
    expect(manifest.configurableTabs[0].context).toContain('meetingSidePanel');
    expect(manifest.configurableTabs[0].configurationUrl).toBe('https://rollcall.example.org/teams/tab/configure');
    expect(manifest.validDomains).toEqual(['rollcall.example.org']);
    expect(manifest.webApplicationInfo.id).toBe(env.MICROSOFT_APP_ID);
    expect(manifest.authorization.permissions.resourceSpecific.map((p: { name: string }) => p.name).sort()).toEqual([
      'ChannelMeeting.ReadBasic.Group',
      'ChannelMeetingParticipant.Read.Group',
      'OnlineMeeting.ReadBasic.Chat',
      'OnlineMeetingParticipant.Read.Chat',
    ]);
  });

  it('packages the manifest and both icons at the zip root, with icons of the required sizes', () => {
    const files = unzipSync(buildTeamsPackage({ ...env, TEAMS_APP_ID: '99999999-2222-4333-8444-555555555555' }));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(JSON.parse(new TextDecoder().decode(files['manifest.json'])).id).toBe('99999999-2222-4333-8444-555555555555');
    const size = (png: Uint8Array) => [Buffer.from(png).readUInt32BE(16), Buffer.from(png).readUInt32BE(20)];
    expect(size(files['color.png']!)).toEqual([192, 192]);
    expect(size(files['outline.png']!)).toEqual([32, 32]);
    // The outline icon is white on transparent: RGBA (colour type 6).
    expect(files['outline.png']![25]).toBe(6);
  });

  it('refuses to build without a GUID app id or an https PUBLIC_URL', () => {
    expect(() => buildTeamsManifest({ PUBLIC_URL: env.PUBLIC_URL })).toThrow(PackageError);
    expect(() => buildTeamsManifest({ ...env, PUBLIC_URL: 'http://localhost:3000' })).toThrow(/https/);
  });
});
