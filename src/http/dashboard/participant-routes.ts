import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { readParticipantTimeline } from '../../services/participant-timeline.js';
import { buildProgramReport } from '../../services/reports.js';
import { renderParticipantPage, renderSummaryPage } from '../../web/participant-page.js';
import { notFound, parseInput } from '../api-error.js';
import { requireId } from '../admin/auth.js';
import { reportQuerySchema } from '../admin/reports.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { staffOf } from './staff-session.js';

const summaryQuerySchema = reportQuerySchema.and(z.object({ program: z.uuid().optional() }));

export function participantRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const { prisma, clock } = deps;
  const router = Router();

  router.get('/participants/:id', guard, async (req, res) => {
    const staff = staffOf(res);
    const timeline = await readParticipantTimeline(prisma, staff.organizationId, requireId(req.params.id, 'participant'));
    if (!timeline) throw notFound('participant');
    res.type('html').send(renderParticipantPage(timeline, staff.csrfToken).value);
  });

  router.get('/participants/:id/summary', guard, async (req, res) => {
    const staff = staffOf(res);
    const { organizationId } = staff;
    const participantId = requireId(req.params.id, 'participant');
    const query = parseInput(summaryQuerySchema, req.query, 'query.');
    const enrollment = await prisma.enrollment.findFirst({
      where: { organizationId, participantId, ...(query.program ? { programId: query.program } : {}) },
      include: { participant: true, program: { include: { organization: { select: { name: true } } } } },
      orderBy: { enrolledAt: 'asc' },
    });
    if (!enrollment) throw notFound('participant');
    const now = clock.now();
    const report = await buildProgramReport(prisma, organizationId, enrollment.programId, { from: query.from, to: query.to, participantId }, now);
    if (!report) throw notFound('program');
    res.type('html').send(
      renderSummaryPage({
        report,
        participantId,
        participantName: enrollment.participant.name,
        organizationName: enrollment.program.organization.name,
        now,
        csrfToken: staff.csrfToken,
      }).value,
    );
  });

  return router;
}
