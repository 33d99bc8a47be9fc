import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { Logger } from 'pino';

type SchemaEngineModule = typeof import('@prisma/schema-engine-wasm');
export type SchemaEngine = Awaited<ReturnType<SchemaEngineModule['SchemaEngine']['new']>>;

const require = createRequire(import.meta.url);

/** Node has WebAssembly; @types/node 20 does not declare it (it lives in lib.dom). */
interface WasmRuntime {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: Record<string, unknown>): Promise<{ exports: Record<string, unknown> }>;
}
const wasmRuntime = (globalThis as unknown as { WebAssembly: WasmRuntime }).WebAssembly;
let loaded: Promise<SchemaEngineModule> | undefined;

/**
 * The package's entry imports its .wasm as an ES module, which Node 20 refuses; instantiate the
 * module ourselves and hand it to the wasm-bindgen glue (docs/storage.md).
 */
function loadSchemaEngineModule(): Promise<SchemaEngineModule> {
  loaded ??= (async () => {
    // The engine reports a Rust panic's message here before it throws.
    (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message(message: string) {
        process.stderr.write(`prisma schema engine panicked: ${message}\n`);
      },
    };
    const glue = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as SchemaEngineModule & {
      __wbg_set_wasm(exports: Record<string, unknown>): void;
    };
    const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
    const module = await wasmRuntime.compile(await readFile(wasmPath));
    const instance = await wasmRuntime.instantiate(module, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return loaded;
}

const PG_CHAR = 18;
const PG_TEXT = 25;
/** Marks a column that PostgreSQL typed "char" on its way through the adapter. */
const CHAR_MARK = '\u0000char';
const CHARACTER_COLUMN = 6; // ColumnTypeEnum.Character in @prisma/driver-adapter-utils

function markCharColumns<T>(result: T): T {
  for (const one of Array.isArray(result) ? result : [result]) {
    for (const field of (one as { fields?: { dataTypeID: number; name: string }[] } | undefined)?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR) {
        field.dataTypeID = PG_TEXT;
        field.name += CHAR_MARK;
      }
    }
  }
  return result;
}

/**
 * Describing a database (the shadow database of a diff) reads catalog columns of PostgreSQL's
 * one-byte "char" type. @prisma/adapter-pg 7.10 refuses them ("Column type 'char' could not be
 * deserialized") while the schema engine wants them typed as characters. This client passes them
 * to the adapter as marked text; `restoreCharColumns` gives them their character type back. The
 * adapter hands this client class on to the shadow database's pool too.
 */
class CatalogClient extends pg.Client {
  override query(...args: unknown[]): never {
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (error: unknown, result: unknown) => (last as (e: unknown, r: unknown) => void)(error, result && markCharColumns(result));
      return (super.query as (...a: unknown[]) => never)(...args);
    }
    const pending = (super.query as (...a: unknown[]) => unknown)(...args);
    return (pending instanceof Promise ? pending.then(markCharColumns) : pending) as never;
  }
}

type RawResult = { columnNames: string[]; columnTypes: number[] };
type Queryable = { queryRaw(query: unknown): Promise<RawResult> };

function restoreCharColumns<T extends Queryable>(adapter: T): T {
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    result.columnNames.forEach((name, i) => {
      if (name.endsWith(CHAR_MARK)) {
        result.columnNames[i] = name.slice(0, -CHAR_MARK.length);
        result.columnTypes[i] = CHARACTER_COLUMN;
      }
    });
    return result;
  };
  return adapter;
}

/** The adapters it opened are kept so that closing the engine also closes their pools. */
function catalogAdapterFactory(url: string) {
  const factory = new PrismaPg({ connectionString: url, Client: CatalogClient, max: 2 });
  const opened: { dispose(): Promise<void> }[] = [];
  const track = <T extends Queryable & { dispose(): Promise<void> }>(adapter: T) => {
    opened.push(adapter);
    return restoreCharColumns(adapter);
  };
  const connect = factory.connect.bind(factory);
  const connectToShadowDb = factory.connectToShadowDb.bind(factory);
  factory.connect = async () => track(await connect());
  factory.connectToShadowDb = async () => track(await connectToShadowDb());
  const disposeAll = async () => {
    await Promise.allSettled(opened.splice(0).map((adapter) => adapter.dispose()));
  };
  return { factory, disposeAll };
}

/** Prisma's schema engine over the same driver adapter the app uses: no engine binary, no download. */
export interface OpenSchemaEngine {
  engine: SchemaEngine;
  close(): Promise<void>;
}

export async function openSchemaEngine(options: { url: string; schemaPath: string; log: Logger }): Promise<OpenSchemaEngine> {
  const { SchemaEngine } = await loadSchemaEngineModule();
  const schema = await readFile(options.schemaPath, 'utf8');
  const { factory, disposeAll } = catalogAdapterFactory(options.url);
  const engineLog = options.log.child({ component: 'schema-engine' });
  const engine = await SchemaEngine.new(
    { datamodels: [[path.basename(options.schemaPath), schema]] },
    (message: string) => engineLog.debug({ message }, 'schema engine'),
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  return {
    engine,
    async close() {
      engine.free();
      await disposeAll();
    },
  };
}
