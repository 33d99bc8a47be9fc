import type { Prisma } from '../generated/prisma/client.js';
import type { Db } from '../db/database.js';

type Reader = Db | Prisma.TransactionClient;

/** An alert with the program whose channel it belongs to, and its session when it has one. */
export async function loadAlertContext(db: Reader, alertId: string) {
  const alert = await db.alert.findUnique({ where: { id: alertId }, include: { session: { include: { program: true } } } });
  if (!alert) return null;
  const program = alert.session?.program ?? (alert.programId ? await db.program.findFirst({ where: { id: alert.programId, organizationId: alert.organizationId } }) : null);
  if (!program) return null;
  return { alert, program, session: alert.session };
}

export type AlertContext = NonNullable<Awaited<ReturnType<typeof loadAlertContext>>>;
