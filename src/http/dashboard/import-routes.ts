import express, { Router, type RequestHandler } from 'express';
import multer from 'multer';
import { IANAZone } from 'luxon';
import { planReports, importReports, type ReportFile } from '../../services/report-imports/import-reports.js';
import { ServiceError } from '../../services/service-error.js';
import { findProgram } from '../../services/queries/program-queries.js';
import { renderImportPage } from '../../web/import-page.js';
import { notFound } from '../api-error.js';
import { requireId } from '../admin/auth.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { requireCsrf, requireRole, staffOf } from './staff-guard.js';

const MAX_FILES = 60;
// Uploads stay in memory: a 12-person, 3-hour report is a few kilobytes.
const upload = multer({ storage: multer.memoryStorage(), limits: { files: MAX_FILES, fileSize: 256 * 1024, fields: 10 } });

/** Programs → Import attendance (owners and admins): upload, preview, confirm. The admin API's import, in pages. */
export function importRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const router = Router();
  const managers = requireRole('owner', 'admin');
  const confirmForm = express.urlencoded({ extended: false, limit: '4mb', parameterLimit: MAX_FILES + 10 });

  const programOf = async (organizationId: string, raw: string | string[] | undefined) => {
    const program = await findProgram(deps, organizationId, requireId(raw, 'program'));
    if (!program) throw notFound('program');
    return program;
  };
  const zoneOf = (value: unknown, fallback: string) => (typeof value === 'string' && IANAZone.isValidZone(value.trim()) ? value.trim() : fallback);

  router.get('/programs/:id/attendance-import', guard, managers, async (req, res) => {
    const staff = staffOf(res);
    const program = await programOf(staff.organizationId, req.params.id);
    res.type('html').send(renderImportPage({ program, csrfToken: staff.csrfToken }).value);
  });

  const planOrShow = async (res: express.Response, program: { id: string; name: string; timezone: string }, zone: string, files: ReportFile[]) => {
    const staff = staffOf(res);
    try {
      return await planReports(deps, { organizationId: staff.organizationId, programId: program.id, zone, files });
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      const index = /^reports\.(\d+)/.exec(error.message)?.[1];
      const message = error.message.replace(/^reports(\.\d+)?: /, '');
      res.status(400).type('html').send(renderImportPage({ program, csrfToken: staff.csrfToken, error: `${index !== undefined ? `File ${Number(index) + 1}: ` : ''}${message}` }).value);
      return null;
    }
  };

  router.post('/programs/:id/attendance-import', guard, managers, upload.array('reports', MAX_FILES), requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const program = await programOf(staff.organizationId, req.params.id);
    const uploaded = (req.files as Express.Multer.File[] | undefined) ?? [];
    if (uploaded.length === 0) return void res.status(400).type('html').send(renderImportPage({ program, csrfToken: staff.csrfToken, error: 'Choose at least one report file.' }).value);
    const zone = zoneOf((req.body as Record<string, unknown>).zone, program.timezone);
    const files = uploaded.map((f) => ({ bytes: f.buffer }));
    const plans = await planOrShow(res, program, zone, files);
    if (!plans) return;
    res.type('html').send(renderImportPage({ program, csrfToken: staff.csrfToken, preview: { plans, zone, files: files.map((f) => f.bytes.toString('base64')) } }).value);
  });

  router.post('/programs/:id/attendance-import/apply', guard, managers, confirmForm, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const program = await programOf(staff.organizationId, req.params.id);
    const body = req.body as Record<string, unknown>;
    const encoded = ([] as unknown[]).concat(body.file ?? []).filter((f): f is string => typeof f === 'string');
    const files = encoded.map((f) => ({ bytes: Buffer.from(f, 'base64') }));
    if (files.length === 0) return void res.status(400).type('html').send(renderImportPage({ program, csrfToken: staff.csrfToken, error: 'Choose at least one report file.' }).value);
    const plans = await planOrShow(res, program, zoneOf(body.zone, program.timezone), files);
    if (!plans) return;
    const { applied } = await importReports(deps, { organizationId: staff.organizationId, programId: program.id, actor: staff.actor, plans });
    res.redirect(303, `/programs/${program.id}?imported_sessions=${applied.length}`);
  });

  return router;
}
