import type { Logger } from 'pino';
import { z } from 'zod';
import type { ReportedStay } from '../../core/reconciliation.js';
import type { Db } from '../../db/database.js';
import type { AttendanceReportSource, ReportFetch, ReportSession } from '../../services/reconciliation.js';
import type { TeamsMeetingInfo } from './meeting-events.js';

export interface GraphAttendanceOptions {
  clientId: string;
  clientSecret: string;
  /** MICROSOFT_APP_TENANT_ID; the session's own tenant (from its meeting events) comes first. */
  defaultTenantId?: string;
  /** MICROSOFT_LOGIN_URL, e.g. https://login.microsoftonline.com. */
  loginUrl: string;
  /** GRAPH_API_URL, e.g. https://graph.microsoft.com/v1.0. */
  graphUrl: string;
  log: Logger;
  prisma: Db;
  fetch?: typeof fetch;
}

/** Graph publishes a report some minutes after the meeting (up to about two hours). */
export const GRAPH_FIRST_ATTEMPT_AFTER_MS = 15 * 60_000;
/** A report belongs to the session whose window (with this margin) holds the report's meeting start. */
const REPORT_MATCH_MARGIN_MS = 30 * 60_000;

const tokenSchema = z.object({ access_token: z.string(), expires_in: z.coerce.number().optional() });
const reportsSchema = z.object({ value: z.array(z.object({ id: z.string(), meetingStartDateTime: z.string().nullish(), meetingEndDateTime: z.string().nullish() })) });
const recordsSchema = z.object({
  value: z.array(
    z.object({
      id: z.string().nullish(),
      emailAddress: z.string().nullish(),
      identity: z.object({ id: z.string().nullish(), displayName: z.string().nullish() }).nullish(),
      attendanceIntervals: z.array(z.object({ joinDateTime: z.string().nullish(), leaveDateTime: z.string().nullish() })).nullish(),
    }),
  ),
  '@odata.nextLink': z.string().optional(),
});
type AttendanceRecord = z.infer<typeof recordsSchema>['value'][number];

class GraphError extends Error {
  constructor(
    readonly status: number,
    path: string,
  ) {
    super(`graph ${path}: HTTP ${status}`);
  }
}

/**
 * Microsoft Graph attendance reports as the post-meeting source for Teams sessions:
 * `GET /users/{organizer}/onlineMeetings/{meeting}/attendanceReports`, then each matching report's
 * `attendanceRecords`, one stay per attendance interval. Needs an app-only token with
 * OnlineMeetingArtifact.Read.All and an application access policy the tenant's admin grants for
 * the organizers; channel meetings have no reports (docs/teams.md).
 */
export function createGraphAttendanceSource(options: GraphAttendanceOptions): AttendanceReportSource {
  const http = options.fetch ?? fetch;
  const tokens = new Map<string, { token: string; expiresAt: number }>();

  async function tokenFor(tenantId: string): Promise<string> {
    const cached = tokens.get(tenantId);
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    const response = await http(`${options.loginUrl}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: options.clientId, client_secret: options.clientSecret, scope: 'https://graph.microsoft.com/.default', grant_type: 'client_credentials' }),
    });
    if (!response.ok) throw new GraphError(response.status, 'token');
    const body = tokenSchema.parse(await response.json());
    tokens.set(tenantId, { token: body.access_token, expiresAt: Date.now() + Math.max(60, (body.expires_in ?? 3600) - 60) * 1000 });
    return body.access_token;
  }

  async function get<T>(token: string, url: string, schema: z.ZodType<T>): Promise<T> {
    const response = await http(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    if (!response.ok) throw new GraphError(response.status, new URL(url).pathname.split('/').slice(-1)[0] ?? '');
    return schema.parse(await response.json());
  }

  function staysOf(records: AttendanceRecord[]): ReportedStay[] {
    return records.flatMap((record) => {
      const personKey = record.identity?.id || record.emailAddress?.toLowerCase() || record.id;
      if (!personKey) return [];
      const person = {
        ...(record.identity?.id ? { userId: record.identity.id } : {}),
        ...(record.identity?.displayName ? { displayName: record.identity.displayName } : {}),
        ...(record.emailAddress ? { email: record.emailAddress } : {}),
      };
      return (record.attendanceIntervals ?? []).flatMap((interval) => {
        const joinedAt = interval.joinDateTime ? new Date(interval.joinDateTime) : null;
        const leftAt = interval.leaveDateTime ? new Date(interval.leaveDateTime) : null;
        if (!joinedAt || !leftAt || Number.isNaN(joinedAt.getTime()) || Number.isNaN(leftAt.getTime())) return [];
        return [{ personKey, person, joinedAt, leftAt }];
      });
    });
  }

  async function fetchReport(session: ReportSession): Promise<ReportFetch> {
    const row = await options.prisma.session.findFirst({ where: { id: session.id, organizationId: session.organizationId }, select: { meetingInfo: true } });
    const info = (row?.meetingInfo ?? {}) as Partial<TeamsMeetingInfo>;
    if (info.channelMeeting) return { status: 'unavailable', reason: 'channel meetings have no Graph attendance report' };
    if (!info.organizerId || !info.onlineMeetingId) return { status: 'unavailable', reason: 'the meeting organizer or online meeting id is unknown (no meeting event with details reached Rollcall)' };
    const tenantId = info.tenantId ?? options.defaultTenantId;
    if (!tenantId) return { status: 'unavailable', reason: 'no tenant to ask Graph for a token (set MICROSOFT_APP_TENANT_ID)' };
    const base = `${options.graphUrl}/users/${encodeURIComponent(info.organizerId)}/onlineMeetings/${encodeURIComponent(info.onlineMeetingId)}/attendanceReports`;
    try {
      const token = await tokenFor(tenantId);
      const reports = await get(token, base, reportsSchema);
      const from = session.startsAt.getTime() - REPORT_MATCH_MARGIN_MS;
      const to = session.endsAt.getTime() + REPORT_MATCH_MARGIN_MS;
      // A recurring meeting has one report per occurrence: keep this session's.
      const mine = reports.value.filter((r) => {
        const start = r.meetingStartDateTime ? new Date(r.meetingStartDateTime).getTime() : NaN;
        return start >= from && start <= to;
      });
      if (mine.length === 0) return { status: 'not_ready' };
      const stays: ReportedStay[] = [];
      for (const report of mine) {
        let url: string | undefined = `${base}/${encodeURIComponent(report.id)}/attendanceRecords`;
        while (url) {
          const page: z.infer<typeof recordsSchema> = await get(token, url, recordsSchema);
          stays.push(...staysOf(page.value));
          url = page['@odata.nextLink'];
        }
      }
      return { status: 'ready', stays };
    } catch (error) {
      if (error instanceof GraphError && [400, 401, 403, 404].includes(error.status)) {
        options.log.warn({ sessionId: session.id, status: error.status }, 'graph attendance report refused');
        const reason =
          error.status === 404
            ? 'Graph does not know this online meeting'
            : `Graph refused (HTTP ${error.status}): check OnlineMeetingArtifact.Read.All consent and the application access policy`;
        return { status: 'unavailable', reason };
      }
      // 429, 5xx, network: the job asks again later.
      throw error;
    }
  }

  return { platform: 'teams', name: 'graph_attendance_report', firstAttemptAfterMs: GRAPH_FIRST_ATTEMPT_AFTER_MS, fetch: fetchReport };
}
