/**
 * Detection on every decoded layer: the text an event carries (a command line, a task or service
 * action, a script block) is deobfuscated statically (src/decode), and each decoded layer is offered
 * to the detectors and Sigma rules as if it were the event's own text. An alert raised on a layer
 * says so and carries the chain of layers that led to it in `decoded[]`.
 */
import type { DecodedLayer, ShellEvent } from '../core/index.js';
import { deobfuscate, type Layer } from '../decode/index.js';

/** One decoded variant of an event: the event with its text replaced, and the chain to that layer. */
export interface Variant { ev: ShellEvent; chain: DecodedLayer[]; layer: number }

const MIN_TEXT = 8;
/**
 * No wall-clock budget: decoding is bounded by its step and output budgets (src/decode/budget.ts), so a
 * text decodes the same whatever the machine's load or the number of workers (a time budget made the
 * layers of a long line depend on how busy the machine was). The hostile-input tests hold the bounds.
 */
const MAX_MS = Infinity;

/** The text of `ev` that decoding applies to. */
export function textOf(ev: ShellEvent): string | undefined {
  switch (ev.kind) {
    case 'process_start': return ev.process.commandLine;
    case 'task_created': case 'service_created': return ev.command;
    case 'script_block': return ev.text;
    default: return undefined;
  }
}

function withText(ev: ShellEvent, text: string, original: string): ShellEvent {
  // the raw fields that held the original text hold the decoded one, so Sigma sees it too
  const raw: Record<string, unknown> = { ...ev.raw };
  for (const k in raw) if (raw[k] === original) raw[k] = text;
  switch (ev.kind) {
    case 'process_start': return { ...ev, raw, process: { ...ev.process, commandLine: text } };
    case 'task_created': case 'service_created': return { ...ev, raw, command: text };
    case 'script_block': return { ...ev, raw, text };
    default: return ev;
  }
}

/** The chain of layers from the input to layer `i` (outermost first, the input left out). */
function chainTo(layers: Layer[], i: number): DecodedLayer[] {
  const out: DecodedLayer[] = [];
  for (let j: number | undefined = i; j !== undefined && j > 0; j = layers[j].from?.layer) out.unshift({ technique: layers[j].technique, text: layers[j].text });
  return out;
}

/**
 * Layers of recent texts: the same command lines and script blocks recur all day (services, agents,
 * module logging), and decoding is a pure function of the text. Bounded in entries and text length.
 */
const recent = new Map<string, Layer[]>();
const CACHE = 2048;
const CACHE_MAX_LEN = 64 * 1024;

function layersOf(text: string): Layer[] {
  if (text.length > CACHE_MAX_LEN) return deobfuscate(text, { maxMs: MAX_MS }).layers;
  let l = recent.get(text);
  if (l) {
    recent.delete(text);
    recent.set(text, l);
    return l;
  }
  l = deobfuscate(text, { maxMs: MAX_MS }).layers;
  recent.set(text, l);
  if (recent.size > CACHE) recent.delete(recent.keys().next().value as string);
  return l;
}

/** Nothing decoded (shared: most events carry no text or plain text). */
const NONE: { layers: DecodedLayer[]; variants: Variant[] } = Object.freeze({ layers: [], variants: [] }) as never;

/** All decoded layers of the event's text, with the variant events to run detection on. */
export function decodeEvent(ev: ShellEvent): { layers: DecodedLayer[]; variants: Variant[] } {
  const text = textOf(ev);
  if (!text || text.length < MIN_TEXT) return NONE;
  const layers = layersOf(text);
  if (layers.length < 2) return NONE;
  const variants: Variant[] = [];
  for (let i = 1; i < layers.length; i++) variants.push({ ev: withText(ev, layers[i].text, text), chain: chainTo(layers, i), layer: i });
  return { layers: layers.slice(1).map((l) => ({ technique: l.technique, text: l.text })), variants };
}
