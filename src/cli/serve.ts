/** `shellwatch serve` and its companion `token`: the live server over the embedded (or a PostgreSQL) store. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { formatDiagnostic } from '../core/index.js';
import { terminalSafe } from './output/sanitize.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];
const ROLES = ['ingest', 'viewer', 'analyst', 'responder', 'admin'];

interface ServeCli {
  config?: string; data?: string; listen?: string; store?: string; tlsCert?: string; tlsKey?: string;
  syslogUdp?: string; syslogTcp?: string; syslogTls?: string; follow?: string[]; rules?: string[]; builtin?: boolean;
  allowlist?: string[]; groups?: string; reorderWindow?: string; retentionDays?: string; quiet?: boolean;
}

/** The flags as config key paths (undefined: not given, so the file or environment decides). */
function flagsOf(o: ServeCli): Record<string, unknown> {
  return {
    data: o.data, listen: o.listen, 'store.url': o.store, 'tls.cert': o.tlsCert, 'tls.key': o.tlsKey,
    'syslog.udp': o.syslogUdp, 'syslog.tcp': o.syslogTcp, 'syslog.tls': o.syslogTls,
    follow: o.follow?.length ? o.follow : undefined, 'rules.paths': o.rules?.length ? o.rules : undefined,
    'rules.builtin': o.builtin === false ? false : undefined, allowlist: o.allowlist?.length ? o.allowlist : undefined, groups: o.groups,
    'pipeline.reorderWindowMs': o.reorderWindow, retentionDays: o.retentionDays,
  };
}

async function runServe(o: ServeCli): Promise<void> {
  const { loadServeConfig, startServe } = await import('../pipeline/serve/index.js');
  const { buildApi } = await import('../api/server.js');
  const { createToken } = await import('../api/tokens.js');
  const config = loadServeConfig(o.config, flagsOf(o));
  const say = (s: string) => { if (!o.quiet) process.stderr.write(`shellwatch serve: ${s}\n`); };
  const serve = await startServe(config, (d) => say(terminalSafe(formatDiagnostic(d))));
  // first start: an admin token, written where only this user can read it, so the README's commands work
  if (!(await serve.store.listTokens()).length) {
    const { token } = await createToken(serve.store, { name: 'admin', role: 'admin', actor: 'serve:first-start' });
    const file = join(config.data, 'admin.token');
    mkdirSync(config.data, { recursive: true, mode: 0o700 });
    writeFileSync(file, token + '\n', { mode: 0o600 });
    say(`first start: admin token written to ${file}`);
  }
  const https = config.tls ? { cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) } : undefined;
  const app = await buildApi(serve.context, { bodyBytes: config.limits.bodyBytes, ratePerMinute: config.limits.ratePerMinute, https, version: '0.1.0' });
  const { parseAddress } = await import('../pipeline/serve/index.js');
  const { host, port } = parseAddress(config.listen);
  const at = await app.listen({ host, port });
  say(`listening on ${at} (store: ${serve.store.kind}${serve.store.kind === 'sqlite' ? ` in ${config.data}` : ''})`);
  for (const [k, a] of Object.entries(serve.syslog?.addresses() ?? {})) if (a) say(`syslog ${k} on ${a.host}:${a.port}`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = async (sig: string) => {
      if (stopping) return;
      stopping = true;
      say(`${sig}: stopping (finishing what was accepted)`);
      await app.close();
      await serve.close();
      resolve();
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });
}

async function runToken(action: 'create' | 'list' | 'revoke', o: { config?: string; data?: string; role?: string; name?: string; id?: string; store?: string }): Promise<void> {
  const { loadServeConfig, openConfiguredStore } = await import('../pipeline/serve/index.js');
  const config = loadServeConfig(o.config, { data: o.data, 'store.url': o.store });
  const store = await openConfiguredStore(config);
  try {
    if (action === 'create') {
      const { createToken } = await import('../api/tokens.js');
      const { token, record } = await createToken(store, { name: o.name ?? `${o.role}-${Date.now()}`, role: o.role as 'admin', actor: `cli:${process.env.USER ?? 'unknown'}` });
      process.stderr.write(`token ${record.id} (${record.name}, role ${record.role}); shown once:\n`);
      process.stdout.write(token + '\n');
    } else if (action === 'list') {
      for (const t of await store.listTokens()) process.stdout.write(JSON.stringify({ id: t.id, name: t.name, role: t.role, createdMs: t.createdMs, revokedMs: t.revokedMs, lastUsedMs: t.lastUsedMs }) + '\n');
    } else {
      const ok = await store.revokeToken(o.id!, Date.now());
      if (ok) await store.audit({ timeMs: Date.now(), actor: `cli:${process.env.USER ?? 'unknown'}`, action: 'token.revoke', target: o.id!, details: {} });
      process.stderr.write(ok ? `revoked ${o.id}\n` : `no live token ${o.id}\n`);
      if (!ok) process.exitCode = 1;
    }
  } finally {
    await store.close();
  }
}

export function addServeCommands(p: Command): void {
  p.command('serve')
    .description('Run the live server: ingest (HTTP, Elasticsearch bulk, syslog, file follow), detection, the store and the API.')
    .option('-c, --config <file>', 'YAML config file (the same keys as the flags; SHELLWATCH_* variables override it)')
    .option('--data <dir>', 'data folder for the embedded store (default ./shellwatch-data)')
    .option('--listen <host:port>', 'HTTP API address (default 127.0.0.1:8844)')
    .option('--store <url>', 'a PostgreSQL URL instead of the embedded SQLite store')
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS').option('--tls-key <file>', 'PEM private key')
    .option('--syslog-udp <host:port>', 'syslog over UDP').option('--syslog-tcp <host:port>', 'syslog over TCP (LF or octet-counted framing)')
    .option('--syslog-tls <host:port>', 'syslog over TLS (RFC 5425)')
    .option('--follow <file>', 'a file to follow (repeatable)', collect)
    .option('-r, --rules <path>', 'Sigma rules to run (repeatable)', collect)
    .option('--no-builtin', 'run only the Sigma rules')
    .option('--allowlist <path>', 'a site allowlist (repeatable)', collect)
    .option('--groups <file>', 'host and user groups (YAML)')
    .option('--reorder-window <ms>', 'per-host reorder window in event time (default 0: arrival order)')
    .option('--retention-days <n>', 'keep raw events this many days (0: forever; alerts are always kept)')
    .option('-q, --quiet', 'no messages on stderr')
    .action((o: ServeCli) => runServe(o));
  const t = p.command('token').description('API tokens of a server (stored hashed; a token is shown once).');
  const common = (c: Command) => c.option('--data <dir>', 'the server\'s data folder').option('-c, --config <file>', 'the server\'s config file').option('--store <url>', 'a PostgreSQL URL');
  common(t.command('create').description('Create a token and print it.'))
    .addOption(new Option('--role <role>', 'what the token may do').choices(ROLES).makeOptionMandatory())
    .option('--name <name>', 'a name for the audit log')
    .action((o) => runToken('create', o));
  common(t.command('list').description('List tokens (never their secrets).')).action((o) => runToken('list', o));
  common(t.command('revoke').description('Revoke a token by id.')).argument('<id>').action((id: string, o) => runToken('revoke', { ...o, id }));
}

/** The token a client command uses: --token, SHELLWATCH_TOKEN, or the admin token of a local data folder. */
export function clientToken(token: string | undefined, data = './shellwatch-data'): string | undefined {
  if (token) return token;
  if (process.env.SHELLWATCH_TOKEN) return process.env.SHELLWATCH_TOKEN;
  const file = join(data, 'admin.token');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}
