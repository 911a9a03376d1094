// Pure helpers for the route explainer: a WhyReport as a flow — the module, the GOPRIVATE /
// GONOPROXY decisions, the attempts in order joined by what `,` and `|` mean, where go stops,
// the entries it never tries, then the checksum — and, with probe results, where go ends up.
// No DOM, no IPC, no state.

import { isHealthyOutcome, outcomeClass, type OutcomeClass } from './health';
import type { MessageKey } from './i18n/messages';
import { MATCH_VARS, type MatchVar, type WhyAttempt, type WhyChecksum, type WhyReport } from './types';

/** Tried and `go` got the module; tried and it stops here with an error; tried and it moved on; never reached. */
export type AttemptState = 'fetched' | 'failed' | 'passed' | 'not_reached';

export type SourceKind = 'proxy' | 'direct' | 'off';

export type FlowNode =
  | { kind: 'module'; module: string }
  /** `var` null: no GOPRIVATE/GONOPROXY pattern matched (go asks the proxies). */
  | { kind: 'decision'; var: MatchVar | null; pattern: string | null; derivedFrom: string | null }
  | {
      kind: 'attempt';
      /** 0-based position among the attempts. */
      index: number;
      attempt: WhyAttempt;
      source: SourceKind;
      /** The probe's outcome as a colour class; null without a probe. */
      probeClass: OutcomeClass | null;
      /** With probe results: what happened here; null when unknown. */
      state: AttemptState | null;
      /** go ends up here (with probe results). */
      landing: boolean;
    }
  /** After the last attempt: go reports the error. `reached`: with probe results, whether go gets there. */
  | { kind: 'stop'; reached: boolean | null }
  | { kind: 'ignored'; entry: string }
  | { kind: 'checksum'; checksum: WhyChecksum };

export type FlowNodeKind = FlowNode['kind'];

/** What joins a node to the next one. */
export type EdgeRule = 'flow' | 'next_on_not_found' | 'next_on_any_error' | 'stop' | 'ignored' | 'verify';

export interface FlowEdge {
  /** Index of the node it leaves (it enters `from + 1`). */
  from: number;
  rule: EdgeRule;
}

export interface Flow {
  nodes: FlowNode[];
  /** `edges[i]` joins `nodes[i]` to `nodes[i + 1]`. */
  edges: FlowEdge[];
  /** Some attempt has a probe result. */
  probed: boolean;
  /** Index (into `nodes`) of the attempt where go ends up, or null. */
  landing: number | null;
}

export function sourceKind(source: string): SourceKind {
  if (source === 'direct') return 'direct';
  if (source === 'off') return 'off';
  return 'proxy';
}

/** The message of an edge ("on 404/410 →", "on any error →", "stop", …); null = no label. */
export function edgeLabelKey(rule: EdgeRule): MessageKey | null {
  switch (rule) {
    case 'flow':
      return null;
    case 'next_on_not_found':
      return 'why.edge.next_on_not_found';
    case 'next_on_any_error':
      return 'why.edge.next_on_any_error';
    case 'stop':
      return 'why.edge.stop';
    case 'ignored':
      return 'why.edge.ignored';
    case 'verify':
      return 'why.edge.verify';
  }
}

function onErrorRule(onError: string): EdgeRule {
  return onError === 'next_on_not_found' || onError === 'next_on_any_error' ? onError : 'stop';
}

/**
 * Walks the attempts as cmd/go does (modfetch.TryProxies) with the probe results: a healthy
 * answer ends the walk (fetched); after an error go tries the next entry only when the entry
 * falls back on any error (`|`), or on 404/410 (`,`) and the answer was "not found"; otherwise
 * it stops there (failed). `off` always fails. Returns null when an attempt go reaches has no
 * probe result (the walk cannot be known).
 */
export function walkProbes(attempts: readonly WhyAttempt[]): { states: AttemptState[]; landing: number } | null {
  const states: AttemptState[] = attempts.map(() => 'not_reached');
  for (let i = 0; i < attempts.length; i++) {
    const attempt = attempts[i]!;
    if (sourceKind(attempt.source) === 'off') {
      states[i] = 'failed';
      return { states, landing: i };
    }
    if (!attempt.probe) return null;
    if (isHealthyOutcome(attempt.probe.outcome)) {
      states[i] = 'fetched';
      return { states, landing: i };
    }
    const notFound = attempt.probe.outcome === 'not_found';
    const next =
      i + 1 < attempts.length &&
      (attempt.on_error === 'next_on_any_error' || (attempt.on_error === 'next_on_not_found' && notFound));
    if (!next) {
      states[i] = 'failed';
      return { states, landing: i };
    }
    states[i] = 'passed';
  }
  return null;
}

/**
 * When the probes cannot say (a source go reaches was not probed): the attempt the backend's
 * `outcome` sentence names — the longest source it contains, `direct` as a word.
 */
export function landingFromOutcome(attempts: readonly WhyAttempt[], outcome: string | null): number | null {
  if (!outcome) return null;
  let best: number | null = null;
  let bestLength = 0;
  attempts.forEach((attempt, i) => {
    const kind = sourceKind(attempt.source);
    const found = kind === 'proxy' ? outcome.includes(attempt.source) : new RegExp(`\\b${attempt.source}\\b`).test(outcome);
    if (found && attempt.source.length > bestLength) {
      best = i;
      bestLength = attempt.source.length;
    }
  });
  return best;
}

/** The flow of a report: its nodes in reading order and the edges between them. */
export function whyFlow(report: WhyReport): Flow {
  const nodes: FlowNode[] = [{ kind: 'module', module: report.module }];
  const edges: FlowEdge[] = [];
  const push = (node: FlowNode, rule: EdgeRule) => {
    edges.push({ from: nodes.length - 1, rule });
    nodes.push(node);
  };

  // The decisions: which patterns matched (GOPRIVATE and GONOPROXY decide the route; GONOSUMDB
  // and GOINSECURE change the checksum and TLS), or that none of the routing ones did.
  const matched = (name: MatchVar) => report.matches[name] ?? null;
  const decision = (name: MatchVar): FlowNode => ({
    kind: 'decision',
    var: name,
    pattern: matched(name),
    derivedFrom: report.derived?.[name] ?? null,
  });
  for (const name of ['GOPRIVATE', 'GONOPROXY'] as const) {
    if (matched(name) !== null) push(decision(name), 'flow');
  }
  if (matched('GOPRIVATE') === null && matched('GONOPROXY') === null && report.attempts.length > 0) {
    push({ kind: 'decision', var: null, pattern: null, derivedFrom: null }, 'flow');
  }
  for (const name of MATCH_VARS.slice(2)) {
    if (matched(name) !== null) push(decision(name), 'flow');
  }

  // The attempts, each joined to the next by its own on_error rule.
  const probed = report.attempts.some((a) => a.probe !== null && a.probe !== undefined);
  const walk = probed ? walkProbes(report.attempts) : null;
  const landingAttempt = probed ? (walk?.landing ?? landingFromOutcome(report.attempts, report.outcome)) : null;
  let landing: number | null = null;
  report.attempts.forEach((attempt, index) => {
    const rule = index === 0 ? 'flow' : onErrorRule(report.attempts[index - 1]!.on_error);
    if (index === landingAttempt) landing = nodes.length;
    push(
      {
        kind: 'attempt',
        index,
        attempt,
        source: sourceKind(attempt.source),
        probeClass: attempt.probe ? outcomeClass(attempt.probe.outcome) : null,
        state: walk ? (walk.states[index] ?? null) : null,
        landing: index === landingAttempt,
      },
      rule,
    );
  });
  const last = report.attempts.at(-1);
  if (last) {
    const reached = walk ? walk.states[walk.landing] === 'failed' : null;
    push({ kind: 'stop', reached }, onErrorRule(last.on_error));
  }
  for (const entry of report.ignored ?? []) push({ kind: 'ignored', entry }, 'ignored');
  // Nothing is downloaded when go refuses the module outright: no checksum either.
  if (!(report.error && report.attempts.length === 0)) push({ kind: 'checksum', checksum: report.checksum }, 'verify');
  return { nodes, edges, probed, landing };
}
