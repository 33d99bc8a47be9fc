import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/crypto/token-hash.js';
import { planScheduleSessions } from '../../src/services/session-planner.js';
import { csrfTokenFor } from '../../src/services/staff-sign-ins.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ platforms: [] });
});
afterAll(async () => {
  await app?.stop();
});

type Role = 'owner' | 'admin' | 'facilitator' | 'viewer';
interface Session {
  cookie: string;
  csrf: string;
  actor: string;
}

/** A new clinic with nothing set up, and a signed-in session per role (as Slack/Microsoft/Zoom sign-in creates). */
async function emptyClinic(): Promise<{ organizationId: string; as: Record<Role, Session> }> {
  const prisma = app.database.prisma;
  const organization = await prisma.organization.create({ data: { name: 'My clinic' } });
  const as = {} as Record<Role, Session>;
  for (const role of ['owner', 'admin', 'facilitator', 'viewer'] as const) {
    const account = await prisma.staffAccount.create({ data: { organizationId: organization.id, name: `Someone ${role}`, role, status: 'active' } });
    const token = randomBytes(32).toString('base64url');
    const actor = `staff:${account.id}`;
    await prisma.staffSignIn.create({
      data: { organizationId: organization.id, staffAccountId: account.id, tokenHash: hashToken(token), method: 'slack', actor, expiresAt: new Date(Date.now() + 3_600_000) },
    });
    as[role] = { cookie: `rollcall_session=${token}`, csrf: csrfTokenFor(token), actor };
  }
  return { organizationId: organization.id, as };
}

const post = (path: string, session: Session, form: Record<string, string | string[]>) => {
  const body = new URLSearchParams({ _csrf: session.csrf });
  for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v);
  return fetch(`${app.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body });
};
const get = (path: string, session: Session) => fetch(`${app.url}${path}`, { headers: { cookie: session.cookie } });
const upload = (path: string, session: Session, csv: string) => {
  const form = new FormData();
  form.append('_csrf', session.csrf);
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'people.csv');
  return fetch(`${app.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: session.cookie }, body: form });
};
/** The error under a field, as the page shows it. */
const fieldError = (page: string, id: string) => new RegExp(`<p class="field-error" id="${id}-error">([^<]*)</p>`).exec(page)?.[1];

const audits = (organizationId: string, action: string) => app.database.prisma.auditLog.findMany({ where: { organizationId, action } });

async function addProgram(session: Session, name = 'Adult IOP – Evening'): Promise<string> {
  const response = await post('/programs', session, { name, timezone: 'America/Chicago', platform: 'slack', channelId: 'C0STAFF' });
  expect(response.status).toBe(303);
  return /\/programs\/([0-9a-f-]{36})\/schedule/.exec(response.headers.get('location')!)![1]!;
}

describe('setting up a clinic in the dashboard', () => {
  it('shows an empty clinic the first-run checklist, and adds a program from the Programs page, audited', async () => {
    const { organizationId, as } = await emptyClinic();
    const page = await (await get('/programs', as.owner)).text();
    expect(page).toContain('Set up your clinic');
    expect(page).toContain('0 of 6 steps done.');
    expect(page).toMatch(/<label for="program-name">Name<\/label>/);
    expect(page).toMatch(/<label for="program-timezone">Time zone<\/label>/);

    const programId = await addProgram(as.owner);
    const program = await app.database.prisma.program.findUniqueOrThrow({ where: { id: programId } });
    expect(program).toMatchObject({ organizationId, name: 'Adult IOP – Evening', timezone: 'America/Chicago', alertPlatform: 'slack', alertChannelId: 'C0STAFF' });
    expect(program.policy).toMatchObject({ lateAfterMinutes: expect.any(Number) });
    expect(await audits(organizationId, 'program.create')).toEqual([expect.objectContaining({ actor: as.owner.actor, entityId: programId })]);
    expect(await (await get('/programs', as.owner)).text()).toContain('1 of 6 steps done.');
  });

  it('shows a bad program form its errors on the fields and changes nothing; a name taken is said on the name', async () => {
    const { organizationId, as } = await emptyClinic();
    const response = await post('/programs', as.admin, { name: '  ', timezone: 'Mars/Olympus', platform: 'slack', channelId: '' });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(fieldError(page, 'program-name')).toMatch(/Enter the program/);
    expect(fieldError(page, 'program-timezone')).toBe('Choose a time zone.');
    expect(fieldError(page, 'program-channel')).toBe('Enter the channel id.');
    expect(page).toContain('aria-invalid="true"');
    expect(await app.database.prisma.program.count({ where: { organizationId } })).toBe(0);

    await addProgram(as.admin, 'Teens');
    const again = await post('/programs', as.admin, { name: 'Teens', timezone: 'America/Chicago', platform: 'slack', channelId: 'C1' });
    expect(again.status).toBe(409);
    expect(fieldError(await again.text(), 'program-name')).toBe('Your clinic already has a program with this name.');
    expect(await app.database.prisma.program.count({ where: { organizationId } })).toBe(1);
  });

  it('refuses every set-up form to a facilitator and a viewer with 403, changing nothing', async () => {
    const { organizationId, as } = await emptyClinic();
    const programId = await addProgram(as.owner);
    for (const role of ['facilitator', 'viewer'] as const) {
      const session = as[role];
      const attempts = [
        post('/programs', session, { name: `By ${role}`, timezone: 'UTC', platform: 'slack', channelId: 'C1' }),
        post(`/programs/${programId}/participants`, session, { name: 'Casey', email: '', timezone: '' }),
        post(`/programs/${programId}/schedules`, session, { days: 'MO', startTime: '18:00', durationMinutes: '60', meetingPlatform: 'zoom', meetingId: '1' }),
        post(`/programs/${programId}/sessions`, session, { date: '2030-01-01', startTime: '18:00', durationMinutes: '60', meetingPlatform: 'zoom', meetingId: '1' }),
        upload(`/programs/${programId}/import`, session, 'name\nCasey\n'),
        post(`/programs/${programId}/import/apply`, session, { csv: 'name\nCasey\n' }),
        get(`/programs/${programId}/participants/new`, session),
        get(`/programs/${programId}/import`, session),
      ];
      for (const response of await Promise.all(attempts)) expect(response.status).toBe(403);
    }
    expect(await app.database.prisma.program.count({ where: { organizationId } })).toBe(1);
    expect(await app.database.prisma.participant.count({ where: { organizationId } })).toBe(0);
    expect(await app.database.prisma.schedule.count({ where: { organizationId } })).toBe(0);
    expect(await app.database.prisma.session.count({ where: { organizationId } })).toBe(0);
  });

  it('adds a participant by hand with platform ids, edits and discharges them, each audited; bad input is shown on its field', async () => {
    const { organizationId, as } = await emptyClinic();
    const programId = await addProgram(as.owner);
    const form = await (await get(`/programs/${programId}/participants/new`, as.owner)).text();
    for (const label of ['Name', 'Email', 'Time zone']) expect(form).toContain(`>${label}</label>`);

    const bad = await post(`/programs/${programId}/participants`, as.owner, { name: '', email: 'not-an-email', timezone: 'Nowhere/Else', zoom: '', teams: '', slack: '' });
    expect(bad.status).toBe(400);
    const badPage = await bad.text();
    expect(fieldError(badPage, 'participant-name')).toMatch(/Enter the participant/);
    expect(fieldError(badPage, 'participant-email')).toMatch(/Enter an email address/);
    expect(badPage).toContain('value="not-an-email"');
    expect(await app.database.prisma.participant.count({ where: { organizationId } })).toBe(0);

    const added = await post(`/programs/${programId}/participants`, as.owner, { name: 'Casey Morgan', email: 'Casey@Example.org', timezone: '', zoom: 'zoomUser1', teams: '', slack: 'U0CASEY' });
    expect(added.status).toBe(303);
    const participantId = /\/participants\/([0-9a-f-]{36})/.exec(added.headers.get('location')!)![1]!;
    const participant = await app.database.prisma.participant.findUniqueOrThrow({ where: { id: participantId }, include: { identities: true, enrollments: true } });
    expect(participant).toMatchObject({ organizationId, name: 'Casey Morgan', email: 'casey@example.org', timezone: null });
    expect(participant.identities.map((i) => `${i.platform}:${i.value}`).sort()).toEqual(['slack:U0CASEY', 'zoom:zoomUser1']);
    expect(participant.enrollments).toEqual([expect.objectContaining({ programId, status: 'active' })]);
    expect(await audits(organizationId, 'participant.enroll')).toEqual([expect.objectContaining({ actor: as.owner.actor, entityId: participantId })]);

    // The same Slack id again is refused on its field.
    const twice = await post(`/programs/${programId}/participants`, as.owner, { name: 'Someone Else', email: '', timezone: '', zoom: '', teams: '', slack: 'U0CASEY' });
    expect(twice.status).toBe(409);
    expect(fieldError(await twice.text(), 'participant-slack')).toMatch(/already belongs/);
    expect(await app.database.prisma.participant.count({ where: { organizationId } })).toBe(1);

    const page = await (await get(`/participants/${participantId}?saved=added`, as.owner)).text();
    expect(page).toContain('Participant added.');
    expect(page).toContain('Discharge from Adult IOP – Evening');

    const badEdit = await post(`/participants/${participantId}/edit`, as.owner, { name: 'Casey M.', email: 'nope', timezone: '' });
    expect(badEdit.status).toBe(400);
    expect(fieldError(await badEdit.text(), 'edit-email')).toMatch(/Enter an email address/);
    expect((await app.database.prisma.participant.findUniqueOrThrow({ where: { id: participantId } })).name).toBe('Casey Morgan');

    expect((await post(`/participants/${participantId}/edit`, as.owner, { name: 'Casey M.', email: '', timezone: 'Europe/London' })).status).toBe(303);
    expect(await app.database.prisma.participant.findUniqueOrThrow({ where: { id: participantId } })).toMatchObject({ name: 'Casey M.', email: null, timezone: 'Europe/London' });
    expect(await audits(organizationId, 'participant.update')).toEqual([expect.objectContaining({ actor: as.owner.actor, data: { fields: ['name', 'email', 'timezone'] } })]);

    for (const role of ['facilitator', 'viewer'] as const) {
      expect((await post(`/participants/${participantId}/edit`, as[role], { name: 'X', email: '', timezone: '' })).status).toBe(403);
      expect((await post(`/participants/${participantId}/discharge`, as[role], { programId })).status).toBe(403);
    }
    expect((await post(`/participants/${participantId}/discharge`, as.admin, { programId })).status).toBe(303);
    const enrollment = await app.database.prisma.enrollment.findFirstOrThrow({ where: { participantId } });
    expect(enrollment.status).toBe('discharged');
    expect(enrollment.dischargedAt).not.toBeNull();
    expect(await audits(organizationId, 'participant.discharge')).toEqual([expect.objectContaining({ actor: as.admin.actor, entityId: participantId })]);
    expect((await post(`/participants/${participantId}/discharge`, as.admin, { programId })).status).toBe(409);

    // A transfer: enrolled in another program of the clinic, once.
    const otherId = await addProgram(as.owner, 'Adult IOP – Morning');
    expect(await (await get(`/participants/${participantId}`, as.owner)).text()).toContain(`<option value="${otherId}">Adult IOP – Morning</option>`);
    for (const role of ['facilitator', 'viewer'] as const) expect((await post(`/participants/${participantId}/enrol`, as[role], { programId: otherId })).status).toBe(403);
    expect((await post(`/participants/${participantId}/enrol`, as.admin, { programId: otherId })).status).toBe(303);
    expect(await app.database.prisma.enrollment.findFirstOrThrow({ where: { participantId, programId: otherId } })).toMatchObject({ status: 'active', organizationId });
    expect(await audits(organizationId, 'participant.enroll')).toContainEqual(expect.objectContaining({ actor: as.admin.actor, entityId: participantId, data: { programId: otherId, existing: true } }));
    expect((await post(`/participants/${participantId}/enrol`, as.admin, { programId: otherId })).status).toBe(409);
    // Another clinic's program is as unknown as none.
    const other = await emptyClinic();
    const foreign = await addProgram(other.as.owner);
    expect((await post(`/participants/${participantId}/enrol`, as.admin, { programId: foreign })).status).toBe(404);
    expect(await app.database.prisma.enrollment.count({ where: { participantId } })).toBe(2);
  });

  it('adds a weekly schedule from weekdays, time, length and meeting: shown in words with its next sessions; a one-off session too', async () => {
    const { organizationId, as } = await emptyClinic();
    const programId = await addProgram(as.owner);
    const bad = await post(`/programs/${programId}/schedules`, as.owner, { startTime: '25:00', durationMinutes: '2', meetingPlatform: 'zoom', meetingId: '', joinUrl: 'http://insecure', startsOn: '' });
    expect(bad.status).toBe(400);
    const badPage = await bad.text();
    expect(badPage).toContain('Choose at least one weekday.');
    expect(fieldError(badPage, 'schedule-start')).toMatch(/start time/);
    expect(fieldError(badPage, 'schedule-length')).toMatch(/between 5 and 720/);
    expect(fieldError(badPage, 'schedule-meeting')).toBe('Enter the meeting id.');
    expect(fieldError(badPage, 'schedule-join')).toMatch(/https/);
    expect(await app.database.prisma.schedule.count({ where: { organizationId } })).toBe(0);

    const created = await post(`/programs/${programId}/schedules`, as.owner, { days: ['MO', 'WE', 'TH'], startTime: '18:00', durationMinutes: '180', meetingPlatform: 'zoom', meetingId: '85512345678', joinUrl: '', startsOn: '' });
    expect(created.status).toBe(303);
    const [schedule] = await app.database.prisma.schedule.findMany({ where: { organizationId } });
    expect(schedule).toMatchObject({ rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,TH', startTime: '18:00', durationMinutes: 180, meetingPlatform: 'zoom', meetingId: '85512345678' });
    expect(await audits(organizationId, 'schedule.create')).toEqual([expect.objectContaining({ actor: as.owner.actor, entityId: schedule!.id })]);
    const sessions = await app.database.prisma.session.findMany({ where: { scheduleId: schedule!.id } });
    expect(sessions.length).toBeGreaterThan(0);
    const page = await (await get(`/programs/${programId}/schedule`, as.owner)).text();
    expect(page).toContain('Every Monday, Wednesday and Thursday, 18:00 to 21:00 (3 h)');
    expect(page).toContain(`data-session-id="${sessions[0]!.id}"`);

    // The same meeting at the same times clashes: said on the meeting id.
    const clash = await post(`/programs/${programId}/schedules`, as.owner, { days: 'MO', startTime: '19:00', durationMinutes: '60', meetingPlatform: 'zoom', meetingId: '85512345678', joinUrl: '', startsOn: '' });
    expect(clash.status).toBe(409);
    expect(fieldError(await clash.text(), 'schedule-meeting')).toMatch(/Another schedule/);
    expect(await app.database.prisma.schedule.count({ where: { organizationId } })).toBe(1);

    const badSession = await post(`/programs/${programId}/sessions`, as.owner, { date: 'tomorrow', startTime: '10:00', durationMinutes: '60', meetingPlatform: 'teams', meetingId: 'm1' });
    expect(badSession.status).toBe(400);
    expect(fieldError(await badSession.text(), 'session-date')).toBe('Enter the date of the session.');
    const oneOff = await post(`/programs/${programId}/sessions`, as.owner, { date: '2030-01-02', startTime: '10:00', durationMinutes: '90', meetingPlatform: 'teams', meetingId: 'm1' });
    expect(oneOff.status).toBe(303);
    const session = await app.database.prisma.session.findFirstOrThrow({ where: { organizationId, scheduleId: null } });
    expect(session.startsAt.toISOString()).toBe('2030-01-02T16:00:00.000Z');
    expect(session.endsAt.toISOString()).toBe('2030-01-02T17:30:00.000Z');
    expect(await audits(organizationId, 'session.create')).toEqual([expect.objectContaining({ actor: as.owner.actor, entityId: session.id })]);
  });

  it('imports participants from a CSV: a preview with each problem on its row changes nothing; a clean file is applied whole, audited', async () => {
    const { organizationId, as } = await emptyClinic();
    const programId = await addProgram(as.owner);
    const broken = [
      'name,email,phone,zoom,slack,enrolled_on,sms_consent',
      'Avery Stone,avery@example.org,+1 415 555 0100,,U0AVERY,2026-11-02,yes',
      ',blake@example.org,,,,,',
      'Casey Morgan,avery@example.org,call me,,U0AVERY,02/11/2026,',
      'Devon Park,devon@example.org,+1 (415) 555-0100,,,,maybe',
      'Emery Cruz,emery@example.org,,,,,yes',
    ].join('\n');
    const preview = await upload(`/programs/${programId}/import`, as.owner, broken);
    expect(preview.status).toBe(400);
    const page = await preview.text();
    const row = (line: number) => new RegExp(`<tr data-line="${line}"[^>]*>([\\s\\S]*?)</tr>`).exec(page)?.[1] ?? '';
    expect(row(2)).toContain('<span class="muted">none</span>');
    expect(row(3)).toContain('Name: Enter a name.');
    expect(row(4)).toContain('Email: Same email as line 2.');
    expect(row(4)).toContain('Phone: Not a phone number');
    expect(row(4)).toContain('Slack: Same slack id as line 2.');
    expect(row(4)).toContain('Enrolled on: Write the date as YYYY-MM-DD');
    // The same number written another way is the same phone; agreement to texts is yes or no, and needs a phone.
    expect(row(5)).toContain('Phone: Same phone as line 2.');
    expect(row(5)).toContain('Agreed to texts: Write yes or no');
    expect(row(6)).toContain('Agreed to texts: Agreement to texts needs a phone number on the same row.');
    expect(page).toContain('Nothing was imported: 4 rows need a change.');
    expect(page).not.toContain('/import/apply');
    // Applying the broken file anyway is refused the same way.
    expect((await post(`/programs/${programId}/import/apply`, as.owner, { csv: broken })).status).toBe(400);
    expect(await app.database.prisma.participant.count({ where: { organizationId } })).toBe(0);

    const clean = ['Name,Email,Phone,Zoom,Teams,Slack,Enrolment date,Texts OK', 'Avery Stone,avery@example.org,+1 415 555 0100,,,U0AVERY,2026-11-02,yes', 'Blake Rivera,blake@example.org,(415) 555-0199,,,,,'].join('\r\n');
    // A number without its country code cannot be texted: said on its row.
    const local = await upload(`/programs/${programId}/import`, as.owner, clean);
    expect(await local.text()).toContain('Phone: Not a phone number Rollcall can text: write it with its country code');
    const ok = await upload(`/programs/${programId}/import`, as.owner, clean.replace('(415) 555-0199', '+1 415 555 0199'));
    expect(ok.status).toBe(200);
    const okPage = await ok.text();
    expect(okPage).toContain('Every row can be imported.');
    expect(okPage).toContain('Import 2 participants');
    const csv = /<input type="hidden" name="csv" value="([^"]*)">/.exec(okPage)![1]!.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(await app.database.prisma.participant.count({ where: { organizationId } })).toBe(0);
    const applied = await post(`/programs/${programId}/import/apply`, as.owner, { csv });
    expect(applied.status).toBe(303);
    expect(applied.headers.get('location')).toBe(`/programs/${programId}?imported=2`);
    const people = await app.database.prisma.participant.findMany({ where: { organizationId }, include: { identities: true, enrollments: true }, orderBy: { name: 'asc' } });
    expect(people.map((p) => [p.name, p.email, p.identities.map((i) => i.value).join(), p.enrollments[0]?.programId])).toEqual([
      ['Avery Stone', 'avery@example.org', 'U0AVERY', programId],
      ['Blake Rivera', 'blake@example.org', '', programId],
    ]);
    expect(people[0]!.enrollments[0]!.enrolledAt.toISOString()).toBe('2026-11-02T06:00:00.000Z');
    // Phones stored as E.164; agreement to texts only where the intake form recorded it.
    expect(people.map((p) => [p.phone, p.smsConsent, p.smsConsentSource])).toEqual([
      ['+14155550100', true, 'intake_form'],
      ['+14155550199', false, null],
    ]);
    expect(await audits(organizationId, 'participant.import')).toEqual([expect.objectContaining({ actor: as.owner.actor, entityId: programId, data: { participants: 2 } })]);
    expect(await audits(organizationId, 'participant.enroll')).toHaveLength(2);

    // The same file again: everyone is already there, said on each row, and nothing changes.
    const twice = await post(`/programs/${programId}/import/apply`, as.owner, { csv });
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain('Someone with this email is already enrolled in this program.');
    expect(await app.database.prisma.participant.count({ where: { organizationId } })).toBe(2);

    // An empty upload, a form that is not an upload, a file without a name column, another clinic's program.
    const empty = await upload(`/programs/${programId}/import`, as.owner, '');
    expect(empty.status).toBe(400);
    expect(fieldError(await empty.text(), 'import-file')).toBe('Choose a CSV file to upload.');
    expect((await post(`/programs/${programId}/import`, as.owner, { csv: clean })).status).toBe(400);
    const headless = await upload(`/programs/${programId}/import`, as.owner, 'who,mail\nAvery,a@example.org\n');
    expect(headless.status).toBe(400);
    expect(await headless.text()).toContain('The first line must name the columns, with at least &quot;name&quot;');
    const other = await emptyClinic();
    expect((await post(`/programs/${programId}/import/apply`, other.as.owner, { csv: clean.replace(/avery|blake/g, 'x$&') })).status).toBe(404);
    expect(await app.database.prisma.participant.count({ where: { organizationId } })).toBe(2);
  });

  it('names the clinic and keeps its crisis contacts from Settings, audited; a contact without a name is refused on its field', async () => {
    const { organizationId, as } = await emptyClinic();
    const page = await (await get('/settings', as.owner)).text();
    expect(page).toContain('<label for="clinic-name">Clinic name</label>');
    const bad = await post('/settings/clinic', as.owner, { name: 'Maple Clinic', contact1Label: '', contact1Phone: '555-0100' });
    expect(bad.status).toBe(400);
    expect(fieldError(await bad.text(), 'contact-1-label')).toMatch(/Say who this is/);
    expect((await app.database.prisma.organization.findUniqueOrThrow({ where: { id: organizationId } })).name).toBe('My clinic');
    for (const role of ['facilitator', 'viewer'] as const) expect((await post('/settings/clinic', as[role], { name: 'Taken over' })).status).toBe(403);

    const saved = await post('/settings/clinic', as.admin, { name: 'Maple Clinic', contact1Label: 'On-call clinician', contact1Phone: '+1 555 0100', contact2Label: '', contact2Phone: '' });
    expect(saved.status).toBe(303);
    const organization = await app.database.prisma.organization.findUniqueOrThrow({ where: { id: organizationId } });
    expect(organization.name).toBe('Maple Clinic');
    expect((organization.settings as { crisisContacts: unknown }).crisisContacts).toEqual([{ label: 'On-call clinician', phone: '+1 555 0100' }]);
    expect(await audits(organizationId, 'organization.update')).toEqual([expect.objectContaining({ actor: as.admin.actor })]);
    expect(await (await get('/programs', as.owner)).text()).toContain('2 of 6 steps done.');
  });

  it('cancels one occurrence of a schedule for a holiday: gone, not planned again, audited; a session that has begun stays', async () => {
    const { organizationId, as } = await emptyClinic();
    const programId = await addProgram(as.owner);
    expect((await post(`/programs/${programId}/schedules`, as.owner, { days: ['MO', 'TU', 'WE', 'TH', 'FR'], startTime: '09:00', durationMinutes: '60', meetingPlatform: 'zoom', meetingId: '811', joinUrl: '', startsOn: '' })).status).toBe(303);
    const schedule = await app.database.prisma.schedule.findFirstOrThrow({ where: { organizationId } });
    const [first, second] = await app.database.prisma.session.findMany({ where: { scheduleId: schedule.id, startsAt: { gt: new Date() } }, orderBy: { startsAt: 'asc' } });

    for (const role of ['facilitator', 'viewer'] as const) expect((await post(`/programs/${programId}/sessions/${first!.id}/cancel`, as[role], {})).status).toBe(403);
    const page = await (await get(`/programs/${programId}/schedule`, as.owner)).text();
    expect(page).toContain(`action="/programs/${programId}/sessions/${first!.id}/cancel"`);

    expect((await post(`/programs/${programId}/sessions/${first!.id}/cancel`, as.owner, {})).status).toBe(303);
    expect(await app.database.prisma.session.count({ where: { id: first!.id } })).toBe(0);
    const after = await app.database.prisma.schedule.findUniqueOrThrow({ where: { id: schedule.id } });
    expect(after.skippedStarts).toEqual([first!.startsAt]);
    expect(await audits(organizationId, 'session.cancel')).toEqual([expect.objectContaining({ actor: as.owner.actor, entityId: schedule.id })]);
    // The planner's next top-up leaves the cancelled day alone.
    const program = await app.database.prisma.program.findUniqueOrThrow({ where: { id: programId } });
    expect(await planScheduleSessions(app.database.prisma, after, program, new Date())).toEqual([]);
    expect(await app.database.prisma.session.count({ where: { scheduleId: schedule.id, startsAt: first!.startsAt } })).toBe(0);

    // A session with presence recorded is not cancelled, and says why.
    await app.database.prisma.presenceEvent.create({ data: { organizationId, sessionId: second!.id, platform: 'zoom', dedupeKey: `early-${second!.id}`, kind: 'joined', occurredAt: new Date(), meetingId: '811' } });
    const refused = await post(`/programs/${programId}/sessions/${second!.id}/cancel`, as.owner, {});
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('This session was not cancelled: it has begun or has attendance recorded.');
    expect(await app.database.prisma.session.count({ where: { id: second!.id } })).toBe(1);
  });
});

describe('settings as controls, over HTTP', () => {
  it('switches participant chat per platform with checkboxes for owners and admins, audited; refuses others and odd values, changing nothing', async () => {
    const { organizationId, as } = await emptyClinic();
    const page = await (await get('/settings', as.owner)).text();
    expect(page).toMatch(/<input type="checkbox" name="teams" value="on" checked> Microsoft Teams/);
    expect(page).toMatch(/<input type="checkbox" name="slack" value="on" > Slack/);
    const chat = async () => ((await app.database.prisma.organization.findUniqueOrThrow({ where: { id: organizationId } })).settings as { participantChat?: unknown }).participantChat;
    const before = await chat();
    for (const role of ['facilitator', 'viewer'] as const) expect((await post('/settings/participant-chat', as[role], { slack: 'on' })).status).toBe(403);
    const noCsrf = await fetch(`${app.url}/settings/participant-chat`, { method: 'POST', redirect: 'manual', headers: { cookie: as.owner.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'slack=on' });
    expect(noCsrf.status).toBe(403);
    const odd = await post('/settings/participant-chat', as.owner, { slack: 'yes please' });
    expect(odd.status).toBe(400);
    expect(await odd.text()).toContain('id="participant-chat-error"');
    expect(await chat()).toEqual(before);

    expect((await post('/settings/participant-chat', as.admin, { slack: 'on', teams: 'on' })).headers.get('location')).toBe('/settings?saved=participant-chat');
    expect(await chat()).toEqual({ slack: true, teams: true, zoom: false, sms: false });
    expect(await audits(organizationId, 'organization.update')).toEqual([expect.objectContaining({ actor: as.admin.actor, data: expect.objectContaining({ fields: ['participantChat'] }) })]);
  });

  it('saves the ladder, partner programs and weekly time from their controls; a partner of another clinic is refused on its field', async () => {
    const { organizationId, as } = await emptyClinic();
    const programId = await addProgram(as.owner);
    const dayId = await addProgram(as.owner, 'Adult IOP – Day');
    const other = await emptyClinic();
    const foreignId = await addProgram(other.as.owner, 'Birch IOP');
    const page = await (await get(`/programs/${programId}/settings`, as.owner)).text();
    expect(page).not.toContain('<textarea');
    expect(page).toContain(`value="${dayId}"`);
    expect(page).not.toContain(`value="${programId}"`);
    const form = { strikeLadderStrikes: ['2', '4', ''], strikeLadderAction: ['checkin', 'formal_review', ''], weeklyProgressDay: '3', weeklyProgressTime: '18:15' };
    const policyOf = async () => (await app.database.prisma.program.findUniqueOrThrow({ where: { id: programId } })).policy as Record<string, unknown>;
    const before = await policyOf();
    const refused = await post(`/programs/${programId}/settings`, as.owner, { ...form, makeUpPartnerProgramIds: foreignId, ...numbers() });
    expect(refused.status).toBe(400);
    expect(fieldError(await refused.text(), 'policy-makeUpPartnerProgramIds')).toBe('Choose among this clinic’s other programs.');
    expect(await policyOf()).toEqual(before);
    for (const role of ['facilitator', 'viewer'] as const) expect((await post(`/programs/${programId}/settings`, as[role], { ...form, ...numbers() })).status).toBe(403);

    expect((await post(`/programs/${programId}/settings`, as.owner, { ...form, makeUpPartnerProgramIds: dayId, ...numbers() })).status).toBe(303);
    expect(await policyOf()).toMatchObject({
      strikeLadder: [
        { strikes: 2, action: 'checkin' },
        { strikes: 4, action: 'formal_review' },
      ],
      makeUpPartnerProgramIds: [dayId],
      weeklyProgress: { weekday: 3, time: '18:15' },
    });
    expect(await audits(organizationId, 'program.update')).toHaveLength(1);
  });
});

/** The policy's number fields at their defaults, as the form posts them. */
function numbers(): Record<string, string> {
  return {
    lateAfterMinutes: '5',
    noShowAfterMinutes: '15',
    leftEarlyMinutes: '10',
    minAttendancePercent: '75',
    waitingRoomAlertMinutes: '2',
    rejoinWindowMinutes: '5',
    weeklyHoursRequired: '9',
    weeklyHoursCredit: 'scheduled',
    strikeWindowDays: '30',
    lateStrikeEvery: '3',
    consecutiveMissesForReview: '3',
    nameDisplay: 'first_last_initial',
    absenceNoticeHours: '2',
    makeUpWindowDays: '14',
    sessionCapacity: '12',
    reminderMinutesBefore: '30',
    connectionLossesForHelp: '2',
  };
}
