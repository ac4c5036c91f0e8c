/**
 * Lineage state as data and back: what a pipeline hands over when it stops and goes on elsewhere or
 * later (serve's detection snapshot). The snapshot is the tables themselves (typed arrays, maps, plain
 * objects: structured-clone safe, with the string pool shared by every host table kept shared);
 * restore() puts the classes back on a structured clone of it.
 */
import { ConnectionJoin } from './connections.js';
import { HostTable } from './host-table.js';
import { Lineage, type LineageOptions } from './lineage.js';
import { PersistenceIndex } from './persistence.js';
import { ScriptBlockReassembler } from './scriptblocks.js';
import { SessionTable } from './sessions.js';
import { StringPool } from './strings.js';
import { ProcessTables } from './table.js';

interface LineageData { tables: ProcessTables; sessions: SessionTable; connections: ConnectionJoin; persistence: PersistenceIndex; scripts: ScriptBlockReassembler }

/** The state of `l` (not a copy: structured-clone it before `l` goes on). */
export function lineageSnapshot(l: Lineage): unknown {
  return l.parts() satisfies LineageData;
}

const revive = <T extends object>(o: unknown, proto: { prototype: T }): T => Object.setPrototypeOf(o as object, proto.prototype) as T;

/** A Lineage that goes on from a structured clone of lineageSnapshot()'s data. */
export function restoreLineage(data: unknown, opts: LineageOptions = {}): Lineage {
  const d = data as LineageData;
  revive(d.tables, ProcessTables);
  revive(d.tables.strings, StringPool);
  for (const t of (d.tables as unknown as { hosts: Map<string, object> }).hosts.values()) revive(t, HostTable);
  revive(d.sessions, SessionTable);
  revive(d.connections, ConnectionJoin);
  revive(d.persistence, PersistenceIndex);
  revive(d.scripts, ScriptBlockReassembler);
  return Lineage.fromParts(d, opts);
}
