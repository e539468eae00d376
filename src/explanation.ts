/** A value shown as evidence: numbers stay numbers so cards can format them. */
export type Scalar = number | string | boolean | null;

/**
 * Why a result is what it is: the rule that produced it, the inputs it read
 * and a sentence a card can show as it is.
 */
export interface Explanation {
  readonly rule: string;
  readonly text: string;
  readonly inputs: Readonly<Record<string, Scalar>>;
}

/** One factor of a weighted 0–100 score, with the weight it finally carried. */
export interface FactorContribution {
  readonly factor: string;
  /** The factor's own 0–100 score. */
  readonly score: number;
  /** The configured weight. */
  readonly weight: number;
  /** The weight after renormalising over the factors present (sums to 1). */
  readonly effectiveWeight: number;
  readonly text: string;
}

export interface ScoreExplanation extends Explanation {
  readonly factors: readonly FactorContribution[];
  /** Factors left out because their input is missing (absent, not zero). */
  readonly absent: readonly string[];
}
