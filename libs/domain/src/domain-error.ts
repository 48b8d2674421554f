/** The rules `decide` enforces, by name. A refusal names the rule so a client can tell which one failed. */
export type DomainRule =
  | 'negotiation-exists'
  | 'negotiation-unknown'
  | 'party-unknown'
  | 'party-already-declared'
  | 'parties-differ'
  | 'occurred-in-future'
  | 'proposal-id-in-use'
  | 'proposal-unknown'
  | 'proposal-not-yet-made'
  | 'proposal-not-made'
  | 'proposal-closed'
  | 'proposal-withdrawn-by-proposer-only'
  | 'proposal-response-by-addressee-only'
  | 'demand-not-open'
  | 'tariff-line-unknown'
  | 'retraction-target-unknown'
  | 'retraction-target-not-retractable'
  | 'retraction-target-already-retracted'
  | 'evidence-target-unknown'
  | 'evidence-target-not-a-report'
  | 'evidence-target-retracted'
  | 'expected-revision-mismatch'
  | 'event-id-reused';

/** 'conflict' is a clash with what is already recorded (HTTP 409); 'rejected' a broken rule (HTTP 422). */
export type DomainErrorKind = 'conflict' | 'rejected' | 'not-found';

export class DomainError extends Error {
  constructor(
    readonly rule: DomainRule,
    readonly kind: DomainErrorKind,
    message: string,
    /** Where in the request the offending value is, e.g. `data.proposalId` or `events[2].data.by`. */
    readonly path?: string,
    /** Extra facts for the client, such as the actual revision on a mismatch. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /** The same refusal, located inside a batch member. */
  at(prefix: string): DomainError {
    const path = this.path ? `${prefix}.${this.path}` : prefix;
    return new DomainError(
      this.rule,
      this.kind,
      `${prefix}: ${this.message}`,
      path,
      this.extensions,
    );
  }
}
