/** Logsource routing: a record's channel, event id and format → the views (logsources) it feeds. */
import type { RawRecord } from '../../../core/index.js';
import { recordHeader } from './fields.js';
import type { Pipelines, RouteEntry, View } from './pipeline.js';

export interface Routed { key: string; views: View[] }

function entryMatches(p: Pipelines, e: RouteEntry, format: string, channel: string, eventId: number | null): boolean {
  if (e.fallback) return channel !== '' && !p.foreignChannels.has(channel) && !p.foreignFormats.has(format);
  if (e.channels && !e.channels.has(channel)) return false;
  if (e.formats && !e.formats.has(format)) return false;
  if (e.eventIds && (eventId === null || !e.eventIds.has(eventId))) return false;
  return true;
}

function whereOk(e: RouteEntry, rec: RawRecord): boolean {
  if (!e.where) return true;
  for (const [k, allowed] of Object.entries(e.where)) {
    const v = rec.data[k];
    if (v === undefined || v === null || !allowed.includes(String(v).toLowerCase())) return false;
  }
  return true;
}

/** Finds the views of a record; per (format, channel, event id) the candidate entries are cached. */
export class Router {
  private readonly cache = new Map<string, RouteEntry[]>();
  /** the last record header routed without `where` conditions, and its result (streams are mostly one kind of record) */
  private last: { format: string; channel: string | undefined; eventId: number | undefined; routed: Routed } | null = null;
  constructor(readonly p: Pipelines) {}

  /** The entries a record header selects, before `where` conditions (plain linear scan). */
  entriesFor(format: string, channel: string, eventId: number | null): RouteEntry[] {
    return this.p.entries.filter((e) => entryMatches(this.p, e, format, channel, eventId));
  }

  /** The views of a record; the same Routed object for consecutive records of one header (no `where`). */
  route(rec: RawRecord): Routed {
    const last = this.last, sys = rec.system;
    if (last !== null && sys.channel !== undefined && sys.eventId !== undefined && last.channel === sys.channel && last.eventId === sys.eventId && last.format === rec.format) return last.routed;
    const routed = this.routeHeader(rec);
    this.last = sys.channel !== undefined && sys.eventId !== undefined && !routed.conditional ? { format: rec.format, channel: sys.channel, eventId: sys.eventId, routed } : null;
    return routed;
  }

  private routeHeader(rec: RawRecord): Routed & { conditional: boolean } {
    const h = recordHeader(this.p, rec);
    const base = `${rec.format}\u0001${h.channel}\u0001${h.eventId}`;
    let entries = this.cache.get(base);
    if (!entries) { entries = this.entriesFor(rec.format, h.channel, h.eventId); this.cache.set(base, entries); }
    let key = base, conditional = false;
    const views: View[] = [];
    for (const e of entries) {
      if (e.where) { conditional = true; const ok = whereOk(e, rec); key += ok ? '1' : '0'; if (!ok) continue; }
      views.push(e.view);
    }
    return { key, views, conditional };
  }

  /** Reference path: no caches. */
  routeUncached(rec: RawRecord): View[] {
    const h = recordHeader(this.p, rec);
    return this.entriesFor(rec.format, h.channel, h.eventId).filter((e) => whereOk(e, rec)).map((e) => e.view);
  }
}
