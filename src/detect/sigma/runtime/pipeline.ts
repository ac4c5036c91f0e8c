/** Loads the pipeline YAML files (routing + field mapping as data) into route entries and views. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logsource } from '../types.js';
import { parseYaml } from '../../../core/index.js';

/** How a rule sees a record: the logsource it stands for and the taxonomy → native field renames. */
export interface View { id: number; logsource: Logsource; fields: Record<string, string> }

/** One way of recognising a record; all present conditions must hold. */
export interface RouteEntry {
  channels: Set<string> | null;
  formats: Set<string> | null;
  eventIds: Set<number> | null;
  where: Record<string, string[]> | null;
  /** product-level entry of a pipeline that claims every channel not claimed by another pipeline */
  fallback: boolean;
  view: View;
}

export interface FormatDef { system: Record<string, string[]>; prefixes: string[]; fields: Record<string, string[]> }

export interface Pipelines {
  entries: RouteEntry[];
  views: View[];
  formats: Record<string, FormatDef>;
  formatAliases: Record<string, string>;
  systemFields: Record<string, string>;
  /** channels and formats owned by non-Windows pipelines (the Windows fallback skips them) */
  foreignChannels: Set<string>;
  foreignFormats: Set<string>;
}

type Obj = Record<string, unknown>;
const low = (s: unknown): string => String(s).toLowerCase();
const arr = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);

/** The folder of the shipped pipeline files. */
export const PIPELINE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'pipelines');

class Builder {
  p: Pipelines = { entries: [], views: [], formats: {}, formatAliases: {}, systemFields: {}, foreignChannels: new Set(), foreignFormats: new Set() };
  view(logsource: Obj, fields?: unknown): View {
    const ls: Logsource = {};
    for (const k of ['product', 'category', 'service'] as const) if (logsource[k]) ls[k] = low(logsource[k]);
    const v: View = { id: this.p.views.length, logsource: ls, fields: (fields as Record<string, string>) ?? {} };
    this.p.views.push(v);
    return v;
  }
  entry(e: Partial<RouteEntry> & { view: View }): void {
    this.p.entries.push({ channels: null, formats: null, eventIds: null, where: null, fallback: false, ...e });
  }
  route(r: Obj): void {
    const channels = r.channels ? new Set(arr(r.channels).map(low)) : null;
    const formats = r.formats ? new Set(arr(r.formats)) : null;
    const where = r.where ? Object.fromEntries(Object.entries(r.where as Obj).map(([k, v]) => [k, arr(v).map(low)])) : null;
    const base = r.logsource as Obj;
    if (r.byEventId) {
      for (const [id, cat] of Object.entries(r.byEventId as Obj)) this.entry({ channels, formats, where, eventIds: new Set([Number(id)]), view: this.view({ ...base, category: cat }, r.fields) });
    } else if (r.byChannel) {
      for (const [ch, svc] of Object.entries(r.byChannel as Obj)) this.entry({ formats, where, channels: new Set([low(ch)]), view: this.view({ ...base, service: svc }, r.fields) });
    } else {
      this.entry({ channels, formats, where, eventIds: r.eventIds ? new Set(arr(r.eventIds).map(Number)) : null, view: this.view(base, r.fields) });
    }
  }
  pipeline(doc: Obj): void {
    // an overlay (`overlay: true`) only adds views: it claims no channel or format from the Windows fallback
    if (doc.id !== 'windows' && doc.overlay !== true) {
      for (const r of (doc.routes as Obj[]) ?? []) { arr(r.channels).forEach((c) => this.p.foreignChannels.add(low(c))); arr(r.formats).forEach((f) => this.p.foreignFormats.add(f)); }
      arr(doc.productFormats).forEach((f) => this.p.foreignFormats.add(f));
    }
    for (const r of (doc.routes as Obj[]) ?? []) this.route(r);
    for (const [svc, chans] of Object.entries((doc.services as Obj) ?? {})) {
      const channels = new Set(arr(chans).map(low));
      this.entry({ channels, view: this.view({ product: doc.product, service: svc }) });
    }
    if (doc.product) {
      const view = this.view({ product: doc.product });
      if (doc.productFormats) this.entry({ formats: new Set(arr(doc.productFormats)), view });
      const mine = new Set<string>();
      for (const r of (doc.routes as Obj[]) ?? []) arr(r.channels).forEach((c) => mine.add(low(c)));
      if (mine.size) this.entry({ channels: mine, view });
      if (doc.id === 'windows') this.entry({ fallback: true, view });
    }
  }
}

/** Reads every `*.yaml` pipeline in `dir` (formats.yaml describes record formats). */
export function loadPipelines(dir = PIPELINE_DIR): Pipelines {
  const b = new Builder();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    const doc = parseYaml(readFileSync(join(dir, name), 'utf8')) as Obj;
    if (name === 'formats.yaml') {
      b.p.systemFields = doc.systemFields as Record<string, string>;
      b.p.formats = doc.formats as Record<string, FormatDef>;
      b.p.formatAliases = (doc.aliases as Record<string, string>) ?? {};
    } else b.pipeline(doc);
  }
  return b.p;
}

/** True when every key the rule names equals the view's value for it. */
export function logsourceMatches(rule: Logsource, view: Logsource): boolean {
  if (!rule.product && !rule.category && !rule.service) return false;
  return (!rule.product || rule.product === view.product) && (!rule.category || rule.category === view.category) && (!rule.service || rule.service === view.service);
}
