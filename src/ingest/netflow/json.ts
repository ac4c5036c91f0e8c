/** The `json-netflow` shape: a JSON flow record (nfdump -o json, goflow2, Logstash netflow, IPFIX exports). */
import type { RawSystem } from '../../core/index.js';
import { canonicalizeFlow, flowTime, isFlowFields } from './fields.js';

type Obj = Record<string, unknown>;

/** The flow shape of `o` (flattened one level for `netflow.*` objects), or undefined when it is not a flow. */
export function flowShape(o: Obj): { format: string; system: RawSystem; data: Obj } | undefined {
  const inner = o.netflow ?? o.flow ?? o.ipfix;
  const flat: Obj = { ...o };
  if (inner && typeof inner === 'object' && !Array.isArray(inner)) for (const [k, v] of Object.entries(inner)) if (flat[k] === undefined) flat[k] = v;
  if (!isFlowFields(Object.keys(flat))) return undefined;
  canonicalizeFlow(flat);
  const system: RawSystem = { provider: 'NetFlow' };
  const t = flowTime(flat.ts);
  if (t !== undefined) system.timeMs = t;
  const exporter = flat.ra ?? flat.exporter ?? flat.sampler_address ?? flat.SamplerAddress;
  if (typeof exporter === 'string') system.computer = exporter;
  return { format: 'json-netflow', system, data: flat };
}
