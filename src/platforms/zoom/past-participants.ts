import type { Logger } from 'pino';
import { z } from 'zod';
import type { ReportedStay } from '../../core/reconciliation.js';
import type { AttendanceReportSource, ReportFetch } from '../../services/reconciliation.js';
import { ZoomHttpError, zoomRequest } from './zoom-http.js';

const participantRowSchema = z.looseObject({
  id: z.string().nullish(),
  user_id: z.string().nullish(),
  name: z.string().nullish(),
  user_email: z.string().nullish(),
  join_time: z.iso.datetime({ offset: true }),
  leave_time: z.iso.datetime({ offset: true }),
  registrant_id: z.string().nullish(),
});

const pageSchema = z.looseObject({
  participants: z.array(z.unknown()).default([]),
  next_page_token: z.string().nullish(),
});

/**
 * Zoom's meeting UUIDs may contain `/`; one that starts with `/` or contains `//` must be
 * URL-encoded twice in a path, as Zoom documents.
 */
export function encodeMeetingUuid(uuid: string): string {
  const once = encodeURIComponent(uuid);
  return uuid.startsWith('/') || uuid.includes('//') ? encodeURIComponent(once) : once;
}

const nonEmpty = (value: string | null | undefined) => (value && value.trim() ? value.trim() : undefined);

function toStay(row: z.output<typeof participantRowSchema>): ReportedStay | null {
  const userId = nonEmpty(row.id);
  const personKey = nonEmpty(row.user_id) ?? userId ?? nonEmpty(row.registrant_id) ?? nonEmpty(row.name);
  if (!personKey) return null;
  const person = Object.fromEntries(
    Object.entries({ displayName: nonEmpty(row.name), email: nonEmpty(row.user_email), userId, registrantId: nonEmpty(row.registrant_id) }).filter(([, v]) => v !== undefined),
  );
  return { personKey, person, joinedAt: new Date(row.join_time), leftAt: new Date(row.leave_time) };
}

export const ZOOM_REPORT_FIRST_ATTEMPT_MS = 5 * 60_000;

/**
 * Zoom's past-meeting participants (one row per join segment) for the session's meeting instance,
 * with the installation's token. Without an installation there is nothing to ask; Zoom answers 404
 * (or 400 code 3001) until the report exists.
 */
export function createZoomPastParticipantsSource(deps: {
  apiUrl: string;
  log: Logger;
  accountOf(organizationId: string): Promise<string | null>;
  accessToken(accountId: string): Promise<string | null>;
}): AttendanceReportSource {
  return {
    platform: 'zoom',
    name: 'zoom_past_participants',
    firstAttemptAfterMs: ZOOM_REPORT_FIRST_ATTEMPT_MS,
    async fetch(session): Promise<ReportFetch> {
      const accountId = await deps.accountOf(session.organizationId);
      let token: string | null = null;
      try {
        token = accountId ? await deps.accessToken(accountId) : null;
      } catch (error) {
        // Zoom refused the refresh token: the installation must be renewed; retrying will not help.
        if (error instanceof ZoomHttpError && !error.retryable) return { status: 'unavailable', reason: `zoom refused the token refresh (${error.status}); reinstall the app` };
        throw error;
      }
      if (!token) return { status: 'unavailable', reason: 'zoom app not installed for this organization' };
      const meeting = encodeMeetingUuid(session.meetingInstanceId ?? session.meetingId);
      const stays: ReportedStay[] = [];
      let pageToken: string | undefined;
      try {
        for (let page = 0; page < 50; page += 1) {
          const query = new URLSearchParams({ page_size: '300', ...(pageToken ? { next_page_token: pageToken } : {}) });
          const answer = pageSchema.parse(await zoomRequest(`${deps.apiUrl}/past_meetings/${meeting}/participants?${query}`, { authorization: `Bearer ${token}` }));
          for (const raw of answer.participants) {
            const row = participantRowSchema.safeParse(raw);
            const stay = row.success ? toStay(row.data) : null;
            if (stay) stays.push(stay);
          }
          pageToken = nonEmpty(answer.next_page_token);
          if (!pageToken) break;
        }
      } catch (error) {
        if (error instanceof ZoomHttpError && (error.status === 404 || error.zoomCode === 3001)) return { status: 'not_ready' };
        if (error instanceof ZoomHttpError && error.retryable) return { status: 'not_ready' };
        if (error instanceof ZoomHttpError) return { status: 'unavailable', reason: `zoom answered ${error.status}` };
        throw error;
      }
      deps.log.info({ sessionId: session.id, rows: stays.length }, 'zoom past participants fetched');
      return { status: 'ready', stays };
    },
  };
}
