// Runs `shellwatch serve` as a real child process for end-to-end tests: a free port, its data folder,
// the admin token it writes on first start, and ways to stop it cleanly or kill it with SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from './corpus.js';
import { about, waitFor } from './wait.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP port nothing listens on right now (bound on 127.0.0.1 and released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Polls `f` until it returns a truthy value, about `ms` of polls at most (then throws `what`): see wait.ts. */
export function until<T>(what: string, f: () => Promise<T | undefined | false> | T | undefined | false, ms = 20_000, every = 50): Promise<T> {
  return waitFor(what, f, about(ms, every));
}

export interface ServeProcess {
  url: string;
  port: number;
  data: string;
  token: string;
  proc: ChildProcess;
  stderr(): string;
  /** GET (or other method) on the API with the admin token; parsed JSON */
  api<T = unknown>(path: string, init?: RequestInit): Promise<T>;
  /** SIGTERM and wait for exit */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit */
  kill9(): Promise<void>;
}

/** Starts `serve` on `data` (reused when it exists) and waits until it is ready. */
export async function startServe(data: string, args: string[] = [], port?: number, env: NodeJS.ProcessEnv = process.env): Promise<ServeProcess> {
  const p = port ?? await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src', 'cli', 'main.ts'), 'serve', '--data', data, '--listen', `127.0.0.1:${p}`, ...args], { cwd: projectRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (b: Buffer) => { err += b.toString(); });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${p}`;
  try {
    await until('serve to be ready', async () => {
      if (proc.exitCode !== null) throw Object.assign(new Error(`serve exited ${proc.exitCode}: ${err}`), { fatal: true });
      return (await fetch(`${url}/api/v1/ready`)).ok;
    }, 60_000);
  } catch (e) {
    proc.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${err}`);
  }
  const tokenFile = join(data, 'admin.token');
  const token = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '';
  const api = async <T>(path: string, init: RequestInit = {}) => {
    const r = await fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) } });
    const text = await r.text();
    if (!r.ok) throw new Error(`${path}: ${r.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    url, port: p, data, token, proc, api, stderr: () => err,
    stop: async () => { proc.kill('SIGTERM'); return exited; },
    kill9: async () => { proc.kill('SIGKILL'); await exited; },
  };
}

/** Every alert id the server holds (all pages). */
export async function allAlertIds(s: ServeProcess): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: { id: string }[]; next: string | null } = await s.api(`/api/v1/alerts?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    ids.push(...page.items.map((x) => x.id));
    cursor = page.next;
  } while (cursor);
  return ids.sort();
}

/** Runs `shellwatch replay` as a child process; resolves with its exit code and stderr. */
export function replay(paths: string[], s: { url: string; token: string }, args: string[] = [], env: NodeJS.ProcessEnv = process.env): { proc: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src', 'cli', 'main.ts'), 'replay', ...paths, '--to', s.url, '--token', s.token, ...args], { cwd: projectRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (b: Buffer) => { err += b.toString(); });
  const done = new Promise<{ code: number | null; stderr: string }>((r) => proc.once('exit', (code) => r({ code, stderr: err })));
  return { proc, done };
}
