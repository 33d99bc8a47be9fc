import { Router, type RequestHandler } from 'express';
import { readTodayBoard } from '../../services/today-board.js';
import { renderTodayBoard, renderTodayPage } from '../../web/today-page.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { staffOf } from './staff-guard.js';
import { visibleSession } from './visible-session.js';

const HEARTBEAT_MS = 25_000;

/** Today, and its live feed: an event names a session whose attendance was re-evaluated; the page fetches the board again. */
export function todayRoutes(deps: DashboardDeps, guard: RequestHandler, streams: Set<() => void>): Router {
  const router = Router();

  router.get('/', guard, async (_req, res) => {
    const staff = staffOf(res);
    const board = await readTodayBoard(deps, staff.organizationId, staff.programIds);
    res.type('html').send(renderTodayPage(board, staff.csrfToken).value);
  });

  router.get('/today/board', guard, async (_req, res) => {
    const staff = staffOf(res);
    const board = await readTodayBoard(deps, staff.organizationId, staff.programIds);
    res.type('html').send(renderTodayBoard(board).value);
  });

  router.get('/today/events', guard, (req, res) => {
    const staff = staffOf(res);
    const { organizationId } = staff;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    res.write('retry: 3000\n\n');
    // Ids only: what changed is read through the signed-in page, never pushed.
    const unsubscribe = deps.liveFeed.subscribe(organizationId, (event) => {
      if (!event) return void res.write('event: refresh\ndata: {}\n\n');
      // A facilitator's stream names only sessions of their programs.
      void visibleSession(deps.prisma, staff, event.sessionId).then(
        (visible) => visible && !res.writableEnded && res.write(`event: session\ndata: ${JSON.stringify({ sessionId: event.sessionId })}\n\n`),
        (error: unknown) => req.log.warn({ err: (error as Error).message }, 'live feed filter failed'),
      );
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const stop = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(close);
    };
    const close = () => {
      stop();
      res.end();
    };
    streams.add(close);
    req.on('close', stop);
  });

  return router;
}
