/** A session is open to its meeting's events from 30 minutes before its start to 30 after its end. */
export const SESSION_MATCH_MARGIN_MS = 30 * 60_000;

/** The Prisma condition for sessions open to an event at `at`. */
export function sessionWindowAt(at: Date) {
  return {
    startsAt: { lte: new Date(at.getTime() + SESSION_MATCH_MARGIN_MS) },
    endsAt: { gte: new Date(at.getTime() - SESSION_MATCH_MARGIN_MS) },
  };
}
