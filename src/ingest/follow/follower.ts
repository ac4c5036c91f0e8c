/**
 * `serve --follow PATH…`: tails files the way Filebeat's log input does. Each path is polled (fs.stat
 * every pollMs; fs.watch on its directory only hints to look sooner, since it misses events on some
 * file systems), its complete lines are read by the reader its first bytes call for and committed
 * through the IngestPort, and the position committed is kept in a PositionStore, so a restart neither
 * re-reads nor skips. See docs/follow.md.
 */
import { watch, type FSWatcher } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import type { Diagnostic, IngestPort } from '../../core/index.js';
import { FileFollower, type FileStatus } from './file.js';
import type { PositionStore } from './registry.js';

export interface FollowOptions {
  /** how often each file is checked for new bytes, ms (default 250) */
  pollMs?: number;
  /** how long a file must stay quiet before an auditd event without its EOE is handed over, ms (default 2 × pollMs) */
  quietMs?: number;
  /** lines (so at most records) per delivery (default 1000) */
  batchMax?: number;
  /** bytes per delivery at most (default 4 MiB) */
  batchBytes?: number;
  /** bytes read at a time (default 1 MiB) */
  readChunk?: number;
  /** a longer line is skipped with SW1006 (default 4 MiB) */
  maxLineBytes?: number;
  /** the delivery's sender (default: this host's name) */
  sender?: string;
  /** every diagnostic, besides port.report() */
  onDiagnostic?: (d: Diagnostic) => void;
}

/** A running follow of several paths. */
export interface Follower {
  /** Stops every path after its in-flight batch is committed (or abandoned while the port is busy); positions stay saved. */
  close(): Promise<void>;
  /** One entry per followed path, in the order given. */
  status(): FileStatus[];
}

const MiB = 1024 * 1024;

/** Starts following `paths` (literal paths; one that does not exist yet is waited for). */
export async function startFollow(paths: string[], port: IngestPort, positions: PositionStore, opts: FollowOptions = {}): Promise<Follower> {
  const pollMs = Math.max(10, opts.pollMs ?? 250);
  const maxLine = opts.maxLineBytes ?? 4 * MiB;
  const limits = {
    readChunk: Math.max(4096, opts.readChunk ?? MiB),
    batchBytes: Math.max(1, opts.batchBytes ?? 4 * MiB),
    batchLines: Math.max(1, opts.batchMax ?? 1000),
    maxLine,
  };
  const sender = opts.sender ?? hostname();
  const ctx = {
    port, positions, limits, pollMs, sender,
    quietMs: opts.quietMs ?? 2 * pollMs,
    report: (d: Diagnostic) => {
      port.report(d, { stream: `follow:${d.location?.file ?? ''}`, sender });
      opts.onDiagnostic?.(d);
    },
  };
  const unique = [...new Set(paths.map((p) => resolve(p)))]; // absolute: positions must not depend on the working directory
  const followers = unique.map((p) => new FileFollower(p, ctx));
  const watchers = watchDirs(followers);
  const runs = followers.map((f) => f.run());
  return {
    async close() {
      for (const w of watchers) w.close();
      for (const f of followers) f.close();
      await Promise.all(runs);
    },
    status: () => followers.map((f) => f.status()),
  };
}

/** One fs.watch per directory, hinting the followers of that directory's files; failures just mean polling alone. */
function watchDirs(followers: FileFollower[]): FSWatcher[] {
  const byDir = new Map<string, FileFollower[]>();
  for (const f of followers) {
    const d = dirname(f.path);
    byDir.set(d, [...(byDir.get(d) ?? []), f]);
  }
  const out: FSWatcher[] = [];
  for (const [dir, fs] of byDir) {
    try {
      const w = watch(dir, { persistent: false }, (_ev, name) => {
        for (const f of fs) if (!name || String(name).startsWith(basename(f.path))) f.hint();
      });
      w.on('error', () => w.close());
      out.push(w);
    } catch {
      // the directory does not exist (yet) or cannot be watched: polling still finds the file
    }
  }
  return out;
}
