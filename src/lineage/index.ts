/** lineage: bounded per-host process and session tables, script-block reassembly; results attached as fields. */
export { Lineage, type LineageOptions } from './lineage.js';
export { lineageSnapshot, restoreLineage } from './snapshot.js';
export { ProcessTables, type ProcRef, type TableOptions } from './table.js';
export { StringPool } from './strings.js';
export { ScriptBlockReassembler } from './scriptblocks.js';
export { SessionTable } from './sessions.js';
export { ConnectionJoin } from './connections.js';
