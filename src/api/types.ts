/** Options of buildApi and the per-route configuration the hooks read (role, ES compatibility, raw bodies). */
import type { Role, TokenRecord } from '../pipeline/serve/context.js';

export interface ApiOptions {
  /** largest request body in bytes; gzip bodies may inflate to 8× this */
  bodyBytes: number;
  /** requests per minute per token (per address when unauthenticated) */
  ratePerMinute: number;
  https?: { cert: Buffer; key: Buffer };
  logger?: boolean;
  /** shellwatch's version, shown in the OpenAPI document */
  version: string;
  /** SSE heartbeat interval (default 15 s; tests shorten it) */
  sseHeartbeatMs?: number;
  /** bytes an SSE client may have unsent before it is disconnected (default 1 MiB) */
  sseBufferBytes?: number;
}

/** `public`: no credentials needed; `ingest`: ingest or admin tokens; the others: that role or above. */
export type RouteRole = Role | 'public';

/** Who made the request, once authenticated. */
export interface Principal { token: TokenRecord; name: string; role: Role }

declare module 'fastify' {
  interface FastifyContextConfig {
    role?: RouteRole;
    /** an Elasticsearch-compatible route: ES error fields and the X-Elastic-Product header */
    es?: boolean;
    /** the SSE stream: `?token=` is accepted since EventSource cannot set headers */
    queryToken?: boolean;
    /** takes its body as raw bytes (ingest, bulk, ES probes): gzip allowed */
    raw?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}
