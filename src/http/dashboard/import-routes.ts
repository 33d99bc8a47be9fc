import busboy from 'busboy';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { applyParticipantImport, planParticipantImport } from '../../services/participant-import.js';
import { requireProgram } from '../../services/queries/program-queries.js';
import type { Program } from '../../generated/prisma/client.js';
import { renderImportPage } from '../../web/import-page.js';
import { ApiError } from '../api-error.js';
import { requireId } from '../admin/auth.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { requireCsrf, requireRole, staffOf } from './staff-guard.js';

/** A CSV of a few hundred people is tens of kilobytes; a megabyte leaves room and stops a wrong file early. */
const MAX_FILE_BYTES = 1024 * 1024;

/** Reads the upload form (multipart) into req.body: its text fields and the file's text as `csv`. */
const readUpload: RequestHandler = (req, _res, proceed) => {
  // busboy may report an error and then close: go on once.
  let went = false;
  const next = (error?: unknown) => {
    if (went) return;
    went = true;
    proceed(error);
  };
  if (!req.is('multipart/form-data')) return next(new ApiError(400, 'invalid_body', 'Choose a CSV file to upload.'));
  const body: Record<string, string> = {};
  let tooLarge = false;
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 5, fieldSize: 1024 } });
  } catch {
    return next(new ApiError(400, 'invalid_body', 'The upload could not be read.'));
  }
  parser.on('field', (name, value) => {
    body[name] = value;
  });
  parser.on('file', (name, stream) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('limit', () => {
      tooLarge = true;
    });
    stream.on('end', () => {
      if (name === 'file') body.csv = Buffer.concat(chunks).toString('utf8');
    });
  });
  parser.on('error', () => next(new ApiError(400, 'invalid_body', 'The upload could not be read.')));
  parser.on('close', () => {
    req.body = { ...body, tooLarge: tooLarge ? 'yes' : '' };
    next();
  });
  req.pipe(parser);
};

/** "Import participants": upload, preview with each row's problems, then apply all rows in one transaction. */
export function importRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const router = Router();
  const managers = requireRole('owner', 'admin');
  const applyForm = express.urlencoded({ extended: false, limit: '2mb' });

  const load = (req: Request, res: Response) => requireProgram(deps, staffOf(res).organizationId, requireId(req.params.id, 'program'));
  type PageExtra = Omit<Parameters<typeof renderImportPage>[0], 'program' | 'csrfToken'>;
  const show = (res: Response, program: Program, extra: PageExtra = {}, status = 200) =>
    res.status(status).type('html').send(renderImportPage({ program, csrfToken: staffOf(res).csrfToken, ...extra }).value);

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
