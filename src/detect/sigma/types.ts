/**
 * The Sigma engine's plain, serializable data model (compiled rules snapshot-test as JSON). Items from
 * `loadRules` share equal sub-objects across rules (compiler/settle.ts): treat them as read-only.
 */
import type { Diagnostic, Level } from '../../core/index.js';

/** A logsource triple as written in a rule (lower-cased; absent parts are undefined). */
export interface Logsource {
  product?: string;
  category?: string;
  service?: string;
}

/** How one field value is tested. Every variant is plain data; matchers are built at engine start. */
export type ValueTest =
  /** wildcard pattern: parts are literals, `*` (any run) or `?` (one char); cased=false folds case */
  | { t: 'glob'; parts: GlobPart[]; cased: boolean }
  | { t: 're'; pattern: string; flags: string }
  | { t: 'num'; op: NumOp; value: number }
  | { t: 'cidr'; cidr: string }
  | { t: 'null' }
  | { t: 'exists'; value: boolean }
  | { t: 'fieldref'; field: string; op: 'eq' | 'contains' | 'startswith' | 'endswith'; cased: boolean }
  | { t: 'time'; part: TimePart; op: NumOp; value: number }
  /** negation of the inner test (neq) */
  | { t: 'not'; test: ValueTest };

/** A literal, `*` (any run), `?` (one char) or a one-char class (windash). */
export type GlobPart = string | { w: '*' | '?' } | { w: 'c'; chars: string };
export type NumOp = 'eq' | 'gt' | 'gte' | 'lt' | 'lte';
export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** One `field|mods: values` item of a search identifier. `field` null means keyword search. */
export interface FieldTest {
  field: string | null;
  /** all: every value must match (the `all` modifier), otherwise any */
  all: boolean;
  values: ValueTest[];
}

/** A search identifier: a map is AND of field tests; a list is OR of maps/keywords. */
export type Search = { t: 'and'; items: Search[] } | { t: 'or'; items: Search[] } | { t: 'field'; test: FieldTest };

/** The compiled condition expression; `ref` names a search identifier. */
export type Cond =
  | { t: 'ref'; name: string }
  | { t: 'and'; items: Cond[] }
  | { t: 'or'; items: Cond[] }
  | { t: 'not'; item: Cond }
  | { t: 'true' }
  | { t: 'false' };

export interface RuleSource { file: string; line: number; column: number }

/** What every compiled rule and correlation says about itself. */
export interface RuleHeader {
  id: string;
  name?: string;
  title: string;
  level: Level;
  status: string;
  tags: string[];
  /** ATT&CK technique ids derived from tags (attack.t1059.001 → T1059.001) */
  techniques: string[];
}

/** A compiled detection rule: plain data, JSON-serializable. */
export interface CompiledRule extends RuleHeader {
  kind: 'rule';
  logsource: Logsource;
  searches: Record<string, Search>;
  condition: Cond;
  source: RuleSource;
}

export type CorrelationType =
  | 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered' | 'value_sum' | 'value_avg' | 'value_percentile';

/** A compiled correlation rule (plain data). */
export interface CompiledCorrelation extends RuleHeader {
  kind: 'correlation';
  type: CorrelationType;
  /** referenced rule ids or names, as written */
  rules: string[];
  groupBy: string[];
  timespanMs: number;
  /** alias → (rule name/id → field) */
  aliases: Record<string, Record<string, string>>;
  condition: { field?: string; ops: Partial<Record<'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq', number>> };
  generate: boolean;
  source: RuleSource;
}

/** A compiled filter (the filters specification): an exclusion applied to named rules. */
export interface CompiledFilter {
  kind: 'filter';
  id: string;
  title: string;
  rules: string[];
  logsource: Logsource;
  searches: Record<string, Search>;
  condition: Cond;
  source: RuleSource;
}

export type CompiledItem = CompiledRule | CompiledCorrelation | CompiledFilter;

/** One line of `shellwatch rules list`. */
export interface RuleListing {
  id: string;
  title: string;
  path: string;
  level: string;
  status: string;
  logsource: Logsource;
  loaded: boolean;
  /**
   * why the rule could not be loaded; for a loaded rule, a note on how it was loaded when that is not
   * as written (a deprecated `| count() by` aggregation run as a correlation), else absent
   */
  reason?: string;
}

export interface LoadOptions {
  /** placeholder values for the `expand` modifier (`%Admins%` → list) */
  placeholders?: Record<string, string[]>;
  /** keep rules whose logsource no reader produces (they can never fire) */
  keepUnroutable?: boolean;
  /**
   * compiled-rule cache: false disables it, a string names its folder (default: SHELLWATCH_CACHE_DIR
   * or a folder under the system temporary folder). Unchanged files (path, mtime, size) skip YAML.
   */
  cache?: boolean | string;
}

export interface LoadResult {
  rules: CompiledItem[];
  diagnostics: Diagnostic[];
  listing: RuleListing[];
}

/** What the engine reports for a rule that fired. */
export interface SigmaMatch {
  rule: { id: string; title: string; level: Level; status: string; tags: string[]; techniques: string[]; kind: 'rule' | 'correlation' };
  /** field → value of the record that satisfied the rule's field tests (taxonomy names) */
  fields: Record<string, unknown>;
  /** for correlations: the group key values and the number of events */
  group?: Record<string, unknown>;
  count?: number;
  /** ms since epoch of the record (or of the last correlated record) */
  timeMs?: number;
}
