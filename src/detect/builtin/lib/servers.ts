/** Which processes are servers (web, database, mail, application), including java/node hosts by command line. */
import type { ProcessInfo } from '../../../core/index.js';
import { procName, SERVER_MARKERS, SERVERS } from './names.js';

export interface ServerHit { name: string; category: string; marker?: string }

const HOSTS: Record<string, string> = { java: 'java', javaw: 'java', node: 'node', python: 'python', dotnet: 'dotnet' };

/** The server a process is, or null. java/node/python/dotnet count only with a server marker in their command line. */
export function serverOf(p: ProcessInfo): ServerHit | null {
  const n = procName(p);
  const cat = SERVERS.get(n);
  if (cat) return { name: n, category: cat };
  const host = HOSTS[n];
  if (!host) return null;
  const cl = (p.commandLine ?? '').slice(0, 4096).toLowerCase();
  const marker = SERVER_MARKERS[host]?.find((m) => cl.includes(m));
  return marker ? { name: n, category: host === 'java' ? 'application' : 'web', marker } : null;
}
