import type { Db } from '../../db/database.js';

/**
 * Columns never exported: secrets (token hashes, sealed tokens and bodies, recording passcodes).
 * A token's hash is not the token, but it is what proves one: it stays where it is.
 */
export const SECRET_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  ApiToken: ['tokenHash'],
  DashboardSession: ['tokenHash'],
  Installation: ['encryptedTokens', 'encryptedExternalId'],
  Material: ['encryptedPasscode'],
  DeadLetter: ['sealedBody'],
};

export interface ClinicTable {
  /** The PostgreSQL table name (a Prisma model's name, or its @@map). */
  name: string;
  /** Columns in table order, secrets left out. */
  columns: string[];
}

/**
 * Every table holding a clinic's rows, read from the database itself rather than a hand-kept list:
 * a table added later with an organizationId column is exported and deleted without anyone
 * remembering to add it here. ProgramAssignment (no organizationId) is reached through Program.
 */
export async function listClinicTables(prisma: Db): Promise<ClinicTable[]> {
  const rows = await prisma.$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT c.table_name, c.column_name
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema = current_schema()
      AND (c.table_name IN (SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'organizationId')
           OR c.table_name = 'ProgramAssignment')
      AND c.table_name <> 'Organization'
    ORDER BY c.table_name, c.ordinal_position`;
  const tables = new Map<string, string[]>();
  for (const row of rows) {
    if (SECRET_COLUMNS[row.table_name]?.includes(row.column_name)) continue;
    tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), row.column_name]);
  }
  return [...tables].map(([name, columns]) => ({ name, columns }));
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** The SELECT of one clinic's rows of a table, paged by the row's order key (names come from the catalog). */
export function clinicRowsQuery(table: ClinicTable, pageSize: number): { sql: string; keyed: boolean } {
  const columns = table.columns.map((c) => (table.name === 'ProgramAssignment' ? `a.${quote(c)}` : quote(c))).join(', ');
  if (table.name === 'ProgramAssignment') {
    return {
      sql: `SELECT ${columns} FROM "ProgramAssignment" a JOIN "Program" p ON p.id = a."programId" WHERE p."organizationId" = $1::uuid ORDER BY a."programId", a."staffAccountId"`,
      keyed: false,
    };
  }
  const keyed = table.columns.includes('id');
  if (!keyed) return { sql: `SELECT ${columns} FROM ${quote(table.name)} WHERE "organizationId" = $1::uuid`, keyed: false };
  return {
    sql: `SELECT ${columns} FROM ${quote(table.name)} WHERE "organizationId" = $1::uuid AND ($2::text IS NULL OR "id"::text > $2::text) ORDER BY "id"::text LIMIT ${pageSize}`,
    keyed: true,
  };
}

export { quote as quoteIdentifier };
