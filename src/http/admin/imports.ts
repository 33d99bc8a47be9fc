import { Router } from 'express';
import { z } from 'zod';
import { IANAZone } from 'luxon';
import type { PlatformHost } from '../../platforms/module.js';
import { importReports, planReports, serializePlan } from '../../services/report-imports/import-reports.js';
import { parseInput } from '../api-error.js';
import { adminContext } from './auth.js';
import { loadProgram } from './programs.js';

const reportSchema = z
  .object({
    format: z.enum(['zoom_participants', 'teams_attendance']),
    /** The file as text, or as base64 bytes (Teams downloads are UTF-16). */
    content: z.string().min(1).max(200_000).optional(),
    contentBase64: z.string().min(1).max(300_000).optional(),
  })
  .strict()
  .refine((r) => Boolean(r.content) !== Boolean(r.contentBase64), { message: 'give content or contentBase64, one of them' });

const importSchema = z
  .object({
    reports: z.array(reportSchema).min(1).max(60),
    /** The zone the report's times are written in (the Zoom account's or the downloader's); default the program's. */
    timezone: z.string().refine((zone) => IANAZone.isValidZone(zone), { message: 'must be an IANA time zone' }).optional(),
    /** false (the default): preview only, nothing is written. */
    apply: z.boolean().default(false),
  })
  .strict();

/**
 * `POST /programs/:id/imports`: the attendance reports a clinic downloads from Zoom and Teams,
 * previewed (what matched, what did not, what will be created) and, with `apply: true`, written in
 * one transaction, evaluated once each, then strikes recounted once with one `Imported record` post.
 */
export function importsRouter(host: PlatformHost): Router {
  const router = Router();
  router.post('/programs/:id/imports', async (req, res) => {
    const { organizationId, actor } = adminContext(res);
    const program = await loadProgram(host, organizationId, req.params.id);
    const input = parseInput(importSchema, req.body);
    const files = input.reports.map((r) => ({ format: r.format, bytes: r.content !== undefined ? Buffer.from(r.content, 'utf8') : Buffer.from(r.contentBase64!, 'base64') }));
    const plans = await planReports(host, { organizationId, programId: program.id, zone: input.timezone ?? program.timezone, files });
    if (!input.apply) return void res.json({ applied: false, reports: plans.map(serializePlan) });
    const { applied, summary } = await importReports(host, { organizationId, programId: program.id, actor, plans });
    res.status(201).json({ applied: true, reports: plans.map((plan, i) => ({ ...serializePlan(plan), result: applied[i] })), summary });
  });
  return router;
}
