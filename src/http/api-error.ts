import type { z } from 'zod';

/** An error the admin API answers as `{"error":{code, message, details}}` (CONTRACT.md). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
export const conflict = (message: string, details?: unknown) => new ApiError(409, 'conflict', message, details);

function describePath(path: PropertyKey[]): string {
  return path.length === 0 ? 'body' : path.map(String).join('.');
}

/** Parses input with a zod schema; failure is a 400 whose message names the first offending field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where = ''): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  // An unknown key is reported under its own name (`policy.colour`), not its parent's.
  const issues = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: `${where}${describePath([...issue.path, key])}`, message: 'is not a known field' }))
      : [{ field: `${where}${describePath(issue.path)}`, message: issue.message }],
  );
  const first = issues[0]!;
  throw new ApiError(400, 'invalid_input', `${first.field}: ${first.message}`, issues);
}
