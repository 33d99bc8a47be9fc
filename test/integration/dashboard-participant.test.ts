import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../src/core/policy.js';
import { hashToken } from '../../src/crypto/token-hash.js';
import { writeAudit } from '../../src/services/audit.js';
import type { ParticipantMessenger } from '../../src/services/participant-messenger.js';
import { setSmsConsent } from '../../src/services/sms-consent.js';
import { csrfTokenFor } from '../../src/services/staff-sign-ins.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
const nobody: ParticipantMessenger = { send: async () => ({ messageId: 'never' }) };

beforeAll(async () => {
  // Teams and SMS messengers stand in, so the page can say which one Rollcall would use.
  app = await startTestApp({ platforms: [], messengers: { teams: nobody, sms: nobody } });
});
afterAll(async () => {
  await app?.stop();
});

type Role = 'owner' | 'admin' | 'facilitator' | 'viewer' | 'stranger';
interface Session {
  cookie: string;
  csrf: string;
  actor: string;
  name: string;
}
const DAY = 86_400_000;

/**
 * A clinic with one program, a participant with a past record (two unexcused no-shows, an absence
 * staff excused with a reason, a late join), a planned session, an open follow-up and audit entries;
 * a signed-in session per role (the facilitator assigned to the program, the stranger a facilitator
 * of none).
 */
async function clinic() {
  const prisma = app.database.prisma;
  const now = Date.now();
  const organization = await prisma.organization.create({ data: { name: 'Maple Clinic' } });
  const organizationId = organization.id;
  const program = await prisma.program.create({
    data: { organizationId, name: 'Adult IOP – Evening', timezone: 'America/New_York', policy: resolvePolicy({}), alertPlatform: 'slack', alertChannelId: 'C0STAFF' },
  });
  const participant = await prisma.participant.create({ data: { organizationId, name: 'Casey Morgan', email: 'casey@example.org', phone: '+14155550123' } });
  await prisma.identity.create({ data: { organizationId, participantId: participant.id, platform: 'teams', kind: 'aad_object_id', value: 'aad-casey' } });
  await prisma.enrollment.create({ data: { organizationId, programId: program.id, participantId: participant.id, enrolledAt: new Date(now - 40 * DAY) } });
  const sessionAt = async (days: number, status: string | null, extra: Record<string, unknown> = {}) => {
    const startsAt = new Date(now + days * DAY);
    const endsAt = new Date(startsAt.getTime() + 180 * 60_000);
    const past = days < 0;
    const session = await prisma.session.create({
      data: { organizationId, programId: program.id, startsAt, endsAt, meetingPlatform: 'zoom', meetingId: '85512345678', ...(past ? { startedAt: startsAt, endedAt: endsAt, finalizedAt: endsAt } : {}) },
    });
    if (status) await prisma.attendance.create({ data: { organizationId, sessionId: session.id, participantId: participant.id, status, final: past, minutesPresent: status === 'no_show' ? 0 : 160, ...extra } });
    return session;
  };
  const missedFirst = await sessionAt(-9, 'no_show');
  const excused = await sessionAt(-6, 'no_show', { overrideStatus: 'excused', overrideReason: 'called ahead', overriddenBy: 'admin-api:ADMIN_TOKEN' });
  const late = await sessionAt(-4, 'late', { flags: ['late', 'left_early'], firstJoinAt: undefined });
  await prisma.attendance.updateMany({ where: { sessionId: late.id }, data: { firstJoinAt: new Date(late.startsAt.getTime() + 12 * 60_000) } });
  const missedLast = await sessionAt(-2, 'no_show');
  const planned = await sessionAt(3, 'pending');
  const absence = await prisma.absence.create({
    data: { organizationId, programId: program.id, participantId: participant.id, sessionId: excused.id, category: 'transport', excused: true, reportedBy: 'staff', reportedVia: 'admin-api', reason: 'bus strike, called the front desk' },
  });
  await writeAudit(prisma, { organizationId, actor: 'admin-api:ADMIN_TOKEN', action: 'attendance.excuse', entityType: 'Absence', entityId: absence.id, data: { sessionId: excused.id, participantId: participant.id, category: 'transport' } });
  const followUp = await prisma.followUp.create({ data: { organizationId, programId: program.id, participantId: participant.id, kind: 'checkin', rule: 'ladder:2' } });
  await writeAudit(prisma, { organizationId, actor: 'system', action: 'follow_up.propose', entityType: 'FollowUp', entityId: followUp.id, data: { rule: 'ladder:2', kind: 'checkin', participantId: participant.id, programId: program.id } });

  const as = {} as Record<Role, Session>;
  for (const role of ['owner', 'admin', 'facilitator', 'viewer', 'stranger'] as const) {
    const name = `Someone ${role}`;
    const account = await prisma.staffAccount.create({ data: { organizationId, name, role: role === 'stranger' ? 'facilitator' : role, status: 'active' } });
    if (role === 'facilitator') await prisma.programAssignment.create({ data: { programId: program.id, staffAccountId: account.id } });
    const token = randomBytes(32).toString('base64url');
    const actor = `staff:${account.id}`;
    await prisma.staffSignIn.create({ data: { organizationId, staffAccountId: account.id, tokenHash: hashToken(token), method: 'slack', actor, expiresAt: new Date(now + 3_600_000) } });
    as[role] = { cookie: `rollcall_session=${token}`, csrf: csrfTokenFor(token), actor, name };
  }
  return { organizationId, programId: program.id, participantId: participant.id, sessions: { missedFirst, excused, late, missedLast, planned }, followUpId: followUp.id, as };
}

const post = (path: string, session: Session, form: Record<string, string>, csrf = session.csrf) =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, ...form }),
  });
const page = async (path: string, session: Session) => (await fetch(`${app.url}${path}`, { headers: { cookie: session.cookie } })).text();
const fieldError = (html: string, id: string) => new RegExp(`<p class="field-error" id="${id}-error">([^<]*)</p>`).exec(html)?.[1];
const section = (html: string, heading: string) => html.slice(html.indexOf(`id="${heading}"`), html.indexOf('</section>', html.indexOf(`id="${heading}"`)));
const audits = (organizationId: string, action: string) => app.database.prisma.auditLog.findMany({ where: { organizationId, action }, orderBy: { createdAt: 'asc' } });

describe('the participant page', () => {
  it('shows history newest first with Coming up apart, absences with their session and reason, strikes on the ladder, contact and the audit trail in words', async () => {
    const c = await clinic();
    const html = await page(`/participants/${c.participantId}`, c.as.viewer);

    const comingUp = section(html, 'coming-heading');
    expect(comingUp).toContain(`data-session-id="${c.sessions.planned.id}"`);
    const history = section(html, 'history-heading');
    expect(history).not.toContain(c.sessions.planned.id);
    const order = [c.sessions.missedLast, c.sessions.late, c.sessions.excused, c.sessions.missedFirst].map((s) => history.indexOf(`data-session-id="${s.id}"`));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(history).toContain('joined 12 min late; left early');
    expect(history).toContain('Excused<span class="staff-set"> (staff; detected No-show)');

    const absences = section(html, 'absences-heading');
    expect(absences).toMatch(/<strong>\w{3} \d{1,2} \w{3}, \d\d:\d\d<\/strong> · Adult IOP – Evening — transport, excused\./);
    expect(absences).toContain("Staff's reason: bus strike, called the front desk");

    const strikes = section(html, 'strikes-heading');
    expect(strikes).toContain('2 strikes in the last 30 days — a check-in at 2, a formal review at 3');
    expect(strikes).toContain(`<a href="/follow-ups#follow-up-${c.followUpId}">Check-in</a>`);

    const contact = section(html, 'contact-heading');
    expect(contact).toContain('+1 415 555 0123');
    expect(contact).toContain('In Microsoft Teams chat.');
    expect(contact).toContain('Has not agreed to texts.');

    const trail = section(html, 'audit-heading');
    expect(trail).toContain('Rollcall proposed a check-in (2 strikes)');
    expect(trail).toMatch(/Admin token excused the absence on \w{3} \d{1,2} \w{3}/);
    // No stored codes or actor keys on the page.
    for (const code of ['follow_up.propose', 'admin-api:', 'ADMIN_TOKEN', 'aad_object_id', 'no_chat_identity', 'formal_review']) expect(html).not.toContain(code);
    // A viewer reads, but gets no forms to change the record.
    expect(html).not.toContain(`action="/participants/${c.participantId}/notes"`);
  });

  it('says a participant on texts agreed, and which channel follows the organization order; STOP is said in words', async () => {
    const c = await clinic();
    const prisma = app.database.prisma;
    await prisma.organization.update({ where: { id: c.organizationId }, data: { settings: { participantChatOrder: ['sms', 'teams'] } } });
    // No consent yet: Teams, though SMS comes first.
    expect(section(await page(`/participants/${c.participantId}`, c.as.owner), 'contact-heading')).toContain('data-channel="teams"');

    const response = await post(`/participants/${c.participantId}/sms-consent`, c.as.facilitator, { consent: 'yes' });
    expect(response.status).toBe(303);
    expect(await prisma.participant.findUniqueOrThrow({ where: { id: c.participantId } })).toMatchObject({ smsConsent: true, smsConsentSource: 'staff' });
    expect(await audits(c.organizationId, 'participant.sms_consent')).toEqual([expect.objectContaining({ actor: c.as.facilitator.actor, entityId: c.participantId, data: { source: 'staff' } })]);
    let contact = section(await page(`/participants/${c.participantId}`, c.as.owner), 'contact-heading');
    expect(contact).toContain('By text message to +1 415 555 0123.');
    expect(contact).toMatch(/Agreed to texts on \w{3} \d{1,2} \w{3}, \d\d:\d\d \(recorded by Someone facilitator\)\./);

    await setSmsConsent(prisma, { organizationId: c.organizationId, participantId: c.participantId, consent: false, source: 'stop_keyword', actor: `sms:${c.participantId}`, at: new Date() });
    const html = await page(`/participants/${c.participantId}`, c.as.owner);
    contact = section(html, 'contact-heading');
    expect(contact).toMatch(/Stopped texts on \w{3} \d{1,2} \w{3}, \d\d:\d\d by replying STOP\./);
    expect(contact).toContain('data-channel="teams"');
    expect(section(html, 'audit-heading')).toContain('Casey Morgan stopped texts by replying STOP');

    // Already recorded: nothing changes, nothing audited.
    expect((await post(`/participants/${c.participantId}/sms-consent`, c.as.owner, { consent: 'no' })).headers.get('location')).toContain('saved=sms-same');
    expect(await audits(c.organizationId, 'participant.sms_opt_out')).toHaveLength(1);
  });

  it('changes the phone from Edit details: validated, shown nicely, consent withdrawn for a new number, audited', async () => {
    const c = await clinic();
    const prisma = app.database.prisma;
    await setSmsConsent(prisma, { organizationId: c.organizationId, participantId: c.participantId, consent: true, source: 'intake_form', actor: 'system', at: new Date() });
    const bad = await post(`/participants/${c.participantId}/edit`, c.as.owner, { name: 'Casey Morgan', email: 'casey@example.org', timezone: '', phone: '555-0123' });
    expect(bad.status).toBe(400);
    expect(fieldError(await bad.text(), 'edit-phone')).toMatch(/country code/);
    expect((await post(`/participants/${c.participantId}/edit`, c.as.owner, { name: 'Casey Morgan', email: 'casey@example.org', timezone: '', phone: '+44 7911 123456' })).status).toBe(303);
    expect(await prisma.participant.findUniqueOrThrow({ where: { id: c.participantId } })).toMatchObject({ phone: '+447911123456', smsConsent: false });
    expect(await audits(c.organizationId, 'participant.phone')).toEqual([expect.objectContaining({ actor: c.as.owner.actor, data: { set: true } })]);
    const html = await page(`/participants/${c.participantId}`, c.as.owner);
    expect(html).toContain('+44 7911 123456');
    expect(section(html, 'audit-heading')).toContain('Someone owner changed their phone number');
    expect((await post(`/participants/${c.participantId}/edit`, c.as.facilitator, { name: 'X', email: '', timezone: '', phone: '' })).status).toBe(403);
  });

  it('adds and removes identities: validated, duplicates refused with a clear error, audited without the value', async () => {
    const c = await clinic();
    const prisma = app.database.prisma;
    const path = `/participants/${c.participantId}/identities`;
    const add = await post(path, c.as.facilitator, { platform: 'zoom', kind: 'email', value: 'Casey.M@Example.org' });
    expect(add.status).toBe(303);
    const identity = await prisma.identity.findFirstOrThrow({ where: { participantId: c.participantId, platform: 'zoom' } });
    expect(identity).toMatchObject({ organizationId: c.organizationId, kind: 'email', value: 'casey.m@example.org' });
    const [entry] = await audits(c.organizationId, 'identity.add');
    expect(entry).toMatchObject({ actor: c.as.facilitator.actor, entityId: c.participantId, data: { identityId: identity.id, platform: 'zoom', kind: 'email' } });
    expect(JSON.stringify(entry!.data)).not.toContain('example.org');
    expect((await post(path, c.as.owner, { platform: 'teams', kind: 'alias', value: 'Casey  M' })).status).toBe(303);
    expect(await prisma.identity.count({ where: { participantId: c.participantId, platform: 'teams', kind: 'alias', value: 'casey m' } })).toBe(1);

    const again = await post(path, c.as.owner, { platform: 'zoom', kind: 'email', value: 'casey.m@example.org' });
    expect(again.status).toBe(409);
    expect(fieldError(await again.text(), 'identity-value')).toBe('They already have this id.');
    const other = await prisma.participant.create({ data: { organizationId: c.organizationId, name: 'Blake Rivera' } });
    const theirs = await post(`/participants/${other.id}/identities`, c.as.owner, { platform: 'teams', kind: 'account', value: 'aad-casey' });
    expect(theirs.status).toBe(409);
    expect(fieldError(await theirs.text(), 'identity-value')).toBe('This id already belongs to another participant in your clinic.');

    const badEmail = await post(path, c.as.owner, { platform: 'zoom', kind: 'email', value: 'not an email' });
    expect(badEmail.status).toBe(400);
    const badPage = await badEmail.text();
    expect(fieldError(badPage, 'identity-value')).toMatch(/Enter an email address/);
    expect(badPage).toContain('value="not an email"');
    const zoomOnly = await post(path, c.as.owner, { platform: 'teams', kind: 'registrant_id', value: 'abc123' });
    expect(zoomOnly.status).toBe(400);
    expect(fieldError(await zoomOnly.text(), 'identity-kind')).toMatch(/Zoom’s only/);
    expect((await post(path, c.as.owner, { platform: 'sms', kind: 'account', value: 'x' })).status).toBe(400);
    expect(await prisma.identity.count({ where: { participantId: c.participantId } })).toBe(3);

    const page1 = await page(`/participants/${c.participantId}`, c.as.owner);
    expect(section(page1, 'identities-heading')).toContain('Zoom email address: <code>casey.m@example.org</code>');
    expect(section(page1, 'audit-heading')).toContain('Someone facilitator added their Zoom email address');

    const removed = await post(`${path}/${identity.id}/remove`, c.as.admin, {});
    expect(removed.status).toBe(303);
    expect(await prisma.identity.count({ where: { id: identity.id } })).toBe(0);
    expect(await audits(c.organizationId, 'identity.remove')).toEqual([expect.objectContaining({ actor: c.as.admin.actor, data: { identityId: identity.id, platform: 'zoom', kind: 'email' } })]);
    // An identity of someone else is not removable through this participant.
    const blakes = await prisma.identity.create({ data: { organizationId: c.organizationId, participantId: other.id, platform: 'zoom', kind: 'user_id', value: 'zoom-blake' } });
    expect((await post(`${path}/${blakes.id}/remove`, c.as.admin, {})).status).toBe(404);
    expect(await prisma.identity.count({ where: { id: blakes.id } })).toBe(1);
  });

  it('adds a note with its author and time; the audit entry holds its id, never its words', async () => {
    const c = await clinic();
    const prisma = app.database.prisma;
    const text = 'Mentioned a new job with evening shifts;\nask about the morning group.';
    // As a browser sends a textarea: line breaks as CRLF.
    expect((await post(`/participants/${c.participantId}/notes`, c.as.facilitator, { text: text.replace('\n', '\r\n') })).status).toBe(303);
    const note = await prisma.participantNote.findFirstOrThrow({ where: { participantId: c.participantId } });
    expect(note).toMatchObject({ organizationId: c.organizationId, author: c.as.facilitator.actor, text });
    const [entry] = await audits(c.organizationId, 'participant.note_add');
    expect(entry).toMatchObject({ actor: c.as.facilitator.actor, entityId: c.participantId, data: { noteId: note.id } });
    expect(JSON.stringify(entry)).not.toContain('evening shifts');
    const notes = section(await page(`/participants/${c.participantId}`, c.as.viewer), 'notes-heading');
    expect(notes).toContain('<strong>Someone facilitator</strong>');
    expect(notes).toContain(text);

    const control = await post(`/participants/${c.participantId}/notes`, c.as.owner, { text: 'bell \u0007' });
    expect(control.status).toBe(400);
    const empty = await post(`/participants/${c.participantId}/notes`, c.as.owner, { text: '   ' });
    expect(empty.status).toBe(400);
    expect(fieldError(await empty.text(), 'note-text')).toMatch(/Write the note/);
    expect(await prisma.participantNote.count({ where: { participantId: c.participantId } })).toBe(1);
  });

  it('refuses every form without the CSRF token, to viewers (403), and to a facilitator of other programs or another clinic (404), changing nothing', async () => {
    const c = await clinic();
    const other = await clinic();
    const prisma = app.database.prisma;
    const identity = await prisma.identity.findFirstOrThrow({ where: { participantId: c.participantId } });
    const forms: [string, Record<string, string>][] = [
      [`/participants/${c.participantId}/identities`, { platform: 'zoom', kind: 'account', value: 'zoom-casey' }],
      [`/participants/${c.participantId}/identities/${identity.id}/remove`, {}],
      [`/participants/${c.participantId}/notes`, { text: 'a note' }],
      [`/participants/${c.participantId}/sms-consent`, { consent: 'yes' }],
    ];
    const snapshot = async () => ({
      identities: await prisma.identity.count({ where: { participantId: c.participantId } }),
      notes: await prisma.participantNote.count({ where: { participantId: c.participantId } }),
      consent: (await prisma.participant.findUniqueOrThrow({ where: { id: c.participantId } })).smsConsent,
      audit: await prisma.auditLog.count({ where: { organizationId: c.organizationId } }),
    });
    const before = await snapshot();
    for (const [path, form] of forms) {
      expect((await post(path, c.as.owner, form, 'not-the-token')).status).toBe(403);
      expect((await post(path, c.as.viewer, form)).status).toBe(403);
      expect((await post(path, c.as.stranger, form)).status).toBe(404);
      expect((await post(path, other.as.owner, form)).status).toBe(404);
    }
    expect((await fetch(`${app.url}/participants/${c.participantId}`, { headers: { cookie: other.as.owner.cookie } })).status).toBe(404);
    expect((await fetch(`${app.url}/participants/${c.participantId}`, { headers: { cookie: c.as.stranger.cookie } })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });
});
