/**
 * Opening a store. A typed map from kind to factory: adding an implementation is one line here
 * (plus its folder and a run of the contract suite), and the compiler insists every kind has one.
 */
import type { Store, StoreConfig } from './contract.js';
import { StoreError } from './errors.js';
import { openPostgres } from './postgres/index.js';
import { openSqlite } from './sqlite/index.js';

type Kind = StoreConfig['kind'];
type Factory<K extends Kind> = (config: Extract<StoreConfig, { kind: K }>) => Promise<Store>;

const FACTORIES: { [K in Kind]: Factory<K> } = {
  sqlite: (c) => openSqlite(c.path, { autoCheckpoint: c.autoCheckpoint }),
  postgres: (c) => openPostgres({ url: c.url, schema: c.schema }),
};

/** Opens the configured store and brings its schema up to date; a store that cannot migrate is closed again. */
export async function openStore(config: StoreConfig): Promise<Store> {
  const factory = Object.hasOwn(FACTORIES, config?.kind) ? (FACTORIES[config.kind] as Factory<Kind>) : undefined;
  if (!factory) throw new StoreError('SW6013', `unknown store kind: ${JSON.stringify(config?.kind)}`);
  const store = await factory(config);
  try {
    await store.migrate();
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
  return store;
}

export type * from './contract.js';
export { ALERT_STATUSES, ROLES } from './contract.js';
export { StoreError } from './errors.js';
