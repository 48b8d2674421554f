import type { Instant } from '../time';
import type { Draft } from './developments';
import { recorded } from './developments';

/**
 * When `recorded(...drafts)` records revision `revision` (0 is the opening, given or put first):
 * as `knownAt`, what the tracker knew right after recording it, and nothing recorded later. The
 * recording clock never goes back, so this names "as known when revision N was recorded"
 * whatever the developments' own dates.
 */
export function whenRecorded(revision: number, drafts: readonly Draft[]): Instant {
  return recordingTimes(drafts)[revision] ?? missing(revision, drafts);
}

/** When each revision of `recorded(...drafts)` is recorded, by revision. */
export function recordingTimes(drafts: readonly Draft[]): Instant[] {
  return recorded(...drafts).map((development) => development.recordedAt);
}

function missing(revision: number, drafts: readonly Draft[]): never {
  throw new Error(`no revision ${revision} among ${drafts.length} developments`);
}
