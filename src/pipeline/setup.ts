/** What every pipeline loads before reading anything (mappings, known-good lists, Sigma rules), from serializable options. */
import type { Diagnostic } from '../core/index.js';
import { Normalizer } from '../normalize/index.js';
import { loadKnownGood, type KnownGood } from './knowngood.js';
import type { HuntOptions } from './options.js';
import type { SigmaSetup } from './sigma.js';

/** What a hunt loads before reading anything: mappings, known-good lists, Sigma rules. */
export interface HuntSetup {
  normalizer: Normalizer;
  kg: KnownGood;
  sg?: typeof import('./sigma.js');
  sigma?: SigmaSetup;
  /** problems met while loading: reported (and counted) by the first hunt that uses this setup */
  diagnostics: Diagnostic[];
  /** set once they are reported (a worker that should not report them sets it itself) */
  reported: boolean;
}

/**
 * Loads what `opts` asks for. A worker of a parallel hunt does this as soon as it knows the job,
 * while the calling process is still listing the files, and hunts each folder with it.
 */
export async function prepareHunt(opts: Pick<HuntOptions, 'knownGood' | 'rules'>): Promise<HuntSetup> {
  const normalizer = new Normalizer();
  const kg = loadKnownGood(opts.knownGood);
  // the Sigma engine is loaded only when there are rules to run
  const sg = opts.rules ? await import('./sigma.js') : undefined;
  const sigma = sg && opts.rules ? sg.setupSigma(opts.rules.paths, opts.rules.placeholders) : undefined;
  return { normalizer, kg, sg, sigma, diagnostics: [...normalizer.diagnostics, ...kg.diagnostics, ...(sigma?.diagnostics ?? [])], reported: false };
}
