import multer from 'multer';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { applyParticipantImport, planParticipantImport } from '../../services/participant-import.js';
import { requireProgram } from '../../services/queries/program-queries.js';
import type { Program } from '../../generated/prisma/client.js';
import { renderParticipantImportPage } from '../../web/participant-import-page.js';
import { ApiError } from '../api-error.js';
import { requireId } from '../admin/auth.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { requireCsrf, requireRole, staffOf } from './staff-guard.js';

/** A CSV of a few hundred people is tens of kilobytes; a megabyte leaves room and stops a wrong file early. */
const MAX_FILE_BYTES = 1024 * 1024;

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 5, fieldSize: 1024 } }).single('file');

/** Reads the upload form (multipart) into req.body: its text fields and the file's text as `csv`. */
const readUpload: RequestHandler = (req, res, next) => {
  if (!req.is('multipart/form-data')) return next(new ApiError(400, 'invalid_body', 'Choose a CSV file to upload.'));
  upload(req, res, (error: unknown) => {
    const fields = (req.body ?? {}) as Record<string, string>;
    // Too large: the page says so (the fields read before the file, the CSRF token among them, are kept).
    if (error instanceof multer.MulterError && error.code === 'LIMIT_FILE_SIZE') return void ((req.body = { ...fields, tooLarge: 'yes' }), next());
    if (error) return next(new ApiError(400, 'invalid_body', 'The upload could not be read.'));
    req.body = { ...fields, ...(req.file ? { csv: req.file.buffer.toString('utf8') } : {}), tooLarge: '' };
    next();
  });
};

/** "Import participants": upload, preview with each row's problems, then apply all rows in one transaction. */
export function participantImportRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const router = Router();
  const managers = requireRole('owner', 'admin');
  const applyForm = express.urlencoded({ extended: false, limit: '2mb' });

  const load = (req: Request, res: Response) => requireProgram(deps, staffOf(res).organizationId, requireId(req.params.id, 'program'));
  type PageExtra = Omit<Parameters<typeof renderParticipantImportPage>[0], 'program' | 'csrfToken'>;
  const show = (res: Response, program: Program, extra: PageExtra = {}, status = 200) =>
    res.status(status).type('html').send(renderParticipantImportPage({ program, csrfToken: staffOf(res).csrfToken, ...extra }).value);

  router.get('/programs/:id/import', guard, managers, async (req, res) => {
    show(res, await load(req, res));
  });

  router.post('/programs/:id/import', guard, managers, readUpload, requireCsrf, async (req, res) => {
    const program = await load(req, res);
    const body = req.body as Record<string, string>;
    if (body.tooLarge) return show(res, program, { uploadError: 'The file is larger than 1 MB. Import at most 500 participants at a time.' }, 400);
    if (!body.csv?.trim()) return show(res, program, { uploadError: 'Choose a CSV file to upload.' }, 400);
    const plan = await planParticipantImport(deps, { organizationId: program.organizationId, programId: program.id, timezone: program.timezone, csv: body.csv, now: deps.clock.now() });
    const ok = plan.fileErrors.length === 0 && plan.rows.every((r) => Object.keys(r.errors).length === 0);
    show(res, program, { plan, csv: body.csv }, ok ? 200 : 400);
  });

  router.post('/programs/:id/import/apply', guard, managers, applyForm, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const program = await load(req, res);
    const csv = String((req.body as Record<string, unknown>).csv ?? '');
    const { plan, participantIds } = await applyParticipantImport(deps, { organizationId: staff.organizationId, actor: staff.actor, programId: program.id, timezone: program.timezone, csv, now: deps.clock.now() });
    if (participantIds.length === 0) return show(res, program, { plan, csv }, 400);
    for (const participantId of participantIds) {
      await deps.afterEnrolled({ organizationId: staff.organizationId, programId: program.id, participantId }).catch((error: unknown) => req.log.warn({ err: error }, 'intake not sent'));
    }
    res.redirect(303, `/programs/${program.id}?imported=${participantIds.length}`);
  });

  return router;
}
