import type { SessionFacts } from './attendance-types.js';
import type { Policy } from './policy.js';
import type { PresenceEvent } from './presence-event.js';

export const MINUTE_MS = 60_000;

/** A continuous stay in the session: one or more devices, with short gaps bridged. Times are unclipped. */
export interface Stay {
  /** The first join of the stay; for a stay known only by its leave, the effective start. */
  joinedAt: Date;
  /** The leave that ended it; missing while the person is still in (or the meeting ended with them in it). */
  leftAt?: Date;
  /** The ending leave was a dropped connection. */
  connectionLost: boolean;
  /** The stay is known only from its leave: the join event was missed. */
  joinInferred: boolean;
  /** Leaves followed by a rejoin within the rejoin window, bridged into this stay. */
  gaps: { leftAt: Date; rejoinedAt: Date; connectionLost: boolean }[];
}

export interface WaitingRoomStay {
  enteredAt: Date;
  /** Admitted, left the waiting room, or joined; missing while still waiting. */
  endedAt?: Date;
  /** Time waited inside the session window, up to now. */
  msWaited: number;
  /** The wait ended with admission (or a join), not by leaving the waiting room. */
  admitted: boolean;
}

export interface Departure {
  at: Date;
  connectionLost: boolean;
  /** A rejoin at or before this instant is bridged; the rejoin window never runs past the session's end. */
  rejoinWindowClosesAt: Date;
}

export interface Presence {
  /** Stays that overlap the session, in order. */
  stays: Stay[];
  /** First actual join (unclipped), or the effective start when only a leave was seen. */
  firstJoinAt: Date | null;
  /** The only evidence of joining is a leave (the join event was missed). */
  joinInferred: boolean;
  /** When the person last left, if they are not in the session now (the meeting's end if it ended with them in it). */
  lastLeaveAt: Date | null;
  presentNow: boolean;
  msPresent: number;
  minutesPresent: number;
  reconnected: boolean;
  connectionLost: boolean;
  /** The leave that ended the last stay, when a leave (not the meeting's end) did. */
  lastDeparture?: Departure;
  /** The last departure while its rejoin window is still open. */
  pendingLeave?: Departure;
  waitingRoom: { stays: WaitingRoomStay[]; longest?: WaitingRoomStay; current?: WaitingRoomStay };
}

/**
 * The span people could actually attend: nobody can join before the host starts the meeting, and
 * nobody can stay after the host ends it (DESIGN.md, "Attendance rules").
 */
export function effectiveWindow(session: SessionFacts): { start: Date; end: Date } {
  const start = session.startedAt && session.startedAt > session.startsAt ? session.startedAt : session.startsAt;
  const end = session.endedAt && session.endedAt < session.endsAt ? session.endedAt : session.endsAt;
  return { start, end };
}

export function buildPresence(events: PresenceEvent[], session: SessionFacts, policy: Policy, now: Date): Presence {
  const { start, end } = effectiveWindow(session);
  const countFrom = session.startsAt.getTime();
  const countUntil = Math.min(now.getTime(), end.getTime());
  const rejoinMs = policy.rejoinWindowMinutes * MINUTE_MS;
  const devices = groupByDevice(events);

  // A leave into a breakout room is not a leave; a breakout join opens a stay only if the main join was missed.
  const spans = devices.flatMap((list) => spansOf(list, (e) => e.kind === 'joined', (e) => e.kind === 'left' && !e.breakout, start));
  const stays = mergeSpans(spans, rejoinMs).filter(
    (stay) => stay.joinedAt < end && (stay.leftAt === undefined || stay.leftAt.getTime() > countFrom),
  );

  let msPresent = 0;
  for (const stay of stays) {
    const from = Math.max(stay.joinedAt.getTime(), countFrom);
    const to = Math.min(stay.leftAt?.getTime() ?? countUntil, countUntil);
    msPresent += Math.max(0, to - from);
  }

  // Flags describe leaves during the session: a drop before it starts or after it ends changes nothing.
  const inSession = (at: Date) => at.getTime() >= countFrom && at < end;
  const gaps = stays.flatMap((stay) => stay.gaps).filter((gap) => inSession(gap.leftAt));
  const last = stays.at(-1);
  const meetingOver = session.endedAt !== undefined && session.endedAt <= now;
  const presentNow = last !== undefined && last.leftAt === undefined && !meetingOver;
  const lastDeparture: Departure | undefined =
    last?.leftAt && !presentNow
      ? {
          at: last.leftAt,
          connectionLost: last.connectionLost,
          rejoinWindowClosesAt: new Date(Math.min(last.leftAt.getTime() + rejoinMs, end.getTime())),
        }
      : undefined;
  const first = stays[0];

  const presence: Presence = {
    stays,
    firstJoinAt: first?.joinedAt ?? null,
    joinInferred: first?.joinInferred ?? false,
    lastLeaveAt: presentNow || !last ? null : (last.leftAt ?? session.endedAt ?? null),
    presentNow,
    msPresent,
    minutesPresent: Math.floor(msPresent / MINUTE_MS),
    reconnected: gaps.length > 0,
    connectionLost: gaps.some((gap) => gap.connectionLost) || (lastDeparture !== undefined && lastDeparture.connectionLost && inSession(lastDeparture.at)),
    waitingRoom: buildWaitingRoom(devices, countFrom, countUntil, now < end),
  };
  if (lastDeparture) presence.lastDeparture = lastDeparture;
  if (lastDeparture && now < lastDeparture.rejoinWindowClosesAt) presence.pendingLeave = lastDeparture;
  return presence;
}

interface Span {
  from: Date;
  to?: Date;
  /** The close was a dropped connection. */
  connectionLost?: true;
  inferred?: true;
}

/** Events per device, in the order they happened (arrival order means nothing: webhooks are retried). */
function groupByDevice(events: PresenceEvent[]): PresenceEvent[][] {
  const devices = new Map<string, PresenceEvent[]>();
  const sorted = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  for (const event of sorted) {
    const key = event.person?.key ?? '';
    const list = devices.get(key) ?? [];
    list.push(event);
    devices.set(key, list);
  }
  return [...devices.values()];
}

/**
 * One device's open/close spans. Events at the same instant are ambiguous: a device that is in
 * leaves before it rejoins (a reconnect), one that is out joins before it leaves (a brief visit).
 * A close with no open before it means the join event was missed: the span starts at
 * `orphanFrom`, the earliest the person could have joined. A repeated close is a duplicate report
 * (the post-meeting report merged in, say), not a missed join, so it is ignored.
 */
function spansOf(
  events: PresenceEvent[],
  opens: (e: PresenceEvent) => boolean,
  closes: (e: PresenceEvent) => boolean,
  orphanFrom?: Date,
): Span[] {
  const spans: Span[] = [];
  let open: Span | undefined;
  for (let i = 0; i < events.length; ) {
    const at = events[i]!.occurredAt.getTime();
    let j = i;
    while (j < events.length && events[j]!.occurredAt.getTime() === at) j++;
    const group = events.slice(i, j);
    i = j;
    const ordered = open ? [...group.filter(closes), ...group.filter(opens)] : [...group.filter(opens), ...group.filter(closes)];
    for (const event of ordered) {
      if (opens(event)) {
        if (!open) spans.push((open = { from: event.occurredAt }));
      } else if (open) {
        open.to = event.occurredAt;
        if (event.connectionLost) open.connectionLost = true;
        open = undefined;
      } else if (orphanFrom && spans.length === 0) {
        const from = orphanFrom < event.occurredAt ? orphanFrom : event.occurredAt;
        spans.push({ from, to: event.occurredAt, inferred: true, ...(event.connectionLost ? { connectionLost: true as const } : {}) });
      }
    }
  }
  return spans;
}

/** The union of all devices' spans, with gaps no longer than the rejoin window bridged. */
function mergeSpans(spans: Span[], rejoinMs: number): Stay[] {
  const stays: Stay[] = [];
  // At equal starts an actual join wins over one inferred from a leave.
  const ordered = [...spans].sort((a, b) => a.from.getTime() - b.from.getTime() || Number(a.inferred ?? false) - Number(b.inferred ?? false));
  for (const span of ordered) {
    const last = stays.at(-1);
    const lastEnd = last?.leftAt?.getTime();
    if (!last || (lastEnd !== undefined && span.from.getTime() - lastEnd > rejoinMs)) {
      stays.push(toStay(span));
      continue;
    }
    if (lastEnd === undefined) continue;
    // Touching spans are a hand-off (a reconnect at the same instant, or another device taking over).
    if (span.from.getTime() >= lastEnd) {
      last.gaps.push({ leftAt: last.leftAt!, rejoinedAt: span.from, connectionLost: last.connectionLost });
    }
    if (span.to === undefined) {
      delete last.leftAt;
      last.connectionLost = false;
    } else if (span.to.getTime() > lastEnd) {
      last.leftAt = span.to;
      last.connectionLost = span.connectionLost === true;
    }
  }
  return stays;
}

function toStay(span: Span): Stay {
  const stay: Stay = { joinedAt: span.from, joinInferred: span.inferred === true, connectionLost: span.connectionLost === true, gaps: [] };
  if (span.to) stay.leftAt = span.to;
  return stay;
}

/**
 * Waits are counted from the scheduled start: waiting before it is expected (hosts admit everyone
 * at the start). `joined` also ends a wait, since admission is not always reported on its own.
 */
function buildWaitingRoom(devices: PresenceEvent[][], countFrom: number, countUntil: number, sessionOpen: boolean): Presence['waitingRoom'] {
  const closesWait = (e: PresenceEvent) => e.kind === 'admitted' || e.kind === 'waiting_room_left' || e.kind === 'joined';
  const stays = devices
    .flatMap((list) =>
      spansOf(list, (e) => e.kind === 'waiting_room_entered', closesWait).map((span) => ({
        ...span,
        admitted: list.some((e) => (e.kind === 'admitted' || e.kind === 'joined') && e.occurredAt.getTime() === span.to?.getTime()),
      })),
    )
    .sort((a, b) => a.from.getTime() - b.from.getTime())
    .map((span): WaitingRoomStay => {
      const from = Math.max(span.from.getTime(), countFrom);
      const to = Math.min(span.to?.getTime() ?? countUntil, countUntil);
      const stay: WaitingRoomStay = { enteredAt: span.from, msWaited: Math.max(0, to - from), admitted: span.admitted };
      if (span.to) stay.endedAt = span.to;
      return stay;
    });
  const waitingRoom: Presence['waitingRoom'] = { stays };
  const longest = stays.reduce<WaitingRoomStay | undefined>((best, s) => (!best || s.msWaited > best.msWaited ? s : best), undefined);
  if (longest) waitingRoom.longest = longest;
  const current = sessionOpen ? stays.find((s) => s.endedAt === undefined) : undefined;
  if (current) waitingRoom.current = current;
  return waitingRoom;
}
