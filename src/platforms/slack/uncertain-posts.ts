/**
 * Alerts whose last post attempt ended without a clear answer (a timeout, a 5xx): before posting
 * one again, the channel's history is searched for it. Entries older than the history lookback are
 * dropped, since the search could not find such a post anyway.
 */
export function createUncertainPosts(lookbackMs: number, now: () => number) {
  /** alert id → when its last post attempt ended without a clear answer. */
  const attempts = new Map<string, number>();
  return {
    has: (alertId: string) => attempts.has(alertId),
    mark(alertId: string) {
      const cutoff = now() - lookbackMs;
      for (const [id, at] of attempts) if (at < cutoff) attempts.delete(id);
      attempts.set(alertId, now());
    },
    forget: (alertId: string) => void attempts.delete(alertId),
  };
}
