import { describe, expect, it } from 'vitest';
import { startTestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';

describe('a restart', () => {
  it('keeps programs, participants and planned sessions', async () => {
    const databaseUrl = await createTestDatabase();
    const first = await startTestApp({ databaseUrl });
    const program = await first.api('POST', '/api/v1/programs', { name: 'Kept', timezone: 'Europe/London', alertChannel: { platform: 'teams', channelId: '19:abc' } });
    await first.api('POST', `/api/v1/programs/${program.body.id}/participants`, { name: 'Alex Kim' });
    const schedule = await first.api('POST', `/api/v1/programs/${program.body.id}/schedules`, {
      rrule: 'FREQ=DAILY',
      startTime: '10:00',
      durationMinutes: 60,
      meeting: { platform: 'teams', meetingId: 'MCM-1' },
    });
    await first.stop();

    const second = await startTestApp({ databaseUrl });
    try {
      expect((await second.api('GET', `/api/v1/programs/${program.body.id}`)).body.name).toBe('Kept');
      expect((await second.api('GET', `/api/v1/programs/${program.body.id}/participants`)).body.participants).toHaveLength(1);
      const sessions = await second.api('GET', `/api/v1/programs/${program.body.id}/sessions`);
      expect(sessions.body.sessions.map((s: { id: string }) => s.id)).toEqual(schedule.body.sessions.map((s: { id: string }) => s.id));
    } finally {
      await second.stop();
    }
  });
});
