import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/database.js';
import { reportSheetCsv, reportToCsv, type ReportSheet } from '../../services/report-csv.js';
import { readProgramReport } from '../../services/queries/report-queries.js';
import { notFound, parseInput } from '../api-error.js';
import { adminContext, requireId } from './auth.js';

const localDay = z.iso.date({ message: 'must be a date, YYYY-MM-DD' });

/** Both days in the program's time zone and included; at most a year. */
export const reportQuerySchema = z
  .object({
    from: localDay.optional(),
    to: localDay.optional(),
    format: z.enum(['json', 'csv']).default('json'),
    /** With format=csv: one kind of record only (services/report-csv.ts); default all three in one file. */
    sheet: z.enum(['attendance', 'weeks', 'absences']).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, { path: ['to'], message: 'the range may span at most a year' });

export function reportRouter(deps: { prisma: Db; clock: Clock }): Router {
  const router = Router();
  router.get('/programs/:id/report', async (req, res) => {
    const { organizationId } = adminContext(res);
    const programId = requireId(req.params.id, 'program');
    const query = parseInput(reportQuerySchema, req.query, 'query.');
    const report = await readProgramReport(deps, organizationId, programId, query);
    if (!report) throw notFound('program');
    if (query.format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment(reportFileName(report, query.sheet))
        .send(query.sheet ? reportSheetCsv(report, query.sheet) : reportToCsv(report));
      return;
    }
    res.json(report);
  });
  return router;
}

export function reportFileName(report: { program: { name: string }; from: string; to: string }, sheet?: ReportSheet): string {
  const slug = report.program.name.normalize('NFKD').replace(/[^\w]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'program';
  return `attendance-${slug}-${report.from}-to-${report.to}${sheet ? `-${sheet}` : ''}.csv`;
}
