import { Zip, ZipDeflate } from 'fflate';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/database.js';
import { clinicRowsQuery, listClinicTables, SECRET_COLUMNS } from './clinic-tables.js';

const PAGE_SIZE = 1000;
/** RFC 4180 line ends; a cell starting like a formula is prefixed with ' (a name typed as `=HYPERLINK(…)` stays text in a spreadsheet). */
const CSV = { record_delimiter: 'windows', escape_formulas: true } as const;

/** A cell as text: times in ISO 8601 UTC, JSON and arrays as JSON, null as empty. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}

/** A row of the raw result, JSON-safe (timestamps as ISO strings). */
function jsonRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? v.toString() : v]));
}

export interface ExportSink {
  /** A chunk of the zip; resolves when the reader took it (backpressure). */
  write(chunk: Uint8Array): Promise<void>;
  end(): void;
}

/**
 * A clinic's whole record as a zip streamed to `sink`: organization.json, one CSV per table (every
 * row of the organization, page by page, never the whole table in memory) and manifest.json
 * listing the files and their row counts. Secrets are left out (SECRET_COLUMNS).
 */
export async function exportClinic(prisma: Db, organizationId: string, now: Date, sink: ExportSink): Promise<{ tables: number; rows: number }> {
  const pending: Uint8Array[] = [];
  let failure: Error | null = null;
  // fflate calls back synchronously as data is pushed; chunks wait here until the sink takes them.
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else pending.push(chunk);
  });
  const flush = async () => {
    if (failure) throw failure;
    while (pending.length > 0) {
      const chunk = pending.shift()!;
      if (chunk.length > 0) await sink.write(chunk);
    }
  };
  const addFile = (name: string) => {
    const file = new ZipDeflate(name, { level: 6 });
    file.mtime = now;
    zip.add(file);
    return file;
  };
  const encoder = new TextEncoder();

  const [organization] = await prisma.$queryRaw<Record<string, unknown>[]>`SELECT * FROM "Organization" WHERE id = ${organizationId}::uuid`;
  if (!organization) throw new Error('no such organization');
  const orgFile = addFile('organization.json');
  orgFile.push(encoder.encode(`${JSON.stringify(jsonRow(organization), null, 2)}\n`), true);
  await flush();

  const files: { file: string; table: string; rows: number }[] = [];
  let total = 0;
  for (const table of await listClinicTables(prisma)) {
    const file = addFile(`${table.name}.csv`);
    file.push(encoder.encode(stringify([table.columns], CSV)));
    const { sql, keyed } = clinicRowsQuery(table, PAGE_SIZE);
    let after: string | null = null;
    let count = 0;
    for (;;) {
      const rows: Record<string, unknown>[] = keyed ? await prisma.$queryRawUnsafe(sql, organizationId, after) : await prisma.$queryRawUnsafe(sql, organizationId);
      if (rows.length > 0) file.push(encoder.encode(stringify(rows.map((row) => table.columns.map((c) => cell(row[c]))), CSV)));
      count += rows.length;
      await flush();
      if (!keyed || rows.length < PAGE_SIZE) break;
      after = String(rows[rows.length - 1]!.id);
    }
    file.push(new Uint8Array(0), true);
    await flush();
    files.push({ file: `${table.name}.csv`, table: table.name, rows: count });
    total += count;
  }

  const manifest = {
    format: 'rollcall-clinic-export/1',
    organizationId,
    exportedAt: now.toISOString(),
    files: [{ file: 'organization.json', table: 'Organization', rows: 1 }, ...files],
    leftOut: Object.entries(SECRET_COLUMNS).map(([table, columns]) => ({ table, columns })),
    notes: "Times are ISO 8601 UTC. JSON columns are JSON text in their CSV cell. A cell starting with = + - @ or a tab is prefixed with ' so spreadsheets do not run it. Secrets (token hashes, sealed platform tokens and bodies, recording passcodes) are never exported.",
  };
  addFile('manifest.json').push(encoder.encode(`${JSON.stringify(manifest, null, 2)}\n`), true);
  zip.end();
  await flush();
  sink.end();
  return { tables: files.length, rows: total };
}
