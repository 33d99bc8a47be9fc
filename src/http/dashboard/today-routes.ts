import express, { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { plainText } from '../../core/plain-text.js';
import { linkUnrecognizedPerson } from '../../services/identity-links.js';
import { readTodayBoard } from '../../services/today-board.js';
import { renderTodayBoard, renderTodayPage } from '../../web/today-page.js';
import { notFound, parseInput } from '../api-error.js';
import { requireId } from '../admin/auth.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { refuseViewer, requireCsrf, staffOf } from './staff-guard.js';
import { visibleSession } from './visible-session.js';

const linkSchema = z.object({
  personKey: plainText(300),
  participantId: z.uuid({ message: 'choose who this is from the list' }),
});

const boardOptions = (res: Response) => ({ csrfToken: staffOf(res).csrfToken, canLink: staffOf(res).role !== 'viewer' });

const HEARTBEAT_MS = 25_000;

/** Today, and its live feed: an event names a session whose attendance was re-evaluated; the page fetches the board again. */
export function todayRoutes(deps: DashboardDeps, guard: RequestHandler, streams: Set<() => void>): Router {
  const router = Router();

  router.get('/', guard, async (_req, res) => {
    const staff = staffOf(res);
    const board = await readTodayBoard(deps, staff.organizationId, staff.programIds);
    res.type('html').send(renderTodayPage(board, { ...boardOptions(res), linked: _req.query.linked === '1' }).value);
  });

  router.get('/today/board', guard, async (_req, res) => {
    const staff = staffOf(res);
    const board = await readTodayBoard(deps, staff.organizationId, staff.programIds);
    res.type('html').send(renderTodayBoard(board, boardOptions(res)).value);
  });

  // "This is…": the same service as the admin API's POST /sessions/:id/link, audited as the signed-in person.
  router.post('/today/sessions/:id/link', guard, refuseViewer, express.urlencoded({ extended: false, limit: '16kb' }), requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const sessionId = requireId(req.params.id, 'session');
    if (!(await visibleSession(deps.prisma, staff, sessionId))) throw notFound('session');
    const { _csrf, ...fields } = (req.body ?? {}) as Record<string, unknown>;
    const input = parseInput(linkSchema, fields);
    await linkUnrecognizedPerson(deps, { organizationId: staff.organizationId, actor: staff.actor, sessionId, ...input });
    res.redirect(303, '/?linked=1');
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
