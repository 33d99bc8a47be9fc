import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParticipantMessage } from '../../src/core/participant-message.js';
import type { ParticipantMessenger, ParticipantTarget } from '../../src/services/participant-messenger.js';
import { DeliveryError } from '../../src/services/notifier.js';
import { createShiftClock } from '../support/shift-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitForDrain } from '../support/wait-for-drain.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Reminders and weekly progress at the right local times. The app clock is set a few seconds
 * before the due instant; the jobs are pg-boss jobs started at the real instant the clock reads it.
 */
const clock = createShiftClock();
const sent: { target: ParticipantTarget; message: ParticipantMessage; at: Date }[] = [];
const messenger: ParticipantMessenger = {
  async send(target, message) {
    if (target.userId === 'aad-gone') throw new DeliveryError('user not found', false);
    sent.push({ target, message, at: clock.now() });
    return { messageId: `m${sent.length}` };
  },
};
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ clock, messengers: { teams: messenger }, platforms: [] });
});
afterAll(() => app?.stop());

const to = (userId: string) => sent.filter((s) => s.target.userId === userId && !s.message.text.includes('Here is how attendance works'));

describe('reminders and weekly progress', () => {
  it('reminds each expected participant 30 minutes before with the join link, and sends weekly progress at their local Monday 14:30', async () => {
    // Monday 9 March 2026, the first week of US daylight saving time.
    const sessionStart = DateTime.fromISO('2026-03-09T18:00', { zone: 'America/New_York' });
    const due = sessionStart.minus({ minutes: 30 }); // 21:30Z, which is 14:30 in Los Angeles
    clock.set(due.minus({ seconds: 4 }).toJSDate());
    const program = await app.api('POST', '/api/v1/programs', {
      name: 'Evening IOP',
      timezone: 'America/New_York',
      alertChannel: { platform: 'teams', channelId: '19:staff@thread.tacv2' },
      policy: { reminderMinutesBefore: 30, weeklyProgress: { weekday: 1, time: '14:30' }, weeklyHoursRequired: 3 },
    });
    const enrol = async (name: string, user: string, timezone: string) =>
      (await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, { name, timezone, identities: [{ platform: 'teams', externalId: user }], enrolledAt: '2026-03-01T00:00:00Z' })).body.id as string;
    await enrol('Lee Morgan', 'aad-lee', 'America/Los_Angeles');
    const away = await enrol('Kai Silva', 'aad-kai', 'America/Los_Angeles');
    await enrol('Noor Haddad', 'aad-noor', 'America/New_York');
    const session = await app.api('POST', `/api/v1/programs/${program.body.id}/sessions`, {
      startsAt: sessionStart.toISO(),
      endsAt: sessionStart.plus({ hours: 3 }).toISO(),
      meeting: { platform: 'zoom', meetingId: '89200000001', joinUrl: 'https://zoom.us/j/89200000001' },
    });
    expect(session.status).toBe(201);
    // Kai said they will miss it: no reminder for them.
    await app.database.prisma.absence.create({ data: { organizationId: app.organizationId, programId: program.body.id, participantId: away, sessionId: session.body.id, category: 'illness', excused: true, reportedBy: 'participant' } });
    expect(to('aad-lee')).toHaveLength(0);

    const reminder = await waitFor(() => to('aad-lee').find((s) => s.message.text.includes('friendly reminder')), 10_000, 'the reminder');
    expect(reminder.at.getTime()).toBeGreaterThanOrEqual(due.toMillis());
    expect(reminder.at.getTime()).toBeLessThan(due.toMillis() + 5000);
    // In Lee's own zone: 15:00 in Los Angeles.
    expect(reminder.message.text).toContain('Evening IOP starts at 15:00 (in 30 minutes)');
    expect(reminder.message.text).toContain('Join here: https://zoom.us/j/89200000001');
    await waitFor(() => to('aad-noor').find((s) => s.message.text.includes('friendly reminder')), 5000, "Noor's reminder");

    const weekly = await waitFor(() => to('aad-lee').find((s) => s.message.text.includes('here is your week')), 10_000, 'the weekly progress');
    expect(weekly.at.getTime()).toBeGreaterThanOrEqual(due.toMillis());
    expect(weekly.message.text).toContain('0 min of 3 h so far');
    expect(weekly.message.text).toContain('1 session ahead this week; the next is Mon 9 Mar at 15:00');

    // Settle: nothing more comes, nothing twice; Noor's 14:30 in New York was hours ago (next Monday).
    await waitForDrain(app);
    expect(to('aad-kai').filter((s) => s.message.text.includes('friendly reminder'))).toHaveLength(0);
    expect(to('aad-lee').filter((s) => s.message.text.includes('friendly reminder'))).toHaveLength(1);
    expect(to('aad-lee').filter((s) => s.message.text.includes('here is your week'))).toHaveLength(1);
    expect(to('aad-noor').filter((s) => s.message.text.includes('here is your week'))).toHaveLength(0);
    const rows = await app.database.prisma.participantOutboxMessage.findMany({ where: { organizationId: app.organizationId, purpose: 'reminder' } });
    expect(rows.map((r) => r.state)).toEqual(['sent', 'sent']);
  });

  it('records a permanent refusal as failed (not retried), and expires a message that would arrive too late', async () => {
    const program = await app.api('POST', '/api/v1/programs', { name: 'Outbox group', timezone: 'America/New_York', alertChannel: { platform: 'teams', channelId: '19:outbox@thread.tacv2' } });
    const gone = await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, { name: 'Gale Gone', identities: [{ platform: 'teams', externalId: 'aad-gone' }] });
    const failed = await waitFor(async () => {
      const read = await app.api('GET', `/api/v1/participants/${gone.body.id}/messages`);
      return read.body.messages.find((m: { state: string }) => m.state === 'failed');
    }, 8000, 'the failed intake');
    expect(failed).toMatchObject({ purpose: 'intake', attempts: 1, lastError: 'user not found', platform: 'teams' });

    const late = await app.api('POST', `/api/v1/programs/${program.body.id}/participants`, { name: 'Lou Late', identities: [{ platform: 'teams', externalId: 'aad-late' }] });
    const row = await app.database.prisma.participantOutboxMessage.create({
      data: { organizationId: app.organizationId, participantId: late.body.id, dedupeKey: `test-expired:${late.body.id}`, purpose: 'reminder', platform: 'teams', platformUserId: 'aad-late', message: { text: 'starts in 30 minutes', choices: [] }, expiresAt: new Date(clock.now().getTime() - 60_000) },
    });
    await app.boss.send('participant.deliver', { id: row.id });
    await waitFor(async () => (await app.database.prisma.participantOutboxMessage.findUnique({ where: { id: row.id } }))?.state === 'expired', 8000, 'expired');
    expect(sent.some((s) => s.message.text === 'starts in 30 minutes')).toBe(false);
  });
});
