// The reference side of the differential test: runs Debian's `evtxexport -f xml` (libevtx-utils),
// caches its output under os.tmpdir(), and reads it back into comparable records.
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True when `evtxexport` is installed. */
export const hasEvtxexport = spawnSync('evtxexport', ['-V'], { stdio: 'ignore' }).status === 0;

/** One record as evtxexport shows it: the compared System fields and the flattened data. */
export interface RefRecord {
  recordId: string;
  eventId: string;
  time: string;
  computer: string;
  channel: string;
  provider: string;
  data: Record<string, string | string[]>;
}

interface XEl { name: string; attrs: Record<string, string>; children: XEl[]; text: string }

const ENT: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (s: string): string =>
  s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(parseInt(e[1] === 'x' ? e.slice(2) : e.slice(1), e[1] === 'x' ? 16 : 10)) : (ENT[e] ?? m));

/** A minimal XML reader for evtxexport's own output (elements, attributes, text; no DTDs). */
export function parseXml(xml: string): XEl[] {
  const root: XEl = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|<\?[^>]*\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->/g;
  let last = 0;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    const top = stack[stack.length - 1];
    top.text += unescape(xml.slice(last, m.index));
    last = tag.lastIndex;
    if (m[5] !== undefined) {
      top.text += m[5];
      continue;
    }
    if (!m[2]) continue;
    if (m[1]) {
      if (stack.length > 1) stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of m[3].matchAll(/([\w:.-]+)="([^"]*)"/g)) attrs[a[1]] = unescape(a[2]);
    const el: XEl = { name: m[2], attrs, children: [], text: '' };
    top.children.push(el);
    if (!m[4]) stack.push(el);
  }
  return root.children;
}

const child = (el: XEl | undefined, name: string): XEl | undefined => el?.children.find((c) => c.name === name);

function put(data: Record<string, string | string[]>, key: string, value: string): void {
  const prev = data[key];
  if (prev === undefined) data[key] = value;
  else if (Array.isArray(prev)) prev.push(value);
  else data[key] = [prev, value];
}

function flatten(el: XEl, prefix: string, data: Record<string, string | string[]>): void {
  for (const c of el.children) {
    const path = prefix + c.name;
    for (const [k, v] of Object.entries(c.attrs)) if (k !== 'xmlns' && !k.startsWith('xmlns:') && v !== '') put(data, `${path}.${k}`, v);
    if (c.children.length) flatten(c, path + '.', data);
    else put(data, path, c.text);
  }
}

/** Converts one parsed `<Event>` into the compared fields. */
export function refRecord(ev: XEl): RefRecord {
  const sys = child(ev, 'System');
  const data: Record<string, string | string[]> = {};
  const unnamed: string[] = [];
  for (const c of ev.children) {
    if (c.name === 'System') continue;
    if (c.name === 'EventData') {
      for (const d of c.children) {
        if (d.name !== 'Data') put(data, d.name, d.text);
        else if (d.attrs.Name) put(data, d.attrs.Name, d.text);
        else unnamed.push(d.text);
      }
    } else if (c.name === 'UserData') {
      for (const top of c.children) {
        for (const [k, v] of Object.entries(top.attrs)) if (k !== 'xmlns' && !k.startsWith('xmlns:') && v !== '') put(data, k, v);
        flatten(top, '', data);
      }
    } else {
      flatten(c, '', data);
    }
  }
  if (unnamed.length) data.Data = unnamed.length === 1 ? unnamed[0] : unnamed;
  return {
    recordId: child(sys, 'EventRecordID')?.text ?? '',
    eventId: child(sys, 'EventID')?.text ?? '',
    time: child(sys, 'TimeCreated')?.attrs.SystemTime ?? '',
    computer: child(sys, 'Computer')?.text ?? '',
    channel: child(sys, 'Channel')?.text ?? '',
    provider: child(sys, 'Provider')?.attrs.Name ?? '',
    data,
  };
}

const cacheDir = join(tmpdir(), 'shellwatch-evtx-ref');

function cacheFile(path: string): string {
  const st = statSync(path);
  const key = createHash('sha1').update(`${path}\0${st.size}\0${st.mtimeMs}`).digest('hex');
  return join(cacheDir, `${key}.xml`);
}

/** evtxexport's XML for a file (cached in the temp dir) and whether it exported the whole file. */
export function exportXml(path: string): Promise<{ xml: string; ok: boolean }> {
  const cached = cacheFile(path);
  if (existsSync(cached)) return Promise.resolve(JSON.parse(readFileSync(cached, 'utf8')) as { xml: string; ok: boolean });
  return new Promise((resolve) => {
    execFile('evtxexport', ['-f', 'xml', path], { maxBuffer: 1 << 30, encoding: 'utf8' }, (err, stdout) => {
      const r = { xml: stdout ?? '', ok: !err };
      mkdirSync(cacheDir, { recursive: true });
      writeFileSync(cached, JSON.stringify(r));
      resolve(r);
    });
  });
}

/** Runs `fn` over `items` with at most `n` in flight, keeping result order. */
export async function mapLimit<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let i = 0;
  const run = async (): Promise<void> => {
    while (i < items.length) {
      const j = i++;
      out[j] = await fn(items[j]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, run));
  return out;
}

/** The records evtxexport shows for a file; `ok` false when it stopped on an error (records are a prefix). */
export async function referenceRecords(path: string): Promise<{ records: RefRecord[]; ok: boolean }> {
  const { xml, ok } = await exportXml(path);
  const records = parseXml(xml)
    .filter((e) => e.name === 'Event')
    .map(refRecord);
  return { records, ok };
}
