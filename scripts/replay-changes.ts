/** The admin API of one running instance, as the replay reads it. */
export interface AdminApi {
  get(route: string): Promise<any>;
}

interface SessionView {
  id: string;
  label: string;
  /** participantId → "status [flags]" and the person's name. */
  attendance: Map<string, { name: string; value: string }>;
  /** alert id → "kind subject: state". */
  alerts: Map<string, { kind: string; subject: string; state: string }>;
}

export type Snapshot = Map<string, SessionView>;

const DAY_MS = 86_400_000;
// The window services/presence/session-window.ts opens around a session.
const MARGIN_MS = 30 * 60_000;

/** Every session of the admin token's organization open to an event at `at`, with its attendance and alerts now. */
export async function takeSnapshot(api: AdminApi, at: Date): Promise<Snapshot> {
  const snapshot: Snapshot = new Map();
  const from = new Date(at.getTime() - DAY_MS).toISOString();
  const to = new Date(at.getTime() + MARGIN_MS).toISOString();
  const { programs } = await api.get('/api/v1/programs');
  for (const program of programs as { id: string; name: string }[]) {
    const { sessions } = await api.get(`/api/v1/programs/${program.id}/sessions?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    for (const session of sessions as { id: string; startsAt: string; endsAt: string; meeting?: { platform: string; meetingId: string } }[]) {
      if (new Date(session.endsAt).getTime() < at.getTime() - MARGIN_MS) continue;
      snapshot.set(session.id, await viewSession(api, session, program.name));
    }
  }
  return snapshot;
}

async function viewSession(api: AdminApi, session: { id: string; startsAt: string; meeting?: { platform: string; meetingId: string } }, programName: string): Promise<SessionView> {
  const [{ attendance }, { alerts }] = await Promise.all([api.get(`/api/v1/sessions/${session.id}/attendance`), api.get(`/api/v1/sessions/${session.id}/alerts`)]);
  const meeting = session.meeting ? ` (${session.meeting.platform} ${session.meeting.meetingId})` : '';
  return {
    id: session.id,
    label: `${programName}, ${session.startsAt}${meeting}`,
    // Live minutes grow by themselves: status and flags are what an event changes.
    attendance: new Map(
      (attendance as { participantId: string; name: string; status: string; flags: string[] }[]).map((row) => [row.participantId, { name: row.name, value: [row.status, ...row.flags].join(' ') }]),
    ),
    alerts: new Map((alerts as { id: string; kind: string; subjectKey: string; participantId: string | null; state: string }[]).map((a) => [a.id, { kind: a.kind, subject: a.participantId ?? a.subjectKey, state: a.state }])),
  };
}

/** What differs between two snapshots, one line each, grouped by session; empty when nothing did. */
export function describeChanges(before: Snapshot, after: Snapshot): string[] {
  const lines: string[] = [];
  for (const [id, now] of after) {
    const was = before.get(id);
    const changed: string[] = [];
    for (const [participantId, row] of now.attendance) {
      const previous = was?.attendance.get(participantId)?.value;
      if (previous !== row.value) changed.push(`  attendance  ${row.name}: ${previous ?? '(none)'} → ${row.value}`);
    }
    for (const [alertId, alert] of now.alerts) {
      const previous = was?.alerts.get(alertId);
      const subject = now.attendance.get(alert.subject)?.name ?? alert.subject;
      if (!previous) changed.push(`  alert       + ${alert.kind} · ${subject} (${alert.state})`);
      else if (previous.kind !== alert.kind || previous.state !== alert.state) changed.push(`  alert       ~ ${previous.kind} ${previous.state} → ${alert.kind} ${alert.state} · ${subject}`);
    }
    if (changed.length > 0) lines.push(`session ${id} — ${now.label}`, ...changed);
  }
  return lines;
}
