import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** A fresh database cloned from the migrated template: one per test file, none shared. */
export async function createTestDatabase(): Promise<string> {
  const serverUrl = inject('postgresServerUrl');
  const template = inject('templateDatabase');
  const pid = template.split('_')[2];
  const name = `rollcall_test_${pid}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    // PostgreSQL copies a template for one CREATE DATABASE at a time; test files start together.
    await client.query('SELECT pg_advisory_lock(7710)');
    await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    await client.query('SELECT pg_advisory_unlock(7710)');
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
