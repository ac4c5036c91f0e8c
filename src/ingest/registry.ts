/** Every reader shellwatch knows, by id. Adding a reader is one line here (see CONTRIBUTING.md). */
import type { Source } from './source.js';
import { auditdSource } from './auditd/index.js';
import { evtxSource } from './evtx/index.js';
import { jsonSource } from './json/index.js';
import { netflowSource } from './netflow/index.js';
import { xmlSource } from './xml/index.js';
import { zeekSource } from './zeek/index.js';

export const SOURCES: readonly Source[] = [evtxSource, jsonSource, auditdSource, xmlSource, zeekSource, netflowSource];
