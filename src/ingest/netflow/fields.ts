/**
 * Flow-record field names → nfdump's short names (ts te td sa da sp dp pr flg ipkt opkt ibyt obyt), so one
 * mapping (netflow.yaml) covers nfdump CSV/JSON, goflow2, Logstash/Elastic netflow and common long names.
 * The original fields stay in the record beside the canonical ones.
 */
type Obj = Record<string, unknown>;

const ALIASES: Record<string, string[]> = {
  ts: ['ts', 'first', 't_first', 'start', 'start_time', 'starttime', 'timeflowstart', 'flow_start', 'first_switched', 'flowstartmilliseconds', 'flowstartseconds', 'date first seen'],
  te: ['te', 'last', 't_last', 'end', 'end_time', 'endtime', 'timeflowend', 'flow_end', 'last_switched', 'flowendmilliseconds', 'flowendseconds'],
  td: ['td', 'duration', 'dur'],
  sa: ['sa', 'src4_addr', 'src6_addr', 'srcaddr', 'src_addr', 'src_ip', 'srcip', 'source_ip', 'sourceipv4address', 'sourceipv6address', 'ipv4_src_addr', 'ipv6_src_addr', 'src ip addr'],
  da: ['da', 'dst4_addr', 'dst6_addr', 'dstaddr', 'dst_addr', 'dst_ip', 'dstip', 'destination_ip', 'destinationipv4address', 'destinationipv6address', 'ipv4_dst_addr', 'ipv6_dst_addr', 'dst ip addr'],
  sp: ['sp', 'src_port', 'srcport', 'sport', 'source_port', 'sourcetransportport', 'l4_src_port', 'src pt'],
  dp: ['dp', 'dst_port', 'dstport', 'dport', 'destination_port', 'destinationtransportport', 'l4_dst_port', 'dst pt'],
  pr: ['pr', 'proto', 'protocol', 'protocolidentifier', 'ip_protocol'],
  flg: ['flg', 'tcp_flags', 'tcpflags', 'flags', 'tcpcontrolbits'],
  ipkt: ['ipkt', 'in_packets', 'packets', 'in_pkts', 'pkts', 'packetdeltacount', 'src_pkts'],
  opkt: ['opkt', 'out_packets', 'out_pkts', 'dst_pkts'],
  ibyt: ['ibyt', 'in_bytes', 'bytes', 'in_byts', 'octetdeltacount', 'src_bytes'],
  obyt: ['obyt', 'out_bytes', 'out_byts', 'dst_bytes'],
};
const LOOKUP = new Map<string, string>();
for (const [canon, names] of Object.entries(ALIASES)) for (const n of names) LOOKUP.set(n, canon);

/** Canonical short name of a flow field (`netflow.` / `flow.` prefixes ignored), or undefined. */
export function canonicalFlowField(name: string): string | undefined {
  return LOOKUP.get(name.toLowerCase().replace(/^(netflow|flow|ipfix)\./, '').trim());
}

/** True when the names look like a flow record: addresses, ports or protocol, and a time or counter. */
export function isFlowFields(names: string[]): boolean {
  const c = new Set(names.map(canonicalFlowField).filter(Boolean));
  return c.has('sa') && c.has('da') && (c.has('pr') || c.has('dp')) && (c.has('ts') || c.has('ibyt') || c.has('ipkt'));
}

/** Adds the canonical names to `data` (first alias present wins); `td` is filled from ts/te when absent. */
export function canonicalizeFlow(data: Obj): void {
  for (const [k, v] of Object.entries(data)) {
    const c = canonicalFlowField(k);
    if (c && c !== k && data[c] === undefined && v !== '' && v != null) data[c] = v;
  }
  if (data.td === undefined) {
    const a = flowTime(data.ts), b = flowTime(data.te);
    if (a !== undefined && b !== undefined && b >= a) data.td = (b - a) / 1000;
  }
}

/** A flow time: epoch seconds or ms (number or text), or a date text (nfdump `2023-11-14 22:13:20.123`), → ms. */
export function flowTime(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? (v > 1e12 ? v : v * 1000) : undefined;
  if (typeof v !== 'string' || !v.trim()) return undefined;
  const s = v.trim();
  if (/^\d{1,13}(\.\d{1,9})?$/.test(s)) return flowTime(Number(s));
  let iso = s.replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1');
  if (!/[zZ]|[+-]\d\d:?\d\d$/.test(iso)) iso += 'Z';
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}
