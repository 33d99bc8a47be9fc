import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const manifest = JSON.parse(readFileSync(new URL('../../../../manifests/zoom/manifest.json', import.meta.url), 'utf8'));

describe('manifests/zoom/manifest.json', () => {
  it('asks for read-only scopes and points at the routes Rollcall serves', () => {
    const scopes = manifest.oauth_information.scopes.map((s: { scope: string }) => s.scope) as string[];
    expect(scopes.filter((s) => /write/.test(s))).toEqual([]);
    expect(new URL(manifest.oauth_information.production_redirect_uri).pathname).toBe('/zoom/oauth/callback');
    expect(new URL(manifest.features.production_home_uri).pathname).toBe('/zoom/panel');
    expect(new URL(manifest.features.team_chat_subscription.slash_command.production_message_url).pathname).toBe('/zoom/webhook');
    const events = manifest.features.event_subscription.events[0];
    expect(new URL(events.production_webhook_url).pathname).toBe('/zoom/webhook');
    expect(events.event_types).toEqual(expect.arrayContaining(['meeting.participant_joined', 'recording.completed', 'app_deauthorized']));
  });
});
