// Child process of bench/serve-latency.ts: the parse-only baseline. A node:http server that reads each
// request body, parses it with the same reader `serve` uses (readBuffer: sniffing, the record/1 JSON
// reader) and answers `{accepted: n}`: the cost of HTTP and parsing alone, with no store, no detection
// and no auth. argv: PORT (0: any). Prints `{"port": N}` once listening; SIGTERM stops it.
import { createServer } from 'node:http';
import { readBuffer } from '../src/ingest/bytes.js';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    readBuffer(Buffer.concat(chunks), 'http').then((r) => {
      const body = JSON.stringify({ accepted: r.records.length, duplicates: 0, reader: r.reader });
      res.writeHead(r.records.length ? 200 : 400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    }, (e: Error) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: e.message }));
    });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as { port: number }).port }));
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
