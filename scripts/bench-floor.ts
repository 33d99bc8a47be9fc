/**
 * The floor `npm run bench` measures Rollcall against: the least a webhook receiver can do and
 * still be honest about durability — express 5, the raw body, one INSERT per event into its own
 * PostgreSQL database through a `pg` pool of the size Rollcall's Prisma pool has (10), then 200.
 * No signature check, no parsing, no session lookup, no evaluation. Started by scripts/bench.ts as
 * its own process (FLOOR_DATABASE_URL, PORT) so its memory is measured the same way.
 */
import express from 'express';
import pg from 'pg';

const databaseUrl = process.env.FLOOR_DATABASE_URL;
if (!databaseUrl) throw new Error('FLOOR_DATABASE_URL is required');
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
await pool.query('CREATE TABLE IF NOT EXISTS floor_events (id bigserial PRIMARY KEY, received_at timestamptz NOT NULL DEFAULT now(), body jsonb NOT NULL)');

const app = express();
app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});
app.post('/zoom/webhook', express.raw({ type: () => true, limit: '512kb' }), async (req, res) => {
  try {
    await pool.query('INSERT INTO floor_events(body) VALUES ($1)', [(req.body as Buffer).toString('utf8')]);
    res.json({ status: 'stored' });
  } catch {
    res.status(500).json({ error: { code: 'internal', message: 'not stored' } });
  }
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.once('SIGTERM', () => {
  server.close(() => void pool.end().then(() => process.exit(0)));
  server.closeIdleConnections();
});
