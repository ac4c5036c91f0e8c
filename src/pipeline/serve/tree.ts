/** The process tree around an alert, from the process nodes the store keeps (so it survives restarts). */
import type { ProcessNode, Store, StoredEvent } from '../../store/contract.js';
import { processKey } from './batch.js';
import type { ProcessTree } from './context.js';

const MAX_DEPTH = 32;
const MAX_CHILDREN = 200;
const MAX_EVENTS = 20;

export async function alertTree(store: Store, alertId: string): Promise<ProcessTree | null> {
  const stored = await store.getAlert(alertId);
  if (!stored) return null;
  const a = stored.alert;
  const host = a.host.toLowerCase();
  const proc = { pid: a.process.pid ?? undefined, guid: a.process.guid ?? undefined };
  const t = Date.parse(a.time);
  const key = processKey(proc, Number.isFinite(t) ? t : undefined);
  const node = key ? await store.getProcess(host, key) : null;
  const ancestors: ProcessNode[] = [];
  const seen = new Set<string>(node ? [node.key] : []);
  let up = node?.parentKey ?? null;
  while (up && ancestors.length < MAX_DEPTH && !seen.has(up)) {
    seen.add(up);
    const p = await store.getProcess(host, up);
    if (!p) break;
    ancestors.push(p);
    up = p.parentKey;
  }
  const siblings = node?.parentKey ? (await store.childrenOf(host, node.parentKey, MAX_CHILDREN)).filter((x) => x.key !== node.key) : [];
  const children = node ? await store.childrenOf(host, node.key, MAX_CHILDREN) : [];
  const events: StoredEvent[] = [];
  for (const seq of (node?.seqs ?? (a.event.seq !== undefined ? [a.event.seq] : [])).slice(0, MAX_EVENTS)) {
    const e = await store.getEvent(seq);
    if (e) events.push(e);
  }
  return { host, node, ancestors, siblings, children, events };
}
