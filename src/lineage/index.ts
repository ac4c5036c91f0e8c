/** lineage: bounded per-host process tables; ancestry attached to events as fields. */
export { Lineage } from './lineage.js';
export { ProcessTables, type Node, type TableOptions } from './table.js';
