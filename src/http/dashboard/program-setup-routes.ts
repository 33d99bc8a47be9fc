import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { policySchema } from '../../core/policy.js';
import { plainText } from '../../core/plain-text.js';
import { isPrismaError } from '../../db/prisma-errors.js';
import { createProgram } from '../../services/program-changes.js';
import { fieldErrors } from '../../web/form-fields.js';
import { platformSchema, timezoneSchema } from '../admin/schemas.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { showProgramsList } from './program-routes.js';
import { requireCsrf, requireRole, staffOf } from './staff-guard.js';

const programFormSchema = z.object({ name: plainText(200), timezone: timezoneSchema, platform: platformSchema, channelId: plainText(200) });

const MESSAGES: Record<string, string> = {
  name: 'Enter the program’s name (at most 200 characters).',
  timezone: 'Choose a time zone.',
  platform: 'Choose Slack, Microsoft Teams or Zoom.',
  channelId: 'Enter the channel id.',
};

/** "Add program" on the Programs page: the admin API's createProgram with the default policy. */
export function programSetupRoutes(deps: DashboardDeps, guard: RequestHandler): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  router.post('/programs', guard, requireRole('owner', 'admin'), form, requireCsrf, async (req, res) => {
    const staff = staffOf(res);
    const values = Object.fromEntries(['name', 'timezone', 'platform', 'channelId'].map((k) => [k, String((req.body as Record<string, unknown>)[k] ?? '')]));
    const parsed = programFormSchema.safeParse(values);
    if (!parsed.success) {
      await showProgramsList(deps, res, { values, errors: fieldErrors(parsed.error.issues, MESSAGES) }, 400);
      return;
    }
    const { name, timezone, platform, channelId } = parsed.data;
    try {
      const program = await createProgram(deps, { organizationId: staff.organizationId, actor: staff.actor, name, timezone, policy: policySchema.parse({}), alertChannel: { platform, channelId } });
      res.redirect(303, `/programs/${program.id}/schedule?saved=program`);
    } catch (error) {
      if (!isPrismaError(error, 'P2002')) throw error;
      await showProgramsList(deps, res, { values, errors: { name: 'Your clinic already has a program with this name.' } }, 409);
    }
  });

  return router;
}
