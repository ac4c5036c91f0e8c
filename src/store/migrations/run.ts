/** Runs in-code migrations with kysely's Migrator (no migration files to ship or find at run time). */
import { Migrator, type Kysely, type Migration } from 'kysely';
import { StoreError } from '../errors.js';

export async function migrateToLatest(db: Kysely<unknown>, migrations: Record<string, Migration>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'setup';
    const why = error instanceof Error ? error.message : String(error);
    throw Object.assign(new StoreError('SW6012', `store migration ${failed} failed: ${why}`), { cause: error });
  }
}
