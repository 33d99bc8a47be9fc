import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/http/admin/auth.js';
import { planAllSessions } from '../../src/services/session-planner.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
const OTHER_TOKEN = 'other-clinic-token-abcdefghijkl';

beforeAll(async () => {
  app = await startTestApp({ platforms: [] });
  const other = await app.database.prisma.organization.create({ data: { name: 'Other clinic' } });
  await app.database.prisma.apiToken.create({ data: { organizationId: other.id, tokenHash: hashToken(OTHER_TOKEN), label: 'other' } });
});
afterAll(async () => {
  await app?.stop();
});

const programBody = (name: string) => ({
  name,
  timezone: 'America/New_York',
  alertChannel: { platform: 'slack', channelId: 'C0123456' },
});

describe('authentication', () => {
  it('answers 401 without a token and with a wrong one', async () => {
    const none = await fetch(`${app.url}/api/v1/programs`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const wrong = await app.api('GET', '/api/v1/programs', undefined, 'not-the-token-at-all');
    expect(wrong.status).toBe(401);
  });
});

describe('the root page', () => {
  it('answers the URL npm start prints with the landing page, which links the admin-token sign-in', async () => {
    const response = await fetch(`${app.url}/`);
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${app.url}/`);
    expect(await response.text()).toContain('<a class="button secondary" href="/sign-in">Sign in with the admin token</a>');
    const signIn = await fetch(`${app.url}/sign-in`);
    expect(await signIn.text()).toContain('Sign in to Rollcall');
  });
});

describe('health', () => {
  it('is ok once migrated and the job runner is up', async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'up' });
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'up' });
  });
});

describe('programs', () => {
  it('creates a program with every policy default filled in', async () => {
    const created = await app.api('POST', '/api/v1/programs', { ...programBody('Adult IOP – Evening'), policy: { lateAfterMinutes: 7 } });
    expect(created.status).toBe(201);
    expect(created.body.policy).toMatchObject({
      lateAfterMinutes: 7,
      noShowAfterMinutes: 15,
      leftEarlyMinutes: 10,
      minAttendancePercent: 75,
      waitingRoomAlertMinutes: 2,
      rejoinWindowMinutes: 5,
      weeklyHoursRequired: 9,
      strikeWindowDays: 30,
      consecutiveMissesForReview: 3,
      nameDisplay: 'first_last_initial',
    });
    expect(created.body.alertChannel).toEqual({ platform: 'slack', channelId: 'C0123456' });
    const read = await app.api('GET', `/api/v1/programs/${created.body.id}`);
    expect(read.body.name).toBe('Adult IOP – Evening');
  });

  it.each([
    [{ ...programBody('x'), timezone: 'Mars/Olympus' }, 'timezone'],
    [{ ...programBody('x'), alertChannel: { platform: 'fax', channelId: 'C1' } }, 'alertChannel.platform'],
    [{ ...programBody('x'), policy: { lateAfterMinutes: -1 } }, 'policy.lateAfterMinutes'],
    [{ ...programBody('x'), policy: { lateAfterMinutes: 30, noShowAfterMinutes: 15 } }, 'policy.lateAfterMinutes'],
    [{ ...programBody('x'), policy: { colour: 'blue' } }, 'policy.colour'],
    [{ timezone: 'UTC', alertChannel: { platform: 'slack', channelId: 'C1' } }, 'name'],
  ])('refuses %j naming %s, and stores nothing', async (body, field) => {
    const before = await app.database.prisma.program.count();
    const response = await app.api('POST', '/api/v1/programs', body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_input');
    expect(response.body.error.message.startsWith(`${field}: `)).toBe(true);
    expect(await app.database.prisma.program.count()).toBe(before);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await app.api('POST', '/api/v1/programs', '{"name":');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_json');
  });

  it('answers 409 for a second program of the same name', async () => {
    expect((await app.api('POST', '/api/v1/programs', programBody('Twice'))).status).toBe(201);
    const again = await app.api('POST', '/api/v1/programs', programBody('Twice'));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
  });

  it('merges a policy change over the stored policy and audits it', async () => {
    const created = await app.api('POST', '/api/v1/programs', programBody('Patchable'));
    const patched = await app.api('PATCH', `/api/v1/programs/${created.body.id}`, { policy: { noShowAfterMinutes: 20 } });
    expect(patched.status).toBe(200);
    expect(patched.body.policy.noShowAfterMinutes).toBe(20);
    expect(patched.body.policy.lateAfterMinutes).toBe(5);
    const audit = await app.database.prisma.auditLog.findMany({ where: { entityId: created.body.id }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((entry) => entry.action)).toEqual(['program.create', 'program.update']);
    expect(audit[1]!.actor).toBe('admin-api:ADMIN_TOKEN');
  });

  it('answers 404 for an unknown id and for a malformed one', async () => {
    expect((await app.api('GET', '/api/v1/programs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await app.api('GET', '/api/v1/programs/not-a-uuid')).status).toBe(404);
  });
});

describe('participants', () => {
  it('enrols a participant with platform identities', async () => {
    const program = await app.api('POST', '/api/v1/programs', programBody('Enrolment'));
    const created = await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, {
      name: 'Jordan Alvarez',
      email: 'Jordan@Example.org',
      identities: [
        { platform: 'zoom', externalId: 'zoomuser123' },
        { platform: 'zoom', externalId: 'REG-1', kind: 'registrant_id' },
        { platform: 'teams', externalId: '7f3c0000-0000-4000-8000-000000000001' },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body.email).toBe('jordan@example.org');
    expect(created.body.identities).toEqual(
      expect.arrayContaining([
        { platform: 'zoom', kind: 'user_id', externalId: 'zoomuser123' },
        { platform: 'zoom', kind: 'registrant_id', externalId: 'REG-1' },
        { platform: 'teams', kind: 'aad_object_id', externalId: '7f3c0000-0000-4000-8000-000000000001' },
      ]),
    );
    const list = await app.api('GET', `/api/v1/programs/${program.body.id}/participants`);
    expect(list.body.participants.map((p: { id: string }) => p.id)).toEqual([created.body.id]);
  });

  it('answers 409 when an identity already names someone else, and enrols no one', async () => {
    const program = await app.api('POST', '/api/v1/programs', programBody('Identity clash'));
    const first = { name: 'Sam Lee', identities: [{ platform: 'slack', externalId: 'U999' }] };
    expect((await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, first)).status).toBe(201);
    const second = await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, { name: 'Other Person', identities: [{ platform: 'slack', externalId: 'U999' }] });
    expect(second.status).toBe(409);
    const list = await app.api('GET', `/api/v1/programs/${program.body.id}/participants`);
    expect(list.body.participants).toHaveLength(1);
  });
});

describe('schedules and sessions', () => {
  it('creates the next 14 days of sessions from a weekly rule, idempotently', async () => {
    const program = await app.api('POST', '/api/v1/programs', programBody('Weekly'));
    const schedule = await app.api('POST', `/api/v1/programs/${program.body.id}/schedules`, {
      rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,TH',
      startTime: '18:00',
      durationMinutes: 180,
      meeting: { platform: 'zoom', meetingId: '85012345678' },
    });
    expect(schedule.status).toBe(201);
    // Three a week over 14 days, give or take the one running or starting today.
    expect(schedule.body.sessions.length).toBeGreaterThanOrEqual(5);
    expect(schedule.body.sessions.length).toBeLessThanOrEqual(7);
    for (const session of schedule.body.sessions) {
      const local = new Date(session.startsAt).toLocaleString('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hour12: false, weekday: 'short' });
      expect(local).toMatch(/^(Mon|Wed|Thu) 18:00$/);
      expect(new Date(session.endsAt).getTime() - new Date(session.startsAt).getTime()).toBe(180 * 60_000);
    }
    const again = await planAllSessions(app.database.prisma, new Date());
    expect(again.filter((id) => schedule.body.sessions.some((s: { id: string }) => s.id === id))).toEqual([]);
    const listed = await app.api('GET', `/api/v1/programs/${program.body.id}/sessions`);
    expect(listed.body.sessions).toHaveLength(schedule.body.sessions.length);
  });

  it.each([
    [{ rrule: 'FREQ=HOURLY', startTime: '18:00', durationMinutes: 60, meeting: { platform: 'zoom', meetingId: '1' } }, 'rrule'],
    [{ rrule: 'FREQ=WEEKLY', startTime: '25:00', durationMinutes: 60, meeting: { platform: 'zoom', meetingId: '1' } }, 'startTime'],
    [{ rrule: 'FREQ=WEEKLY', startTime: '18:00', durationMinutes: 0, meeting: { platform: 'zoom', meetingId: '1' } }, 'durationMinutes'],
  ])('refuses schedule %j naming %s', async (body, field) => {
    const program = await app.api('POST', '/api/v1/programs', programBody(`Bad schedule ${field}`));
    const response = await app.api('POST', `/api/v1/programs/${program.body.id}/schedules`, body);
    expect(response.status).toBe(400);
    expect(response.body.error.message.startsWith(field)).toBe(true);
    expect(await app.database.prisma.schedule.count({ where: { programId: program.body.id } })).toBe(0);
  });

  it('creates a one-off session and reads its roster as pending', async () => {
    const program = await app.api('POST', '/api/v1/programs', programBody('One-off'));
    await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, { name: 'Riley Chen' });
    const start = new Date(Date.now() + 86_400_000);
    const session = await app.api('POST', `/api/v1/programs/${program.body.id}/sessions`, {
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 3 * 3600_000).toISOString(),
      meeting: { platform: 'zoom', meetingId: '85099999999' },
    });
    expect(session.status).toBe(201);
    const attendance = await app.api('GET', `/api/v1/sessions/${session.body.id}/attendance`);
    expect(attendance.status).toBe(200);
    expect(attendance.body.session.id).toBe(session.body.id);
    expect(attendance.body.attendance).toEqual([
      {
        participantId: expect.any(String),
        name: 'Riley Chen',
        status: 'pending',
        detectedStatus: 'pending',
        override: null,
        flags: [],
        minutesPresent: 0,
        firstJoinAt: null,
        lastLeaveAt: null,
      },
    ]);
  });

  it('refuses a session that ends before it starts, or has no offset', async () => {
    const program = await app.api('POST', '/api/v1/programs', programBody('Bad session'));
    const backwards = await app.api('POST', `/api/v1/programs/${program.body.id}/sessions`, {
      startsAt: '2026-12-01T18:00:00-05:00',
      endsAt: '2026-12-01T17:00:00-05:00',
      meeting: { platform: 'zoom', meetingId: '1' },
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message.startsWith('endsAt')).toBe(true);
    const noOffset = await app.api('POST', `/api/v1/programs/${program.body.id}/sessions`, {
      startsAt: '2026-12-01T18:00:00',
      endsAt: '2026-12-01T19:00:00-05:00',
      meeting: { platform: 'zoom', meetingId: '1' },
    });
    expect(noOffset.status).toBe(400);
    expect(noOffset.body.error.message.startsWith('startsAt')).toBe(true);
  });
});

describe('organization settings', () => {
  it('has participant chat off on Slack and on elsewhere by default, and can change', async () => {
    const read = await app.api('GET', '/api/v1/organization');
    expect(read.body.settings.participantChat).toEqual({ slack: false, teams: true, zoom: true, sms: true });
    const patched = await app.api('PATCH', '/api/v1/organization', { settings: { participantChat: { slack: true } } });
    expect(patched.status).toBe(200);
    expect(patched.body.settings.participantChat).toEqual({ slack: true, teams: true, zoom: true, sms: true });
    const bad = await app.api('PATCH', '/api/v1/organization', { settings: { participantChat: { slack: 'yes' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^settings\.participantChat\.slack/);
  });
});

describe('tenancy', () => {
  it("never shows one organization's rows to another", async () => {
    const program = await app.api('POST', '/api/v1/programs', programBody('Private'));
    const session = await app.api('POST', `/api/v1/programs/${program.body.id}/sessions`, {
      startsAt: '2026-12-01T18:00:00-05:00',
      endsAt: '2026-12-01T21:00:00-05:00',
      meeting: { platform: 'zoom', meetingId: '2' },
    });
    const asOther = (method: string, route: string, body?: unknown) => app.api(method, route, body, OTHER_TOKEN);
    expect((await asOther('GET', `/api/v1/programs/${program.body.id}`)).status).toBe(404);
    expect((await asOther('PATCH', `/api/v1/programs/${program.body.id}`, { name: 'Mine now' })).status).toBe(404);
    expect((await asOther('POST', `/api/v1/programs/${program.body.id}/participants`, { name: 'Intruder' })).status).toBe(404);
    expect((await asOther('GET', `/api/v1/sessions/${session.body.id}/attendance`)).status).toBe(404);
    expect((await asOther('GET', '/api/v1/programs')).body.programs).toEqual([]);
    expect((await app.api('GET', `/api/v1/programs/${program.body.id}`)).body.name).toBe('Private');
  });
});
