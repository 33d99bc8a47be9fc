import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/http/admin/auth.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
const OTHER_TOKEN = 'other-clinic-token-for-input-tests';
let programId: string;
let participantId: string;

const programBody = (name: string, extra: object = {}) => ({ name, timezone: 'America/New_York', alertChannel: { platform: 'zoom', channelId: 'chan-1' }, ...extra });
const daily = (startTime: string, meetingId: string, durationMinutes = 60) => ({ rrule: 'FREQ=DAILY', startTime, durationMinutes, meeting: { platform: 'zoom', meetingId } });

beforeAll(async () => {
  app = await startTestApp({ platforms: [] });
  const other = await app.database.prisma.organization.create({ data: { name: 'Other clinic' } });
  await app.database.prisma.apiToken.create({ data: { organizationId: other.id, tokenHash: hashToken(OTHER_TOKEN), label: 'other' } });
  programId = (await app.api('POST', '/api/v1/programs', programBody('Evening IOP'))).body.id;
  participantId = (await app.api('POST', `/api/v1/programs/${programId}/participants`, { name: 'Alex Kim' })).body.id;
});
afterAll(async () => {
  await app?.stop();
});

/** Counts every table an admin write could touch: "stores nothing" means none of them moved. */
const countRows = async () => {
  const p = app.database.prisma;
  return Promise.all([p.program.count(), p.participant.count(), p.identity.count(), p.schedule.count(), p.material.count(), p.auditLog.count(), p.organization.findMany({ select: { name: true, settings: true } })]);
};

describe('control characters in admin input', () => {
  const nul = 'Alex\u0000Kim';
  it.each([
    ['POST', '/api/v1/programs', () => programBody(nul), 'name'],
    ['POST', '/api/v1/programs', () => programBody('Fine', { alertChannel: { platform: 'zoom', channelId: 'c\u0000' } }), 'alertChannel.channelId'],
    ['POST', '/api/v1/programs', () => programBody('Fine', { policy: { techContact: 'IT\u0007desk' } }), 'policy.techContact'],
    ['PATCH', '/api/v1/programs/:program', () => ({ staffUserIds: ['U1', 'U\u001b2'] }), 'staffUserIds.1'],
    ['POST', '/api/v1/programs/:program/participants', () => ({ name: nul }), 'name'],
    ['POST', '/api/v1/programs/:program/participants', () => ({ name: 'Fine', identities: [{ platform: 'zoom', externalId: 'a\u0000b' }] }), 'identities.0.externalId'],
    ['POST', '/api/v1/programs/:program/schedules', () => daily('09:00', 'm\u0000'), 'meeting.meetingId'],
    ['POST', '/api/v1/programs/:program/materials', () => ({ kind: 'link', title: nul, url: 'https://example.org/x' }), 'title'],
    ['POST', '/api/v1/participants/:participant/absences', () => ({ sessionId: '00000000-0000-4000-8000-000000000000', category: 'illness', reason: 'flu\u0000' }), 'reason'],
    ['PATCH', '/api/v1/organization', () => ({ name: nul }), 'name'],
    ['PATCH', '/api/v1/organization', () => ({ settings: { clinicContact: 'Call\u0000us' } }), 'settings.clinicContact'],
  ] as const)('%s %s refuses a control character, naming the field, and stores nothing', async (method, route, body, field) => {
    const before = await countRows();
    const response = await app.api(method, route.replace(':program', programId).replace(':participant', participantId), body());
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_input');
    expect(response.body.error.message).toBe(`${field}: must not contain control characters`);
    expect(await countRows()).toEqual(before);
  });

  it('caps a participant name at 200 characters', async () => {
    const response = await app.api('POST', `/api/v1/programs/${programId}/participants`, { name: 'A'.repeat(201) });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/^name: /);
  });

  it('keeps a tab in a title: tab and newline are not refused', async () => {
    const response = await app.api('POST', `/api/v1/programs/${programId}/materials`, { kind: 'link', title: 'Week 1\tworksheet', url: 'https://example.org/w1' });
    expect(response.status).toBe(201);
  });
});

describe('an unknown policy key', () => {
  it('is reported under its own field name', async () => {
    const created = await app.api('POST', '/api/v1/programs', programBody('Colourful', { policy: { colour: 'blue', lateAfterMinutes: 5 } }));
    expect(created.status).toBe(400);
    expect(created.body.error.message).toBe('policy.colour: is not a known field');
    const patched = await app.api('PATCH', `/api/v1/programs/${programId}`, { policy: { shade: 1 } });
    expect(patched.body.error.details).toEqual([{ field: 'policy.shade', message: 'is not a known field' }]);
  });
});

describe('make-up partner programs', () => {
  it('must be programs of the same organization', async () => {
    const theirs = await app.api('POST', '/api/v1/programs', programBody('Their IOP'), OTHER_TOKEN);
    expect(theirs.status).toBe(201);
    const before = await countRows();
    const foreign = await app.api('POST', '/api/v1/programs', programBody('Partnered', { policy: { makeUpPartnerProgramIds: [programId, theirs.body.id] } }));
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toBe('policy.makeUpPartnerProgramIds.1: not a program of this organization');
    const unknown = await app.api('PATCH', `/api/v1/programs/${programId}`, { policy: { makeUpPartnerProgramIds: ['6f1c2d3e-0000-4000-8000-000000000001'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([{ field: 'policy.makeUpPartnerProgramIds.0', message: 'not a program of this organization' }]);
    expect(await countRows()).toEqual(before);
    const ours = await app.api('POST', '/api/v1/programs', programBody('Partnered', { policy: { makeUpPartnerProgramIds: [programId] } }));
    expect(ours.status).toBe(201);
  });
});

describe('schedules on one meeting', () => {
  it('refuses one that overlaps another schedule of the clinic on the same meeting, naming it', async () => {
    const first = await app.api('POST', `/api/v1/programs/${programId}/schedules`, daily('10:00', '88000000001'));
    expect(first.status).toBe(201);
    const second = await app.api('POST', '/api/v1/programs', programBody('Morning IOP'));
    const before = await countRows();
    const sessionsBefore = await app.database.prisma.session.count();
    const overlapping = await app.api('POST', `/api/v1/programs/${second.body.id}/schedules`, daily('10:30', '88000000001'));
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.error.code).toBe('conflict');
    expect(overlapping.body.error.message).toContain(first.body.id);
    expect(overlapping.body.error.details[0]).toMatchObject({ field: 'meeting.meetingId', scheduleId: first.body.id, programId });
    expect(await countRows()).toEqual(before);
    expect(await app.database.prisma.session.count()).toBe(sessionsBefore);
  });

  it('takes back-to-back schedules, other meetings, and the same meeting id in another clinic', async () => {
    expect((await app.api('POST', `/api/v1/programs/${programId}/schedules`, daily('12:00', '88000000002'))).status).toBe(201);
    expect((await app.api('POST', `/api/v1/programs/${programId}/schedules`, daily('13:00', '88000000002'))).status).toBe(201);
    expect((await app.api('POST', `/api/v1/programs/${programId}/schedules`, daily('12:30', '88000000003'))).status).toBe(201);
    const theirs = await app.api('POST', '/api/v1/programs', programBody('Their evening'), OTHER_TOKEN);
    expect((await app.api('POST', `/api/v1/programs/${theirs.body.id}/schedules`, daily('12:00', '88000000002'), OTHER_TOKEN)).status).toBe(201);
  });

  it('compares occurrences, not only start times: a weekly rule inside a daily one clashes', async () => {
    expect((await app.api('POST', `/api/v1/programs/${programId}/schedules`, daily('15:00', '88000000004', 180))).status).toBe(201);
    const weekly = await app.api('POST', `/api/v1/programs/${programId}/schedules`, { rrule: 'FREQ=WEEKLY;BYDAY=WE', startTime: '17:30', durationMinutes: 60, meeting: { platform: 'zoom', meetingId: '88000000004' } });
    expect(weekly.status).toBe(409);
  });
});
