// The one line that says which phases of grokking a run went through, or why none were detected.
import type { Phases } from '@grokking/progress-measures';

/**
 * One line on the phases found, or why none were: what `grok analyze` prints.
 *
 * @example
 * phasesLine(analysis.phases); // 'phases: memorisation 0-1547, circuit formation 1547-2337, cleanup 2337-4701'
 */
export function phasesLine(phases: Phases | null): string {
  if (!phases) return 'phases: not measured';
  if (!phases.detected) return `phases: not detected (${phases.reason ?? 'no reason given'})`;
  const span = (s: { start: number; end: number } | null) => (s ? `${Math.round(s.start)}-${Math.round(s.end)}` : '?');
  return `phases: memorisation ${span(phases.memorisation)}, circuit formation ${span(phases.circuitFormation)}, cleanup ${span(phases.cleanup)}`;
}
