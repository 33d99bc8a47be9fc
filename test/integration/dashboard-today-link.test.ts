import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../../src/generated/prisma/client.js';
import { csrfTokenFor, signInStaff } from '../../src/services/staff-sign-ins.js';
import { at, createScenario, minutes, minutesAgo } from '../support/scenario.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { postZoom, zoomDelivery, type ZoomPerson } from '../support/zoom-events.js';

let app: TestApp;
let maple: Awaited<ReturnType<typeof createScenario>>;
let birch: Awaited<ReturnType<typeof createScenario>>;
const MAPLE_MEETING = '85000000701';
const BIRCH_MEETING = '85000000702';
const start = minutesAgo(10);
const riley: ZoomPerson = { user_name: 'Riley Chen', participant_uuid: 'UUID-RILEY-701' };
const phone: ZoomPerson = { user_name: "Priya's iPhone", participant_uuid: 'UUID-PHONE-701' };
const sam: ZoomPerson = { user_name: 'Sam Waits', participant_uuid: 'UUID-SAM-701' };
const birchPhone: ZoomPerson = { user_name: 'Galaxy S23', participant_uuid: 'UUID-PHONE-702' };

const send = (meetingId: string, fixture: string, offset: number, person?: ZoomPerson) => postZoom(app.url, zoomDelivery(fixture, { meetingId, at: at(start, offset), person }));

/** A signed-in staff member of the clinic with this role (facilitators assigned to these programs): their cookie and form token. */
async function staffMember(organizationId: string, role: StaffRole, name: string, programIds: string[] = []) {
  const { prisma } = app.database;
  const account = await prisma.staffAccount.create({ data: { organizationId, name, role, status: 'active', slackUserId: `U${randomBytes(4).toString('hex')}` } });
  for (const programId of programIds) await prisma.programAssignment.create({ data: { programId, staffAccountId: account.id } });
  const { token } = await signInStaff(prisma, { organizationId, method: 'slack', subject: account.slackUserId!, staffAccountId: account.id }, new Date());
  return { id: account.id, cookie: `rollcall_session=${token}`, csrf: csrfTokenFor(token) };
}

const postLink = (sessionId: string, who: { cookie: string; csrf: string }, fields: Record<string, string>) =>
  fetch(`${app.url}/today/sessions/${sessionId}/link`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: who.csrf, ...fields }),
  });
const today = async (cookie: string, path = '/') => (await fetch(`${app.url}${path}`, { headers: { cookie } })).text();
/** What a link would change: learned identities and their audit entries. */
const linkFootprint = async () => ({
  identities: await app.database.prisma.identity.count({ where: { kind: { in: ['alias', 'user_id'] } } }),
  audits: await app.database.prisma.auditLog.count({ where: { action: 'identity.link' } }),
});

beforeAll(async () => {
  app = await startTestApp();
  maple = await createScenario(app, { meetingId: MAPLE_MEETING, startsAt: start, minutes: 60, people: [{ name: 'Priya Shah' }, { name: 'Riley Chen' }, { name: 'Sam Waits' }], name: 'Maple Evening' });
  birch = await createScenario(app, { meetingId: BIRCH_MEETING, startsAt: start, minutes: 60, people: [{ name: 'Bea Birch' }], name: 'Birch Evening' });
  await send(MAPLE_MEETING, 'meeting-started', 0);
  await send(MAPLE_MEETING, 'participant-joined', minutes(1), riley);
  await send(MAPLE_MEETING, 'participant-joined', minutes(2), phone);
  await send(MAPLE_MEETING, 'participant-joined-waiting-room', minutes(3), sam);
  await send(BIRCH_MEETING, 'meeting-started', 0);
  await send(BIRCH_MEETING, 'participant-joined', minutes(1), birchPhone);
  await app.evaluator.idle();
});
afterAll(async () => {
  await app?.stop();
});

describe('Today: counts, join times and the "This is…" picker', () => {
  it('shows the count here, each join time, and an unrecognized device with a picker of the expected participants', async () => {
    const facilitator = await staffMember(maple.organizationId, 'facilitator', 'Fran Facilitator', [maple.programId]);
    const page = await today(facilitator.cookie);
    expect(page).toContain('1 of 3 here · 1 waiting to be let in · 1 not recognized');
    // Present tense while it is true, at the time the platform gave (the program's zone).
    const since = at(start, minutes(3)).toLocaleTimeString('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit' });
    expect(page).toContain(`waiting to be let in since ${since}`);
    expect(page).not.toContain('waited in the waiting room');
    expect(page).toContain('Priya&#39;s iPhone');
    expect(page).toMatch(/<label for="link-[^"]+">This is…<\/label>/);
    expect(page).toContain(`<option value="${maple.participants['Priya Shah']}">Priya Shah</option>`);
    expect(page).not.toContain('Galaxy S23');
  });

  it('refuses a viewer (403) and changes nothing', async () => {
    const viewer = await staffMember(maple.organizationId, 'viewer', 'Vic Viewer');
    expect(await today(viewer.cookie)).not.toContain('This is…');
    const before = await linkFootprint();
    const response = await postLink(maple.sessionId, viewer, { personKey: phone.participant_uuid, participantId: maple.participants['Priya Shah']! });
    expect(response.status).toBe(403);
    expect(await linkFootprint()).toEqual(before);
  });

  it("answers 404 for another clinic's session, and for a program the facilitator is not assigned to, changing nothing", async () => {
    const owner = await staffMember(maple.organizationId, 'owner', 'Olive Owner');
    const unassigned = await staffMember(maple.organizationId, 'facilitator', 'Una Unassigned');
    const before = await linkFootprint();
    // Birch's session, its own unrecognized person and participant: still not Maple's to touch.
    const crossClinic = await postLink(birch.sessionId, owner, { personKey: birchPhone.participant_uuid, participantId: birch.participants['Bea Birch']! });
    expect(crossClinic.status).toBe(404);
    const notAssigned = await postLink(maple.sessionId, unassigned, { personKey: phone.participant_uuid, participantId: maple.participants['Priya Shah']! });
    expect(notAssigned.status).toBe(404);
    // Someone of another clinic is not enrolled in this session's program.
    const foreignPerson = await postLink(maple.sessionId, owner, { personKey: phone.participant_uuid, participantId: birch.participants['Bea Birch']! });
    expect(foreignPerson.status).toBe(400);
    const unchosen = await postLink(maple.sessionId, owner, { personKey: phone.participant_uuid, participantId: '' });
    expect(unchosen.status).toBe(400);
    expect(await unchosen.text()).toContain('choose who this is from the list');
    const noCsrf = await postLink(maple.sessionId, { ...owner, csrf: 'forged' }, { personKey: phone.participant_uuid, participantId: maple.participants['Priya Shah']! });
    expect(noCsrf.status).toBe(403);
    expect(await linkFootprint()).toEqual(before);
  });

  it('links the device to the person through the admin API’s service, audited as the staff member, and Today counts them', async () => {
    const facilitator = await staffMember(maple.organizationId, 'facilitator', 'Fran Two', [maple.programId]);
    const priya = maple.participants['Priya Shah']!;
    const response = await postLink(maple.sessionId, facilitator, { personKey: phone.participant_uuid, participantId: priya });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/?linked=1');
    const { prisma } = app.database;
    expect(await prisma.identity.findFirst({ where: { organizationId: maple.organizationId, participantId: priya, kind: 'alias' } })).toMatchObject({ value: "priya's iphone", platform: 'zoom' });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { organizationId: maple.organizationId, action: 'identity.link' } });
    expect(audit).toMatchObject({ actor: `staff:${facilitator.id}`, entityId: priya, entityType: 'Participant' });
    expect(audit.data).toMatchObject({ sessionId: maple.sessionId });
    const page = await today(facilitator.cookie, response.headers.get('location')!);
    expect(page).toContain('Linked.');
    expect(page).toContain('2 of 3 here · 1 waiting to be let in');
    expect(page).not.toContain('not recognized');
    expect(page).toMatch(new RegExp(`data-participant-id="${priya}">[\\s\\S]*?<td class="joined">\\d\\d:\\d\\d</td>`));
    // Birch's unrecognized device is untouched.
    expect(await prisma.identity.count({ where: { organizationId: birch.organizationId, kind: 'alias' } })).toBe(0);
  });

});

describe('Who is at risk, as each person may see it', () => {
  it('lists a reason on the program page and in Programs’ At risk, only for programs the person may see', async () => {
    const { prisma } = app.database;
    const riley = maple.participants['Riley Chen']!;
    await prisma.followUp.create({ data: { organizationId: maple.organizationId, programId: maple.programId, participantId: riley, kind: 'outreach' } });
    const assigned = await staffMember(maple.organizationId, 'facilitator', 'Ada Assigned', [maple.programId]);
    const other = await staffMember(maple.organizationId, 'facilitator', 'Nell Nowhere');
    const birchOwner = await staffMember(birch.organizationId, 'owner', 'Bea Owner');

    const programPage = await today(assigned.cookie, `/programs/${maple.programId}`);
    expect(programPage).toMatch(new RegExp(`<li data-participant-id="${riley}"><a href="/participants/${riley}">Riley Chen</a> <span class="why">1 open follow-up</span></li>`));
    // Its open follow-ups say the kind in words, never the stored code.
    expect(programPage).toContain(`<li>Reach out for <a href="/participants/${riley}">Riley Chen</a>`);
    expect(programPage).not.toMatch(/>outreach for/);
    const list = await today(assigned.cookie, '/programs');
    expect(list).toContain('<h2 id="at-risk-heading">At risk</h2>');
    expect(list).toContain(`href="/participants/${riley}"`);

    // An unassigned facilitator and another clinic's owner see neither the program nor its people.
    for (const who of [other, birchOwner]) {
      const page = await today(who.cookie, '/programs');
      expect(page).not.toContain('Riley Chen');
      expect(page).not.toContain(maple.programId);
    }
    expect((await fetch(`${app.url}/programs/${maple.programId}`, { headers: { cookie: birchOwner.cookie } })).status).toBe(404);
  });
});
