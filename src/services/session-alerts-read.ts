import type { Db } from '../db/database.js';

/** One alert of a session as the admin API shows it: what it is about and how far its delivery got; no message text. */
export interface SessionAlertRow {
  id: string;
  kind: string;
  topic: string;
  state: string;
  subjectKey: string;
  participantId: string | null;
  version: number;
  deliveryState: string;
  channel: { platform: string; channelId: string };
  createdAt: Date;
  updatedAt: Date;
}

/** The session's alerts, oldest first; null when the organization has no such session. */
export async function readSessionAlerts(prisma: Db, organizationId: string, sessionId: string): Promise<SessionAlertRow[] | null> {
  const session = await prisma.session.findFirst({ where: { id: sessionId, organizationId }, select: { id: true } });
  if (!session) return null;
  const alerts = await prisma.alert.findMany({ where: { organizationId, sessionId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 1000 });
  return alerts.map((a) => ({
    id: a.id,
    kind: a.kind,
    topic: a.topic,
    state: a.state,
    subjectKey: a.subjectKey,
    participantId: a.participantId,
    version: a.version,
    deliveryState: a.deliveryState,
    channel: { platform: a.platform, channelId: a.channelId },
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  }));
}
